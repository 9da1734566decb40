using System.Globalization;
using BlazorForecast.Forecasting.Data;

namespace BlazorForecast.Forecasting.Evaluation;

/// <summary>
/// The words a person reads about a model: against a baseline ("Beats naive: RMSE 2.1% lower, p = 0.003", "No
/// detectable difference from naive (RMSE 0.7% lower, p = 0.35)", "Worse than naive: …"), what the test means, when
/// the seeds disagree and when the direction calls all go one way. Only "Beats" is a success; the level is a setting.
/// </summary>
public static class Verdict
{
    public const double DefaultLevel = 0.05;

    public static string Against(MethodComparison comparison, double level)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        var name = BaselineName(comparison.Baseline);
        var change = RmseChange(comparison.RmseChange);
        var p = PValue(comparison.Overall.PValue);
        return comparison.Outcome(level) switch
        {
            ComparisonOutcome.Better => $"Beats {name}: {change}, {p}",
            ComparisonOutcome.Worse => $"Worse than {name}: {change}, {p}",
            _ => $"No detectable difference from {name} ({change}, {p})",
        };
    }

    /// <summary>One line on what the p-values mean, for the page beside them.</summary>
    public static string Meaning(double level) => string.Create(CultureInfo.InvariantCulture,
        $"p is the chance of a gap in squared errors at least this large between two equally accurate forecasts on these test windows (Diebold–Mariano test, HAC variance, small-sample corrected); only p below {level * 100:0.##}% counts as a difference.");

    public static string PValue(double p) => p switch
    {
        double.NaN => "too few test windows to test",
        < 0.001 => "p < 0.001",
        < 0.01 => string.Create(CultureInfo.InvariantCulture, $"p = {p:0.000}"),
        _ => string.Create(CultureInfo.InvariantCulture, $"p = {p:0.00}"),
    };

    public static string RmseChange(double change) => !double.IsFinite(change) ? "RMSE not comparable"
        : Math.Abs(change) < 0.0005 ? "the same RMSE"
        : string.Create(CultureInfo.InvariantCulture, $"RMSE {Math.Abs(change) * 100:0.0}% {(change < 0 ? "lower" : "higher")}");

    /// <summary>"Seeds disagree: …" when the seeds reach different verdicts on their own; null when they agree.</summary>
    public static string? SeedDisagreement(SeedAssessment? seeds, double level)
    {
        if (seeds is null || !seeds.Disagree(level))
        {
            return null;
        }

        var counts = seeds.Seeds.GroupBy(s => s.VersusNaive.Outcome(level)).OrderBy(g => g.Key).Select(g => g.Key switch
        {
            ComparisonOutcome.Better => $"{g.Count()} beat{(g.Count() == 1 ? "s" : "")} naive",
            ComparisonOutcome.Worse => $"{g.Count()} {(g.Count() == 1 ? "is" : "are")} worse than naive",
            _ => $"{g.Count()} show{(g.Count() == 1 ? "s" : "")} no detectable difference",
        });
        return $"Seeds disagree: of {seeds.Seeds.Count} seeds on their own, {string.Join(", ", counts)}.";
    }

    /// <summary>The warning for a model whose direction calls (almost) all go one way; null otherwise.</summary>
    public static string? OneWay(DirectionAssessment direction, SeriesFrequency frequency)
    {
        ArgumentNullException.ThrowIfNull(direction);
        if (!direction.OneWay)
        {
            return null;
        }

        var rises = direction.UpCallRate >= 0.5;
        var share = rises ? direction.UpCallRate : 1 - direction.UpCallRate;
        return string.Create(CultureInfo.InvariantCulture,
            $"The model predicted a {(rises ? "rise" : "fall")} on {share * 100:0.#}% of {Periods(frequency)}: its direction is the same as always-{(rises ? "long" : "short")}.");
    }

    public static string BaselineName(string method) => method switch
    {
        "SeasonalNaive" => "seasonal naive",
        "MovingAverage" => "moving average",
        _ => method.ToLowerInvariant(),
    };

    /// <summary>What the rows of a series are called in sentences: days, weeks, months, or periods.</summary>
    public static string Periods(SeriesFrequency frequency) => Period(frequency) + "s";

    /// <summary>What one row of a series is called in sentences: day, week, month, or period.</summary>
    public static string Period(SeriesFrequency frequency) => frequency switch
    {
        SeriesFrequency.BusinessDays or SeriesFrequency.Daily => "day",
        SeriesFrequency.Weekly => "week",
        SeriesFrequency.Monthly => "month",
        _ => "period",
    };
}
