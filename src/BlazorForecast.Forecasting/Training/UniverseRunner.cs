using System.Diagnostics;
using BlazorForecast.Forecasting.Data;
using BlazorForecast.Forecasting.Evaluation;
using BlazorForecast.Forecasting.Models;
using static TorchSharp.torch;

namespace BlazorForecast.Forecasting.Training;

/// <summary>How a run trained across its targets treats them: the series code, and the cross-sectional backtest's settings.</summary>
public sealed record UniverseOptions
{
    /// <summary>Append a one-hot code of the series to every input row.</summary>
    public bool Embedding { get; init; } = true;

    /// <summary>The share of series held long and the same share short in the cross-sectional backtest (at least one each).</summary>
    public double Quantile { get; init; } = 0.2;

    /// <summary>Cost per unit of weight changed in the long–short backtest, as a fraction (0.0005 = 5 basis points).</summary>
    public double CostPerTrade { get; init; } = 0.0005;
}

/// <summary>
/// One model across several series of a wide dataset: each series is forecast from its own history (transformed as
/// the template says), scaled with statistics of its own training part, and optionally tagged with a one-hot code of
/// the series (a learned embedding, once the first layer has weighed it).
/// </summary>
public sealed record UniverseConfig
{
    /// <summary>Name each series takes inside the model: a universe model reads any series under this one name.</summary>
    public const string SeriesColumn = "Value";

    /// <summary>
    /// The columns of the dataset, one series each; a series from another dataset comes in as one of the template's
    /// inputs (read as its value, joined as of each date) and is listed here by its name.
    /// </summary>
    public IReadOnlyList<string> Series { get; init; } = [];

    /// <summary>Lookback, horizon, transform, split, model and training, as for one series; its targets and features are set per series.</summary>
    public ForecastConfig Template { get; init; } = new();

    /// <summary>The series code and the long–short backtest's settings.</summary>
    public UniverseOptions Options { get; init; } = new();

    /// <summary>The config each series is trained and scored with: its own history as the only input.</summary>
    public ForecastConfig PerSeries => Template with { Targets = [SeriesColumn], Features = [], Inputs = [], AcrossTargets = null };

    /// <summary>A run's config that asks for one model across its targets, as a universe of those targets.</summary>
    public static UniverseConfig From(ForecastConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new UniverseConfig
        {
            Series = config.Targets,
            Template = config with { AcrossTargets = null },
            Options = config.AcrossTargets ?? new UniverseOptions(),
        };
    }

    public IReadOnlyList<string> Problems(TimeSeriesFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        var problems = new List<string>();
        if (Series.Count < 2)
        {
            problems.Add("A universe needs at least two series.");
        }

        problems.AddRange(Series.GroupBy(s => s, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => $"Series '{g.Key}' is listed twice."));
        foreach (var name in Series)
        {
            if (frame.Find(name) is not { } column)
            {
                problems.Add($"Unknown series '{name}'. Columns: {string.Join(", ", frame.Columns.Select(c => c.Name))}.");
            }
            else if (Array.Exists(column.Values, v => !double.IsFinite(v)))
            {
                problems.Add($"Series '{name}' has missing values; a universe needs every series on every date.");
            }
        }

        if (Template.Direction is not null || Template.Features.Count > 0 || Template.AcrossTargets is not null)
        {
            problems.Add("A universe model reads each series' own history only: leave out features, inputs and a direction target.");
        }

        foreach (var input in Template.Inputs.Where(i => !Series.Contains(i.Name, StringComparer.OrdinalIgnoreCase) || i.As != FeatureKind.Raw))
        {
            problems.Add($"Input '{input.Name}' would be read beside the series; in a universe an input from another dataset is one more series: list it among the series and read it as its value.");
        }

        if (!(Options.Quantile is > 0 and <= 0.5))
        {
            problems.Add("The long–short quantile must be above 0 and at most 0.5.");
        }

        if (!(Options.CostPerTrade is >= 0 and < 0.1))
        {
            problems.Add("The cost per trade must be at least 0 and below 10%.");
        }

        if (problems.Count == 0)
        {
            problems.AddRange(Series.SelectMany(name => PerSeries.Problems(SeriesFrame(frame, name)).Select(p => $"{name}: {p}")).Distinct());
        }

        return problems;
    }

    /// <summary>One series of the dataset on its own, under <see cref="SeriesColumn"/>.</summary>
    public static TimeSeriesFrame SeriesFrame(TimeSeriesFrame frame, string series)
    {
        ArgumentNullException.ThrowIfNull(frame);
        var column = frame.Find(series) ?? throw new ArgumentException($"Unknown series '{series}'.", nameof(series));
        return new TimeSeriesFrame(frame.Timestamps, [new SeriesColumn(SeriesColumn, column.Name, ColumnRole.Close, column.Values)]);
    }
}

/// <summary>One series' outcome in a universe run: every fold scored as a single-series run is, and their pooled assessment.</summary>
public sealed record UniverseSeriesResult(string Series, IReadOnlyList<FoldResult> Folds, Assessment Assessment)
{
    /// <summary>The model's test MSE in standardised units, averaged over folds (comparable across series).</summary>
    public double StandardizedMse => Folds.Average(f => f.Test.Model.Standardized.Overall.Mse);
}

/// <summary>
/// A universe run: each series' results, the cross-section of every test date (IC, Rank IC, beside the drift baseline's
/// and compared with it) and the long–short backtest, the trainings, and how long training took. <see cref="Global"/> says whether one model served every series
/// or each had its own (the comparison).
/// </summary>
public sealed record UniverseRunResult(
    UniverseConfig Config,
    bool Global,
    IReadOnlyList<UniverseSeriesResult> Series,
    IReadOnlyList<CrossSectionDate> CrossSection,
    InformationCoefficients Ic,
    InformationCoefficients DriftIc,
    RankIcComparison VersusDrift,
    LongShortBacktest LongShort,
    IReadOnlyList<TrainingSummary> Trainings,
    TimeSpan TrainingTime)
{
    /// <summary>The last fold's model with every series' scalers, for forecasting any series (null when each series had its own).</summary>
    public ModelBundle? Model { get; init; }

    public double MeanStandardizedMse => Series.Average(s => s.StandardizedMse);

    /// <summary>How the trainings ended, the most serious first: a stop, then a loss that blew up, else the last one's.</summary>
    public TrainingSummary Outcome => RunOutcome.MostSerious(Trainings, Trainings[^1]);
}

/// <summary>
/// Trains and scores a universe: one model on the windows of every series (<see cref="Run"/>), or, for comparison, one
/// model per series with the same config and budget (<see cref="RunSeparately"/>). Both are scored the same way.
/// </summary>
public static class UniverseRunner
{
    /// <summary>
    /// One model on every series' windows, each seed of each fold checkpointed through <paramref name="checkpointed"/>
    /// and, when <paramref name="resumeFrom"/> is given, its finished trainings reloaded and its stopped one continued, as
    /// a single series' run resumes. <see cref="UniverseRunResult.TrainingTime"/> is this attempt's.
    /// </summary>
    public static UniverseRunResult Run(
        TimeSeriesFrame frame, UniverseConfig config, IProgress<TrainingProgress>? progress = null, Action<TrainingCheckpoint>? checkpointed = null,
        ResumePoint? resumeFrom = null, CancellationToken cancellationToken = default)
    {
        var (splits, frequency, step, periodsPerYear, device) = Prepare(frame, config);
        var season = Baselines.SeasonFor(frequency);
        var perSeries = config.PerSeries;
        ModelBundle? bundle = null;
        var folds = config.Series.Select(_ => new List<FoldResult>()).ToList();
        var trainings = new List<TrainingSummary>();
        var trainingTime = TimeSpan.Zero;
        foreach (var split in splits)
        {
            var members = config.Series.Select((name, i) => WindowedProblem.Prepare(UniverseConfig.SeriesFrame(frame, name), perSeries, split, Code(config, i))).ToList();
            var universe = UniverseProblem.Of(members);
            var watch = Stopwatch.StartNew();
            var trained = ForecastRunner.TrainSeeds(universe, split.Fold, universe.WithSeed, progress, checkpointed, resumeFrom, cancellationToken);
            trainings.AddRange(trained.Select(t => t.Training.Training));
            trainingTime += watch.Elapsed;
            try
            {
                var model = trained.Count == 1 ? trained[0].Model : new SeedEnsemble(trained.Select(t => t.Model).ToList());
                var keptSteps = PredictionSet.StepsToKeep(perSeries.Horizon, 1, Math.Max(members[0].TestOrigins.Length, members[0].ValidationOrigins.Length));
                for (var i = 0; i < members.Count; i++)
                {
                    folds[i].Add(ForecastRunner.Evaluate(members[i], model, trained, keptSteps, season, device));
                }

                var universeMembers = new UniverseMembers(config.Series, members.Select(m => m.InputScaler).ToList(), members.Select(m => m.TargetScaler).ToList(), config.Options.Embedding)
                {
                    Intervals = folds.Select(f => f[^1].Intervals).ToList(),
                };
                bundle = ModelBundle.From(members[0], model, null, frequency, step) with
                {
                    FeatureNames = members[0].FeatureNames.Take(members[0].FeatureNames.Count - universeMembers.CodeWidth).ToList(),
                    Universe = universeMembers,
                };
            }
            finally
            {
                foreach (var t in trained)
                {
                    t.Model.Dispose();
                }
            }

            if (trainings[^1].StopReason == StopReason.Cancelled)
            {
                break;
            }
        }

        return Result(frame, config, global: true, folds, trainings, trainingTime, periodsPerYear) with { Model = bundle };
    }

    /// <summary>The comparison: each series trained on its own with the same config (no series code), scored the same way.</summary>
    public static UniverseRunResult RunSeparately(TimeSeriesFrame frame, UniverseConfig config, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var periodsPerYear = Prepare(frame, config).PeriodsPerYear;
        var watch = Stopwatch.StartNew();
        var runs = config.Series.Select(name => ForecastRunner.Run(UniverseConfig.SeriesFrame(frame, name), config.PerSeries, progress, cancellationToken: cancellationToken)).ToList();
        var time = watch.Elapsed;
        return Result(frame, config, global: false, runs.Select(r => r.Folds.ToList()).ToList(),
            runs.SelectMany(r => r.Folds.SelectMany(f => f.Seeds.Select(s => s.Training))).ToList(), time, periodsPerYear);
    }

    // Checks the config and works out the splits, the series' frequency and typical step, annualisation and the device.
    private static (IReadOnlyList<SeriesSplit> Splits, SeriesFrequency Frequency, TimeSpan Step, double PeriodsPerYear, Device Device) Prepare(
        TimeSeriesFrame frame, UniverseConfig config)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(config);
        var problems = config.Problems(frame);
        if (problems.Count > 0)
        {
            throw new ForecastConfigException(problems);
        }

        var (frequency, step) = QualityAnalyzer.DetectFrequency(frame.Timestamps);
        return (config.Template.Splits(frame.RowCount), frequency, step, ReturnStatistics.PeriodsPerYear(frequency, step),
            ComputeDevices.Resolve(config.Template.Training.Device));
    }

    // Series i's one-hot code, or none without the embedding.
    private static List<KeyValuePair<string, float>> Code(UniverseConfig config, int series) => config.Options.Embedding
        ? config.Series.Select((name, j) => new KeyValuePair<string, float>($"series {name}", j == series ? 1f : 0f)).ToList()
        : [];

    // Each test date's next-row returns, predicted and actual, across the series; then IC and the long–short backtest.
    private static UniverseRunResult Result(
        TimeSeriesFrame frame, UniverseConfig config, bool global, List<List<FoldResult>> folds, List<TrainingSummary> trainings, TimeSpan time, double periodsPerYear)
    {
        var levels = config.Series.Select(name => frame.Find(name)!.Values).ToArray();
        var dates = new List<CrossSectionDate>();
        for (var f = 0; f < folds[0].Count; f++)
        {
            var origins = folds[0][f].TestOrigins;
            var train = folds[0][f].Split.Train;
            var drift = levels.Select(l => Enumerable.Range(train.Start, train.Length - 1).Average(t => (l[t + 1] / l[t]) - 1)).ToArray();
            if (folds.Any(s => !s[f].TestOrigins.SequenceEqual(origins)))
            {
                throw new InvalidOperationException("The series' test windows differ; a cross-section needs the same dates for every series.");
            }

            for (var w = 0; w < origins.Length; w++)
            {
                var t = origins[w];
                dates.Add(new CrossSectionDate(
                    frame.Timestamps[t],
                    folds.Select((s, i) => (s[f].TestForecasts[w][0][0] / levels[i][t]) - 1).ToArray(),
                    levels.Select(l => (l[t + 1] / l[t]) - 1).ToArray()) { Next = frame.Timestamps[t + 1], Drift = drift });
            }
        }

        var series = config.Series.Select((name, i) => new UniverseSeriesResult(name, folds[i],
            Assessment.Of(folds[i].Select(f => f.Evidence).ToList(), config.Template.Intervals, config.Template.Training.Seeds))).ToList();
        return new UniverseRunResult(config, global, series, dates, InformationCoefficients.Of(dates),
            InformationCoefficients.Of(dates.Select(d => d with { Predicted = d.Drift }).ToList()), RankIcComparison.Of(dates),
            LongShortBacktest.Run(dates, config.Options.Quantile, config.Options.CostPerTrade, periodsPerYear), trainings, time);
    }
}
