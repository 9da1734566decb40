using BlazorForecast.Forecasting.Data;

namespace BlazorForecast.Forecasting.Tests.Data;

public class SyntheticMarketDataTests
{
    [Fact]
    public void Generate_SameSeed_GivesSameSeries()
    {
        var a = SyntheticMarketData.Generate(100, seed: 3);
        var b = SyntheticMarketData.Generate(100, seed: 3);
        var c = SyntheticMarketData.Generate(100, seed: 4);

        Assert.Equal(a.Find(ColumnRole.Close)!.Values, b.Find(ColumnRole.Close)!.Values);
        Assert.NotEqual(a.Find(ColumnRole.Close)!.Values, c.Find(ColumnRole.Close)!.Values);
    }

    [Fact]
    public void Generate_ProducesConsistentBusinessDayOhlc()
    {
        var frame = SyntheticMarketData.Generate(2000, seed: 1);
        var open = frame.Find(ColumnRole.Open)!.Values;
        var high = frame.Find(ColumnRole.High)!.Values;
        var low = frame.Find(ColumnRole.Low)!.Values;
        var close = frame.Find(ColumnRole.Close)!.Values;

        Assert.All(frame.Timestamps, t => Assert.NotEqual(DayOfWeek.Saturday, t.DayOfWeek));
        for (var i = 0; i < frame.RowCount; i++)
        {
            Assert.True(high[i] >= Math.Max(open[i], close[i]) && low[i] <= Math.Min(open[i], close[i]) && low[i] > 0, $"row {i}");
        }

        Assert.Equal(SeriesFrequency.BusinessDays, QualityAnalyzer.DetectFrequency(frame.Timestamps).Frequency);
    }
}
