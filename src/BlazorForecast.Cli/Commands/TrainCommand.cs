using System.Globalization;
using System.Text.Json;
using BlazorForecast.Forecasting.Data;
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

        var frame = await CsvFile.ReadAsync(args.Positional[0]);
        var config = ConfigFromArguments.Build(args);
        var outputFolder = args.Value("out") ?? "run";
        Directory.CreateDirectory(outputFolder);

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
        await File.WriteAllTextAsync(metricsPath, JsonSerializer.Serialize(new
        {
            result.Config,
            folds = result.Folds.Select(f => new { f.Split, f.Training, f.Test, f.Coverage, f.Importance }),
        }, ForecastJson.Options));
        await using (var file = File.Create(modelPath))
        {
            result.Model.Save(file);
        }

        await WriteSummaryAsync(result, output);
        await output.WriteLineAsync($"Metrics: {metricsPath}");
        await output.WriteLineAsync($"Model:   {modelPath}");
        return 0;
    }

    private static async Task WriteSummaryAsync(ForecastRunResult result, TextWriter output)
    {
        foreach (var fold in result.Folds)
        {
            var t = fold.Training;
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"Fold {fold.Split.Fold + 1}: {t.EpochsRun} epochs on {t.Device}, best {t.BestEpoch} (val MSE {t.BestValidationLoss:F5}); {t.StopDetail}"));
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  {"method",-14} {"RMSE",12} {"MAE",12} {"std MSE",10} {"direction",10}"));
            foreach (var method in fold.Test.Methods)
            {
                var o = method.Original.Overall;
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"  {method.Method,-14} {o.Rmse,12:G6} {o.Mae,12:G6} {method.Standardized.Overall.Mse,10:F4} {o.DirectionalAccuracy,10:P1}"));
            }

            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"  intervals: {string.Join(", ", fold.Coverage.Select(c => $"{c.Level:P0} covered {c.Coverage:P1}"))}"));
        }
    }

    private sealed class ConsoleProgress(TextWriter output) : IProgress<TrainingProgress>
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
