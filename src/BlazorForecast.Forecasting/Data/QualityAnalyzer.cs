namespace BlazorForecast.Forecasting.Data;

/// <summary>
/// Turns rows as read into a clean series and says what it did: sorts by time, drops duplicate timestamps (keeping
/// the first), applies the missing-value policy, then checks the calendar, prices, OHLC consistency and jumps.
/// </summary>
public static class QualityAnalyzer
{
    private const int ListLimit = 20;

    // A change is an outlier jump when it exceeds this many local standard deviations. The scale is an exponentially
    // weighted mean absolute deviation of the preceding changes (about three months of rows), so a volatile crisis
    // raises the bar with it while a misplaced decimal or a stale split still stands out.
    private const double OutlierThreshold = 10;
    private const double OutlierScaleSpan = 63;

    public sealed record RawColumn(string Header, ColumnRole Role, List<double> Values);

    /// <summary>Rows in file order; <see cref="Lines"/> are their line numbers in the file.</summary>
    public sealed record RawSeries(List<DateTime> Timestamps, List<int> Lines, IReadOnlyList<RawColumn> Columns);

    public sealed record FileFacts(CsvFormat Format, string DateFormat, IReadOnlyList<SkippedColumn> SkippedColumns);

    public static (TimeSeriesFrame Frame, QualityReport Report) Analyze(RawSeries raw, MissingValuePolicy policy, FileFacts facts)
    {
        ArgumentNullException.ThrowIfNull(raw);
        ArgumentNullException.ThrowIfNull(facts);
        var rowsRead = raw.Timestamps.Count;
        var (order, unsorted, descending) = ChronologicalOrder(raw.Timestamps);
        var (kept, duplicates) = DropDuplicates(raw, order);
        var missing = raw.Columns
            .Select(c => new MissingValueCount(c.Header, kept.Count(r => double.IsNaN(c.Values[r]))))
            .Where(m => m.Count > 0)
            .ToList();
        var (rows, values, dropped, filled) = ApplyMissingPolicy(raw, kept, policy);
        if (rows.Count == 0)
        {
            throw new DatasetImportException(policy == MissingValuePolicy.DropRows
                ? "No rows are left after dropping rows with missing values. Try forward-fill, or remove empty columns."
                : "No rows are left: every column is empty up to the last row.");
        }

        var frame = new TimeSeriesFrame(
            rows.Select(r => raw.Timestamps[r]).ToArray(),
            BuildColumns(raw.Columns, values));
        var timestamps = frame.Timestamps;
        var (frequency, step) = DetectFrequency(timestamps);
        var gaps = FindGaps(timestamps, frequency, step);
        var (ohlcCount, ohlcExamples) = FindOhlcInconsistencies(frame);
        var (outlierCount, outliers) = FindOutliers(frame, frequency);

        var report = new QualityReport
        {
            Rows = frame.RowCount,
            RowsRead = rowsRead,
            First = timestamps[0],
            Last = timestamps[^1],
            Frequency = frequency,
            TypicalStep = step,
            GapCount = gaps.Count,
            MissingPeriods = gaps.Sum(g => g.MissingPeriods),
            LargestGaps = gaps.OrderByDescending(g => g.MissingPeriods).ThenBy(g => g.After).Take(ListLimit).ToList(),
            Duplicates = duplicates,
            UnsortedRows = unsorted,
            WasDescending = descending,
            MissingValues = missing,
            MissingValuePolicy = policy,
            RowsDroppedForMissingValues = dropped,
            ValuesForwardFilled = filled,
            NonPositivePrices = FindIssues(frame, c => c.Role.IsPrice(), v => v <= 0),
            NegativeVolumes = FindIssues(frame, c => c.Role == ColumnRole.Volume, v => v < 0),
            OhlcInconsistencyCount = ohlcCount,
            OhlcInconsistencies = ohlcExamples,
            OutlierCount = outlierCount,
            Outliers = outliers,
            SkippedColumns = facts.SkippedColumns,
            DateFormat = facts.DateFormat,
            Delimiter = facts.Format.DelimiterName,
            DecimalSeparator = facts.Format.DecimalSeparator,
            Encoding = facts.Format.EncodingName + (facts.Format.HasByteOrderMark ? " with BOM" : ""),
        };
        return (frame, report);
    }

    private static (int[] Order, int Unsorted, bool Descending) ChronologicalOrder(List<DateTime> timestamps)
    {
        var n = timestamps.Count;
        var unsorted = 0;
        for (var i = 1; i < n; i++)
        {
            if (timestamps[i] < timestamps[i - 1])
            {
                unsorted++;
            }
        }

        var order = Enumerable.Range(0, n).ToArray();
        if (unsorted == 0)
        {
            return (order, 0, false);
        }

        var descending = unsorted == n - 1;
        if (descending)
        {
            Array.Reverse(order);
            return (order, unsorted, true);
        }

        // OrderBy is stable: rows with equal timestamps keep their file order, so "keep the first" stays meaningful.
        return (order.OrderBy(i => timestamps[i]).ToArray(), unsorted, false);
    }

    private static (List<int> Kept, List<DuplicateDate> Duplicates) DropDuplicates(RawSeries raw, int[] order)
    {
        var kept = new List<int>(order.Length);
        var duplicates = new List<DuplicateDate>();
        foreach (var row in order)
        {
            if (kept.Count > 0 && raw.Timestamps[kept[^1]] == raw.Timestamps[row])
            {
                var first = kept[^1];
                var differing = raw.Columns
                    .Where(c => !SameValue(c.Values[first], c.Values[row]))
                    .Select(c => c.Header)
                    .ToList();
                duplicates.Add(new DuplicateDate(raw.Timestamps[row], differing.Count > 0, differing));
                continue;
            }

            kept.Add(row);
        }

        return (kept, duplicates);
    }

    private static bool SameValue(double a, double b) => a.Equals(b);

    private static (List<int> Rows, double[][] Values, int Dropped, int Filled) ApplyMissingPolicy(
        RawSeries raw, List<int> kept, MissingValuePolicy policy)
    {
        var columns = raw.Columns;
        var rows = new List<int>(kept.Count);
        var dropped = 0;
        var filled = 0;

        if (policy == MissingValuePolicy.DropRows)
        {
            foreach (var r in kept)
            {
                var complete = true;
                foreach (var column in columns)
                {
                    if (double.IsNaN(column.Values[r]))
                    {
                        complete = false;
                        break;
                    }
                }

                if (complete)
                {
                    rows.Add(r);
                }
                else
                {
                    dropped++;
                }
            }

            return (rows, columns.Select(c => rows.Select(r => c.Values[r]).ToArray()).ToArray(), dropped, 0);
        }

        // Forward fill: a row is usable once every column has had a value; earlier rows are dropped.
        var last = new double[columns.Count];
        Array.Fill(last, double.NaN);
        var output = columns.Select(_ => new List<double>(kept.Count)).ToArray();
        foreach (var r in kept)
        {
            var rowFilled = 0;
            for (var c = 0; c < columns.Count; c++)
            {
                var value = columns[c].Values[r];
                if (double.IsNaN(value))
                {
                    rowFilled++;
                }
                else
                {
                    last[c] = value;
                }
            }

            if (Array.Exists(last, double.IsNaN))
            {
                dropped++;
                continue;
            }

            rows.Add(r);
            filled += rowFilled;
            for (var c = 0; c < columns.Count; c++)
            {
                output[c].Add(last[c]);
            }
        }

        return (rows, output.Select(o => o.ToArray()).ToArray(), dropped, filled);
    }

    private static List<SeriesColumn> BuildColumns(IReadOnlyList<RawColumn> raw, double[][] values)
    {
        var used = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var columns = new List<SeriesColumn>(raw.Count);
        for (var i = 0; i < raw.Count; i++)
        {
            // The first column of a role takes the canonical name; a second "Close" (e.g. Price beside Close) keeps its header.
            var canonical = ColumnAliases.CanonicalName(raw[i].Role, raw[i].Header);
            var role = raw[i].Role;
            if (role != ColumnRole.Other && columns.Any(c => c.Role == role))
            {
                canonical = raw[i].Header;
                role = ColumnRole.Other;
            }

            var name = canonical;
            for (var n = 2; !used.Add(name); n++)
            {
                name = $"{canonical} ({n})";
            }

            columns.Add(new SeriesColumn(name, raw[i].Header, role, values[i]));
        }

        return columns;
    }

    public static (SeriesFrequency Frequency, TimeSpan Step) DetectFrequency(DateTime[] timestamps)
    {
        if (timestamps.Length < 2)
        {
            return (SeriesFrequency.Irregular, TimeSpan.Zero);
        }

        var deltas = new double[timestamps.Length - 1];
        for (var i = 1; i < timestamps.Length; i++)
        {
            deltas[i - 1] = timestamps[i].Ticks - timestamps[i - 1].Ticks;
        }

        var step = TimeSpan.FromTicks((long)RobustStatistics.Median(deltas));
        if (step < TimeSpan.FromDays(1))
        {
            return (SeriesFrequency.Intraday, step);
        }

        if (step < TimeSpan.FromDays(2))
        {
            // Markets that trade on weekends (crypto, or carried-forward series) are calendar-daily.
            var weekendRows = timestamps.Count(t => t.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday);
            return (weekendRows > timestamps.Length / 20 ? SeriesFrequency.Daily : SeriesFrequency.BusinessDays, TimeSpan.FromDays(1));
        }

        if (step >= TimeSpan.FromDays(6) && step <= TimeSpan.FromDays(8))
        {
            return (SeriesFrequency.Weekly, TimeSpan.FromDays(7));
        }

        if (step >= TimeSpan.FromDays(28) && step <= TimeSpan.FromDays(31))
        {
            return (SeriesFrequency.Monthly, step);
        }

        return (SeriesFrequency.Irregular, step);
    }

    internal static List<SeriesGap> FindGaps(DateTime[] timestamps, SeriesFrequency frequency, TimeSpan step)
    {
        var gaps = new List<SeriesGap>();
        for (var i = 1; i < timestamps.Length; i++)
        {
            var (before, after) = (timestamps[i - 1], timestamps[i]);
            var missing = frequency switch
            {
                // Overnight and weekend breaks are not gaps for intraday bars; only holes within a session are.
                SeriesFrequency.Intraday when before.Date == after.Date => (int)((after - before).Ticks / step.Ticks) - 1,
                SeriesFrequency.Daily => (after.Date - before.Date).Days - 1,
                SeriesFrequency.BusinessDays => WeekdaysBetween(before.Date, after.Date),
                SeriesFrequency.Weekly => (int)Math.Round((after - before).TotalDays / 7) - 1,
                SeriesFrequency.Monthly => ((after.Year - before.Year) * 12) + after.Month - before.Month - 1,
                _ => 0,
            };
            if (missing > 0)
            {
                gaps.Add(new SeriesGap(before, after, missing));
            }
        }

        return gaps;
    }

    private static int WeekdaysBetween(DateTime from, DateTime to)
    {
        var count = 0;
        for (var d = from.AddDays(1); d < to; d = d.AddDays(1))
        {
            if (d.DayOfWeek is not DayOfWeek.Saturday and not DayOfWeek.Sunday)
            {
                count++;
            }
        }

        return count;
    }

    private static List<ColumnIssue> FindIssues(TimeSeriesFrame frame, Func<SeriesColumn, bool> applies, Func<double, bool> isIssue)
    {
        var issues = new List<ColumnIssue>();
        foreach (var column in frame.Columns.Where(applies))
        {
            var count = 0;
            var examples = new List<DateTime>();
            for (var i = 0; i < column.Values.Length; i++)
            {
                if (isIssue(column.Values[i]))
                {
                    count++;
                    if (examples.Count < ListLimit)
                    {
                        examples.Add(frame.Timestamps[i]);
                    }
                }
            }

            if (count > 0)
            {
                issues.Add(new ColumnIssue(column.Name, count, examples));
            }
        }

        return issues;
    }

    private static (int Count, List<OhlcInconsistency> Examples) FindOhlcInconsistencies(TimeSeriesFrame frame)
    {
        if (!frame.HasOhlc)
        {
            return (0, []);
        }

        var open = frame.Find(ColumnRole.Open)!.Values;
        var high = frame.Find(ColumnRole.High)!.Values;
        var low = frame.Find(ColumnRole.Low)!.Values;
        var close = frame.Find(ColumnRole.Close)!.Values;
        var count = 0;
        var examples = new List<OhlcInconsistency>();
        for (var i = 0; i < frame.RowCount; i++)
        {
            string? detail = null;
            if (high[i] < Math.Max(open[i], close[i]))
            {
                detail = $"High {high[i]:G6} below max(Open {open[i]:G6}, Close {close[i]:G6})";
            }
            else if (low[i] > Math.Min(open[i], close[i]))
            {
                detail = $"Low {low[i]:G6} above min(Open {open[i]:G6}, Close {close[i]:G6})";
            }

            if (detail is null)
            {
                continue;
            }

            count++;
            if (examples.Count < ListLimit)
            {
                examples.Add(new OhlcInconsistency(frame.Timestamps[i], detail));
            }
        }

        return (count, examples);
    }

    internal static (int Count, List<OutlierJump> Strongest) FindOutliers(TimeSeriesFrame frame, SeriesFrequency frequency)
    {
        var jumps = new List<OutlierJump>();
        var alpha = 2 / (OutlierScaleSpan + 1);
        foreach (var column in frame.Columns.Where(c => c.Role != ColumnRole.Volume && c.Values.Length >= 30))
        {
            var v = column.Values;
            var useLog = Array.TrueForAll(v, x => x > 0);
            var changes = new double[v.Length - 1];
            for (var i = 1; i < v.Length; i++)
            {
                changes[i - 1] = useLog ? Math.Log(v[i] / v[i - 1]) : v[i] - v[i - 1];
            }

            var median = RobustStatistics.Median(changes);
            var deviations = changes.Select(c => Math.Abs(c - median)).ToArray();
            var globalSigma = RobustStatistics.Median(deviations) * 1.4826;
            if (globalSigma <= 0)
            {
                continue;
            }

            // Mean absolute deviation times sqrt(pi/2) estimates a standard deviation; floored so flat stretches
            // (holidays carried forward) do not make the next ordinary move look extreme.
            var meanAbsDeviation = globalSigma / 1.2533;
            for (var i = 0; i < deviations.Length; i++)
            {
                // The overnight gap of intraday bars is not a one-bar move; it is neither judged nor learnt from.
                if (frequency == SeriesFrequency.Intraday && frame.Timestamps[i].Date != frame.Timestamps[i + 1].Date)
                {
                    continue;
                }

                var sigma = Math.Max(meanAbsDeviation * 1.2533, globalSigma * 0.5);
                var z = deviations[i] / sigma;
                if (z > OutlierThreshold)
                {
                    jumps.Add(new OutlierJump(column.Name, frame.Timestamps[i + 1], v[i], v[i + 1], z));
                }

                // A flagged jump updates the scale only up to the threshold, so one bad print cannot hide the next.
                meanAbsDeviation += alpha * (Math.Min(deviations[i], OutlierThreshold * sigma / 1.2533) - meanAbsDeviation);
            }
        }

        return (jumps.Count, jumps.OrderByDescending(j => j.RobustZ).Take(ListLimit).ToList());
    }
}
