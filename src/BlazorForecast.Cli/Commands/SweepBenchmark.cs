using System.Globalization;
using System.Text.Json.Nodes;
using BlazorForecast.Forecasting.Models;
using BlazorForecast.Forecasting.Sweeps;
using BlazorForecast.Forecasting.Training;

namespace BlazorForecast.Cli.Commands;

/// <summary>
/// `bench sweep`: a sweep on Exchange-Rate under the DLinear paper's protocol (see <see cref="ExchangeRateBenchmark"/>)
/// at each horizon asked for: model kind, lookback, learning rate, batch size and anchoring searched by TPE with
/// successive halving, ranked on validation only; the chosen configuration's test MSE beside the paper config's own run
/// and the published figures. With --compare-full the same sweep runs again without early stopping, to count the
/// trial-epochs successive halving saved and whether it found as good a configuration.
/// </summary>
public static class SweepBenchmark
{
    public static async Task<int> RunAsync(CliArguments args, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        var path = args.Positional.Count > 0 ? args.Positional[0] : Path.Combine("..", "shared", "datasets", "exchange_rate.csv");
        var frame = await CsvFile.ReadAsync(path);
        var horizons = (args.Value("horizons") ?? "96,336").Split(',').Select(h => int.Parse(h, CultureInfo.InvariantCulture)).ToArray();
        var trials = args.WholeNumber("trials", 20, 2);
        var epochs = args.WholeNumber("epochs", 10, 1);
        var models = (args.Value("models") ?? "dlinear,mlp,cnn").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(m => ConfigFromArguments.ParseEnum<ModelKind>(m, "models").ToString()).ToArray();
        var columns = frame.Columns.Select(c => c.Name).ToList();
        var space = new JsonObject
        {
            ["model"] = new JsonArray(models.Select(m => (JsonNode?)JsonValue.Create(m)).ToArray()),
            ["lookback"] = new JsonArray(96, 192, 336),
            ["learningRate"] = new JsonObject { ["logUniform"] = new JsonArray(0.0001, 0.005) },
            ["batchSize"] = new JsonArray(8, 32),
            ["anchorToLastValue"] = new JsonArray(false, true),
        };
        await output.WriteLineAsync($"Exchange-Rate, 8 series in and out, 70/10/20; TPE over {space.ToJsonString()}; {trials} trials of up to {epochs} epochs, one seed each.");

        foreach (var horizon in horizons)
        {
            var paper = ExchangeRateBenchmark.Config(ModelKind.DLinear, columns, 336, horizon, epochs, 2021);
            var started = DateTime.UtcNow;
            var baseline = ForecastRunner.Run(frame, paper).Folds[0].Test.Model.Standardized.Overall.Mse;
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"\nHorizon {horizon}: the paper's DLinear config, test MSE {baseline:F3} ({(DateTime.UtcNow - started).TotalMinutes:F1} min)"));

            var definition = new SweepDefinition
            {
                Space = space,
                Method = SweepMethod.Tpe,
                Seed = 1,
                MaxTrials = trials,
                EarlyStopping = EarlyStoppingRule.SuccessiveHalving,
                MinEpochs = 1,
                ReductionFactor = 3,
            };
            var asha = await SweepAsync(frame, paper, definition, "with successive halving", output);
            var published = ExchangeRateBenchmark.Published["DLinear (paper)"][Array.IndexOf(ExchangeRateBenchmark.Horizons, horizon) is var i and >= 0 ? i : 0];
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"  chosen on validation: {Describe(asha.Best)}; test MSE {TestMse(asha):F3} against the paper config's {baseline:F3} and the published DLinear {published:F3}"));

            if (args.Has("compare-full"))
            {
                var full = await SweepAsync(frame, paper, definition with { EarlyStopping = EarlyStoppingRule.None }, "training every trial fully", output);
                var reached = EpochsUntil(full, asha.Best?.Objective ?? double.NegativeInfinity);
                var reachedText = reached is int epochsToSame
                    ? string.Create(CultureInfo.InvariantCulture, $"it needed {epochsToSame:N0} trial-epochs to reach the loss successive halving found")
                    : "it never reached the loss successive halving found";
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"  without early stopping: best validation loss {full.Best?.Objective:F4} (with it {asha.Best?.Objective:F4}); {full.EpochsTrained:N0} trial-epochs against {asha.EpochsTrained:N0} ({1 - ((double)asha.EpochsTrained / full.EpochsTrained):P0} saved); {reachedText}; its choice scores test MSE {TestMse(full):F3}"));
            }
        }

        return 0;
    }

    private static async Task<SweepOutcome> SweepAsync(Forecasting.Data.TimeSeriesFrame frame, ForecastConfig paper, SweepDefinition definition, string label, TextWriter output)
    {
        var started = DateTime.UtcNow;
        var outcome = SweepRunner.Run(frame, paper, definition, new RunLimits(), trial => output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"    trial {trial.Number + 1,2} {trial.State,-8} val {trial.Objective:F4} {trial.EpochsTrained,2} epochs  {Describe(trial)}")));
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"  {label}: {outcome.Trials.Count} trials, {outcome.EpochsTrained:N0} trial-epochs, {outcome.Trials.Count(t => t.State == TrialState.Stopped)} stopped early, {(DateTime.UtcNow - started).TotalMinutes:F1} min"));
        return outcome;
    }

    // Trial-epochs spent, in trial order, until a completed trial's loss was at or below the target.
    private static int? EpochsUntil(SweepOutcome outcome, double target)
    {
        var spent = 0;
        foreach (var trial in outcome.Trials)
        {
            spent += trial.EpochsTrained;
            if (trial.State == TrialState.Complete && trial.Objective <= target)
            {
                return spent;
            }
        }

        return null;
    }

    private static double TestMse(SweepOutcome outcome) => outcome.Result?.Folds[0].Test.Model.Standardized.Overall.Mse ?? double.NaN;

    private static string Describe(SweepTrial? trial) => trial is null ? "none" : string.Join(", ", trial.Settings.Select(s => $"{s.Key} {s.Value}"));
}
