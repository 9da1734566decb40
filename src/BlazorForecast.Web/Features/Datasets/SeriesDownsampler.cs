namespace BlazorForecast.Web.Features.Datasets;

/// <summary>Candles for a window of a series: one per row, or one per bucket of rows when the window is long.</summary>
public sealed record CandleData(DateTime[] Time, double[] Open, double[] High, double[] Low, double[] Close);

/// <summary>Points of a line: every row, or each bucket's extremes in time order when the window is long.</summary>
public sealed record LineData(DateTime[] Time, double[] Values);

/// <summary>
/// Shrinks long series for the browser on the server, keeping what matters to an analyst: candles aggregate their
/// bucket (first open, highest high, lowest low, last close), lines keep each bucket's minimum and maximum, and volume
/// bars sum their bucket, so no spike disappears however far the chart is zoomed out.
/// </summary>
public static class SeriesDownsampler
{
    /// <summary>Row range [From, To) whose timestamps fall inside [start, end]; the whole series for nulls.</summary>
    public static (int From, int To) Window(DateTime[] time, DateTime? start, DateTime? end)
    {
        ArgumentNullException.ThrowIfNull(time);
        var from = start is null ? 0 : LowerBound(time, start.Value);
        var to = end is null ? time.Length : UpperBound(time, end.Value);

        // Keep a neighbour on each side so lines run to the edges of the visible range.
        return (Math.Max(0, from - 1), Math.Min(time.Length, Math.Max(to + 1, from)));
    }

    public static CandleData Candles(DateTime[] time, double[] open, double[] high, double[] low, double[] close, int from, int to, int maxCandles)
    {
        ArgumentNullException.ThrowIfNull(time);
        var buckets = Buckets(from, to, maxCandles);
        var result = new CandleData(new DateTime[buckets.Count], new double[buckets.Count], new double[buckets.Count], new double[buckets.Count], new double[buckets.Count]);
        for (var b = 0; b < buckets.Count; b++)
        {
            var (start, end) = buckets[b];
            var hi = double.MinValue;
            var lo = double.MaxValue;
            for (var i = start; i < end; i++)
            {
                hi = Math.Max(hi, high[i]);
                lo = Math.Min(lo, low[i]);
            }

            result.Time[b] = time[start];
            result.Open[b] = open[start];
            result.High[b] = hi;
            result.Low[b] = lo;
            result.Close[b] = close[end - 1];
        }

        return result;
    }

    public static LineData MinMax(DateTime[] time, double[] values, int from, int to, int maxPoints)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(values);
        if (to - from <= maxPoints)
        {
            return new LineData(time[from..to], values[from..to]);
        }

        var buckets = Buckets(from, to, Math.Max(1, maxPoints / 2));
        var t = new List<DateTime>(buckets.Count * 2);
        var v = new List<double>(buckets.Count * 2);
        foreach (var (start, end) in buckets)
        {
            var min = start;
            var max = start;
            for (var i = start + 1; i < end; i++)
            {
                if (values[i] < values[min])
                {
                    min = i;
                }

                if (values[i] > values[max])
                {
                    max = i;
                }
            }

            var (first, second) = min <= max ? (min, max) : (max, min);
            t.Add(time[first]);
            v.Add(values[first]);
            if (second != first)
            {
                t.Add(time[second]);
                v.Add(values[second]);
            }
        }

        return new LineData([.. t], [.. v]);
    }

    public static LineData Sums(DateTime[] time, double[] values, int from, int to, int maxBars)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(values);
        var buckets = Buckets(from, to, maxBars);
        var t = new DateTime[buckets.Count];
        var v = new double[buckets.Count];
        for (var b = 0; b < buckets.Count; b++)
        {
            var (start, end) = buckets[b];
            t[b] = time[start];
            for (var i = start; i < end; i++)
            {
                v[b] += values[i];
            }
        }

        return new LineData(t, v);
    }

    private static List<(int Start, int End)> Buckets(int from, int to, int maxBuckets)
    {
        var count = to - from;
        var buckets = new List<(int, int)>(Math.Min(count, maxBuckets));
        if (count <= 0)
        {
            return buckets;
        }

        var size = (int)Math.Ceiling(count / (double)Math.Max(1, maxBuckets));
        for (var start = from; start < to; start += size)
        {
            buckets.Add((start, Math.Min(to, start + size)));
        }

        return buckets;
    }

    private static int LowerBound(DateTime[] time, DateTime value)
    {
        var index = Array.BinarySearch(time, value);
        return index >= 0 ? index : ~index;
    }

    private static int UpperBound(DateTime[] time, DateTime value)
    {
        var index = Array.BinarySearch(time, value);
        return index >= 0 ? index + 1 : ~index;
    }
}
