namespace BlazorForecast.Forecasting.Data;

public enum SeriesFrequency
{
    Intraday,
    BusinessDays,
    Daily,
    Weekly,
    Monthly,
    Irregular,
}

public enum FindingSeverity
{
    Info,
    Warning,
    Error,
}

/// <summary>A gap: consecutive rows further apart than the detected calendar expects.</summary>
public sealed record SeriesGap(DateTime After, DateTime Before, int MissingPeriods);

/// <summary>Rows sharing a timestamp: exact copies are dropped; conflicting ones keep the first row.</summary>
public sealed record DuplicateDate(DateTime Timestamp, bool Conflicting, IReadOnlyList<string> DifferingColumns);

public sealed record MissingValueCount(string Column, int Count);

public sealed record ColumnIssue(string Column, int Count, IReadOnlyList<DateTime> Examples);

public sealed record OhlcInconsistency(DateTime Timestamp, string Detail);

/// <summary>A move far outside the column's recent changes (in local standard deviations of the log return or difference).</summary>
public sealed record OutlierJump(string Column, DateTime Timestamp, double From, double To, double RobustZ);

public sealed record SkippedColumn(string Name, string Reason);

/// <summary>One line of the report for people: what was found, how serious, in plain words.</summary>
public sealed record QualityFinding(FindingSeverity Severity, string Title, string Detail);

/// <summary>
/// What an import found and did, stored with the dataset. Counts refer to the file as read; <see cref="Rows"/> is
/// what was kept after sorting, de-duplication and the missing-value policy.
/// </summary>
public sealed record QualityReport
{
    public required int Rows { get; init; }

    public required int RowsRead { get; init; }

    public required DateTime First { get; init; }

    public required DateTime Last { get; init; }

    public required SeriesFrequency Frequency { get; init; }

    /// <summary>The typical distance between rows (median), e.g. one minute or one day.</summary>
    public required TimeSpan TypicalStep { get; init; }

    public required int GapCount { get; init; }

    public required int MissingPeriods { get; init; }

    /// <summary>The largest gaps, largest first (at most 20).</summary>
    public required IReadOnlyList<SeriesGap> LargestGaps { get; init; }

    public required IReadOnlyList<DuplicateDate> Duplicates { get; init; }

    /// <summary>Rows dated before the row above them; the series was sorted on import.</summary>
    public required int UnsortedRows { get; init; }

    public required bool WasDescending { get; init; }

    public required IReadOnlyList<MissingValueCount> MissingValues { get; init; }

    public required MissingValuePolicy MissingValuePolicy { get; init; }

    public required int RowsDroppedForMissingValues { get; init; }

    public required int ValuesForwardFilled { get; init; }

    public required IReadOnlyList<ColumnIssue> NonPositivePrices { get; init; }

    public required IReadOnlyList<ColumnIssue> NegativeVolumes { get; init; }

    public required int OhlcInconsistencyCount { get; init; }

    /// <summary>The first OHLC inconsistencies (at most 20).</summary>
    public required IReadOnlyList<OhlcInconsistency> OhlcInconsistencies { get; init; }

    public required int OutlierCount { get; init; }

    /// <summary>The strongest outlier jumps, strongest first (at most 20).</summary>
    public required IReadOnlyList<OutlierJump> Outliers { get; init; }

    public required IReadOnlyList<SkippedColumn> SkippedColumns { get; init; }

    public required string DateFormat { get; init; }

    public required string Delimiter { get; init; }

    public required char DecimalSeparator { get; init; }

    public required string Encoding { get; init; }

    public string FrequencyLabel => Frequency switch
    {
        SeriesFrequency.Intraday => $"Intraday ({FormatStep(TypicalStep)} bars)",
        SeriesFrequency.BusinessDays => "Business days",
        SeriesFrequency.Daily => "Daily (calendar days)",
        SeriesFrequency.Weekly => "Weekly",
        SeriesFrequency.Monthly => "Monthly",
        _ => $"Irregular (typically {FormatStep(TypicalStep)})",
    };

    /// <summary>The report as a list of findings, most serious first, for the UI and the API.</summary>
    public IReadOnlyList<QualityFinding> Findings()
    {
        var findings = new List<QualityFinding>();
        var conflicting = Duplicates.Count(d => d.Conflicting);
        var exact = Duplicates.Count - conflicting;

        if (conflicting > 0)
        {
            var first = Duplicates.First(d => d.Conflicting);
            findings.Add(new(FindingSeverity.Warning, $"{conflicting} conflicting duplicate date(s)",
                $"Rows share a date but differ (first: {FormatTime(first.Timestamp)} in {string.Join(", ", first.DifferingColumns)}); the first row of each was kept."));
        }

        if (OhlcInconsistencyCount > 0)
        {
            findings.Add(new(FindingSeverity.Warning, $"{OhlcInconsistencyCount} OHLC inconsistenc{(OhlcInconsistencyCount == 1 ? "y" : "ies")}",
                $"High below max(Open, Close) or Low above min(Open, Close); first: {FormatTime(OhlcInconsistencies[0].Timestamp)} ({OhlcInconsistencies[0].Detail})."));
        }

        foreach (var issue in NonPositivePrices)
        {
            findings.Add(new(FindingSeverity.Warning, $"{issue.Count} non-positive price(s) in {issue.Column}",
                $"Prices should be above zero; first on {FormatTime(issue.Examples[0])}."));
        }

        foreach (var issue in NegativeVolumes)
        {
            findings.Add(new(FindingSeverity.Warning, $"{issue.Count} negative volume(s)",
                $"Volume cannot be negative; first on {FormatTime(issue.Examples[0])}."));
        }

        if (Outliers.Count > 0)
        {
            var top = Outliers[0];
            findings.Add(new(FindingSeverity.Warning, $"{OutlierCount} outlier jump(s)",
                $"Largest: {top.Column} went from {top.From:G6} to {top.To:G6} on {FormatTime(top.Timestamp)} ({top.RobustZ:F0} times its recent standard deviation)."));
        }

        var missingTotal = MissingValues.Sum(m => m.Count);
        if (missingTotal > 0)
        {
            var action = MissingValuePolicy == MissingValuePolicy.DropRows
                ? $"{RowsDroppedForMissingValues} row(s) dropped"
                : $"{ValuesForwardFilled} value(s) forward-filled" + (RowsDroppedForMissingValues > 0 ? $", {RowsDroppedForMissingValues} leading row(s) dropped" : "");
            findings.Add(new(FindingSeverity.Warning, $"{missingTotal} missing value(s)",
                $"{string.Join(", ", MissingValues.Select(m => $"{m.Column}: {m.Count}"))}; {action}."));
        }

        if (exact > 0)
        {
            findings.Add(new(FindingSeverity.Info, $"{exact} exact duplicate row(s) removed",
                $"First: {FormatTime(Duplicates.First(d => !d.Conflicting).Timestamp)}."));
        }

        if (UnsortedRows > 0)
        {
            findings.Add(new(FindingSeverity.Info, WasDescending ? "Rows were in descending order" : $"{UnsortedRows} row(s) out of order",
                "The series was sorted by date on import."));
        }

        if (GapCount > 0)
        {
            var largest = LargestGaps[0];
            findings.Add(new(FindingSeverity.Info, $"{GapCount} gap(s) in the calendar",
                $"{MissingPeriods} expected period(s) missing; largest from {FormatTime(largest.After)} to {FormatTime(largest.Before)} ({largest.MissingPeriods} missing). Single missing business days are usually exchange holidays."));
        }

        foreach (var skipped in SkippedColumns)
        {
            findings.Add(new(FindingSeverity.Info, $"Column '{skipped.Name}' not imported", skipped.Reason));
        }

        if (findings.Count == 0)
        {
            findings.Add(new(FindingSeverity.Info, "No problems found", "Sorted, unique dates, no missing values, consistent prices."));
        }

        return findings;
    }

    private static string FormatTime(DateTime t) =>
        t.TimeOfDay == TimeSpan.Zero ? t.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)
            : t.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);

    private static string FormatStep(TimeSpan step) => step switch
    {
        { TotalDays: >= 1 } => $"{step.TotalDays:0.#} day(s)",
        { TotalHours: >= 1 } => $"{step.TotalHours:0.#} hour(s)",
        { TotalMinutes: >= 1 } => $"{step.TotalMinutes:0.#} minute(s)",
        _ => $"{step.TotalSeconds:0.#} second(s)",
    };
}
