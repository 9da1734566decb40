using System.Globalization;
using System.Text.Json;
using BlazorForecast.Forecasting.Data;
using BlazorForecast.Forecasting.Evaluation;
using BlazorForecast.Forecasting.Training;

namespace BlazorForecast.Cli.Commands;

/// <summary>`train --direction`: a direction model trained, its calls scored against the majority rule and always-up, its trades backtested.</summary>
public static class DirectionTraining
{
    /// <summary>Cost per unit of position changed in the summary's backtest: 10 basis points.</summary>
    public const double CostPerTrade = 0.001;

    public static async Task<int> RunAsync(TimeSeriesFrame frame, ForecastConfig config, double level, string outputFolder, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(output);
        DirectionRunResult result;
        try
        {
            result = ForecastRunner.RunDirection(frame, config, new TrainCommand.ConsoleProgress(output));
        }
        catch (ForecastConfigException ex)
        {
            throw new CliUsageException("The config cannot run on this data:" + Environment.NewLine + string.Join(Environment.NewLine, ex.Problems.Select(p => "  - " + p)));
        }

        var (frequency, step) = QualityAnalyzer.DetectFrequency(frame.Timestamps);
        var periodsPerYear = ReturnStatistics.PeriodsPerYear(frequency, step);
        var periods = result.BacktestPeriods(frame);
        var threshold = config.Direction!.Threshold;
        var backtests = new[] { BacktestStrategy.LongFlat, BacktestStrategy.LongShort, BacktestStrategy.BuyAndHold }
            .Select(s => Backtester.RunOnProbabilities(s, periods, threshold, CostPerTrade, periodsPerYear))
            .ToList();

        var metricsPath = Path.Combine(outputFolder, "metrics.json");
        var modelPath = Path.Combine(outputFolder, "model.bfmodel");
        await File.WriteAllTextAsync(metricsPath, JsonSerializer.Serialize(new
        {
            result.Config,
            significanceLevel = level,
            verdict = result.Pooled.Verdict(level) + ".",
            outcome = result.Pooled.Outcome(level),
            classification = result.Pooled,
            backtest = new { threshold, costPerTrade = CostPerTrade, strategies = backtests.Select(b => new { b.Strategy, b.TotalReturn, b.AnnualizedReturn, b.Sharpe, b.MaxDrawdown, b.InMarketShare, b.Trades }) },
            folds = result.Folds.Select(f => new { f.Split, f.Training, f.Seeds, f.TrainUpRate, verdict = f.Test.Verdict(level) + ".", outcome = f.Test.Outcome(level), classification = f.Test, f.Importance }),
        }, ForecastJson.Public));
        await TrainCommand.SaveModelAsync(result.Model, modelPath);

        foreach (var fold in result.Folds)
        {
            foreach (var seed in fold.Seeds)
            {
                var t = seed.Training;
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"Fold {fold.Split.Fold + 1}{(fold.Seeds.Count > 1 ? $", seed {seed.Seed}" : "")}: {t.EpochsRun} epochs on {t.Device}, best {t.BestEpoch} (val loss {t.BestValidationLoss:F5}); {t.StopDetail}"));
            }
        }

        await WriteClassificationAsync(result.Pooled, output);
        foreach (var b in backtests)
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"  backtest {b.Strategy,-10} total {b.TotalReturn,8:P1}  Sharpe {b.Sharpe,6:F2}  max drawdown {b.MaxDrawdown,7:P1}  in market {b.InMarketShare,6:P0}"));
        }

        await output.WriteLineAsync($"Verdict{(result.Folds.Count > 1 ? $" (pooled over {result.Folds.Count} folds)" : "")}: {result.Pooled.Verdict(level)}.");
        await output.WriteLineAsync($"Metrics: {metricsPath}");
        await output.WriteLineAsync($"Model:   {modelPath}");
        return 0;
    }

    /// <summary>The model's next-row calls beside always-majority and always-up, and the score of every step.</summary>
    public static async Task WriteClassificationAsync(DirectionClassification c, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(c);
        ArgumentNullException.ThrowIfNull(output);
        var (upUp, downUp, downDown, upDown) = c.Calls.Confusion;
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Direction, next row: {c.Count:N0} moves scored ({c.Calls.UpRate:P1} rises), {c.Flat:N0} flat left out"));
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  {"rule",-16} {"accuracy",9} {"balanced",9} {"MCC",7} {"ROC AUC",8} {"log loss",9} {"Brier",7}"));
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"  {"model",-16} {c.Calls.Accuracy,9:P1} {c.Calls.BalancedAccuracy,9:P1} {c.Calls.Mcc,7:F3} {c.RocAuc,8:F3} {c.LogLoss,9:F4} {c.Brier,7:F4}"));
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"  {"always-majority",-16} {c.MajorityAccuracy,9:P1} {0.5,9:P1} {"-",7} {0.5,8:F3} {c.MajorityLogLoss,9:F4} {c.MajorityBrier,7:F4}"));
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"  {"always-up",-16} {c.AlwaysUpAccuracy,9:P1} {0.5,9:P1} {"-",7} {"-",8} {"-",9} {"-",7}"));
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"  confusion: rises called up {upUp:N0}, called down {upDown:N0}; falls called down {downDown:N0}, called up {downUp:N0}; F1 up {c.Calls.F1.Up:F3}, down {c.Calls.F1.Down:F3}; calibration error {c.CalibrationError:F3}"));
        if (c.Steps.Count > 1)
        {
            await output.WriteLineAsync("  by step: " + string.Join("; ", c.Steps.Select(s => string.Create(CultureInfo.InvariantCulture,
                $"{s.Step}: balanced {s.BalancedAccuracy:P1}, AUC {s.RocAuc:F3}"))));
        }
    }
}
