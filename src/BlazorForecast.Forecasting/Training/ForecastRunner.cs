using BlazorForecast.Forecasting.Data;
using BlazorForecast.Forecasting.Evaluation;
using BlazorForecast.Forecasting.Models;
using static TorchSharp.torch;

namespace BlazorForecast.Forecasting.Training;

/// <summary>A config that cannot run on a series; <see cref="Problems"/> lists every reason in words.</summary>
public sealed class ForecastConfigException : Exception
{
    public ForecastConfigException(IReadOnlyList<string> problems)
        : base(string.Join(" ", problems ?? []))
    {
        Problems = problems ?? [];
    }

    public ForecastConfigException()
    {
        Problems = [];
    }

    public ForecastConfigException(string message, Exception innerException)
        : base(message, innerException)
    {
        Problems = [message];
    }

    public IReadOnlyList<string> Problems { get; }
}

/// <summary>How one fold's training went (the weights live in the run's model bundle).</summary>
public sealed record TrainingSummary(
    StopReason StopReason, string StopDetail, int EpochsRun, int BestEpoch, double BestValidationLoss,
    IReadOnlyList<EpochCompleted> History, string Device);

/// <summary>
/// One split's outcome: training, test scores of the model and the baselines, interval coverage, importance, and the
/// model's level forecasts [window][step][target] at every validation and test origin with the fold's intervals.
/// </summary>
public sealed record FoldResult(
    SeriesSplit Split,
    TrainingSummary Training,
    EvaluationReport Test,
    IReadOnlyList<IntervalCoverage> Coverage,
    IReadOnlyList<FeatureImportance> Importance,
    int[] TestOrigins,
    double[][][] TestForecasts,
    int[] ValidationOrigins,
    double[][][] ValidationForecasts,
    ConformalIntervals Intervals);

/// <summary>A whole run: one fold for a chronological split, k for walk-forward; the model is the last fold's.</summary>
public sealed record ForecastRunResult(ForecastConfig Config, IReadOnlyList<FoldResult> Folds, ModelBundle Model)
{
    /// <summary>Mean and (sample) standard deviation of a score over folds, e.g. the model's test RMSE.</summary>
    public (double Mean, double StdDev) AcrossFolds(Func<FoldResult, double> score)
    {
        ArgumentNullException.ThrowIfNull(score);
        var values = Folds.Select(score).ToArray();
        return (values.Average(), ReturnStatistics.StandardDeviation(values));
    }
}

/// <summary>
/// Runs the protocol end to end: split (chronological or walk-forward), per fold fit scalers on train, train, score
/// the model and every baseline on all test windows, fit conformal intervals on validation errors and report their
/// test coverage, and measure permutation importance.
/// </summary>
public static class ForecastRunner
{
    /// <param name="frame">The series.</param>
    /// <param name="config">What to train and how.</param>
    /// <param name="progress">Receives epoch and batch progress on the training thread.</param>
    /// <param name="checkpointed">Receives a checkpoint after every epoch of the first fold (resume works for chronological runs).</param>
    /// <param name="resumeFrom">A checkpoint of the first fold to continue from.</param>
    /// <param name="cancellationToken">Stops training within one batch; the best weights so far are evaluated.</param>
    public static ForecastRunResult Run(
        TimeSeriesFrame frame,
        ForecastConfig config,
        IProgress<TrainingProgress>? progress = null,
        Action<TrainingCheckpoint>? checkpointed = null,
        TrainingCheckpoint? resumeFrom = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(config);
        var problems = config.Problems(frame);
        if (problems.Count > 0)
        {
            throw new ForecastConfigException(problems);
        }

        var splits = config.WalkForwardFolds >= 2
            ? SeriesSplitter.WalkForward(frame.RowCount, config.WalkForwardFolds, config.WalkForwardMode, config.TestFraction, 1 - config.TrainFraction - config.TestFraction)
            : [SeriesSplitter.Chronological(frame.RowCount, config.TrainFraction, config.TestFraction)];
        var (frequency, step) = QualityAnalyzer.DetectFrequency(frame.Timestamps);
        var season = Baselines.SeasonFor(frequency);
        var device = ComputeDevices.Resolve(config.Training.Device);

        var folds = new List<FoldResult>();
        ModelBundle? bundle = null;
        foreach (var split in splits)
        {
            var problem = WindowedProblem.Prepare(frame, config, split);
            var first = split.Fold == 0;
            var training = Trainer.Train(problem, progress, first ? checkpointed : null, first ? resumeFrom : null, cancellationToken);
            using var model = training.Model;
            var batch = Math.Max(config.Training.BatchSize, 256);
            var validationForecasts = ForecastEvaluator.PredictLevels(model, problem, problem.ValidationOrigins, device, batch);
            var intervals = FitIntervals(problem, validationForecasts);
            var testForecasts = ForecastEvaluator.PredictLevels(model, problem, problem.TestOrigins, device, batch);
            folds.Add(new FoldResult(
                split,
                new TrainingSummary(training.StopReason, training.StopDetail, training.EpochsRun, training.BestEpoch,
                    training.BestValidationLoss, training.History, training.Device),
                ForecastEvaluator.Evaluate(model, problem, problem.TestOrigins, device, batch, season),
                Coverage(problem, testForecasts, intervals),
                PermutationImportance.Compute(model, problem, device, config.Training.Seed),
                problem.TestOrigins,
                testForecasts,
                problem.ValidationOrigins,
                validationForecasts,
                intervals));
            bundle = ModelBundle.From(problem, model, intervals, frequency, step);
            if (training.StopReason == StopReason.Cancelled)
            {
                break;
            }
        }

        return new ForecastRunResult(config, folds, bundle!);
    }

    private static ConformalIntervals FitIntervals(WindowedProblem problem, double[][][] forecasts)
    {
        var origins = problem.ValidationOrigins;
        var errors = Enumerable.Range(0, problem.Horizon)
            .Select(_ => Enumerable.Range(0, problem.TargetCount).Select(_ => new List<double>(origins.Length)).ToArray())
            .ToList();
        for (var w = 0; w < origins.Length; w++)
        {
            for (var k = 0; k < problem.Horizon; k++)
            {
                for (var j = 0; j < problem.TargetCount; j++)
                {
                    errors[k][j].Add(Math.Abs(forecasts[w][k][j] - problem.TargetLevels[j][origins[w] + 1 + k]));
                }
            }
        }

        return ConformalIntervals.Fit(errors, ConformalIntervals.DefaultLevels);
    }

    private static List<IntervalCoverage> Coverage(WindowedProblem problem, double[][][] forecasts, ConformalIntervals intervals)
    {
        var coverage = new List<IntervalCoverage>();
        for (var l = 0; l < intervals.Levels.Count; l++)
        {
            var inside = 0;
            var total = 0;
            var width = 0.0;
            for (var w = 0; w < forecasts.Length; w++)
            {
                for (var k = 0; k < problem.Horizon; k++)
                {
                    for (var j = 0; j < problem.TargetCount; j++)
                    {
                        var half = intervals.HalfWidth(l, k, j);
                        var actual = problem.TargetLevels[j][problem.TestOrigins[w] + 1 + k];
                        inside += Math.Abs(actual - forecasts[w][k][j]) <= half ? 1 : 0;
                        width += 2 * half;
                        total++;
                    }
                }
            }

            coverage.Add(new IntervalCoverage(intervals.Levels[l], total == 0 ? double.NaN : (double)inside / total, total == 0 ? double.NaN : width / total));
        }

        return coverage;
    }
}
