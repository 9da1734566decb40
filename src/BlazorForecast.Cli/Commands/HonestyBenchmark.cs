using System.Diagnostics;
using System.Globalization;
using BlazorForecast.Forecasting.Data;
using BlazorForecast.Forecasting.Evaluation;
using BlazorForecast.Forecasting.Models;
using BlazorForecast.Forecasting.Training;

namespace BlazorForecast.Cli.Commands;

/// <summary>
/// `bench honesty`: whether the product's claims hold on generated series whose truth is known, with the new-run form's
/// defaults (log returns, lookback 32, horizon 5, LSTM) and short training. Random walks (GARCH(1,1) volatility
/// clustering, Student-t shocks, nothing to predict) must be called "beats naive" about as often as the test's level;
/// AR(1) returns with φ between 0.2 and 0.3 must be found, beside how often the true AR(1) model is found by the same
/// test (the most any model could reach on that much data); intervals must hold their coverage when volatility
/// triples or falls to a third between validation and test (split-conformal's figure beside); and N seeds in one run
/// are timed against N single runs.
/// </summary>
public static class HonestyBenchmark
{
    // 70/10/20 of the default 3,000 rows: validation from row 2,100, test from 2,400.
    private const double ValidationStart = 0.7;
    private const double TestStart = 0.8;

    public static async Task<int> RunAsync(CliArguments args, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        var walks = args.WholeNumber("walks", 200, 1);
        var signals = args.WholeNumber("signals", 100, 1);
        var regimes = args.WholeNumber("regimes", 20, 1);
        var rows = args.WholeNumber("rows", 3000, 300);
        var signalRows = (args.Value("signal-rows") ?? "3000,15000").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(r => int.TryParse(r, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 300 ? n : throw new CliUsageException($"--signal-rows needs whole numbers of at least 300, not '{r}'."))
            .ToArray();
        var seeds = args.WholeNumber("seeds", 5, 2);
        var config = new ForecastConfig
        {
            Targets = ["Close"],
            Transform = TargetTransform.LogReturn,
            Lookback = 32,
            Horizon = 5,
            Model = new ModelOptions { Kind = args.Value("model") is string kind ? ConfigFromArguments.ParseEnum<ModelKind>(kind, "model") : ModelKind.Lstm },
            Training = new TrainingOptions { MaxEpochs = args.WholeNumber("epochs", 15, 1), Patience = 4, Device = DeviceChoice.Cpu },
        };
        var level = Verdict.DefaultLevel;
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{config.Model.Kind} (hidden {config.Model.HiddenSize}, {config.Model.Layers} layers), log returns, lookback {config.Lookback}, horizon {config.Horizon}, up to {config.Training.MaxEpochs} epochs (patience {config.Training.Patience}); {rows:N0} business days per series; level {level:P0}"));

        var nothing = await OutcomesAsync(walks, seed => GeneratedPrices.Generate(rows, new ReturnProcess(), seed), config, level, output);
        await ReportAsync(output, "random walks (GARCH(1,1), Student-t 5 df, nothing to predict)", walks, nothing,
            nothing.Better <= 0.07 * walks, "at most 7% called \"beats naive\"", nothing.Better);

        // A modest signal: AR(1) returns with normal shocks of constant volatility, φ drawn between 0.2 and 0.3, at each
        // length asked for; the goal applies to the longest (the test's power grows with the test windows).
        var phis = Enumerable.Range(0, signals).Select(i => 0.2 + (0.1 * new Random(10_000 + i).NextDouble())).ToArray();
        foreach (var length in signalRows)
        {
            TimeSeriesFrame Signal(int seed) => GeneratedPrices.Generate(length, new ReturnProcess
            {
                Phi = phis[seed - 10_000],
                Alpha = 0,
                Beta = 0,
                DegreesOfFreedom = double.PositiveInfinity,
            }, seed);
            var signal = await OutcomesAsync(signals, Signal, config, level, output, firstSeed: 10_000);
            var oracle = Enumerable.Range(0, signals).Count(i => TrueModel(Signal(10_000 + i), phis[i], config.Horizon).Outcome(level) == ComparisonOutcome.Better);
            var what = string.Create(CultureInfo.InvariantCulture, $"AR(1) returns, φ 0.2–0.3, normal shocks, {length:N0} days ({(length - (int)(TestStart * length)):N0} test days)");
            if (length == signalRows.Max())
            {
                await ReportAsync(output, what, signals, signal, signal.Better >= 0.8 * signals, "at least 80% found", signal.Better);
            }
            else
            {
                await ReportAsync(output, what, signals, signal, null, null, signal.Better);
            }

            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"  the true AR(1) model, through the same test on the same windows: beats naive in {oracle} of {signals} ({Share(oracle, signals)}), the most any model could reach on this much data"));
        }

        var calmToWild = await CoverageAsync(regimes, rows, [(TestStart, 3.0)], config, 20_000);
        var wildToCalm = await CoverageAsync(regimes, rows, [(ValidationStart, 3.0), (TestStart, 1.0)], config, 30_000);
        await ReportCoverageAsync(output, "volatility ×3 from validation to test (calm → wild)", regimes, calmToWild);
        await ReportCoverageAsync(output, "volatility ÷3 from validation to test (wild → calm)", regimes, wildToCalm);
        await ReportCoverageAsync(output, "both", 2 * regimes, [.. calmToWild, .. wildToCalm], goal: true);

        await TimeSeedsAsync(seeds, rows, config, output);
        return 0;
    }

    private sealed record Outcomes(int Better, int NoDifference, int Worse);

    // The forecast that knows φ, compounded to prices, against naive on the test windows: the test's power ceiling.
    private static DieboldMarianoTest TrueModel(TimeSeriesFrame frame, double phi, int horizon)
    {
        var prices = frame.Columns[0].Values;
        var split = SeriesSplitter.Chronological(prices.Length);
        var differences = ForecastWindows.Origins(split.Test, 32, horizon, 1).Select(t =>
        {
            var last = Math.Log(prices[t] / prices[t - 1]);
            var (sum, cumulative) = (0.0, 0.0);
            for (var k = 1; k <= horizon; k++)
            {
                cumulative += Math.Pow(phi, k) * last;
                var (forecast, actual) = (prices[t] * Math.Exp(cumulative), prices[t + k]);
                sum += ((forecast - actual) * (forecast - actual)) - ((prices[t] - actual) * (prices[t] - actual));
            }

            return sum / horizon;
        }).ToList();
        return DieboldMarianoTest.Of(differences, horizon);
    }

    private static async Task<Outcomes> OutcomesAsync(
        int runs, Func<int, TimeSeriesFrame> series, ForecastConfig config, double level, TextWriter output, int firstSeed = 1)
    {
        var counts = new Dictionary<ComparisonOutcome, int> { [ComparisonOutcome.Better] = 0, [ComparisonOutcome.NoDifference] = 0, [ComparisonOutcome.Worse] = 0 };
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < runs; i++)
        {
            var run = ForecastRunner.Run(series(firstSeed + i), config);
            counts[run.Assessment.VersusNaive.Outcome(level)]++;
            if ((i + 1) % 25 == 0 && i + 1 < runs)
            {
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  … {i + 1} of {runs} runs, {watch.Elapsed.TotalMinutes:F1} min"));
            }
        }

        return new Outcomes(counts[ComparisonOutcome.Better], counts[ComparisonOutcome.NoDifference], counts[ComparisonOutcome.Worse]);
    }

    private static Task ReportAsync(TextWriter output, string what, int runs, Outcomes outcomes, bool? met, string? goal, int count) =>
        output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{what}: {runs} runs: beats naive {outcomes.Better} ({Share(outcomes.Better, runs)}), no detectable difference {outcomes.NoDifference} ({Share(outcomes.NoDifference, runs)}), worse {outcomes.Worse} ({Share(outcomes.Worse, runs)}){(goal is null ? "" : $"; goal: {goal}: {(met == true ? "met" : "NOT met")} ({Share(count, runs)})")}"));

    private static string Share(int count, int of) => string.Create(CultureInfo.InvariantCulture, $"{100.0 * count / of:0.0}%");

    private static async Task<List<IReadOnlyList<IntervalAssessment>>> CoverageAsync(
        int runs, int rows, (double From, double Scale)[] regimes, ForecastConfig config, int firstSeed)
    {
        var results = new List<IReadOnlyList<IntervalAssessment>>();
        for (var i = 0; i < runs; i++)
        {
            var process = new ReturnProcess { Regimes = regimes.Select(r => ((int)(r.From * rows), r.Scale)).ToList() };
            var run = await Task.Run(() => ForecastRunner.Run(GeneratedPrices.Generate(rows, process, firstSeed + i), config));
            results.Add(run.Assessment.Intervals);
        }

        return results;
    }

    private static async Task ReportCoverageAsync(TextWriter output, string what, int runs, IReadOnlyList<IReadOnlyList<IntervalAssessment>> results, bool goal = false)
    {
        double Mean(IntervalMethod method, double level) => results.Average(r => r.Single(a => a.Method == method && a.Level == level).Coverage);
        var (a80, a95) = (Mean(IntervalMethod.Adaptive, 0.8), Mean(IntervalMethod.Adaptive, 0.95));
        var line = string.Create(CultureInfo.InvariantCulture,
            $"interval coverage, {what}, {runs} series: adaptive (default) 80%: {a80:P1}, 95%: {a95:P1}; split-conformal 80%: {Mean(IntervalMethod.SplitConformal, 0.8):P1}, 95%: {Mean(IntervalMethod.SplitConformal, 0.95):P1}");
        if (goal)
        {
            var met = Math.Abs(a80 - 0.8) <= 0.03 && Math.Abs(a95 - 0.95) <= 0.03;
            line += $"; goal: the default within ±3 points of 80% and 95%: {(met ? "met" : "NOT met")}";
        }

        await output.WriteLineAsync(line);
    }

    private static async Task TimeSeedsAsync(int seeds, int rows, ForecastConfig config, TextWriter output)
    {
        var frame = GeneratedPrices.Generate(rows, new ReturnProcess(), seed: 40_000);
        var watch = Stopwatch.StartNew();
        ForecastRunner.Run(frame, config with { Training = config.Training with { Seeds = seeds } });
        var together = watch.Elapsed;
        watch.Restart();
        for (var s = 0; s < seeds; s++)
        {
            ForecastRunner.Run(frame, config with { Training = config.Training with { Seed = config.Training.Seed + s } });
        }

        var apart = watch.Elapsed;
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"seeds: {seeds} seeds in one run {together.TotalSeconds:F1} s, {seeds} single runs {apart.TotalSeconds:F1} s ({together / apart:0.00}× the time: the data, windows and baselines prepared once, importance measured once)"));
    }
}
