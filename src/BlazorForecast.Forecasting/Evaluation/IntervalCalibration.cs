using BlazorForecast.Forecasting.Training;

namespace BlazorForecast.Forecasting.Evaluation;

/// <summary>
/// How one interval method did on test actuals at one nominal level: the share of actual values inside, overall and
/// at each horizon step, the mean width and the mean interval (Winkler) score — the width plus 2/α times each miss's
/// distance outside, in the series' units, so a narrow band that misses pays for it. <see cref="Count"/> counts points
/// (windows × steps × targets).
/// </summary>
public sealed record IntervalAssessment(
    IntervalMethod Method, double Level, int Count, double Coverage, double MeanWidth, double Winkler, IReadOnlyList<double> PerStepCoverage)
{
    /// <summary>Several folds' assessments of one method and level as one, weighted by their points.</summary>
    public static IntervalAssessment Pool(IReadOnlyList<IntervalAssessment> folds)
    {
        ArgumentNullException.ThrowIfNull(folds);
        if (folds.Count == 1)
        {
            return folds[0];
        }

        var count = folds.Sum(f => f.Count);
        double Weighted(Func<IntervalAssessment, double> value) => count == 0 ? double.NaN : folds.Sum(f => f.Count == 0 ? 0 : value(f) * f.Count) / count;
        var steps = folds[0].PerStepCoverage.Count;
        return new IntervalAssessment(folds[0].Method, folds[0].Level, count, Weighted(f => f.Coverage), Weighted(f => f.MeanWidth), Weighted(f => f.Winkler),
            Enumerable.Range(0, steps).Select(k => Weighted(f => f.PerStepCoverage[k])).ToList());
    }
}

/// <summary>
/// One fold's intervals: the fitted model of the run's method (carried by the model bundle to forecast beyond the data),
/// that method's half-widths at every validation and test origin for the kept horizon steps ([level][window][kept
/// step][target]), and the test assessment of both methods at every level, so the default is always seen beside
/// split-conformal.
/// </summary>
public sealed record FoldIntervals(
    ConformalIntervals Model, float[][][][] ValidationHalfWidths, float[][][][] TestHalfWidths, IReadOnlyList<IntervalAssessment> Assessments);

/// <summary>
/// Fits and scores prediction intervals for one fold from the model's validation and test forecasts (in original units).
/// <para>Split-conformal: the half-width is the conformal quantile of absolute validation errors, the same at every origin.</para>
/// <para>Adaptive: each error is divided by the target's causal volatility scale at its origin (<see cref="VolatilityScale"/>),
/// so a calm validation period and a wild test period share one distribution of scores; the half-width at a test origin
/// is that origin's scale times the quantile of validation scores at level 1 − αₜ, where αₜ starts at the nominal miss
/// rate and moves by γ(α − missₘ) each time the actual of an earlier forecast m for this step becomes known (adaptive
/// conformal inference, Gibbs &amp; Candès 2021). Only actuals up to the origin are used: a step-k forecast made at origin
/// m is judged at origin m + k.</para>
/// </summary>
public static class IntervalCalibration
{
    /// <summary>γ, how far one miss or hit moves the adapted level.</summary>
    public const double AdaptationRate = 0.01;

    /// <param name="problem">The fold's windows and target levels.</param>
    /// <param name="validation">Forecasts at the validation origins, [window][step][target], original units.</param>
    /// <param name="test">Forecasts at the test origins, likewise.</param>
    /// <param name="method">The run's method, whose half-widths are kept.</param>
    /// <param name="keptSteps">1-based horizon steps whose half-widths are kept per origin.</param>
    public static FoldIntervals Fit(WindowedProblem problem, double[][][] validation, double[][][] test, IntervalMethod method, int[] keptSteps)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(validation);
        ArgumentNullException.ThrowIfNull(test);
        ArgumentNullException.ThrowIfNull(keptSteps);
        var levels = ConformalIntervals.DefaultLevels;
        var (horizon, targets) = (problem.Horizon, problem.TargetCount);
        var keptIndex = new int[horizon];
        Array.Fill(keptIndex, -1);
        for (var i = 0; i < keptSteps.Length; i++)
        {
            keptIndex[keptSteps[i] - 1] = i;
        }

        var validationBands = Bands(levels.Length, validation.Length, keptSteps.Length, targets);
        var testBands = Bands(levels.Length, test.Length, keptSteps.Length, targets);
        var split = Widths(levels.Length, horizon, targets);
        var adapted = Widths(levels.Length, horizon, targets);
        var tallies = new[] { IntervalMethod.Adaptive, IntervalMethod.SplitConformal }
            .SelectMany(m => levels.Select(level => new Tally(m, level, horizon))).ToList();
        var scales = problem.TargetLevels.Select(series => VolatilityScale.Of(series)).ToArray();
        var (validationOrigins, testOrigins) = (problem.ValidationOrigins, problem.TestOrigins);

        for (var k = 0; k < horizon; k++)
        {
            for (var j = 0; j < targets; j++)
            {
                var actuals = problem.TargetLevels[j];
                var scale = scales[j];
                var absolute = new double[validationOrigins.Length];
                var normalized = new double[validationOrigins.Length];
                for (var w = 0; w < validationOrigins.Length; w++)
                {
                    absolute[w] = Math.Abs(actuals[validationOrigins[w] + 1 + k] - validation[w][k][j]);
                    normalized[w] = absolute[w] / scale[validationOrigins[w]];
                }

                Array.Sort(absolute);
                Array.Sort(normalized);
                for (var l = 0; l < levels.Length; l++)
                {
                    var level = levels[l];
                    var kept = keptIndex[k];
                    var splitHalf = ConformalIntervals.Quantile(absolute, level);
                    split[l][k][j] = splitHalf;
                    var splitTally = tallies.First(t => t.Method == IntervalMethod.SplitConformal && t.Level == level);
                    for (var w = 0; w < testOrigins.Length; w++)
                    {
                        splitTally.Add(k, actuals[testOrigins[w] + 1 + k], test[w][k][j], splitHalf);
                    }

                    var nominal = ConformalIntervals.BoundedQuantile(normalized, level);
                    var adaptiveTally = tallies.First(t => t.Method == IntervalMethod.Adaptive && t.Level == level);
                    var missRate = 1 - level;
                    var alpha = missRate;
                    var missed = new bool[testOrigins.Length];
                    for (var w = 0; w < testOrigins.Length; w++)
                    {
                        // The forecast made k + 1 origins ago for this step has just been judged.
                        var judged = w - (k + 1);
                        if (judged >= 0)
                        {
                            alpha += AdaptationRate * (missRate - (missed[judged] ? 1 : 0));
                        }

                        var half = ConformalIntervals.BoundedQuantile(normalized, 1 - alpha) * scale[testOrigins[w]];
                        missed[w] = adaptiveTally.Add(k, actuals[testOrigins[w] + 1 + k], test[w][k][j], half);
                        if (kept >= 0)
                        {
                            testBands[l][w][kept][j] = (float)(method == IntervalMethod.Adaptive ? half : splitHalf);
                        }
                    }

                    // By the end of the data every test forecast has been judged: the level the next forecasts start from.
                    for (var judged = Math.Max(0, testOrigins.Length - (k + 1)); judged < testOrigins.Length; judged++)
                    {
                        alpha += AdaptationRate * (missRate - (missed[judged] ? 1 : 0));
                    }

                    adapted[l][k][j] = ConformalIntervals.BoundedQuantile(normalized, 1 - alpha);
                    if (kept >= 0)
                    {
                        for (var w = 0; w < validationOrigins.Length; w++)
                        {
                            validationBands[l][w][kept][j] = (float)(method == IntervalMethod.Adaptive ? nominal * scale[validationOrigins[w]] : splitHalf);
                        }
                    }
                }
            }
        }

        var model = method == IntervalMethod.Adaptive
            ? new ConformalIntervals(levels, adapted) { Method = IntervalMethod.Adaptive, VolatilityDecay = VolatilityScale.DefaultDecay }
            : new ConformalIntervals(levels, split);
        return new FoldIntervals(model, validationBands, testBands, tallies.Select(t => t.Result()).ToList());
    }

    private static float[][][][] Bands(int levels, int windows, int steps, int targets) =>
        Enumerable.Range(0, levels).Select(_ => Enumerable.Range(0, windows)
            .Select(_ => Enumerable.Range(0, steps).Select(_ => new float[targets]).ToArray()).ToArray()).ToArray();

    private static double[][][] Widths(int levels, int horizon, int targets) =>
        Enumerable.Range(0, levels).Select(_ => Enumerable.Range(0, horizon).Select(_ => new double[targets]).ToArray()).ToArray();

    /// <summary>Counts of one method at one level, per horizon step.</summary>
    private sealed class Tally(IntervalMethod method, double level, int horizon)
    {
        private readonly int[] _count = new int[horizon];
        private readonly int[] _inside = new int[horizon];
        private readonly double[] _width = new double[horizon];
        private readonly double[] _score = new double[horizon];

        public IntervalMethod Method => method;

        public double Level => level;

        /// <summary>Scores one interval; true when the actual fell outside it.</summary>
        public bool Add(int step, double actual, double forecast, double half)
        {
            var outside = Math.Max(0, Math.Abs(actual - forecast) - half);
            _count[step]++;
            _inside[step] += outside > 0 ? 0 : 1;
            _width[step] += 2 * half;
            _score[step] += (2 * half) + (2 / (1 - level) * outside);
            return outside > 0;
        }

        public IntervalAssessment Result()
        {
            var count = _count.Sum();
            double Mean(double sum) => count == 0 ? double.NaN : sum / count;
            return new IntervalAssessment(method, level, count, Mean(_inside.Sum()), Mean(_width.Sum()), Mean(_score.Sum()),
                _count.Select((n, k) => n == 0 ? double.NaN : (double)_inside[k] / n).ToList());
        }
    }
}
