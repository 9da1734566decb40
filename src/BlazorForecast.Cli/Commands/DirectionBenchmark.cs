using System.Diagnostics;
using System.Globalization;
using BlazorForecast.Forecasting.Data;
using BlazorForecast.Forecasting.Evaluation;
using BlazorForecast.Forecasting.Models;
using BlazorForecast.Forecasting.Training;

namespace BlazorForecast.Cli.Commands;

/// <summary>
/// `bench direction`: whether handling imbalance helps a direction model, and how direction models fare on real series.
/// First, generated series with 55% rises and a weak signal (AR(1) log returns, φ 0.1, normal shocks, a drift that
/// makes 55% of returns positive): the same model with plain cross-entropy, balanced class weights, focal loss and
/// oversampling, scored by balanced accuracy, MCC and ROC AUC on the test part. Then each real CSV given, with the
/// new-run form's defaults and balanced weights, against always-majority.
/// </summary>
public static class DirectionBenchmark
{
    public static async Task<int> RunAsync(CliArguments args, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        var series = args.WholeNumber("series", 5, 1);
        var rows = args.WholeNumber("rows", 3000, 500);
        var config = new ForecastConfig
        {
            Targets = ["Close"],
            Transform = TargetTransform.LogReturn,
            Lookback = args.WholeNumber("lookback", 32, 1),
            Horizon = args.WholeNumber("horizon", 5, 1),
            Model = new ModelOptions { Kind = args.Value("model") is string kind ? ConfigFromArguments.ParseEnum<ModelKind>(kind, "model") : ModelKind.Lstm },
            Training = new TrainingOptions { MaxEpochs = args.WholeNumber("epochs", 30, 1), Patience = 8, Device = DeviceChoice.Cpu },
            Direction = new DirectionTarget(),
        };
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{config.Model.Kind} (hidden {config.Model.HiddenSize}, {config.Model.Layers} layers), log returns in, lookback {config.Lookback}, horizon {config.Horizon}, up to {config.Training.MaxEpochs} epochs (patience {config.Training.Patience}); scores are of the next row's calls on the test part"));

        var phi = args.Value("phi") is string text && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value is >= 0 and < 1
            ? value
            : args.Has("phi") ? throw new CliUsageException("--phi must be at least 0 and below 1.") : 0.1;
        var process = new ReturnProcess
        {
            Phi = phi,
            Drift = 0.1257 * 0.01 / Math.Sqrt(1 - (phi * phi)) * (1 - phi),
            Alpha = 0,
            Beta = 0,
            DegreesOfFreedom = double.PositiveInfinity,
        };
        var variants = new (string Name, DirectionTarget Target)[]
        {
            ("plain cross-entropy", new DirectionTarget { Weighting = ClassWeighting.None }),
            ("balanced weights", new DirectionTarget { Weighting = ClassWeighting.Balanced }),
            ("focal loss (γ 2)", new DirectionTarget { Weighting = ClassWeighting.Focal }),
            ("oversampling", new DirectionTarget { Weighting = ClassWeighting.None, Oversample = true }),
        };
        var scores = variants.ToDictionary(v => v.Name, _ => new List<DirectionClassification>());
        var upRates = new List<double>();
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < series; i++)
        {
            var frame = GeneratedPrices.Generate(rows, process, 50_000 + i);
            foreach (var (name, target) in variants)
            {
                var run = ForecastRunner.RunDirection(frame, config with { Direction = target });
                scores[name].Add(run.Pooled);
                if (name == variants[0].Name)
                {
                    upRates.Add(run.Folds[0].TrainUpRate);
                }
            }
        }

        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Generated: {series} series of {rows:N0} business days, AR(1) φ {phi}, rises on the training parts {upRates.Average():P1} (from {upRates.Min():P1} to {upRates.Max():P1}); {watch.Elapsed.TotalMinutes:F1} min"));
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"  {"loss",-20} {"balanced acc",13} {"MCC",7} {"ROC AUC",8} {"called up",10} {"beats majority",15} {"balanced acc > plain",21}"));
        foreach (var (name, _) in variants)
        {
            var s = scores[name];
            var above = s.Zip(scores[variants[0].Name]).Count(p => p.First.Calls.BalancedAccuracy > p.Second.Calls.BalancedAccuracy);
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"  {name,-20} {s.Average(c => c.Calls.BalancedAccuracy),13:P1} {s.Average(c => double.IsNaN(c.Calls.Mcc) ? 0 : c.Calls.Mcc),7:F3} {s.Average(c => c.RocAuc),8:F3} {s.Average(c => c.Calls.UpCallRate),10:P0} {s.Count(c => c.Outcome(Verdict.DefaultLevel) == ComparisonOutcome.Better),8} of {series,-4} {(name == variants[0].Name ? "" : $"{above} of {series}"),21}"));
        }

        foreach (var path in args.Positional)
        {
            var frame = await CsvFile.ReadAsync(path);
            var target = frame.Columns.FirstOrDefault(c => c.Role == ColumnRole.Close)?.Name ?? frame.Columns[0].Name;
            var run = ForecastRunner.RunDirection(frame, config with { Targets = [target] });
            await output.WriteLineAsync($"{Path.GetFileName(path)} ({target}, {frame.RowCount:N0} rows), balanced weights:");
            await DirectionTraining.WriteClassificationAsync(run.Pooled, output);
            await output.WriteLineAsync($"  {run.Pooled.Verdict(Verdict.DefaultLevel)}.");
        }

        return 0;
    }
}
