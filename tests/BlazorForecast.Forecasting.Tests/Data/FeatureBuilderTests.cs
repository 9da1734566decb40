using BlazorForecast.Forecasting.Data;

namespace BlazorForecast.Forecasting.Tests.Data;

public class FeatureBuilderTests
{
    private static readonly double[] Prices = [10, 11, 10.5, 12, 12.5, 12, 13];

    private static TimeSeriesFrame Frame(double[] close, double[]? volume = null)
    {
        var time = Enumerable.Range(0, close.Length).Select(i => new DateTime(2024, 1, 1).AddDays(i)).ToArray();
        var columns = new List<SeriesColumn> { new("Close", "Close", ColumnRole.Close, close) };
        if (volume is not null)
        {
            columns.Add(new SeriesColumn("Volume", "Volume", ColumnRole.Volume, volume));
        }

        return new TimeSeriesFrame(time, columns);
    }

    private static double[] Feature(FeatureKind kind, int window = 0, double[]? prices = null) =>
        FeatureBuilder.Compute(Frame(prices ?? Prices), new FeatureSpec(kind, "Close", window));

    [Fact]
    public void Returns_AreSimpleAndLog()
    {
        Assert.Equal(0.1, Feature(FeatureKind.Return)[1], 12);
        Assert.Equal(Math.Log(11 / 10.0), Feature(FeatureKind.LogReturn)[1], 12);
        Assert.True(double.IsNaN(Feature(FeatureKind.Return)[0]));
    }

    [Fact]
    public void MovingAverage_MatchesHandComputed()
    {
        var sma = Feature(FeatureKind.MovingAverage, 3);

        Assert.True(double.IsNaN(sma[1]));
        Assert.Equal((10 + 11 + 10.5) / 3, sma[2], 12);
        Assert.Equal((12.5 + 12 + 13) / 3, sma[6], 12);
    }

    [Fact]
    public void ExponentialMovingAverage_SeedsWithAverageThenSmooths()
    {
        var ema = Feature(FeatureKind.ExponentialMovingAverage, 3);
        var seed = (10 + 11 + 10.5) / 3;

        Assert.Equal(seed, ema[2], 12);
        Assert.Equal(seed + (0.5 * (12 - seed)), ema[3], 12);
    }

    [Fact]
    public void Rsi_UsesWildersAverages()
    {
        // Changes: +1, -0.5, +1.5 → gains 2.5/3, losses 0.5/3 → RS 5 → RSI 83.33.
        var rsi = Feature(FeatureKind.RelativeStrengthIndex, 3);

        Assert.Equal(100 - (100 / 6.0), rsi[3], 10);
        Assert.InRange(rsi[6], 0, 100);
    }

    [Fact]
    public void RsiOfOnlyRises_Is100()
    {
        var rsi = Feature(FeatureKind.RelativeStrengthIndex, 3, [1, 2, 3, 4, 5]);

        Assert.Equal(100, rsi[4]);
    }

    [Fact]
    public void RollingVolatility_IsSampleStdOfLogReturns()
    {
        var vol = Feature(FeatureKind.RollingVolatility, 3);
        double[] r = [Math.Log(11 / 10.0), Math.Log(10.5 / 11), Math.Log(12 / 10.5)];
        var mean = r.Average();
        var expected = Math.Sqrt(r.Sum(x => (x - mean) * (x - mean)) / 2);

        Assert.True(double.IsNaN(vol[2]));
        Assert.Equal(expected, vol[3], 12);
    }

    [Fact]
    public void VolumeZScore_StandardisesOverTheWindow()
    {
        var frame = Frame(Prices, [100, 100, 100, 400, 100, 100, 100]);

        var z = FeatureBuilder.Compute(frame, new FeatureSpec(FeatureKind.VolumeZScore, "Volume", 4));

        Assert.Equal((400 - 175) / Math.Sqrt(((3 * 75 * 75) + (225 * 225)) / 3.0), z[3], 10);
    }

    [Fact]
    public void DayOfWeek_IsMondayZero()
    {
        var day = FeatureBuilder.Compute(Frame(Prices), new FeatureSpec(FeatureKind.DayOfWeek));

        Assert.Equal(0, day[0]); // 2024-01-01 was a Monday
        Assert.Equal(6, day[6]);
    }

    [Fact]
    public void Features_AreCausal_ChangingTheFutureChangesNoEarlierValue()
    {
        var specs = Enum.GetValues<FeatureKind>().Where(k => k != FeatureKind.VolumeZScore)
            .Select(k => new FeatureSpec(k, k == FeatureKind.DayOfWeek ? null : "Close", 3)).ToList();
        var original = FeatureBuilder.Build(Frame(Prices), specs);
        var changed = (double[])Prices.Clone();
        changed[5] = 99;

        var after = FeatureBuilder.Build(Frame(changed), specs);

        for (var f = 0; f < specs.Count; f++)
        {
            Assert.Equal(original.Columns[f].Take(5), after.Columns[f].Take(5));
        }

        Assert.Equal(3, original.FirstValidRow);
    }

    [Fact]
    public void UnknownColumn_IsRejectedWithItsName()
    {
        var error = Assert.Throws<ArgumentException>(() => FeatureBuilder.Compute(Frame(Prices), new FeatureSpec(FeatureKind.Raw, "Open")));

        Assert.Contains("'Open'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(TargetTransform.Level)]
    [InlineData(TargetTransform.Return)]
    [InlineData(TargetTransform.LogReturn)]
    public void TargetTransform_ToLevels_RebuildsTheOriginalPath(TargetTransform transform)
    {
        var transformed = TargetTransforms.Apply(Prices, transform);

        var levels = TargetTransforms.ToLevels(Prices[2], transformed.AsSpan(3), transform);

        for (var k = 0; k < levels.Length; k++)
        {
            Assert.Equal(Prices[3 + k], levels[k], 10);
        }
    }
}
