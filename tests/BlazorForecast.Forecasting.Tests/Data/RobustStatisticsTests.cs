using BlazorForecast.Forecasting.Data;

namespace BlazorForecast.Forecasting.Tests.Data;

public class RobustStatisticsTests
{
    [Theory]
    [InlineData(new[] { 3.0 }, 3.0)]
    [InlineData(new[] { 5.0, 1, 3 }, 3.0)]
    [InlineData(new[] { 4.0, 1, 3, 2 }, 2.5)]
    [InlineData(new[] { 7.0, 7, 7, 1, 7 }, 7.0)]
    public void Median_MatchesHandComputedValues(double[] values, double expected) =>
        Assert.Equal(expected, RobustStatistics.Median(values));

    [Fact]
    public void Median_OfShuffledLargeInput_EqualsSortedMiddle_AndLeavesInputAlone()
    {
        var random = new Random(11);
        var values = Enumerable.Range(0, 10_001).Select(_ => random.NextDouble()).ToArray();
        var copy = (double[])values.Clone();
        var sorted = values.Order().ToArray();

        Assert.Equal(sorted[5000], RobustStatistics.Median(values));
        Assert.Equal(copy, values);
    }
}
