using System.Globalization;
using System.Text.Json;
using BlazorForecast.Forecasting.Evaluation;
using BlazorForecast.Forecasting.Training;

namespace BlazorForecast.Cli.Commands;

/// <summary>
/// `universe`: one model across several columns of a wide CSV (each its own series), scored per series and across them
/// (IC, Rank IC, the long–short backtest); with --compare, one model per series with the same config beside it.
/// </summary>
public static class UniverseCommand
{
    public static async Task<int> RunAsync(CliArguments args, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        if (args.Positional.Count != 1)
        {
            throw new CliUsageException("universe needs exactly one CSV file.");
        }

        var template = ConfigFromArguments.Build(args);
        var frame = await InputArguments.JoinAsync(await CsvFile.ReadAsync(args.Positional[0]), template, output);
        var series = args.Value("series")?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            ?? frame.Columns.Select(c => c.Name).ToArray();
        var config = new UniverseConfig
        {
            Series = series,
            Template = template,
            Options = new UniverseOptions
            {
                Embedding = !args.Has("no-embedding"),
                Quantile = ConfigFromArguments.Number(args, "quantile", 0.2),
                CostPerTrade = ConfigFromArguments.Number(args, "cost-bps", 5) / 10_000,
            },
        };
        var outputFolder = args.Value("out") ?? "universe";
        Directory.CreateDirectory(outputFolder);

        var runs = new List<UniverseRunResult>();
        try
        {
            runs.Add(UniverseRunner.Run(frame, config, new TrainCommand.ConsoleProgress(output)));
            if (args.Has("compare"))
            {
                runs.Add(UniverseRunner.RunSeparately(frame, config, new TrainCommand.ConsoleProgress(output)));
            }
        }
        catch (ForecastConfigException ex)
        {
            throw new CliUsageException("The universe cannot run on this data:" + Environment.NewLine + string.Join(Environment.NewLine, ex.Problems.Select(p => "  - " + p)));
        }

        var metricsPath = Path.Combine(outputFolder, "metrics.json");
        var modelPath = Path.Combine(outputFolder, "model.bfmodel");
        await TrainCommand.SaveModelAsync(runs[0].Model!, modelPath);
        await File.WriteAllTextAsync(metricsPath, JsonSerializer.Serialize(runs.Select(r => new
        {
            model = r.Global ? "one model across the series" : "one model per series",
            r.Config,
            trainingSeconds = r.TrainingTime.TotalSeconds,
            meanStandardizedMse = r.MeanStandardizedMse,
            ic = r.Ic,
            icir = r.Ic.Icir,
            rankIcir = r.Ic.RankIcir,
            driftIc = r.DriftIc,
            versusDrift = r.VersusDrift,
            longShort = new { r.LongShort.PerLeg, r.LongShort.TotalReturn, r.LongShort.AnnualizedReturn, r.LongShort.Sharpe, r.LongShort.MaxDrawdown, r.LongShort.TurnoverPerYear },
            series = r.Series.Select(s => new
            {
                s.Series,
                standardizedMse = s.StandardizedMse,
                rmse = s.Folds.Average(f => f.Test.Model.Original.Overall.Rmse),
                verdict = Verdict.Against(s.Assessment.VersusNaive, Verdict.DefaultLevel) + ".",
                outcome = s.Assessment.VersusNaive.Outcome(Verdict.DefaultLevel),
            }),
        }), ForecastJson.Public));

        foreach (var run in runs)
        {
            await WriteAsync(run, output);
        }

        if (runs.Count == 2)
        {
            var (global, separate) = (runs[0], runs[1]);
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"One model vs one per series: mean standardised MSE {global.MeanStandardizedMse:F4} vs {separate.MeanStandardizedMse:F4}; Rank IC {global.Ic.RankIcMean:+0.0000;-0.0000} vs {separate.Ic.RankIcMean:+0.0000;-0.0000}; training {global.TrainingTime.TotalSeconds:F1} s vs {separate.TrainingTime.TotalSeconds:F1} s"));
        }

        await output.WriteLineAsync($"Metrics: {metricsPath}");
        await output.WriteLineAsync($"Model:   {modelPath} (forecast any column with --series NAME; one it never saw is forecast zero-shot)");
        return 0;
    }

    private static async Task WriteAsync(UniverseRunResult run, TextWriter output)
    {
        var config = run.Config;
        await output.WriteLineAsync(run.Global
            ? $"One {config.Template.Model.Kind} across {run.Series.Count} series{(config.Options.Embedding ? ", each tagged with its code" : "")}, trained in {run.TrainingTime.TotalSeconds:F1} s:"
            : $"One {config.Template.Model.Kind} per series ({run.Series.Count}), trained in {run.TrainingTime.TotalSeconds:F1} s in all:");
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  {"series",-10} {"RMSE",12} {"std MSE",9}  verdict against naive"));
        foreach (var s in run.Series)
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"  {s.Series,-10} {s.Folds.Average(f => f.Test.Model.Original.Overall.Rmse),12:G6} {s.StandardizedMse,9:F4}  {Verdict.Against(s.Assessment.VersusNaive, Verdict.DefaultLevel)}"));
        }

        var ic = run.Ic;
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"  cross-section over {ic.Dates:N0} test dates: IC {ic.IcMean:+0.0000;-0.0000} (sd {ic.IcStdDev:F4}, ICIR {ic.Icir:+0.000;-0.000}); Rank IC {ic.RankIcMean:+0.0000;-0.0000} (sd {ic.RankIcStdDev:F4}, ICIR {ic.RankIcir:+0.000;-0.000}, t {ic.RankIcT:F2}, p {ic.RankIcP:0.###}, Newey–West lag {ic.RankIcLag})"));
        var drift = run.DriftIc;
        var versus = run.VersusDrift;
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"  drift baseline (each series' training-part mean return): Rank IC {drift.RankIcMean:+0.0000;-0.0000} (ICIR {drift.RankIcir:+0.000;-0.000}); the model's minus the baseline's {versus.MeanDifference:+0.0000;-0.0000} per date (t {versus.T:F2}, p {versus.P:0.###})"));
        var ls = run.LongShort;
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"  long–short {ls.PerLeg} vs {ls.PerLeg} at {config.Options.CostPerTrade * 10_000:0.#} bp: total {ls.TotalReturn:P1}, annualised {ls.AnnualizedReturn:P1}, Sharpe {ls.Sharpe:F2}, max drawdown {ls.MaxDrawdown:P1}, turnover {ls.TurnoverPerYear:F0}/year"));
    }
}
