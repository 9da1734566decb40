using System.Globalization;

namespace BlazorForecast.Forecasting.Data;

/// <summary>What an input's dates stand for: the end of the period a value covers (a close), or its start (FRED's monthly series).</summary>
public enum InputDates
{
    PeriodEnd,
    PeriodStart,
}

/// <summary>What a target row gets between an input's releases.</summary>
public enum InputGapFill
{
    /// <summary>The latest value published by then, as long as it is no older than <see cref="JoinedInput.MaxAge"/>.</summary>
    CarryForward,

    /// <summary>Only a value first published since the previous target row; a row without one is dropped.</summary>
    Drop,
}

/// <summary>
/// A column of another series read as a model input, aligned to the target's dates as of each date: a target row gets
/// the latest value published by the end of that row, never a later one. A value counts as published at the end of its
/// period (its date, or with <see cref="InputDates.PeriodStart"/> the next value's date), plus <see cref="Delay"/>, and
/// then <see cref="Rows"/> target rows later. A date without a time of day is the end of that day, for the target's rows
/// and the input's values alike.
/// </summary>
public sealed record JoinedInput
{
    /// <summary>Where the series comes from: a dataset's id in the app, a CSV file's path on the command line.</summary>
    public string Source { get; init; } = "";

    /// <summary>The column read from that series.</summary>
    public string Column { get; init; } = "";

    /// <summary>The input's name among the run's columns and features (e.g. "S&amp;P 500 Close"); unique within a run.</summary>
    public string Name { get; init; } = "";

    /// <summary>How long after its period ends a value is published (a monthly macro series: about 15 days).</summary>
    public TimeSpan Delay { get; init; }

    /// <summary>Target rows after publication before a value is used (1: a market that closes after the target's).</summary>
    public int Rows { get; init; }

    public InputDates Dates { get; init; } = InputDates.PeriodEnd;

    public InputGapFill Fill { get; init; } = InputGapFill.CarryForward;

    /// <summary>With carry-forward, the oldest a value may be when used (null: no limit); older, the row is dropped.</summary>
    public TimeSpan? MaxAge { get; init; }

    /// <summary>How the model reads the aligned column: its value, or its change from row to row.</summary>
    public FeatureKind As { get; init; } = FeatureKind.Raw;

    /// <summary>The model input this joined column becomes.</summary>
    public FeatureSpec Feature => new(As, Name);

    /// <summary>The publication lag in words, as the join report gives it.</summary>
    public string LagText
    {
        get
        {
            var parts = new List<string>();
            if (Delay > TimeSpan.Zero)
            {
                parts.Add($"published {Duration(Delay)} after each {(Dates == InputDates.PeriodStart ? "period" : "date")} ends");
            }
            else if (Dates == InputDates.PeriodStart)
            {
                parts.Add("published when each period ends");
            }

            if (Rows > 0)
            {
                parts.Add(Rows == 1 ? "used one row later" : $"used {Rows} rows later");
            }

            return parts.Count == 0 ? "no lag: known at the end of its date" : string.Join(", ", parts);
        }
    }

    /// <summary>What is wrong with this input on its own, in words; empty when nothing is.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        var label = string.IsNullOrWhiteSpace(Name) ? $"'{Column}'" : $"'{Name}'";
        if (string.IsNullOrWhiteSpace(Source) || string.IsNullOrWhiteSpace(Column))
        {
            problems.Add($"Input {label} needs a source series and a column.");
        }

        if (string.IsNullOrWhiteSpace(Name))
        {
            problems.Add($"Input '{Column}' needs a name.");
        }

        if (Delay < TimeSpan.Zero || Rows < 0)
        {
            problems.Add($"Input {label} has a negative lag: it would read values before they were published.");
        }

        if (MaxAge is { } age && age <= TimeSpan.Zero)
        {
            problems.Add($"Input {label}'s oldest usable value must be older than zero.");
        }

        if (MaxAge is not null && Fill == InputGapFill.Drop)
        {
            problems.Add($"Input {label} drops rows without a new value, so a limit on a carried value's age does not apply; choose one.");
        }

        if (As is not (FeatureKind.Raw or FeatureKind.Return or FeatureKind.LogReturn))
        {
            problems.Add($"Input {label} can be read as its value, its return or its log return, not {As}.");
        }

        if (!Enum.IsDefined(Dates) || !Enum.IsDefined(Fill))
        {
            problems.Add($"Input {label} has an unknown date meaning or gap fill.");
        }

        return problems;
    }

    /// <summary>"15 days", "6 hours", "1 day 12 hours".</summary>
    public static string Duration(TimeSpan span)
    {
        var parts = new List<string>();
        if (span.Days > 0)
        {
            parts.Add(span.Days == 1 ? "1 day" : $"{span.Days} days");
        }

        if (span.Hours > 0)
        {
            parts.Add(span.Hours == 1 ? "1 hour" : $"{span.Hours} hours");
        }

        if (span.Minutes > 0)
        {
            parts.Add(span.Minutes == 1 ? "1 minute" : $"{span.Minutes} minutes");
        }

        return parts.Count == 0 ? span.ToString("c", CultureInfo.InvariantCulture) : string.Join(" ", parts);
    }
}
