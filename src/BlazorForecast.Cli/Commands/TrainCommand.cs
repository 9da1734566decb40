using System.Globalization;
using System.Text.Json;
using BlazorForecast.Forecasting.Data;
using BlazorForecast.Forecasting.Evaluation;
using BlazorForecast.Forecasting.Training;

namespace BlazorForecast.Cli.Commands;

/// <summary>`train`: dataset CSV + config → metrics JSON and a saved model, with epoch progress on stdout.</summary>
public static class TrainCommand
{
    public static async Task<int> RunAsync(CliArguments args, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        if (args.Positional.Count != 1)
        {
            throw new CliUsageException("train needs exactly one CSV file.");
        }

        var data = await CsvFile.ReadAsync(args.Positional[0]);
        var config = ConfigFromArguments.Build(args);
        var frame = await InputArguments.JoinAsync(data, config, output);
        var level = SignificanceLevel(args);
        var outputFolder = args.Value("out") ?? "run";
        Directory.CreateDirectory(outputFolder);
        if (config.Direction is not null)
        {
            return await DirectionTraining.RunAsync(frame, config, level, outputFolder, output);
        }

        ForecastRunResult result;
        try
        {
            result = ForecastRunner.Run(frame, config, new ConsoleProgress(output));
        }
        catch (ForecastConfigException ex)
        {
            throw new CliUsageException("The config cannot run on this data:" + Environment.NewLine + string.Join(Environment.NewLine, ex.Problems.Select(p => "  - " + p)));
        }

        var metricsPath = Path.Combine(outputFolder, "metrics.json");
        var modelPath = Path.Combine(outputFolder, "model.bfmodel");
        var frequency = QualityAnalyzer.DetectFrequency(frame.Timestamps).Frequency;
        await File.WriteAllTextAsync(metricsPath, JsonSerializer.Serialize(new
        {
            result.Config,
            significanceLevel = level,
            verdict = Verdict.Against(result.Assessment.VersusNaive, level) + ".",
            outcome = result.Assessment.VersusNaive.Outcome(level),
            notes = Notes(result.Assessment, level, frequency),
            testMeaning = Verdict.Meaning(level),
            assessment = AssessmentReport.From(result.Assessment, level, frequency),
            folds = result.Folds.Select(f => new
            {
                f.Split,
                f.Training,
                f.Seeds,
                verdict = Verdict.Against(f.Assessment.VersusNaive, level) + ".",
                outcome = f.Assessment.VersusNaive.Outcome(level),
                f.Test,
                f.Coverage,
                f.Importance,
                assessment = AssessmentReport.From(f.Assessment, level, frequency),
            }),
        }, ForecastJson.Public));
        await SaveModelAsync(result.Model, modelPath);

        await WriteSummaryAsync(result, level, frequency, output);
        await output.WriteLineAsync($"Metrics: {metricsPath}");
        await output.WriteLineAsync($"Model:   {modelPath}");
        return 0;
    }

    internal static double SignificanceLevel(CliArguments args)
    {
        var text = args.Value("significance");
        if (text is null)
        {
            return Verdict.DefaultLevel;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var level) && level is > 0 and <= 0.2
            ? level
            : throw new CliUsageException($"--significance must be a level above 0 and at most 0.2 (e.g. 0.05), not '{text}'.");
    }

    private static List<string> Notes(Assessment assessment, double level, SeriesFrequency frequency) =>
        new[] { Verdict.SeedDisagreement(assessment.Seeds, level), Verdict.OneWay(assessment.Direction, frequency) }.OfType<string>().ToList();

    internal static async Task SaveModelAsync(ModelBundle model, string modelPath)
    {
        await using var file = File.Create(modelPath);
        model.Save(file);
    }

    internal static async Task WriteSummaryAsync(ForecastRunResult result, double level, SeriesFrequency frequency, TextWriter output)
    {
        foreach (var fold in result.Folds)
        {
            foreach (var seed in fold.Seeds)
            {
                var t = seed.Training;
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"Fold {fold.Split.Fold + 1}{(fold.Seeds.Count > 1 ? $", seed {seed.Seed}" : "")}: {t.EpochsRun} epochs on {t.Device}, best {t.BestEpoch} (val MSE {t.BestValidationLoss:F5}); {t.StopDetail}"));
            }

            var comparisons = fold.Assessment.Comparisons;
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  {"method",-14} {"RMSE",12} {"MAE",12} {"std MSE",10} {"direction",10} {"vs model",9} {"p",16}"));
            foreach (var method in fold.Test.Methods)
            {
                var o = method.Original.Overall;
                var comparison = comparisons.FirstOrDefault(c => c.Baseline == method.Method);
                var versus = comparison is null ? "" : string.Create(CultureInfo.InvariantCulture, $"{Math.Round(comparison.RmseChange * 100, 1),8:+0.0;-0.0;0.0}% {Verdict.PValue(comparison.Overall.PValue),16}");
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"  {method.Method,-14} {o.Rmse,12:G6} {o.Mae,12:G6} {method.Standardized.Overall.Mse,10:F4} {o.DirectionalAccuracy,10:P1} {versus}"));
            }

            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"  intervals ({fold.Assessment.IntervalMethod}): {string.Join(", ", fold.Coverage.Select(c => $"{c.Level:P0} covered {c.Coverage:P1}"))}"));
        }

        var assessment = result.Assessment;
        if (assessment.Seeds is { } seeds)
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"Seeds: RMSE {seeds.RmseMean:G5} ± {seeds.RmseStdDev:G3} [{seeds.RmseMin:G5}–{seeds.RmseMax:G5}] over {seeds.Seeds.Count}; the model is their mean forecast."));
        }

        var direction = assessment.Direction;
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Direction: right {direction.Accuracy:P1} of {direction.Count} one-step moves (rises {direction.UpRate:P1}, model called a rise {direction.UpCallRate:P1}); against always-majority {Verdict.PValue(direction.BinomialP)}; balanced accuracy {direction.BalancedAccuracy:P1}, MCC {(double.IsNaN(direction.Mcc) ? "not defined" : direction.Mcc.ToString("F3", CultureInfo.InvariantCulture))}"));
        await output.WriteLineAsync($"Verdict{(result.Folds.Count > 1 ? $" (pooled over {result.Folds.Count} folds)" : "")}: {Verdict.Against(assessment.VersusNaive, level)}.");
        foreach (var note in Notes(assessment, level, frequency))
        {
            await output.WriteLineAsync($"  {note}");
        }
    }

    internal sealed class ConsoleProgress(TextWriter output) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value)
        {
            if (value is EpochCompleted e)
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"epoch {e.Epoch,3}/{e.MaxEpochs}: train {e.TrainLoss:F5}  val {e.ValidationLoss:F5}  lr {e.LearningRate:G3}  {e.Duration.TotalSeconds:F1} s  {e.SamplesPerSecond:F0} windows/s{(e.IsBest ? "  *" : "")}"));
            }
        }
    }
}
