using System.Text.Json.Serialization;
using MathNet.Numerics.Distributions;

namespace BlazorForecast.Forecasting.Evaluation;

/// <summary>How a model compares with another forecast at a significance level.</summary>
public enum ComparisonOutcome
{
    /// <summary>Significantly more accurate.</summary>
    [JsonStringEnumMemberName("better")]
    Better,

    /// <summary>The difference could be chance: what a user sees as "no detectable difference".</summary>
    [JsonStringEnumMemberName("no-difference")]
    NoDifference,

    /// <summary>Significantly less accurate.</summary>
    [JsonStringEnumMemberName("worse")]
    Worse,
}

/// <summary>
/// The Diebold–Mariano test of equal predictive accuracy, two-sided, with the Harvey–Leybourne–Newbold small-sample
/// correction. The loss differential d (model's loss minus the other forecast's, one value per forecast origin) has
/// its mean divided by a long-run standard error: a Newey–West (Bartlett-weighted) variance with lag h − 1, because
/// the errors of h-step forecasts from consecutive origins overlap (an optimal h-step forecast's errors are MA(h − 1)).
/// The statistic is scaled by √((n + 1 − 2h + h(h − 1)/n) / n) and referred to Student's t with n − 1 degrees of freedom.
/// A negative <see cref="MeanDifference"/> means the model's loss is lower.
/// </summary>
public sealed record DieboldMarianoTest(int Count, int Lag, double MeanDifference, double Statistic, double PValue)
{
    /// <param name="differences">The loss differential in time order.</param>
    /// <param name="horizon">The forecast horizon h of the losses (1 for one-step forecasts); the HAC lag is h − 1.</param>
    public static DieboldMarianoTest Of(IReadOnlyList<double> differences, int horizon)
    {
        ArgumentNullException.ThrowIfNull(differences);
        ArgumentOutOfRangeException.ThrowIfLessThan(horizon, 1);
        var n = differences.Count;
        var lag = horizon - 1;
        if (n <= horizon)
        {
            // No more origins than the horizon: the overlapping errors leave nothing to estimate the variance from.
            return new DieboldMarianoTest(n, lag, n == 0 ? double.NaN : differences.Average(), double.NaN, double.NaN);
        }

        var mean = differences.Average();
        var variance = LongRunVariance.NeweyWest(differences, mean, lag);

        if (!(variance > 0))
        {
            // Nothing varies: identical forecasts differ by nothing, and a constant gap is no accident.
            return mean == 0
                ? new DieboldMarianoTest(n, lag, 0, 0, 1)
                : new DieboldMarianoTest(n, lag, mean, mean < 0 ? double.NegativeInfinity : double.PositiveInfinity, 0);
        }

        var correction = (n + 1 - (2.0 * horizon) + (horizon * (horizon - 1.0) / n)) / n;
        if (!(correction > 0))
        {
            // Fewer origins than the horizon's overlap allows: the statistic is not defined.
            return new DieboldMarianoTest(n, lag, mean, double.NaN, double.NaN);
        }

        var statistic = mean / Math.Sqrt(variance / n) * Math.Sqrt(correction);
        return new DieboldMarianoTest(n, lag, mean, statistic, 2 * StudentT.CDF(0, 1, n - 1, -Math.Abs(statistic)));
    }

    /// <summary>Better or worse when the difference is significant at the level (e.g. 0.05); otherwise no detectable difference.</summary>
    public ComparisonOutcome Outcome(double level) =>
        !(PValue < level) ? ComparisonOutcome.NoDifference
        : MeanDifference < 0 ? ComparisonOutcome.Better
        : ComparisonOutcome.Worse;
}
