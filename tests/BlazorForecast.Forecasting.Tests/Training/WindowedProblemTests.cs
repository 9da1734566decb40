using BlazorForecast.Forecasting.Data;
using BlazorForecast.Forecasting.Training;
using static TorchSharp.torch;

namespace BlazorForecast.Forecasting.Tests.Training;

public class WindowedProblemTests
{
    private static readonly ForecastConfig Config = new() { Targets = ["Close"], Lookback = 10, Horizon = 4 };

    [Fact]
    public void Scaler_IsFittedOnTheTrainingSegmentOnly()
    {
        var frame = SyntheticSeries.Sine(200);
        var split = SeriesSplitter.Chronological(200);

        var problem = WindowedProblem.Prepare(frame, Config, split);

        var train = frame.Columns[0].Values[..split.Train.End];
        Assert.Equal(train.Average(), problem.TargetScaler.Means[0], 12);
        Assert.Equal(Math.Sqrt(train.Select(v => Math.Pow(v - train.Average(), 2)).Average()), problem.TargetScaler.Deviations[0], 12);
    }

    [Fact]
    public void ChangingFutureTestValues_ChangesNoTrainingInputOrTarget()
    {
        var frame = SyntheticSeries.Sine(200);
        var changed = SyntheticSeries.Sine(200);
        for (var i = 180; i < 200; i++)
        {
            changed.Columns[0].Values[i] = 1000;
        }

        var split = SeriesSplitter.Chronological(200);
        var original = WindowedProblem.Prepare(frame, Config, split);
        var modified = WindowedProblem.Prepare(changed, Config, split);
        using var scope = NewDisposeScope();

        var (x1, y1) = original.Batch(original.TrainOrigins, CPU);
        var (x2, y2) = modified.Batch(modified.TrainOrigins, CPU);

        Assert.True(x1.allclose(x2, 0, 0));
        Assert.True(y1.allclose(y2, 0, 0));
        Assert.Equal(original.ValidationOrigins, modified.ValidationOrigins);
    }

    [Fact]
    public void Windows_TargetsFollowTheirInputsInTime()
    {
        var frame = SyntheticSeries.Sine(100);
        var problem = WindowedProblem.Prepare(frame, Config, SeriesSplitter.Chronological(100));
        using var scope = NewDisposeScope();
        var origin = problem.TestOrigins[0];

        var (x, y) = problem.Batch([origin], CPU);

        var values = frame.Columns[0].Values;
        Assert.Equal(problem.TargetScaler.Transform(0, values[origin]), x[0, 9, 0].item<float>(), 4);
        Assert.Equal(problem.TargetScaler.Transform(0, values[origin + 1]), y[0, 0, 0].item<float>(), 4);
        Assert.Equal(problem.TargetScaler.Transform(0, values[origin + 4]), y[0, 3, 0].item<float>(), 4);
    }

    [Fact]
    public void WalkForwardFolds_EachFitTheirOwnScaler()
    {
        var frame = SyntheticSeries.Sine(400, period: 300);
        var folds = SeriesSplitter.WalkForward(400, 3, WalkForwardMode.Rolling);

        var means = folds.Select(f => WindowedProblem.Prepare(frame, Config, f).TargetScaler.Means[0]).ToList();

        Assert.Equal(3, means.Distinct().Count());
    }

    [Fact]
    public void ReturnTarget_UsesReturnsAsInputs_AndStartsAfterTheFirstRow()
    {
        var config = Config with { Transform = TargetTransform.LogReturn };

        var problem = WindowedProblem.Prepare(SyntheticSeries.Sine(100), config, SeriesSplitter.Chronological(100));

        Assert.Equal(["Close log return"], problem.FeatureNames);
        Assert.Equal(1, problem.FirstUsableRow);
        Assert.Equal(10, problem.TrainOrigins[0]);
    }

    [Theory]
    [InlineData(600, "longer than the training segment")]
    [InlineData(10, null)]
    public void Config_ChecksLookbackAgainstTheTrainingSegment(int lookback, string? problem)
    {
        var problems = (Config with { Lookback = lookback }).Problems(SyntheticSeries.Sine(200));

        if (problem is null)
        {
            Assert.Empty(problems);
        }
        else
        {
            Assert.Contains(problems, p => p.Contains(problem, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Config_UnknownColumn_IsNamed() =>
        Assert.Contains("Unknown target column 'Price'", (Config with { Targets = ["Price"] }).Problems(SyntheticSeries.Sine(200))[0], StringComparison.Ordinal);
}
