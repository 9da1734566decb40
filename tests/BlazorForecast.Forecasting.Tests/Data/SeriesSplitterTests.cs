using BlazorForecast.Forecasting.Data;

namespace BlazorForecast.Forecasting.Tests.Data;

public class SeriesSplitterTests
{
    [Fact]
    public void Chronological_ExchangeRateRows_MatchTheDLinearSplit()
    {
        var split = SeriesSplitter.Chronological(7588);

        Assert.Equal(new Segment(0, 5311), split.Train);
        Assert.Equal(new Segment(5311, 6071), split.Validation);
        Assert.Equal(new Segment(6071, 7588), split.Test);
    }

    [Theory]
    [InlineData(96, 1422)]
    [InlineData(192, 1326)]
    [InlineData(336, 1182)]
    [InlineData(720, 798)]
    public void TestWindows_ExchangeRate_CountLikeThePaper(int horizon, int expected)
    {
        var split = SeriesSplitter.Chronological(7588);

        var origins = ForecastWindows.Origins(split.Test, lookback: 336, horizon);

        Assert.Equal(expected, origins.Length);
    }

    [Fact]
    public void Windows_KeepTargetsInsideTheirSegment_InputsMayReachBack()
    {
        var segment = new Segment(100, 150);

        var origins = ForecastWindows.Origins(segment, lookback: 30, horizon: 5);

        Assert.Equal(99, origins[0]);
        Assert.Equal(144, origins[^1]);
        Assert.All(origins, t => Assert.True(t + 1 >= segment.Start && t + 5 < segment.End));
    }

    [Fact]
    public void TrainWindows_StartAfterLookbackAndWarmUp()
    {
        var origins = ForecastWindows.Origins(new Segment(0, 100), lookback: 10, horizon: 3, firstUsableRow: 5);

        Assert.Equal(14, origins[0]);
        Assert.Equal(96, origins[^1]);
    }

    [Fact]
    public void Windows_SegmentShorterThanHorizon_HasNone() =>
        Assert.Empty(ForecastWindows.Origins(new Segment(0, 4), lookback: 2, horizon: 5));

    [Fact]
    public void WalkForward_Expanding_TilesTheTestPartInOrder()
    {
        var folds = SeriesSplitter.WalkForward(1000, folds: 4, WalkForwardMode.Expanding);

        Assert.Equal(4, folds.Count);
        Assert.Equal([800, 850, 900, 950], folds.Select(f => f.Test.Start));
        Assert.All(folds, f =>
        {
            Assert.Equal(0, f.Train.Start);
            Assert.Equal(f.Train.End, f.Validation.Start);
            Assert.Equal(f.Validation.End, f.Test.Start);
            Assert.Equal(100, f.Validation.Length);
        });
        Assert.Equal(1000, folds[^1].Test.End);
    }

    [Fact]
    public void WalkForward_Rolling_KeepsTheTrainingLength()
    {
        var folds = SeriesSplitter.WalkForward(1000, folds: 4, WalkForwardMode.Rolling);

        Assert.All(folds, f => Assert.Equal(700, f.Train.Length));
        Assert.Equal([0, 50, 100, 150], folds.Select(f => f.Train.Start));
    }

    [Fact]
    public void Scaler_StatisticsEqualTheTrainingSegmentOnly()
    {
        double[] column = [1, 2, 3, 4, 100, 200];

        var scaler = StandardScaler.Fit([column], 0, 4);

        Assert.Equal(2.5, scaler.Means[0]);
        Assert.Equal(Math.Sqrt(1.25), scaler.Deviations[0], 12);
        Assert.Equal((100 - 2.5) / Math.Sqrt(1.25), scaler.Transform(0, 100), 10);
        Assert.Equal(100, scaler.Inverse(0, scaler.Transform(0, 100)), 10);
    }

    [SkippableFact]
    public void Scaler_OnExchangeRateTrainRows_MatchesThePublishedStatistics()
    {
        using var stream = File.OpenRead(SharedDatasets.PathOf("exchange_rate.csv"));
        var frame = CsvImporter.Import(stream, new CsvImportOptions()).Frame;
        var split = SeriesSplitter.Chronological(frame.RowCount);

        var scaler = StandardScaler.Fit(frame.Columns.Select(c => c.Values).ToList(), split.Train.Start, split.Train.End);

        Assert.Equal(0.722936, scaler.Means[0], 6);
        Assert.Equal(0.103108, scaler.Deviations[0], 6);
        Assert.Equal(0.604825, scaler.Means[7], 6);
        Assert.Equal(0.095299, scaler.Deviations[7], 6);
    }
}
