using System.Globalization;

namespace BlazorForecast.Forecasting.Data;

/// <summary>How one joined input met the target's rows.</summary>
/// <param name="Coverage">Share of the target's rows that got a value from this input.</param>
/// <param name="FirstRow">The first target date with a value from it; null when none.</param>
/// <param name="RowsWithout">Target rows it left without a value (before its first release, or beyond its fill rule).</param>
/// <param name="MedianAgeDays">How old the values were where they were used, in days, at the median (0: published by that row's end, the same day).</param>
public sealed record JoinedInputReport(
    string Name, string Source, string Column, string Lag, string Fill, int Observations, DateTime? FirstObservation, DateTime? LastObservation,
    double Coverage, DateTime? FirstRow, int RowsWithout, double MedianAgeDays)
{
    /// <summary>The input's line of the report: its lag and fill rule, coverage, rows without a value, the values' age.</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"{Name}: {Lag}; {Fill}; covers {Coverage:P1} of the rows{(FirstRow is { } from ? $" from {from:yyyy-MM-dd}" : "")}, {RowsWithout:N0} without a value, values {MedianAgeDays:F1} days old at the median");
}

/// <summary>What a join did to the target's rows: how many it kept, from which date every input exists, and per input.</summary>
public sealed record JoinReport(int TargetRows, int RowsKept, DateTime? FirstCommonDate, IReadOnlyList<JoinedInputReport> Inputs)
{
    public int RowsLost => TargetRows - RowsKept;

    /// <summary>The rows kept and lost, and the first date every input exists.</summary>
    public string Summary => string.Create(CultureInfo.InvariantCulture,
        $"{RowsKept:N0} of {TargetRows:N0} rows kept ({RowsLost:N0} lost){(FirstCommonDate is { } first ? $", every input from {first:yyyy-MM-dd}" : "")}");

    /// <summary>The report in a few lines of words, for the command line and the server's log.</summary>
    public string Describe() => string.Join(Environment.NewLine, Inputs.Select(i => $"  {i.Describe()}").Prepend($"Joined {Inputs.Count} input(s): {Summary}."));
}

/// <summary>The target's rows with every input's aligned column, only where all have a value; and the report.</summary>
public sealed record JoinedFrame(TimeSeriesFrame Frame, JoinReport Report);

/// <summary>A join that cannot be made, every reason in words.</summary>
public sealed class JoinException(IReadOnlyList<string> problems) : Exception(string.Join(" ", problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}

/// <summary>
/// Aligns other series to a target's dates as of each date (<see cref="JoinedInput"/>): a target row gets, from each
/// input, the latest value published by the end of that row, so a forecast made at a row never sees an input's later
/// values. Rows where an input has no value (before it starts, or past its gap rule) are dropped and counted.
/// </summary>
public static class AsOfJoin
{
    public static JoinedFrame Join(TimeSeriesFrame target, IReadOnlyList<(JoinedInput Input, TimeSeriesFrame Series)> inputs)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(inputs);
        var problems = Problems(target, inputs);
        if (problems.Count > 0)
        {
            throw new JoinException(problems);
        }

        var instants = target.Timestamps.Select(EndOf).ToArray();
        var aligned = inputs.Select(i => Align(instants, i.Input, i.Series)).ToList();
        var keep = Enumerable.Range(0, target.RowCount).Where(j => aligned.All(a => a.Present[j])).ToArray();
        if (keep.Length == 0)
        {
            throw new JoinException([$"No row of the target has a value from every input: {string.Join("; ", inputs.Zip(aligned, (i, a) => $"'{i.Input.Name}' covers {a.Present.Count(p => p):N0} of {target.RowCount:N0} rows"))}."]);
        }

        var columns = target.Columns.Select(c => c with { Values = keep.Select(j => c.Values[j]).ToArray() })
            .Concat(inputs.Zip(aligned, (i, a) => new SeriesColumn(i.Input.Name, $"{i.Input.Source}:{i.Input.Column}", ColumnRole.Other, keep.Select(j => a.Values[j]).ToArray())))
            .ToList();
        var frame = new TimeSeriesFrame(keep.Select(j => target.Timestamps[j]).ToArray(), columns);
        var reports = inputs.Zip(aligned, (i, a) => Report(target, i.Input, i.Series, a)).ToList();
        return new JoinedFrame(frame, new JoinReport(target.RowCount, keep.Length, frame.Timestamps[0], reports));
    }

    /// <summary>Every reason the join cannot be made; empty when it can.</summary>
    public static IReadOnlyList<string> Problems(TimeSeriesFrame target, IReadOnlyList<(JoinedInput Input, TimeSeriesFrame Series)> inputs)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(inputs);
        var problems = new List<string>();
        foreach (var (input, series) in inputs)
        {
            problems.AddRange(input.Problems());
            var column = series.Find(input.Column);
            if (column is null)
            {
                problems.Add($"Input '{input.Name}': its series has no column '{input.Column}'. Columns: {string.Join(", ", series.Columns.Select(c => c.Name))}.");
                continue;
            }

            var dated = Enumerable.Range(0, series.RowCount).Where(i => double.IsFinite(column.Values[i])).Select(i => series.Timestamps[i]).ToList();
            if (dated.Count == 0)
            {
                problems.Add($"Input '{input.Name}' has no values.");
            }
            else if (target.RowCount > 0 && (dated[^1] < target.Timestamps[0] || dated[0] > target.Timestamps[^1]))
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture,
                    $"Input '{input.Name}' has no dates in common with the target: it runs {dated[0]:yyyy-MM-dd} to {dated[^1]:yyyy-MM-dd}, the target {target.Timestamps[0]:yyyy-MM-dd} to {target.Timestamps[^1]:yyyy-MM-dd}."));
            }
            else if (input.Fill == InputGapFill.Drop && MedianSpacing(dated) > 1.5 * MedianSpacing(target.Timestamps))
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture,
                    $"Input '{input.Name}' is published every {MedianSpacing(dated):F1} days and the target has a row every {MedianSpacing(target.Timestamps):F1} days: dropping rows without a new value would drop most of them. Carry its values forward (with a limit on their age) instead."));
            }
        }

        foreach (var name in inputs.GroupBy(i => i.Input.Name, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1 && !string.IsNullOrWhiteSpace(g.Key)).Select(g => g.Key))
        {
            problems.Add($"Two inputs are named '{name}'; give each its own name.");
        }

        foreach (var input in inputs.Select(i => i.Input).Where(i => target.Find(i.Name) is not null))
        {
            problems.Add($"Input '{input.Name}' has the name of one of the target's columns; give it another.");
        }

        return problems;
    }

    /// <summary>When a row's value is known: its time, or for a date without a time of day, the end of that day.</summary>
    public static DateTime EndOf(DateTime time) => time.TimeOfDay == TimeSpan.Zero ? time.AddDays(1) : time;

    // Per target row: the value, whether there is one, and how old it was (days) when used.
    private static Alignment Align(DateTime[] instants, JoinedInput input, TimeSeriesFrame series)
    {
        var column = series.Find(input.Column)!;
        var rows = Enumerable.Range(0, series.RowCount).Where(i => double.IsFinite(column.Values[i])).ToArray();
        var dates = rows.Select(i => series.Timestamps[i]).ToArray();
        var published = new DateTime[rows.Length];
        var spacing = TimeSpan.FromDays(MedianSpacing(dates));
        for (var i = 0; i < rows.Length; i++)
        {
            var periodEnd = input.Dates == InputDates.PeriodStart
                ? (i + 1 < rows.Length ? dates[i + 1] : dates[i] + spacing)
                : EndOf(dates[i]);
            published[i] = periodEnd + input.Delay;
        }

        var n = instants.Length;
        var asOf = new double[n];
        var present = new bool[n];
        var publishedAt = new DateTime[n];
        var latest = -1;
        for (var j = 0; j < n; j++)
        {
            while (latest + 1 < published.Length && published[latest + 1] <= instants[j])
            {
                latest++;
            }

            if (latest < 0)
            {
                continue;
            }

            var previous = j > 0 ? instants[j - 1] : instants[0] - (n > 1 ? instants[1] - instants[0] : TimeSpan.FromDays(1));
            var fresh = published[latest] > previous;
            var young = input.MaxAge is not { } limit || instants[j] - published[latest] <= limit;
            if (input.Fill == InputGapFill.Drop ? fresh : young)
            {
                (asOf[j], present[j], publishedAt[j]) = (column.Values[rows[latest]], true, published[latest]);
            }
        }

        // Used k target rows later: row j reads what row j - k knew, as old as it is by row j.
        var values = new double[n];
        var shiftedPresent = new bool[n];
        var shiftedAge = new double[n];
        for (var j = input.Rows; j < n; j++)
        {
            (values[j], shiftedPresent[j], shiftedAge[j]) = (asOf[j - input.Rows], present[j - input.Rows], Math.Max(0, (instants[j] - publishedAt[j - input.Rows]).TotalDays));
        }

        return new Alignment(values, shiftedPresent, shiftedAge, rows.Length, dates.Length == 0 ? null : dates[0], dates.Length == 0 ? null : dates[^1]);
    }

    private static JoinedInputReport Report(TimeSeriesFrame target, JoinedInput input, TimeSeriesFrame series, Alignment a)
    {
        var used = Enumerable.Range(0, target.RowCount).Where(j => a.Present[j]).ToList();
        var ages = used.Select(j => a.AgeDays[j]).Order().ToList();
        var fill = input.Fill == InputGapFill.Drop
            ? "rows without a new value dropped"
            : input.MaxAge is { } max ? $"carried forward up to {JoinedInput.Duration(max)}" : "carried forward";
        return new JoinedInputReport(input.Name, input.Source, input.Column, input.LagText, fill, a.Observations, a.First, a.Last,
            target.RowCount == 0 ? 0 : (double)used.Count / target.RowCount, used.Count == 0 ? null : target.Timestamps[used[0]],
            target.RowCount - used.Count, ages.Count == 0 ? double.NaN : ages[ages.Count / 2]);
    }

    private static double MedianSpacing(IReadOnlyList<DateTime> dates)
    {
        if (dates.Count < 2)
        {
            return 1;
        }

        var gaps = Enumerable.Range(1, dates.Count - 1).Select(i => (dates[i] - dates[i - 1]).TotalDays).Order().ToList();
        return gaps[gaps.Count / 2];
    }

    private sealed record Alignment(double[] Values, bool[] Present, double[] AgeDays, int Observations, DateTime? First, DateTime? Last);
}
