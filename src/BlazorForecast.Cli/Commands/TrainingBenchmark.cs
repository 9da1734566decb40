using System.Diagnostics;
using System.Globalization;
using BlazorForecast.Forecasting.Data;
using BlazorForecast.Forecasting.Models;
using BlazorForecast.Forecasting.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace BlazorForecast.Cli.Commands;

/// <summary>
/// `bench train`: seconds per epoch and windows/s of every model on 10,000 windows (lookback 32, batch 64), the
/// trainer's overhead against a bare TorchSharp loop over the same model and batches, and resident memory across
/// 20 consecutive trainings in this process; on the CPU, or with `--device cuda` on the GPU (a build with
/// -p:TorchBackend=cuda).
/// </summary>
public static class TrainingBenchmark
{
    private const int Lookback = 32;
    private const int BatchSize = 64;

    public static async Task<int> RunAsync(CliArguments args, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        var windows = args.WholeNumber("windows", 10_000, 100);
        var epochs = args.WholeNumber("epochs", 3, 1);
        var trainings = args.WholeNumber("trainings", 20, 2);
        var device = args.Value("device") switch
        {
            null or "cpu" => DeviceChoice.Cpu,
            "cuda" => DeviceChoice.Cuda,
            var other => throw new CliUsageException($"--device is cpu or cuda, not '{other}'."),
        };
        var on = ComputeDevices.Resolve(device);
        if (args.Has("threads"))
        {
            set_num_threads(args.WholeNumber("threads", 1, 1));
        }

        // Train rows hold exactly the requested windows; validation and test follow.
        var trainRows = windows + Lookback;
        var frame = SyntheticMarketData.Generate((int)Math.Ceiling(trainRows / 0.7) + 1, seed: 5);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{windows:N0} training windows, lookback {Lookback}, batch {BatchSize}, on {on}{(on.type == DeviceType.CPU ? $" ({get_num_threads()} threads)" : "")}, {epochs} epochs per model"));

        foreach (var kind in Enum.GetValues<ModelKind>())
        {
            var problem = Prepare(frame, kind, epochs, device);
            var result = Trainer.Train(problem);
            result.Model.Dispose();
            var perEpoch = result.History.Skip(1).Average(h => h.Duration.TotalSeconds);
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"  {kind,-12} {perEpoch,7:F2} s/epoch  {result.History.Skip(1).Average(h => h.SamplesPerSecond),8:F0} windows/s  (first epoch {result.History[0].Duration.TotalSeconds:F2} s)"));
        }

        await MeasureOverheadAsync(frame, epochs, device, output);
        await MeasureMemoryAsync(frame, trainings, device, output);
        return 0;
    }

    private static WindowedProblem Prepare(TimeSeriesFrame frame, ModelKind kind, int epochs, DeviceChoice device)
    {
        var config = new ForecastConfig
        {
            Targets = ["Close"],
            Lookback = Lookback,
            Horizon = 1,
            Model = new ModelOptions { Kind = kind, HiddenSize = 64, Layers = 2 },
            Training = new TrainingOptions { MaxEpochs = epochs, BatchSize = BatchSize, Patience = epochs + 1, Device = device, Seed = 1 },
        };
        return WindowedProblem.Prepare(frame, config, SeriesSplitter.Chronological(frame.RowCount));
    }

    private static async Task MeasureOverheadAsync(TimeSeriesFrame frame, int epochs, DeviceChoice device, TextWriter output)
    {
        var problem = Prepare(frame, ModelKind.Lstm, epochs, device);
        var trainer = Stopwatch.StartNew();
        Trainer.Train(problem).Model.Dispose();
        trainer.Stop();

        var bare = Stopwatch.StartNew();
        BareLoop(problem, epochs, ComputeDevices.Resolve(device));
        bare.Stop();

        var overhead = (trainer.Elapsed.TotalSeconds / bare.Elapsed.TotalSeconds) - 1;
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Trainer overhead (LSTM, {epochs} epochs incl. validation): trainer {trainer.Elapsed.TotalSeconds:F2} s, bare loop {bare.Elapsed.TotalSeconds:F2} s, overhead {overhead:P1}"));
    }

    // The same model, optimiser, batches, loss and validation pass, without progress, clipping, schedules or checkpoints.
    private static void BareLoop(WindowedProblem problem, int epochs, Device on)
    {
        random.manual_seed(problem.Config.Training.Seed);
        var shape = new ModelShape(problem.Lookback, problem.FeatureCount, problem.Horizon, problem.TargetCount, problem.TargetFeatureIndices);
        using var model = ForecastModelFactory.Create(problem.Config.Model, shape);
        model.to(on);
        using var optimizer = Trainer.CreateOptimizer(model, problem.Config.Training);
        for (var epoch = 1; epoch <= epochs; epoch++)
        {
            var order = (int[])problem.TrainOrigins.Clone();
            new Random(epoch).Shuffle(order);
            model.train();
            for (var start = 0; start < order.Length; start += BatchSize)
            {
                using var scope = NewDisposeScope();
                var (x, y) = problem.Batch(order.AsSpan(start, Math.Min(BatchSize, order.Length - start)), on);
                optimizer.ZeroGrad();
                var loss = nn.functional.mse_loss(model.call(x), y);
                loss.backward();
                optimizer.Step();
            }

            Trainer.Evaluate(model, problem, problem.ValidationOrigins, on, BatchSize);
        }
    }

    private static async Task MeasureMemoryAsync(TimeSeriesFrame frame, int trainings, DeviceChoice device, TextWriter output)
    {
        var samples = new List<double>(trainings);
        for (var i = 0; i < trainings; i++)
        {
            Trainer.Train(Prepare(frame, ModelKind.Lstm, 1, device)).Model.Dispose();
            GC.Collect();
            GC.WaitForPendingFinalizers();
            using var process = Process.GetCurrentProcess();
            samples.Add(process.WorkingSet64 / 1e6);
        }

        var settled = samples.Skip(1).ToList();
        var growth = (settled[^1] / settled[0]) - 1;
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Resident memory over {trainings} LSTM trainings: {string.Join(" ", samples.Select(s => s.ToString("F0", CultureInfo.InvariantCulture)))} MB; from the 2nd to the last {growth:P1}"));
    }
}
