using BlazorForecast.Forecasting.Data;
using BlazorForecast.Forecasting.Evaluation;
using BlazorForecast.Forecasting.Models;
using BlazorForecast.Forecasting.Training;

namespace BlazorForecast.Forecasting.Tests.Training;

public class ForecastRunnerTests
{
    private static readonly ForecastConfig Config = new()
    {
        Targets = ["Close"],
        Features = [new FeatureSpec(FeatureKind.Raw, "Close"), new FeatureSpec(FeatureKind.MovingAverage, "Close", 5), new FeatureSpec(FeatureKind.DayOfWeek)],
        Lookback = 20,
        Horizon = 3,
        Model = new ModelOptions { Kind = ModelKind.Mlp, HiddenSize = 32, Layers = 1, Dropout = 0 },
        Training = new TrainingOptions { MaxEpochs = 20, LearningRate = 5e-3, Seed = 3, Device = DeviceChoice.Cpu },
    };

    [Fact]
    public void Run_Chronological_ScoresEveryTestWindowWithIntervalsAndImportance()
    {
        var frame = SyntheticSeries.Sine(500, noise: 0.1);

        var result = ForecastRunner.Run(frame, Config);

        var fold = Assert.Single(result.Folds);
        Assert.Equal(fold.TestOrigins.Length, fold.Test.Windows);
        Assert.Equal(5, fold.Test.Methods.Count);
        Assert.Equal(2, fold.Coverage.Count);
        Assert.InRange(fold.Coverage[0].Coverage, 0.6, 1.0);
        Assert.InRange(fold.Coverage[1].Coverage, fold.Coverage[0].Coverage, 1.0);
        Assert.True(fold.Coverage[1].MeanWidth > fold.Coverage[0].MeanWidth);
        Assert.Equal(3, fold.Importance.Count);
        Assert.Equal("Close", fold.Importance[0].Feature);
        Assert.Equal(fold.Test.Model.Original.Overall.Rmse,
            Math.Sqrt(fold.TestForecasts.SelectMany((w, i) => w.Select((s, k) => Math.Pow(s[0] - frame.Columns[0].Values[fold.TestOrigins[i] + 1 + k], 2))).Average()), 9);
    }

    [Fact]
    public void Run_WalkForward_TrainsAndScoresEachFold()
    {
        var result = ForecastRunner.Run(SyntheticSeries.Sine(600, noise: 0.1), Config with
        {
            WalkForwardFolds = 3,
            Training = Config.Training with { MaxEpochs = 5 },
        });

        Assert.Equal(3, result.Folds.Count);
        Assert.Equal([0, 1, 2], result.Folds.Select(f => f.Split.Fold));
        var (mean, std) = result.AcrossFolds(f => f.Test.Model.Original.Overall.Rmse);
        Assert.Equal(result.Folds.Average(f => f.Test.Model.Original.Overall.Rmse), mean, 12);
        Assert.True(std >= 0);
    }

    [Fact]
    public void SavedModel_LoadedBack_ForecastsExactlyAsTheOriginal()
    {
        var frame = SyntheticSeries.Sine(400, noise: 0.1);
        var result = ForecastRunner.Run(frame, Config with { Training = Config.Training with { MaxEpochs = 3 } });
        var before = Forecaster.Forecast(result.Model, frame);

        using var file = new MemoryStream();
        result.Model.Save(file);
        file.Position = 0;
        var loaded = ModelBundle.Load(file);
        var after = Forecaster.Forecast(loaded, frame);

        Assert.Equal(before.Values.SelectMany(v => v), after.Values.SelectMany(v => v));
        Assert.Equal(before.Times, after.Times);
        Assert.Equal(3, after.Values.Length);
        Assert.Equal(before.Intervals[1].Upper[2][0], after.Intervals[1].Upper[2][0]);
        Assert.True(after.Intervals[1].Upper[2][0] > after.Values[2][0]);
    }

    [Fact]
    public void Load_NotAModel_SaysSo()
    {
        using var file = new MemoryStream("Date,Close\n"u8.ToArray());

        var error = Assert.Throws<InvalidDataException>(() => ModelBundle.Load(file));

        Assert.Equal("Not a BlazorForecast model file.", error.Message);
    }

    [Fact]
    public void Forecast_DataWithoutTheModelsColumns_IsRefused()
    {
        var result = ForecastRunner.Run(SyntheticSeries.Sine(300), Config with { Training = Config.Training with { MaxEpochs = 1 } });
        var other = new TimeSeriesFrame(SyntheticSeries.Sine(300).Timestamps, [new SeriesColumn("Price", "Price", ColumnRole.Close, new double[300])]);

        var error = Assert.Throws<ForecastConfigException>(() => Forecaster.Forecast(result.Model, other));

        Assert.Contains("no column 'Close'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_BadConfig_ListsEveryProblem()
    {
        var error = Assert.Throws<ForecastConfigException>(() => ForecastRunner.Run(SyntheticSeries.Sine(100), Config with { Lookback = 500, Targets = ["Close", "Open"] }));

        Assert.Contains(error.Problems, p => p.StartsWith("Unknown target column 'Open'", StringComparison.Ordinal));
    }

    [Fact]
    public void FutureTimes_FollowTheBusinessDayCalendar()
    {
        var friday = new DateTime(2024, 1, 5);

        var times = Forecaster.FutureTimes(friday, SeriesFrequency.BusinessDays, TimeSpan.FromDays(1), 3);

        Assert.Equal([new DateTime(2024, 1, 8), new DateTime(2024, 1, 9), new DateTime(2024, 1, 10)], times);
    }

    [Fact]
    public void ConformalQuantile_UsesTheFiniteSampleRank()
    {
        // 9 errors 1..9: level 0.8 → rank ceil(10·0.8) = 8 → 8; level 0.95 → rank 10 > 9 → unbounded.
        var intervals = ConformalIntervals.Fit([[Enumerable.Range(1, 9).Select(i => (double)i).ToList()]], [0.8, 0.95]);

        Assert.Equal(8, intervals.HalfWidth(0, 0, 0));
        Assert.Equal(double.PositiveInfinity, intervals.HalfWidth(1, 0, 0));
    }
}
