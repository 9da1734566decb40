using System.Diagnostics;
using System.Globalization;
using BlazorForecast.Forecasting.Data;
using BlazorForecast.Forecasting.Models;
using BlazorForecast.Forecasting.Training;
using BlazorForecast.Web.Features.Runs;
using Npgsql;

namespace BlazorForecast.Cli.Commands;

/// <summary>
/// `bench workers`: the scaled-out deployment on this machine — the web app over PostgreSQL training nothing itself,
/// and `worker` processes beside it — in a database of its own on the given server (made, then dropped). Measures runs
/// finished per hour with one worker and with two on the same queue (each worker's CPU share beside, since the
/// machine's cores bound the ratio), the time from queueing a run to its training starting on an idle worker, the delay
/// from an epoch's end on a worker to 100 hub clients of the web app (pg_notify, the web node's relay, the hub), and
/// the time from a worker's death to its run training again on the other.
/// </summary>
public static class WorkersBenchmark
{
    public static async Task<int> RunAsync(CliArguments args, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        var server = args.Value("database")
            ?? throw new CliUsageException("bench workers needs a PostgreSQL server it may create a database on: --database \"Host=…;Username=…;Password=…\".");
        var runs = args.WholeNumber("runs", 8, 1);
        var epochs = args.WholeNumber("epochs", 40, 2);
        var clients = args.WholeNumber("clients", 100, 1);
        var claims = args.WholeNumber("claims", 10, 1);

        await using var database = await BenchDatabase.CreateAsync(server);
        await using var web = await AppServerProcess.StartAsync(settings: new Dictionary<string, string>
        {
            ["BlazorForecast__Database"] = "PostgreSql",
            ["ConnectionStrings__Forecast"] = database.ConnectionString,
            ["BlazorForecast__Training__InProcess"] = "false",
        });
        await using var workers = new BenchWorkers(database.ConnectionString);
        var datasetId = await web.FirstDatasetIdAsync();
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Web app {web.Address} over PostgreSQL (database {database.Name}), training nothing itself; workers are `worker` processes on one thread each. {Environment.ProcessorCount} cores."));

        workers.Start("worker-1");
        await web.WaitForSuccessAsync(await web.QueueRunAsync(Run(datasetId, epochs, "warm-up")), TimeSpan.FromMinutes(10));
        var one = await ThroughputAsync(web, workers, datasetId, runs, epochs);
        await output.WriteLineAsync(one.Describe(1));

        workers.Start("worker-2");
        await web.WaitForSuccessAsync(await web.QueueRunAsync(Run(datasetId, epochs, "warm-up")), TimeSpan.FromMinutes(10));
        var two = await ThroughputAsync(web, workers, datasetId, runs, epochs);
        await output.WriteLineAsync(two.Describe(2));

        double[] latencies;
        (double[] Delays, int Complete) delays;
        Takeover takeover;
        try
        {
            latencies = await ClaimLatenciesAsync(web, database, datasetId, claims);
            delays = await HubDelaysAsync(web, datasetId, clients, Math.Max(20, epochs));
            takeover = await TakeoverAsync(web, workers, database, datasetId);
        }
        catch (Exception)
        {
            await output.WriteLineAsync($"The web app's log:{Environment.NewLine}{web.Output()}");
            throw;
        }

        await output.WriteLineAsync();
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"""
            Training workers ({runs} runs of a {epochs}-epoch LSTM on the demo dataset per measurement):
              1 worker:  {one.RunsPerHour:F0} runs/hour; worker CPU {one.WorkerCpuShare:P0} of one core, web {one.WebCpuShare:P0}
              2 workers: {two.RunsPerHour:F0} runs/hour ({two.RunsPerHour / one.RunsPerHour:F2}×); worker CPU {two.WorkerCpuShare:P0} of one core each, web {two.WebCpuShare:P0} — {Environment.ProcessorCount} cores bound the ratio
              queued → training on an idle worker (claim, dataset read, start): median {Percentile(latencies, 0.5):F0} ms, p95 {Percentile(latencies, 0.95):F0} ms, max {latencies.Max():F0} ms over {latencies.Length} runs
              epoch end on a worker → {clients} hub clients of the web app: median {Percentile(delays.Delays, 0.5):F1} ms, p95 {Percentile(delays.Delays, 0.95):F1} ms, max {delays.Delays.LastOrDefault():F1} ms over {delays.Delays.Length} deliveries; every epoch and the end at {delays.Complete}/{clients} clients
              worker killed mid-run → its run training on the other worker: {takeover.Resumed.TotalSeconds:F1} s (lease {takeover.Lease.TotalSeconds:F0} s, heartbeat {takeover.Heartbeat.TotalSeconds:F0} s); first new epoch after {takeover.FirstEpoch.TotalSeconds:F1} s
            """));
        return delays.Complete == clients ? 0 : 1;
    }

    private static async Task<Throughput> ThroughputAsync(AppServerProcess web, BenchWorkers workers, int datasetId, int runs, int epochs)
    {
        var (workerCpu, webCpu) = (workers.CpuTimes(), web.CpuTime);
        var clock = Stopwatch.StartNew();
        var ids = new List<int>();
        for (var i = 0; i < runs; i++)
        {
            ids.Add(await web.QueueRunAsync(Run(datasetId, epochs, $"throughput {i + 1}")));
        }

        foreach (var id in ids)
        {
            await web.WaitForSuccessAsync(id, TimeSpan.FromMinutes(30));
        }

        clock.Stop();
        var spent = workers.CpuTimes().Zip(workerCpu, (after, before) => (after - before).TotalSeconds).ToList();
        return new Throughput(runs, clock.Elapsed, spent.Average() / clock.Elapsed.TotalSeconds, (web.CpuTime - webCpu).TotalSeconds / clock.Elapsed.TotalSeconds);
    }

    // One run at a time onto idle workers: the time from its creation to its training starting, both stamped in the database.
    private static async Task<double[]> ClaimLatenciesAsync(AppServerProcess web, BenchDatabase database, int datasetId, int count)
    {
        var latencies = new List<double>();
        for (var i = 0; i < count; i++)
        {
            var id = await web.QueueRunAsync(Run(datasetId, 2, $"claim {i + 1}"));
            await web.WaitForSuccessAsync(id, TimeSpan.FromMinutes(10));
            var (created, started) = await database.ReadAsync(id, r => (r.GetDateTime(r.GetOrdinal("CreatedAt")), r.GetDateTime(r.GetOrdinal("StartedAt"))));
            latencies.Add((started - created).TotalMilliseconds);
        }

        return [.. latencies.Order()];
    }

    private static async Task<(double[] Delays, int Complete)> HubDelaysAsync(AppServerProcess web, int datasetId, int clients, int epochs)
    {
        var subscribers = await HubSubscriber.ConnectAsync(web, clients);
        try
        {
            var id = await web.QueueRunAsync(Run(datasetId, epochs, "hub clients"));
            await Task.WhenAll(subscribers.Select(s => s.JoinAsync(id)));
            var run = await web.WaitForSuccessAsync(id, TimeSpan.FromMinutes(10));
            using var patience = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            var complete = 0;
            foreach (var subscriber in subscribers)
            {
                complete += await subscriber.EndedWithAllEpochsAsync(run.EpochsDone, patience.Token) ? 1 : 0;
            }

            return ([.. subscribers.SelectMany(s => s.Delays).Select(d => d.TotalMilliseconds).Order()], complete);
        }
        finally
        {
            await Task.WhenAll(subscribers.Select(s => s.Connection.DisposeAsync().AsTask()));
        }
    }

    // A long run trains on one of the two workers; that worker is killed after a few epochs.
    private static async Task<Takeover> TakeoverAsync(AppServerProcess web, BenchWorkers workers, BenchDatabase database, int datasetId)
    {
        var id = await web.QueueRunAsync(Run(datasetId, 400, "takeover"));
        var holder = await PollAsync(database, id, r => r.EpochsDone >= 3 ? r.ClaimedBy : null);
        var clock = Stopwatch.StartNew();
        workers.Kill(holder);
        var epochsAtDeath = (await database.ReadAsync(id, r => r.GetInt32(r.GetOrdinal("EpochsDone"))));
        await PollAsync(database, id, r => r.Status == "Running" && r.ClaimedBy != holder ? r.ClaimedBy : null);
        var resumed = clock.Elapsed;
        await PollAsync(database, id, r => r.ClaimedBy != holder && r.EpochsDone > epochsAtDeath ? r.ClaimedBy : null);
        var firstEpoch = clock.Elapsed;
        using (await web.Http.PostAsync(new Uri($"/api/runs/{id}/cancel", UriKind.Relative), null))
        {
            var defaults = new Web.Features.Training.TrainingWorkerOptions();
            return new Takeover(resumed, firstEpoch, defaults.Lease, defaults.Heartbeat);
        }
    }

    private static async Task<string> PollAsync(BenchDatabase database, int runId, Func<RunRow, string?> done)
    {
        var deadline = DateTime.UtcNow.AddMinutes(5);
        while (DateTime.UtcNow < deadline)
        {
            var row = await database.ReadAsync(runId, r => new RunRow(
                r.GetString(r.GetOrdinal("Status")), r.IsDBNull(r.GetOrdinal("ClaimedBy")) ? null : r.GetString(r.GetOrdinal("ClaimedBy")), r.GetInt32(r.GetOrdinal("EpochsDone"))));
            if (done(row) is { } value)
            {
                return value;
            }

            await Task.Delay(20);
        }

        throw new TimeoutException($"Run {runId} did not reach the state the benchmark waited for within 5 minutes.");
    }

    private static RunRequest Run(int datasetId, int epochs, string name) => new(datasetId, new ForecastConfig
    {
        Targets = ["Close"],
        Transform = TargetTransform.LogReturn,
        Lookback = 32,
        Horizon = 5,
        Model = new ModelOptions { Kind = ModelKind.Lstm, HiddenSize = 32, Layers = 1 },
        Training = new TrainingOptions { MaxEpochs = epochs, Patience = epochs + 1, BatchSize = 64, Seed = 7, Device = DeviceChoice.Cpu },
    }, $"workers benchmark: {name}");

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    private sealed record RunRow(string Status, string? ClaimedBy, int EpochsDone);

    private sealed record Takeover(TimeSpan Resumed, TimeSpan FirstEpoch, TimeSpan Lease, TimeSpan Heartbeat);

    private sealed record Throughput(int Runs, TimeSpan Wall, double WorkerCpuShare, double WebCpuShare)
    {
        public double RunsPerHour => Runs / Wall.TotalHours;

        public string Describe(int workers) => string.Create(CultureInfo.InvariantCulture,
            $"  {workers} worker(s): {Runs} runs in {Wall.TotalSeconds:F1} s, {RunsPerHour:F0} runs/hour");
    }

    /// <summary>A database of the benchmark's own on the given server, dropped (with its connections) at the end.</summary>
    private sealed class BenchDatabase : IAsyncDisposable
    {
        private readonly string _server;

        private BenchDatabase(string server, string name)
        {
            _server = server;
            Name = name;
            ConnectionString = new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
        }

        public string Name { get; }

        public string ConnectionString { get; }

        public static async Task<BenchDatabase> CreateAsync(string server)
        {
            var database = new BenchDatabase(server, $"blazorforecast_bench_{Guid.NewGuid():N}"[..40]);
            await database.OnServerAsync($"CREATE DATABASE {database.Name}");
            return database;
        }

        public async Task<T> ReadAsync<T>(int runId, Func<NpgsqlDataReader, T> read)
        {
            await using var connection = new NpgsqlConnection(ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT * FROM \"Runs\" WHERE \"Id\" = @id", connection);
            command.Parameters.AddWithValue("id", runId);
            await using var reader = await command.ExecuteReaderAsync();
            return await reader.ReadAsync() ? read(reader) : throw new InvalidOperationException($"There is no run {runId}.");
        }

        public async ValueTask DisposeAsync()
        {
            NpgsqlConnection.ClearAllPools();
            await OnServerAsync($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)");
        }

        private async Task OnServerAsync(string sql)
        {
            await using var connection = new NpgsqlConnection(_server);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync();
        }
    }

    /// <summary>`worker` processes of this command line, on one thread each, killed at the end.</summary>
    private sealed class BenchWorkers(string database) : IAsyncDisposable
    {
        private readonly Dictionary<string, Process> _workers = [];

        public void Start(string name)
        {
            // This command line's own assembly, through the dotnet host (whatever process this benchmark runs in).
            var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH")
                ?? (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? Environment.ProcessPath! : "dotnet");
            var start = new ProcessStartInfo(host) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in new[] { typeof(WorkersBenchmark).Assembly.Location, "worker", "--database", database, "--name", name, "--threads", "1" })
            {
                start.ArgumentList.Add(argument);
            }

            var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {host}.");
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            _workers[name] = process;
        }

        public List<TimeSpan> CpuTimes() => _workers.Values.Where(w => !w.HasExited).Select(w =>
        {
            w.Refresh();
            return w.TotalProcessorTime;
        }).ToList();

        public void Kill(string name)
        {
            _workers[name].Kill(entireProcessTree: true);
            _workers[name].WaitForExit();
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var worker in _workers.Values)
            {
                if (!worker.HasExited)
                {
                    worker.Kill(entireProcessTree: true);
                    await worker.WaitForExitAsync();
                }

                worker.Dispose();
            }
        }
    }
}
