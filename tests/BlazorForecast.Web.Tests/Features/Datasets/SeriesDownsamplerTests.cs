using BlazorForecast.Web.Features.Datasets;

namespace BlazorForecast.Web.Tests.Features.Datasets;

public class SeriesDownsamplerTests
{
    private static readonly DateTime[] Time = Enumerable.Range(0, 10).Select(i => new DateTime(2024, 1, 1).AddDays(i)).ToArray();

    [Fact]
    public void Candles_AggregateEachBucket()
    {
        double[] open = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
        double[] high = [2, 3, 9, 5, 6, 7, 8, 9, 10, 11];
        double[] low = [0.5, 1, 2, 3, 4, 0.1, 6, 7, 8, 9];
        double[] close = [1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5, 8.5, 9.5, 10.5];

        var candles = SeriesDownsampler.Candles(Time, open, high, low, close, 0, 10, maxCandles: 2);

        Assert.Equal([Time[0], Time[5]], candles.Time);
        Assert.Equal([1.0, 6], candles.Open);
        Assert.Equal([9.0, 11], candles.High);
        Assert.Equal([0.5, 0.1], candles.Low);
        Assert.Equal([5.5, 10.5], candles.Close);
    }

    [Fact]
    public void MinMax_KeepsASingleSpikeInTimeOrder()
    {
        double[] values = [1, 1, 1, 50, 1, 1, 1, 1, -20, 1];

        var line = SeriesDownsampler.MinMax(Time, values, 0, 10, maxPoints: 4);

        Assert.Contains(50.0, line.Values);
        Assert.Contains(-20.0, line.Values);
        Assert.Equal(line.Time.OrderBy(t => t), line.Time);
        Assert.True(line.Values.Length <= 4);
    }

    [Fact]
    public void Sums_AddVolumePerBucket()
    {
        var bars = SeriesDownsampler.Sums(Time, Enumerable.Repeat(10.0, 10).ToArray(), 0, 10, maxBars: 5);

        Assert.Equal([20.0, 20, 20, 20, 20], bars.Values);
    }

    [Fact]
    public void Window_FindsRowsInRangeWithOneNeighbourEachSide()
    {
        var (from, to) = SeriesDownsampler.Window(Time, new DateTime(2024, 1, 4), new DateTime(2024, 1, 6));

        Assert.Equal(2, from);
        Assert.Equal(7, to);
    }
}
