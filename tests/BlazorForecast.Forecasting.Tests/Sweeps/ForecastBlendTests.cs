using BlazorForecast.Forecasting.Data;
using BlazorForecast.Forecasting.Evaluation;
using BlazorForecast.Forecasting.Models;
using BlazorForecast.Forecasting.Sweeps;
using BlazorForecast.Forecasting.Training;

namespace BlazorForecast.Forecasting.Tests.Sweeps;

public sealed class ForecastBlendTests
{
    private static readonly TimeSeriesFrame Frame = GeneratedPrices.Generate(500, new ReturnProcess(), seed: 8);

    private static ForecastConfig Config(ModelKind kind, int lookback, int hidden = 8) => new()
    {
        Transform = TargetTransform.LogReturn,
        Lookback = lookback,
        Horizon = 2,
        Model = new ModelOptions { Kind = kind, HiddenSize = hidden, Layers = 1 },
        Training = new TrainingOptions { MaxEpochs = 3, Device = DeviceChoice.Cpu },
    };

    private static readonly Lazy<List<ForecastRunResult>> Runs = new(() =>
        [ForecastRunner.Run(Frame, Config(ModelKind.Mlp, 16)), ForecastRunner.Run(Frame, Config(ModelKind.DLinear, 24)), ForecastRunner.Run(Frame, Config(ModelKind.Mlp, 32, 16))]);

    [Fact]
    public void TopK_AveragesEveryRunsForecast_AndScoresTheBlendLikeAModel()
    {
        var blend = ForecastBlend.Of(Frame, Runs.Value, SweepEnsemble.TopK);

        Assert.Equal([1.0 / 3, 1.0 / 3, 1.0 / 3], blend.Weights);
        var fold = Runs.Value[0].Folds[0];
        Assert.Equal(fold.Test.Windows, blend.Test.Windows);
        Assert.Equal(["Model", "Naive", "Drift", "SeasonalNaive", "MovingAverage"], blend.Test.Methods.Select(m => m.Method));

        // The blend's test RMSE is that of the three runs' mean price forecasts, over every test origin and step.
        var close = Frame.Find("Close")!.Values;
        var squared = new List<double>();
        for (var w = 0; w < fold.TestOrigins.Length; w++)
        {
            for (var k = 0; k < 2; k++)
            {
                var mean = Runs.Value.Average(r => r.Folds[0].TestForecasts[w][k][0]);
                squared.Add(Math.Pow(mean - close[fold.TestOrigins[w] + 1 + k], 2));
            }
        }

        Assert.Equal(Math.Sqrt(squared.Average()), blend.Test.Model.Original.Overall.Rmse, 9);
        Assert.Equal(blend.Test.Method("Naive").Original.Overall.Rmse, fold.Test.Method("Naive").Original.Overall.Rmse, 12);
        Assert.NotEqual(fold.Test.Model.Original.Overall.Rmse, blend.Test.Model.Original.Overall.Rmse);
        Assert.Contains(blend.Assessment.Comparisons, c => c.Baseline == "Naive" && double.IsFinite(c.Overall.PValue));
        Assert.Equal(2, blend.Coverage.Count);
    }

    [Fact]
    public void Greedy_WeightsSumToOne_AndDoNoWorseOnValidationThanTheBestRunAlone()
    {
        var greedy = ForecastBlend.Of(Frame, Runs.Value, SweepEnsemble.Greedy);
        var single = Runs.Value.Select(r => ForecastBlend.Of(Frame, [r], SweepEnsemble.TopK).ValidationMse).Min();

        Assert.Equal(1, greedy.Weights.Sum(), 12);
        Assert.All(greedy.Weights, w => Assert.InRange(w, 0, 1));
        Assert.True(greedy.ValidationMse <= single + 1e-12, $"greedy {greedy.ValidationMse} against the best single {single}");
    }

    [Fact]
    public void RunsOfAnotherProblem_AreLeftOut()
    {
        var otherHorizon = ForecastRunner.Run(Frame, Config(ModelKind.Mlp, 16) with { Horizon = 3 });

        var blend = ForecastBlend.Of(Frame, [Runs.Value[0], otherHorizon, Runs.Value[1]], SweepEnsemble.TopK);

        Assert.Equal(2, blend.Members.Count);
        Assert.Equal([0.5, 0.5], blend.Weights);
        Assert.Equal([0, 2], blend.Included);
        Assert.Equal([0.5, null, 0.5], blend.WeightsOfGiven(3));
    }

    [Fact]
    public void TheBlend_IsTestedAgainstTheFirstRun_OnTheSameTestWindows()
    {
        var blend = ForecastBlend.Of(Frame, Runs.Value, SweepEnsemble.TopK);
        var first = Runs.Value[0].Folds[0];

        var versus = blend.VersusFirst;

        Assert.Equal(ForecastBlend.FirstMemberName, versus.Baseline);
        Assert.Equal((blend.Test.Model.Original.Overall.Rmse / first.Test.Model.Original.Overall.Rmse) - 1, versus.RmseChange, 9);
        Assert.Equal(first.TestOrigins.Length, versus.Overall.Count);
        Assert.InRange(versus.Overall.PValue, 0, 1);

        // A blend of the first run alone is the first run: no difference at all.
        var alone = ForecastBlend.Of(Frame, [Runs.Value[0]], SweepEnsemble.TopK).VersusFirst;
        Assert.Equal(0, alone.RmseChange, 12);
    }

    [Fact]
    public void ThePredictions_HoldTheBlendedForecastsAndBands_WithNothingBeyondTheData()
    {
        var blend = ForecastBlend.Of(Frame, Runs.Value, SweepEnsemble.TopK);

        var set = PredictionSet.FromBytes(blend.Predictions().ToBytes());

        Assert.Null(set.Future);
        var fold = Assert.Single(set.Folds);
        Assert.Equal(blend.Fold.TestOrigins, fold.Test.Origins);
        var expected = Runs.Value.Average(r => r.Folds[0].TestForecasts[5][1][0]);
        Assert.Equal(expected, fold.Test.Values[5][1][0], 4);
        Assert.Equal(blend.Fold.Bands.TestHalfWidths[0][5][1][0], fold.Test.HalfWidths![0][5][1][0]);
        Assert.Empty(blend.Fold.Importance);
    }
}
