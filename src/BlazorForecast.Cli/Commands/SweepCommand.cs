using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using BlazorForecast.Forecasting.Data;
using BlazorForecast.Forecasting.Evaluation;
using BlazorForecast.Forecasting.Sweeps;
using BlazorForecast.Forecasting.Training;

namespace BlazorForecast.Cli.Commands;

/// <summary>
/// `sweep`: searches a space of settings around a base config on one CSV, headless and one trial at a time, prints each
/// trial's validation loss as it ends, then retrains the best on the base config's seeds and prints its test scores
/// and verdict — the only test scores the sweep looks at.
/// </summary>
public static class SweepCommand
{
    public const string Help = """
          --space FILE          the search space as JSON (see README), e.g. {"model": ["lstm", "dlinear"], "hiddenSize": {"int": [16, 256], "log": true}}
          --method tpe|random|grid   --trials 20   --sampler-seed 1   --minutes M (no trial starts after M minutes)
          --early-stopping successive-halving|median|none   --min-epochs 2   --reduction 3
          --ensemble top-k|greedy --ensemble-size 3   also blend the best trials (chosen on validation), scored beside the best
        """;

    private static readonly JsonSerializerOptions OneLine = new(ForecastJson.Options) { WriteIndented = false };

    public static async Task<int> RunAsync(CliArguments args, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        if (args.Positional.Count != 1)
        {
            throw new CliUsageException("sweep needs exactly one CSV file.");
        }

        var spacePath = args.Value("space") ?? throw new CliUsageException("sweep needs --space FILE: the settings to search, as JSON (see README).");
        var space = File.Exists(spacePath) ? ReadSpace(File.ReadAllText(spacePath)) : throw new CliUsageException($"No such space file: {spacePath}");
        var data = await CsvFile.ReadAsync(args.Positional[0]);
        var baseConfig = ConfigFromArguments.Build(args);
        var frame = await InputArguments.JoinAsync(data, baseConfig, output);
        var level = TrainCommand.SignificanceLevel(args);
        var definition = new SweepDefinition
        {
            Space = space,
            Method = args.Value("method") is string method ? ConfigFromArguments.ParseEnum<SweepMethod>(method, "method") : SweepMethod.Tpe,
            Seed = args.WholeNumber("sampler-seed", 1, 0),
            MaxTrials = args.WholeNumber("trials", 20, 1),
            MaxWallTime = args.Has("minutes") ? TimeSpan.FromMinutes(args.WholeNumber("minutes", 60, 1)) : null,
            EarlyStopping = args.Value("early-stopping") is string rule
                ? ConfigFromArguments.ParseEnum<EarlyStoppingRule>(rule.Replace("-", "", StringComparison.Ordinal), "early-stopping")
                : EarlyStoppingRule.SuccessiveHalving,
            MinEpochs = args.WholeNumber("min-epochs", 2, 1),
            ReductionFactor = args.WholeNumber("reduction", 3, 2),
            Ensemble = args.Value("ensemble") is string ensemble
                ? ConfigFromArguments.ParseEnum<SweepEnsemble>(ensemble.Replace("-", "", StringComparison.Ordinal), "ensemble")
                : SweepEnsemble.None,
            EnsembleSize = args.WholeNumber("ensemble-size", 3, 2),
        };

        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Sweep: {definition.Method}, up to {definition.MaxTrials} trials of up to {baseConfig.Training.MaxEpochs} epochs, early stopping {definition.EarlyStopping}; trials are ranked by validation loss only."));
        SweepOutcome outcome;
        try
        {
            outcome = SweepRunner.Run(frame, baseConfig, definition, new RunLimits(), trial => output.WriteLine(Row(trial)));
        }
        catch (SweepSpaceException ex)
        {
            throw new CliUsageException("The sweep cannot run:" + Environment.NewLine + string.Join(Environment.NewLine, ex.Problems.Select(p => "  - " + p)));
        }

        var stopped = outcome.Trials.Count(t => t.State == TrialState.Stopped && t.SameAs is null);
        var same = outcome.Trials.Count(t => t.SameAs is not null);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{outcome.Trials.Count} trials, {outcome.EpochsTrained:N0} epochs trained; {stopped} stopped early, saving at most {outcome.EpochsSavedAtMost:N0} epochs{(same == 0 ? "" : $"; {same} not trained, being the same network as an earlier trial")}."));
        if (outcome is not { Best: { } best, Result: { } result })
        {
            await output.WriteLineAsync("No trial completed, so there is no result to score.");
            return 1;
        }

        await output.WriteLineAsync($"Chosen on validation: trial {best.Number + 1} ({Settings(best)}), validation loss {best.Objective:F5}.");
        await output.WriteLineAsync($"Retrained on {result.Config.Training.Seeds} seed(s) and scored on the test segment once:");
        await TrainCommand.WriteSummaryAsync(result, level, QualityAnalyzer.DetectFrequency(frame.Timestamps).Frequency, output);
        await output.WriteLineAsync("Chosen config: " + JsonSerializer.Serialize(result.Config, OneLine));
        if (outcome.Ensemble is { } blend)
        {
            var model = blend.Test.Model.Original.Overall;
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"Ensemble ({definition.Ensemble} over the {blend.Members.Count} best trials, weights {string.Join(", ", blend.Weights.Select(w => w.ToString("0.##", CultureInfo.InvariantCulture)))}; validation MSE {blend.ValidationMse:G4}), scored on test once: RMSE {model.Rmse:G6} against the single best's {result.Folds[0].Test.Model.Original.Overall.Rmse:G6}"));
            await output.WriteLineAsync($"Ensemble verdict: {Verdict.Against(blend.Assessment.VersusNaive, level)}; {Verdict.Against(blend.VersusFirst, level)}.");
        }

        return 0;
    }

    private static JsonObject ReadSpace(string json)
    {
        try
        {
            return JsonNode.Parse(json) as JsonObject ?? throw new CliUsageException("The space file must hold a JSON object of settings.");
        }
        catch (JsonException ex)
        {
            throw new CliUsageException($"The space file is not valid JSON ({ex.Message})");
        }
    }

    private static string Row(SweepTrial trial) => string.Create(CultureInfo.InvariantCulture,
        $"trial {trial.Number + 1,3}  {trial.State,-8}  val {(trial.Objective is double o ? o.ToString("F5", CultureInfo.InvariantCulture) : "—"),9}  {trial.EpochsTrained,4} epochs  {Settings(trial)}{(trial.Detail is null ? "" : "  " + trial.Detail)}");

    private static string Settings(SweepTrial trial) => string.Join(", ", trial.Settings.Select(s => $"{s.Key} {s.Value}"));
}
