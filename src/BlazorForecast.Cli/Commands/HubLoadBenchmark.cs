using System.Diagnostics;
using System.Globalization;
using BlazorForecast.Forecasting.Evaluation;
using BlazorForecast.Forecasting.Models;
using BlazorForecast.Forecasting.Training;
using BlazorForecast.Web.Features.Runs;

namespace BlazorForecast.Cli.Commands;

/// <summary>
/// `bench hub`: starts the web app as its own process, trains the same seeded LSTM on the demo dataset with no hub
/// subscribers and with 100 of them joined to the run's group (alternately, several times), checks that every client
/// ends with the final state and the whole epoch sequence, and reports the server's extra CPU time and the delay from
/// the end of an epoch (stamped by the training thread) to its arrival at the clients.
/// </summary>
public static class HubLoadBenchmark
{
    public static async Task<int> RunAsync(CliArguments args, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        var clients = args.WholeNumber("clients", 100, 1);
        var epochs = args.WholeNumber("epochs", 12, 2);
        var repeats = args.WholeNumber("repeats", 5, 1);

        await using var server = await AppServerProcess.StartAsync();
        var datasetId = await server.FirstDatasetIdAsync();
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Server {server.Address} (its own process); LSTM on the demo dataset, {epochs} epochs per run; {clients} hub clients in this process."));

        // Two runs warm the server (JIT, tiered compilation, libtorch, SQLite) so they count in neither column.
        for (var i = 0; i < 2; i++)
        {
            await TrainAsync(server, datasetId, epochs, []);
        }

        var quiet = new List<Measurement>();
        var loaded = new List<Measurement>();
        for (var i = 0; i < repeats; i++)
        {
            quiet.Add(await TrainAsync(server, datasetId, epochs, []));
            var connections = await HubSubscriber.ConnectAsync(server, clients);
            try
            {
                loaded.Add(await TrainAsync(server, datasetId, epochs, connections));
            }
            finally
            {
                await Task.WhenAll(connections.Select(c => c.Connection.DisposeAsync().AsTask()));
            }

            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"  round {i + 1}: no subscribers {quiet[^1].ServerCpu.TotalSeconds:F2} s CPU in {quiet[^1].Wall.TotalSeconds:F2} s; {clients} subscribers {loaded[^1].ServerCpu.TotalSeconds:F2} s CPU in {loaded[^1].Wall.TotalSeconds:F2} s"));
        }

        await ReportAsync(output, clients, epochs, quiet, loaded);
        return loaded.All(m => m.CompleteClients == clients) ? 0 : 1;
    }

    private static async Task<Measurement> TrainAsync(AppServerProcess server, int datasetId, int epochs, IReadOnlyList<HubSubscriber> subscribers)
    {
        var serverCpu = server.CpuTime;
        var clientCpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();

        var runId = await server.QueueRunAsync(new RunRequest(datasetId, Config(epochs), "hub load benchmark"));
        await Task.WhenAll(subscribers.Select(s => s.JoinAsync(runId)));
        var run = await server.WaitForSuccessAsync(runId, TimeSpan.FromMinutes(10));

        using var patience = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var complete = 0;
        foreach (var subscriber in subscribers)
        {
            if (await subscriber.EndedWithAllEpochsAsync(run.EpochsDone, patience.Token))
            {
                complete++;
            }
        }

        clock.Stop();
        return new Measurement(
            clock.Elapsed,
            server.CpuTime - serverCpu,
            Process.GetCurrentProcess().TotalProcessorTime - clientCpu,
            run.EpochsDone,
            complete,
            subscribers.SelectMany(s => s.Delays).ToList());
    }


    private static ForecastConfig Config(int epochs) => new()
    {
        Targets = ["Close"],
        Lookback = 32,
        Horizon = 5,
        Model = new ModelOptions { Kind = ModelKind.Lstm, HiddenSize = 64, Layers = 2 },
        Training = new TrainingOptions { MaxEpochs = epochs, Patience = epochs + 1, BatchSize = 64, Seed = 7, Device = DeviceChoice.Cpu },
    };

    private static async Task ReportAsync(TextWriter output, int clients, int epochs, List<Measurement> quiet, List<Measurement> loaded)
    {
        var quietCpus = quiet.Select(m => m.ServerCpu.TotalSeconds).ToList();
        var loadedCpus = loaded.Select(m => m.ServerCpu.TotalSeconds).ToList();
        var (quietCpu, quietSpread) = (ReturnStatistics.Mean(quietCpus), ReturnStatistics.StandardDeviation(quietCpus));
        var (loadedCpu, loadedSpread) = (ReturnStatistics.Mean(loadedCpus), ReturnStatistics.StandardDeviation(loadedCpus));

        // Rounds pair a quiet and a loaded run back to back; the median of their differences resists a noisy round.
        var extra = Percentile(quiet.Zip(loaded, (q, l) => (l.ServerCpu - q.ServerCpu).TotalSeconds).Order().ToArray(), 0.5);
        var delays = loaded.SelectMany(m => m.Delays).Select(d => d.TotalMilliseconds).Order().ToArray();
        var deliveries = loaded.Sum(m => m.Epochs) * clients;

        await output.WriteLineAsync();
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"""
            Hub load, {clients} clients on one training ({epochs} epochs; mean ± standard deviation of {loaded.Count} runs each):
              server CPU per run: {quietCpu:F2} ± {quietSpread:F2} s without subscribers, {loadedCpu:F2} ± {loadedSpread:F2} s with {clients}
              extra server CPU (median of the rounds' differences): {extra:F2} s per run ({extra / quietCpu:P1}), {extra / epochs * 1000:F0} ms per epoch
              client process CPU per run (the {clients} connections): {loaded.Average(m => m.ClientCpu.TotalSeconds):F2} s
              final state and every epoch at every client: {string.Join(", ", loaded.Select(m => $"{m.CompleteClients}/{clients}"))}
              epoch end -> client: median {Percentile(delays, 0.5):F1} ms, p95 {Percentile(delays, 0.95):F1} ms, max {delays.LastOrDefault():F1} ms over {delays.Length} live deliveries ({deliveries} expected)
            """));
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    private sealed record Measurement(TimeSpan Wall, TimeSpan ServerCpu, TimeSpan ClientCpu, int Epochs, int CompleteClients, IReadOnlyList<TimeSpan> Delays);
}
