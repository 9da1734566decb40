using BlazorForecast.Forecasting.Data;
using BlazorForecast.Forecasting.Evaluation;
using BlazorForecast.Forecasting.Models;
using BlazorForecast.Forecasting.Training;
using static TorchSharp.torch;

namespace BlazorForecast.Forecasting.Tests.Training;

public class DirectionTargetTests
{
    private static readonly ForecastConfig Config = new()
    {
        Targets = ["Close"],
        Transform = TargetTransform.LogReturn,
        Lookback = 3,
        Horizon = 2,
        Direction = new DirectionTarget { DeadZone = 0.01 },
    };

    private static TimeSeriesFrame Frame(params double[] closes) => new(
        closes.Select((_, i) => new DateTime(2024, 1, 1).AddDays(i)).ToArray(),
        [new SeriesColumn("Close", "Close", ColumnRole.Close, closes)]);

    [Fact]
    public void Labels_AreEachStepsMoveFromTheOrigin_FlatWithinTheDeadZone()
    {
        // From 100 at row 3: 100.5 is within ±1% (flat), 102 two rows later is up. From 100.5 at row 4: 102 is up
        // (+1.5%), and 99 two rows later is down (−1.5%) although the row before rose: each step counts from the origin.
        var frame = Frame(100, 100, 100, 100, 100.5, 102, 99, 100.6);
        var problem = WindowedProblem.Prepare(frame, Config, new SeriesSplit(new Segment(0, 4), new Segment(4, 6), new Segment(6, 8)));

        Assert.Equal([0, 1], problem.DirectionLabels(3));
        Assert.Equal([1, -1], problem.DirectionLabels(4));
        Assert.Equal((sbyte)-1, DirectionTarget.Label(102, 100.5, 0.01));
        Assert.Equal((sbyte)0, DirectionTarget.Label(102, 101, 0.01));
        Assert.Equal((sbyte)0, DirectionTarget.Label(102, 102, 0));
        using var scope = NewDisposeScope();
        var (_, y) = problem.Batch([3, 4], CPU);
        Assert.Equal([0f, 1f, 1f, -1f], y.data<float>().ToArray());
    }

    [Fact]
    public void Oversampling_DrawsTheRarerNextRowDirectionUntilBothAreAsMany_FromTrainingWindowsOnly()
    {
        var frame = GeneratedPrices.Generate(400, new ReturnProcess { Drift = 0.004, Alpha = 0, Beta = 0 }, seed: 5);
        var config = Config with { Direction = new DirectionTarget { Oversample = true }, Lookback = 10 };
        var problem = WindowedProblem.Prepare(frame, config, SeriesSplitter.Chronological(400));

        var order = problem.TrainingOrder(epochSeed: 7);

        var ups = order.Count(o => problem.DirectionLabels(o)[0] > 0);
        var downs = order.Count(o => problem.DirectionLabels(o)[0] < 0);
        Assert.True(problem.TrainOrigins.Count(o => problem.DirectionLabels(o)[0] > 0) > problem.TrainOrigins.Length * 0.6, "The drift makes rises common.");
        Assert.Equal(ups, downs);
        Assert.All(order, o => Assert.Contains(o, problem.TrainOrigins));
        Assert.Equal(problem.TrainOrigins.Order(), order.Distinct().Order());
        Assert.Equal(order, problem.TrainingOrder(epochSeed: 7));
        Assert.Equal(problem.TrainOrigins.Length, WindowedProblem.Prepare(frame, Config with { Lookback = 10 }, SeriesSplitter.Chronological(400)).TrainingOrder(7).Length);
    }

    [Fact]
    public void ClassWeights_AreFitOnTheTrainingPartOnly()
    {
        var frame = GeneratedPrices.Generate(400, new ReturnProcess { Drift = 0.004, Alpha = 0, Beta = 0 }, seed: 5);
        var changed = GeneratedPrices.Generate(400, new ReturnProcess { Drift = 0.004, Alpha = 0, Beta = 0 }, seed: 5);
        var split = SeriesSplitter.Chronological(400);
        for (var i = split.Validation.Start + 5; i < 400; i++)
        {
            changed.Columns[0].Values[i] = 1000 - i;
        }

        var config = Config with { Direction = new DirectionTarget(), Lookback = 10 };
        var weights = (DirectionLoss)WindowedProblem.Prepare(frame, config, split).Loss;
        var same = (DirectionLoss)WindowedProblem.Prepare(changed, config, split).Loss;

        Assert.Equal(weights.UpWeights, same.UpWeights);
        Assert.Equal(weights.DownWeights, same.DownWeights);
        Assert.True(weights.DownWeights[0] > 1 && weights.UpWeights[0] < 1, "Falls are rarer, so they weigh more.");
    }

    [Fact]
    public void Problems_RefuseWhatADirectionTargetCannotDo()
    {
        var frame = GeneratedPrices.Generate(300, new ReturnProcess(), seed: 1);
        var rising = Frame(Enumerable.Range(0, 300).Select(i => 100.0 + i).ToArray());

        Assert.Contains("Anchoring to the last value forecasts values; a direction model outputs the probability of a rise, so turn anchoring off.",
            (Config with { Model = new ModelOptions { AnchorToLastValue = true } }).Problems(frame));
        Assert.Contains("The dead zone must be at least 0% and below 50% of the value.", (Config with { Direction = new DirectionTarget { DeadZone = -0.1 } }).Problems(frame));
        Assert.Contains("The trading threshold must be a probability of at least 0.5 and below 1.", (Config with { Direction = new DirectionTarget { Threshold = 0.4 } }).Problems(frame));
        Assert.Contains("The focal loss's γ must be between 0 and 10.", (Config with { Direction = new DirectionTarget { FocalGamma = double.NaN } }).Problems(frame));
        Assert.Contains("the training part has no down moves beyond the dead zone (0.00 %), so there is nothing to tell apart.",
            string.Join(" ", (Config with { Direction = new DirectionTarget() }).Problems(rising)), StringComparison.Ordinal);
        Assert.Contains("the training part has no up moves beyond the dead zone (1.00 %)", string.Join(" ", Config.Problems(rising)), StringComparison.Ordinal);
        Assert.Empty(Config.Problems(frame));
    }
}
