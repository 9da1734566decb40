using System.Globalization;
using System.Text.Json.Nodes;

namespace BlazorForecast.Forecasting.Sweeps;

/// <summary>
/// One setting's part of a search space. A trial's point holds one number per dimension: a choice's index, or a
/// range's value (whole for integer ranges). Samplers work on ranges through <see cref="RangeDimension.ToUnit"/>.
/// </summary>
public abstract record SearchDimension(SweepSetting Setting)
{
    /// <summary>The values a grid visits, in order; null for a continuous range without a step count.</summary>
    public abstract IReadOnlyList<double>? GridValues { get; }

    /// <summary>The JSON value a point's coordinate stands for, as the config takes it.</summary>
    public abstract JsonNode? ValueAt(double coordinate);

    /// <summary>The coordinate in words, for tables and plots ("64", "0.0003", "Lstm").</summary>
    public abstract string Describe(double coordinate);

    /// <summary>The extreme values a space check tries: every choice, or both ends of a range.</summary>
    internal abstract IEnumerable<double> Extremes { get; }
}

/// <summary>A list of values to choose from: model kinds, true/false, feature sets, or numbers.</summary>
public sealed record ChoiceDimension(SweepSetting Setting, IReadOnlyList<JsonNode?> Choices) : SearchDimension(Setting)
{
    public override IReadOnlyList<double> GridValues => Enumerable.Range(0, Choices.Count).Select(i => (double)i).ToArray();

    public override JsonNode? ValueAt(double coordinate) => Choices[(int)coordinate]?.DeepClone();

    public override string Describe(double coordinate) => Choices[(int)coordinate] switch
    {
        JsonValue value when value.TryGetValue<string>(out var text) => text,
        JsonArray { Count: 0 } => "targets only",
        JsonArray list => string.Join(", ", list.Select(DescribeFeature)),
        var other => other?.ToJsonString() ?? "null",
    };

    internal override IEnumerable<double> Extremes => GridValues;

    private static string DescribeFeature(JsonNode? feature) => feature is JsonObject spec
        ? string.Join(" ", new[] { spec["kind"], spec["column"], spec["window"] }.Where(n => n is not null).Select(n => n!.ToString()))
        : feature?.ToJsonString() ?? "null";
}

/// <summary>How a range is drawn: whole numbers, or real numbers uniform on a linear or a logarithmic scale.</summary>
public enum RangeScale
{
    WholeNumbers,
    Uniform,
    LogUniform,
}

/// <summary>
/// A range from <see cref="Low"/> to <see cref="High"/>, both included. Integer ranges may be drawn on a log scale;
/// <see cref="Steps"/> gives a continuous range the points a grid visits.
/// </summary>
public sealed record RangeDimension(SweepSetting Setting, RangeScale Scale, double Low, double High, bool Log, int? Steps) : SearchDimension(Setting)
{
    /// <summary>A grid visits at most this many values of an integer range without steps.</summary>
    public const int MaxIntegerGridValues = 1000;

    public bool IsInteger => Scale == RangeScale.WholeNumbers;

    public override IReadOnlyList<double>? GridValues
    {
        get
        {
            if (Steps is int steps)
            {
                return Enumerable.Range(0, steps).Select(i => Snap(Between((double)i / (steps - 1)))).Distinct().ToArray();
            }

            return IsInteger && High - Low + 1 <= MaxIntegerGridValues
                ? Enumerable.Range(0, (int)(High - Low) + 1).Select(i => Low + i).ToArray()
                : null;
        }
    }

    public override JsonNode ValueAt(double coordinate) => IsInteger ? JsonValue.Create((int)Math.Round(coordinate)) : JsonValue.Create(coordinate);

    public override string Describe(double coordinate) => IsInteger
        ? ((int)Math.Round(coordinate)).ToString(CultureInfo.InvariantCulture)
        : coordinate.ToString("G3", CultureInfo.InvariantCulture);

    internal override IEnumerable<double> Extremes => [Low, High];

    /// <summary>
    /// Where a value lies in the range on its sampling scale, from 0 to 1. Integer ranges stretch half a step past
    /// each end, so every whole number gets the same share of the unit interval.
    /// </summary>
    public double ToUnit(double value)
    {
        var (low, high) = Ends;
        return Math.Clamp((Transform(value) - low) / (high - low), 0, 1);
    }

    /// <summary>The value at a place in the unit interval: rounded for integer ranges, always inside the range.</summary>
    public double FromUnit(double unit) => Snap(FromUnitUnrounded(unit));

    private double FromUnitUnrounded(double unit)
    {
        var (low, high) = Ends;
        var scaled = low + (Math.Clamp(unit, 0, 1) * (high - low));
        return Log ? Math.Exp(scaled) : scaled;
    }

    // A grid's values run from Low to High exactly, evenly on the range's scale.
    private double Between(double share) => Log ? Low * Math.Pow(High / Low, share) : Low + (share * (High - Low));

    private double Snap(double value) => Math.Clamp(IsInteger ? Math.Round(value, MidpointRounding.AwayFromZero) : value, Low, High);

    private (double Low, double High) Ends => IsInteger ? (Transform(Low - 0.5), Transform(High + 0.5)) : (Transform(Low), Transform(High));

    private double Transform(double value) => Log ? Math.Log(value) : value;
}
