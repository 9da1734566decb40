using BlazorForecast.Forecasting.Data;

namespace BlazorForecast.Forecasting.Tests.Training;

/// <summary>Small seeded series for training tests.</summary>
internal static class SyntheticSeries
{
    public static TimeSeriesFrame Sine(int rows = 600, double period = 25, double noise = 0, int seed = 1)
    {
        var random = new Random(seed);
        var time = Enumerable.Range(0, rows).Select(i => new DateTime(2020, 1, 1).AddDays(i)).ToArray();
        var values = Enumerable.Range(0, rows)
            .Select(i => 10 + Math.Sin(2 * Math.PI * i / period) + (noise * ((random.NextDouble() * 2) - 1)))
            .ToArray();
        return new TimeSeriesFrame(time, [new SeriesColumn("Close", "Close", ColumnRole.Close, values)]);
    }
}
