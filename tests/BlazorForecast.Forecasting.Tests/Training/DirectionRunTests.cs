using BlazorForecast.Forecasting.Data;
using BlazorForecast.Forecasting.Evaluation;
using BlazorForecast.Forecasting.Models;
using BlazorForecast.Forecasting.Training;

namespace BlazorForecast.Forecasting.Tests.Training;

public class DirectionRunTests
{
    private const double Phi = 0.1;

    // 55% rises: log returns with mean / deviation 0.1257 (see ReturnProcess.Drift), and a weak AR(1) signal.
    private static readonly ReturnProcess FiftyFive = new()
    {
        Phi = Phi,
        Drift = 0.1257 * 0.01 / Math.Sqrt(1 - (Phi * Phi)) * (1 - Phi),
        Alpha = 0,
        Beta = 0,
        DegreesOfFreedom = double.PositiveInfinity,
    };

    private static readonly ForecastConfig Config = new()
    {
        Targets = ["Close"],
        Transform = TargetTransform.LogReturn,
        Lookback = 4,
        Horizon = 1,
        Model = new ModelOptions { Kind = ModelKind.Mlp },
        Training = new TrainingOptions { MaxEpochs = 20, Device = DeviceChoice.Cpu, Seed = 1 },
        Direction = new DirectionTarget(),
    };

    [Fact]
    public void TheGeneratedSeries_RisesFiftyFivePercentOfTheTime()
    {
        var closes = GeneratedPrices.Generate(40_000, FiftyFive, seed: 1).Columns[0].Values;

        var rises = Enumerable.Range(1, closes.Length - 1).Count(t => closes[t] > closes[t - 1]) / (double)(closes.Length - 1);

        Assert.InRange(rises, 0.54, 0.56);
    }

    [Fact]
    public void ClassWeighting_RaisesBalancedAccuracy_OverThePlainModel_OnAFiftyFiveFortyFiveSeriesWithAWeakSignal()
    {
        var plain = new List<ScoredDirection>();
        var weighted = new List<ScoredDirection>();
        for (var seed = 0; seed < 6; seed++)
        {
            var frame = GeneratedPrices.Generate(3000, FiftyFive, 50_000 + seed);
            plain.AddRange(ForecastRunner.RunDirection(frame, Config with { Direction = new DirectionTarget { Weighting = ClassWeighting.None } }).Folds[0].Scored);
            weighted.AddRange(ForecastRunner.RunDirection(frame, Config).Folds[0].Scored);
        }

        var (p, w) = (DirectionClassification.Of(plain, 0), DirectionClassification.Of(weighted, 0));

        // The plain model leans on the majority: it calls a rise far more often than rises happen, so its falls go uncalled.
        Assert.True(p.Calls.UpCallRate > 0.75, $"The plain model called a rise {p.Calls.UpCallRate:P1} of the time.");
        Assert.InRange(w.Calls.UpCallRate, 0.35, 0.7);
        Assert.True(w.Calls.BalancedAccuracy > p.Calls.BalancedAccuracy + 0.005,
            $"Balanced accuracy: weighted {w.Calls.BalancedAccuracy:P2}, plain {p.Calls.BalancedAccuracy:P2}.");
    }

    [Fact]
    public void RunDirection_ScoresEveryTestWindow_AndItsModelForecastsProbabilities()
    {
        var frame = GeneratedPrices.Generate(1200, FiftyFive, seed: 9);
        var config = Config with { Horizon = 3, WalkForwardFolds = 2, Training = Config.Training with { Seeds = 2, MaxEpochs = 5 } };

        var run = ForecastRunner.RunDirection(frame, config);

        Assert.Equal(2, run.Folds.Count);
        foreach (var fold in run.Folds)
        {
            Assert.Equal(2, fold.Seeds.Count);
            Assert.Equal(fold.TestOrigins.Length, fold.TestProbabilities.Length);
            Assert.All(fold.TestProbabilities.SelectMany(p => p), p => Assert.InRange(p, 0, 1));
            Assert.Equal(fold.TestOrigins.Length - fold.Test.Flat, fold.Test.Count);
            Assert.Equal(fold.Scored.Count, fold.Test.Steps.Sum(s => s.Count));
            Assert.Equal(3, fold.Test.Steps.Count);
            Assert.NotEmpty(fold.Importance);
        }

        Assert.Equal(run.Folds.Sum(f => f.Test.Count), run.Pooled.Count);
        var periods = run.BacktestPeriods(frame);
        Assert.Equal(run.Folds.Sum(f => f.TestOrigins.Length), periods.Count);
        var closes = frame.Columns[0].Values;
        Assert.Equal((closes[run.Folds[1].TestOrigins[0]], closes[run.Folds[1].TestOrigins[0] + 1]), (periods[run.Folds[0].TestOrigins.Length].Price, periods[run.Folds[0].TestOrigins.Length].NextPrice));

        using var saved = new MemoryStream();
        run.Model.Save(saved);
        saved.Position = 0;
        var forecast = Forecaster.Forecast(ModelBundle.Load(saved), frame);
        Assert.True(forecast.IsDirection);
        Assert.Empty(forecast.Intervals);
        Assert.Equal(3, forecast.Values.Length);
        Assert.All(forecast.Values, v => Assert.InRange(v[0], 0, 1));

        Assert.Throws<ArgumentException>(() => ForecastRunner.Run(frame, config));
        Assert.Throws<ArgumentException>(() => ForecastRunner.RunDirection(frame, config with { Direction = null }));
    }
}
