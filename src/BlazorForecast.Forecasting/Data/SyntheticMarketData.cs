using System.Globalization;
using System.Text;

namespace BlazorForecast.Forecasting.Data;

/// <summary>
/// Seeded synthetic OHLCV prices (a mean-reverting log random walk with volatility clustering) on business days. Used for
/// the clearly labelled demo dataset and for import benchmarks; never presented as market data.
/// </summary>
public static class SyntheticMarketData
{
    private const double MeanReversion = 0.001;

    public static TimeSeriesFrame Generate(int rows, int seed, DateTime? start = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        var random = new Random(seed);
        var timestamps = new DateTime[rows];
        var open = new double[rows];
        var high = new double[rows];
        var low = new double[rows];
        var close = new double[rows];
        var volume = new double[rows];

        var day = DateTime.SpecifyKind(start ?? new DateTime(2015, 1, 2), DateTimeKind.Utc);
        var price = 100.0;
        var volatility = 0.012;
        for (var i = 0; i < rows; i++)
        {
            while (day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday)
            {
                day = day.AddDays(1);
            }

            var shock = Gaussian(random);
            volatility = Math.Clamp((0.94 * volatility) + (0.06 * 0.012) + (0.002 * Math.Abs(shock) * volatility * 10), 0.004, 0.06);
            var gap = volatility * 0.3 * Gaussian(random);
            var o = price * Math.Exp(gap);
            // A slow pull of the log price towards 100 keeps long series (a million rows) in a realistic range.
            var reversion = -MeanReversion * Math.Log(o / 100);
            var c = o * Math.Exp(reversion + 0.0002 - (volatility * volatility / 2) + (volatility * shock));
            timestamps[i] = day;
            open[i] = Math.Round(o, 4);
            close[i] = Math.Round(c, 4);
            high[i] = Math.Round(Math.Max(o, c) * (1 + (volatility * 0.5 * random.NextDouble())), 4);
            low[i] = Math.Round(Math.Min(o, c) * (1 - (volatility * 0.5 * random.NextDouble())), 4);
            volume[i] = Math.Round(1_000_000 * Math.Exp(0.5 * Gaussian(random)) * (1 + (20 * volatility)));
            price = c;
            day = day.AddDays(1);
        }

        return new TimeSeriesFrame(timestamps,
        [
            new SeriesColumn("Open", "Open", ColumnRole.Open, open),
            new SeriesColumn("High", "High", ColumnRole.High, high),
            new SeriesColumn("Low", "Low", ColumnRole.Low, low),
            new SeriesColumn("Close", "Close", ColumnRole.Close, close),
            new SeriesColumn("Volume", "Volume", ColumnRole.Volume, volume),
        ]);
    }

    /// <summary>Writes a generated series as a Yahoo-style CSV file (for benchmarks).</summary>
    public static void WriteYahooCsv(string path, int rows, int seed)
    {
        var frame = Generate(rows, seed, new DateTime(1900, 1, 1));
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 16);
        writer.Write("Date,Open,High,Low,Close,Adj Close,Volume\n");
        var columns = frame.Columns;
        for (var r = 0; r < frame.RowCount; r++)
        {
            writer.Write(frame.Timestamps[r].ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            for (var c = 0; c < 4; c++)
            {
                writer.Write(',');
                writer.Write(columns[c].Values[r].ToString("F6", CultureInfo.InvariantCulture));
            }

            writer.Write(',');
            writer.Write(columns[3].Values[r].ToString("F6", CultureInfo.InvariantCulture));
            writer.Write(',');
            writer.Write(columns[4].Values[r].ToString("F0", CultureInfo.InvariantCulture));
            writer.Write('\n');
        }
    }

    private static double Gaussian(Random random)
    {
        // Box-Muller; 1 - NextDouble() keeps the logarithm's argument in (0, 1].
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
