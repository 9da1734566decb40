using MathNet.Numerics.Distributions;

namespace BlazorForecast.Forecasting.Data;

/// <summary>
/// The return process of a generated price series: GARCH(1,1) volatility clustering around a daily volatility of
/// <see cref="Volatility"/> (none with <see cref="Alpha"/> and <see cref="Beta"/> at 0), Student-t shocks with
/// <see cref="DegreesOfFreedom"/> (fat tails; infinity for normal shocks), an AR(1) coefficient <see cref="Phi"/> (0: a
/// random walk with nothing to predict), a drift added to every log return, and volatility regimes that scale the
/// shocks from a row on.
/// </summary>
public sealed record ReturnProcess
{
    public double Phi { get; init; }

    /// <summary>
    /// Added to every log return: with normal shocks and no GARCH the returns' mean is Drift / (1 − Phi) and their
    /// deviation Volatility / √(1 − Phi²), so the share of rises is Φ(mean / deviation) (0.55 at a ratio of 0.1257).
    /// </summary>
    public double Drift { get; init; }

    public double Volatility { get; init; } = 0.01;

    /// <summary>GARCH weight of the last squared shock.</summary>
    public double Alpha { get; init; } = 0.08;

    /// <summary>GARCH weight of the last variance.</summary>
    public double Beta { get; init; } = 0.9;

    public double DegreesOfFreedom { get; init; } = 5;

    /// <summary>From each row on, the shocks are multiplied by the scale (until the next regime).</summary>
    public IReadOnlyList<(int FromRow, double Scale)> Regimes { get; init; } = [];
}

/// <summary>
/// Seeded price series with known properties on business days, for benchmarks and tests of the statistics: whether a
/// significance test finds a signal that is there (AR returns) and not one that is not (a random walk), and whether
/// intervals hold when volatility changes. Never presented as market data.
/// </summary>
public static class GeneratedPrices
{
    public static TimeSeriesFrame Generate(int rows, ReturnProcess process, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 2);
        ArgumentNullException.ThrowIfNull(process);
        var random = new Random(seed);
        var gaussian = double.IsPositiveInfinity(process.DegreesOfFreedom);
        var shockScale = gaussian ? 1 : Math.Sqrt((process.DegreesOfFreedom - 2) / process.DegreesOfFreedom);
        var longRun = process.Volatility * process.Volatility;
        var omega = longRun * (1 - process.Alpha - process.Beta);
        var (variance, shock, previous) = (longRun, 0.0, 0.0);
        var times = new DateTime[rows];
        var close = new double[rows];
        var day = new DateTime(2000, 1, 3, 0, 0, 0, DateTimeKind.Utc);
        var price = 100.0;
        for (var t = 0; t < rows; t++)
        {
            while (day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday)
            {
                day = day.AddDays(1);
            }

            variance = omega + (process.Alpha * shock * shock) + (process.Beta * variance);
            shock = Math.Sqrt(variance) * (gaussian ? Normal.Sample(random, 0, 1) : StudentT.Sample(random, 0, shockScale, process.DegreesOfFreedom));
            var change = process.Drift + (process.Phi * previous) + (RegimeScale(process, t) * shock);
            price *= Math.Exp(t == 0 ? 0 : change);
            previous = t == 0 ? 0 : change;
            times[t] = day;
            close[t] = price;
            day = day.AddDays(1);
        }

        return new TimeSeriesFrame(times, [new SeriesColumn("Close", "Close", ColumnRole.Close, close)]);
    }

    private static double RegimeScale(ReturnProcess process, int row)
    {
        var scale = 1.0;
        foreach (var (from, value) in process.Regimes)
        {
            if (row >= from)
            {
                scale = value;
            }
        }

        return scale;
    }
}
