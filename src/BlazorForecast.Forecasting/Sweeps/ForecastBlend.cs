using BlazorForecast.Forecasting.Data;
using BlazorForecast.Forecasting.Evaluation;
using BlazorForecast.Forecasting.Models;
using BlazorForecast.Forecasting.Training;

namespace BlazorForecast.Forecasting.Sweeps;

/// <summary>
/// An ensemble of several configurations: the members blended (those whose windows matched the first's), their weights
/// chosen on validation, and the weighted forecast as one fold — scored on test beside every baseline with the same
/// tests, direction calls and intervals as any model. The fold's training is the first member's; it has no importance
/// (there is no single network to perturb) and no seeds of its own.
/// </summary>
public sealed record BlendedForecast(
    IReadOnlyList<ForecastConfig> Members, IReadOnlyList<double> Weights, double ValidationMse, FoldResult Fold, int[] KeptSteps)
{
    /// <summary>
    /// The blend against the first run given (a sweep's chosen trial, retrained) on the same test windows: RMSE of each
    /// and the Diebold–Mariano test, so "the ensemble helps" is a tested claim, not one number beside another.
    /// </summary>
    public required MethodComparison VersusFirst { get; init; }

    /// <summary>The position of each blended member among the runs given, so weights can be told back to them.</summary>
    public IReadOnlyList<int> Included { get; init; } = [];

    /// <summary>Each run given's weight, in the order given; null for one left out because its windows differed.</summary>
    public IReadOnlyList<double?> WeightsOfGiven(int given)
    {
        var weights = new double?[given];
        for (var m = 0; m < Included.Count; m++)
        {
            weights[Included[m]] = Weights[m];
        }

        return weights;
    }

    public EvaluationReport Test => Fold.Test;

    public Assessment Assessment => Fold.Assessment;

    public IReadOnlyList<IntervalCoverage> Coverage => Fold.Coverage;

    /// <summary>The blend's validation and test forecasts with their intervals, as a run stores them; an ensemble has no model to forecast beyond the data.</summary>
    public PredictionSet Predictions() => PredictionSet.Of(Members[0], KeptSteps, [Fold], null);
}

/// <summary>
/// Blends trained runs of different configurations (a sweep's best trials, retrained) into one forecast. Members differ
/// in lookback, features or model, so they are blended as forecasts in original units on the origins they share, not as
/// networks. Weights come from validation only (<see cref="EnsembleSelection"/>, each target's errors divided by its
/// training standard deviation); the test segment is then scored once.
/// </summary>
public static class ForecastBlend
{
    /// <summary>Rounds of greedy selection (Caruana et al. used a few dozen; AutoGluon 25).</summary>
    public const int GreedyRounds = 25;

    /// <summary>What the first run given (a sweep's chosen trial) is called in <see cref="BlendedForecast.VersusFirst"/>'s verdict.</summary>
    public const string FirstMemberName = "the chosen trial";

    /// <param name="frame">The series the runs trained on.</param>
    /// <param name="runs">Finished runs of one chronological split each, best first; those whose targets, horizon,
    /// split or origins differ from the first's are left out.</param>
    /// <param name="method">Top-k (equal weights on all runs given) or greedy selection among them.</param>
    public static BlendedForecast Of(TimeSeriesFrame frame, IReadOnlyList<ForecastRunResult> runs, SweepEnsemble method)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(runs);
        if (runs.Count == 0 || runs.Any(r => r.Folds.Count != 1))
        {
            throw new ArgumentException("A blend needs at least one run, each of one chronological split.", nameof(runs));
        }

        var first = runs[0];
        var fold = first.Folds[0];
        var included = Enumerable.Range(0, runs.Count).Where(i => Compatible(first, runs[i])).ToList();
        var members = included.Select(i => runs[i]).ToList();
        var config = first.Config;
        var problem = WindowedProblem.Prepare(frame, config, fold.Split);
        var scales = Enumerable.Range(0, problem.TargetCount)
            .Select(j => Math.Max(ReturnStatistics.StandardDeviation(problem.TargetLevels[j][fold.Split.Train.Start..fold.Split.Train.End]), 1e-12))
            .ToArray();
        var actuals = Flatten(fold.ValidationOrigins, problem, scales, (w, k, j) => problem.TargetLevels[j][fold.ValidationOrigins[w] + 1 + k]);
        var candidates = members.Select(r => Flatten(fold.ValidationOrigins, problem, scales, (w, k, j) => r.Folds[0].ValidationForecasts[w][k][j])).ToList();
        var choice = method == SweepEnsemble.Greedy
            ? EnsembleSelection.Greedy(candidates, actuals, GreedyRounds)
            : EnsembleSelection.TopK(candidates, actuals, candidates.Count);

        var validation = Blend(members.Select(r => r.Folds[0].ValidationForecasts).ToList(), choice.Weights);
        var test = Blend(members.Select(r => r.Folds[0].TestForecasts).ToList(), choice.Weights);
        var season = Baselines.SeasonFor(QualityAnalyzer.DetectFrequency(frame.Timestamps).Frequency);
        var scored = ForecastEvaluator.EvaluateLevels(problem, fold.TestOrigins, test, season);
        var intervals = IntervalCalibration.Fit(problem, validation, test, config.Intervals, first.KeptSteps);
        var evidence = new FoldEvidence(scored, [], ForecastRunner.DirectionCalls(problem, test), intervals.Assessments);
        var blended = new FoldResult(
            fold.Split,
            fold.Training,
            scored.Report,
            intervals.Assessments.Where(a => a.Method == config.Intervals).Select(a => new IntervalCoverage(a.Level, a.Coverage, a.MeanWidth)).ToList(),
            [],
            fold.TestOrigins,
            test,
            fold.ValidationOrigins,
            validation,
            intervals.Model)
        {
            Assessment = Assessment.Of([evidence], config.Intervals, 1),
            Bands = intervals,
            Evidence = evidence,
        };
        return new BlendedForecast(members.Select(r => r.Config).ToList(), choice.Weights, choice.ValidationMse, blended, first.KeptSteps)
        {
            Included = included,
            VersusFirst = MethodComparison.Of(scored.Model, new ForecastLosses(FirstMemberName, fold.Evidence.Test.Model.Values.ToArray())),
        };
    }

    private static bool Compatible(ForecastRunResult first, ForecastRunResult other)
    {
        var (a, b) = (first.Config, other.Config);
        var (x, y) = (first.Folds[0], other.Folds[0]);
        return other.Folds.Count == 1 && a.Targets.SequenceEqual(b.Targets) && a.Horizon == b.Horizon && a.Transform == b.Transform && x.Split == y.Split
            && x.ValidationOrigins.AsSpan().SequenceEqual(y.ValidationOrigins) && x.TestOrigins.AsSpan().SequenceEqual(y.TestOrigins);
    }

    // Every (origin, step, target) value of a segment, divided by the target's scale, in one array.
    private static double[] Flatten(int[] origins, WindowedProblem problem, double[] scales, Func<int, int, int, double> value)
    {
        var flat = new double[origins.Length * problem.Horizon * problem.TargetCount];
        var i = 0;
        for (var w = 0; w < origins.Length; w++)
        {
            for (var k = 0; k < problem.Horizon; k++)
            {
                for (var j = 0; j < problem.TargetCount; j++)
                {
                    flat[i++] = value(w, k, j) / scales[j];
                }
            }
        }

        return flat;
    }

    private static double[][][] Blend(List<double[][][]> forecasts, IReadOnlyList<double> weights)
    {
        var blended = forecasts[0].Select(steps => steps.Select(targets => new double[targets.Length]).ToArray()).ToArray();
        for (var m = 0; m < forecasts.Count; m++)
        {
            if (weights[m] == 0)
            {
                continue;
            }

            for (var w = 0; w < blended.Length; w++)
            {
                for (var k = 0; k < blended[w].Length; k++)
                {
                    for (var j = 0; j < blended[w][k].Length; j++)
                    {
                        blended[w][k][j] += weights[m] * forecasts[m][w][k][j];
                    }
                }
            }
        }

        return blended;
    }
}
