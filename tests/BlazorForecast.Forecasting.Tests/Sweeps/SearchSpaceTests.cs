using System.Text.Json;
using BlazorForecast.Forecasting.Data;
using BlazorForecast.Forecasting.Models;
using BlazorForecast.Forecasting.Sweeps;
using BlazorForecast.Forecasting.Training;

namespace BlazorForecast.Forecasting.Tests.Sweeps;

public sealed class SearchSpaceTests
{
    private static readonly TimeSeriesFrame Frame = SyntheticMarketData.Generate(400, seed: 3);

    [Fact]
    public void Parse_ChoicesAndRanges_KeepTheirOrderAndKinds()
    {
        var space = SearchSpace.Parse("""
            {"model": ["Lstm", "DLinear"], "hiddenSize": {"int": [16, 256], "log": true}, "dropout": {"uniform": [0, 0.4]},
             "learningRate": {"logUniform": [0.0001, 0.01]}, "batchSize": [32, 64]}
            """);

        Assert.Equal(["model", "hiddenSize", "dropout", "learningRate", "batchSize"], space.Dimensions.Select(d => d.Setting.Name));
        var hidden = Assert.IsType<RangeDimension>(space.Dimensions[1]);
        Assert.Equal((RangeScale.WholeNumbers, 16.0, 256.0, true), (hidden.Scale, hidden.Low, hidden.High, hidden.Log));
        Assert.True(Assert.IsType<RangeDimension>(space.Dimensions[3]).Log);
        Assert.False(Assert.IsType<RangeDimension>(space.Dimensions[2]).Log);
        Assert.Equal(2, Assert.IsType<ChoiceDimension>(space.Dimensions[4]).Choices.Count);
    }

    [Fact]
    public void Parse_EveryProblemIsListedInOneException()
    {
        var ex = Assert.Throws<SweepSpaceException>(() => SearchSpace.Parse("""
            {"colour": [1], "layers": [], "lookback": {"int": [128, 16]}, "hiddenSize": {"uniform": [8, 64]},
             "dropout": {"int": [0, 1]}, "learningRate": {"logUniform": [0, 0.1]}, "model": {"int": [1, 2]},
             "batchSize": ["big"], "heads": [2, 4, 2], "weightDecay": {"uniform": [0, 1], "stride": 2}, "kernelSize": {"int": [2.5, 7]}}
            """));

        Assert.Equal(11, ex.Problems.Count);
        Assert.Contains(ex.Problems, p => p.StartsWith("Unknown setting 'colour'. A sweep can vary: model, lookback,", StringComparison.Ordinal));
        Assert.Contains("'layers' has an empty list of choices.", ex.Problems);
        Assert.Contains("'lookback': [128, 16] is not a range; its low end must be below its high end.", ex.Problems);
        Assert.Contains("'hiddenSize' takes whole numbers: use {\"int\": [low, high]} (with \"log\": true to draw on a log scale).", ex.Problems);
        Assert.Contains("'dropout' takes real numbers: use {\"uniform\": [low, high]} or {\"logUniform\": [low, high]}.", ex.Problems);
        Assert.Contains("'learningRate': a log scale needs a low end above zero, not [0, 0.1].", ex.Problems);
        Assert.Contains(ex.Problems, p => p.StartsWith("'model' takes a list of choices (model kind:", StringComparison.Ordinal));
        Assert.Contains("'batchSize' takes numbers; its list holds something else.", ex.Problems);
        Assert.Contains("'heads' lists 2 twice.", ex.Problems);
        Assert.Contains(ex.Problems, p => p.StartsWith("'weightDecay': a range is an object", StringComparison.Ordinal) && p.EndsWith("unknown key 'stride'.", StringComparison.Ordinal));
        Assert.Contains("'kernelSize': the ends of an integer range are whole numbers, not [2.5, 7].", ex.Problems);
    }

    [Theory]
    [InlineData("", "The search space is not valid JSON")]
    [InlineData("{}", "The search space is empty")]
    [InlineData("[1, 2]", "The search space is empty")]
    [InlineData("{\"layers\": 3}", "'layers' must be a list of choices or a range object")]
    public void Parse_NoUsableObject_SaysWhy(string json, string expected)
    {
        var ex = Assert.Throws<SweepSpaceException>(() => SearchSpace.Parse(json));
        Assert.StartsWith(expected, Assert.Single(ex.Problems), StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_WritesEachValueIntoTheBaseConfig_AndLeavesTheRestAlone()
    {
        var space = SearchSpace.Parse("""
            {"model": ["Lstm", "Transformer"], "lookback": {"int": [8, 64]}, "learningRate": {"logUniform": [0.0001, 0.01]},
             "anchorToLastValue": [false, true], "features": [[], [{"kind": "LogReturn", "column": "Close"}, {"kind": "DayOfWeek"}]]}
            """);
        var baseConfig = new ForecastConfig
        {
            Transform = TargetTransform.LogReturn,
            Horizon = 5,
            Model = new ModelOptions { Heads = 2, KernelSize = 5 },
            Training = new TrainingOptions { MaxEpochs = 17, GradientClip = 0.3 },
        };

        var config = space.Apply(baseConfig, [1, 40, 0.002, 1, 1]);

        Assert.Equal(ModelKind.Transformer, config.Model.Kind);
        Assert.Equal(40, config.Lookback);
        Assert.Equal(0.002, config.Training.LearningRate);
        Assert.True(config.Model.AnchorToLastValue);
        Assert.Equal([new FeatureSpec(FeatureKind.LogReturn, "Close"), new FeatureSpec(FeatureKind.DayOfWeek)], config.Features);
        var expected = baseConfig with
        {
            Lookback = 40,
            Features = config.Features,
            Model = baseConfig.Model with { Kind = ModelKind.Transformer, AnchorToLastValue = true },
            Training = baseConfig.Training with { LearningRate = 0.002 },
        };
        Assert.Equal(JsonSerializer.Serialize(expected, ForecastJson.Options), JsonSerializer.Serialize(config, ForecastJson.Options));
        Assert.Equal(
            [KeyValuePair.Create("model", "Transformer"), KeyValuePair.Create("lookback", "40"), KeyValuePair.Create("learningRate", "0.002"),
             KeyValuePair.Create("anchorToLastValue", "true"), KeyValuePair.Create("features", "LogReturn Close, DayOfWeek")],
            space.Describe([1, 40, 0.002, 1, 1]));
    }

    [Fact]
    public void Problems_TryEveryChoiceAndBothEndsOfEachRange_AgainstTheConfigAndTheServerLimits()
    {
        var space = SearchSpace.Parse("""
            {"hiddenSize": {"int": [16, 5000]}, "dropout": {"uniform": [0, 1.5]}, "lookback": [16, 390],
             "features": [[], [{"kind": "Raw", "column": "Turnover"}]], "model": ["Lstm", "Gru"]}
            """);

        var problems = space.Problems(new ForecastConfig(), Frame, new RunLimits());

        Assert.Equal(
            [
                "hiddenSize = 5000: The hidden size is 5,000; this server allows at most 1,024.",
                "dropout = 1.5: Dropout must be at least 0 and below 1.",
                "lookback = 390: the lookback (390) plus horizon (1) is longer than the training segment (280 rows).",
                "features = Raw Turnover: Feature 'Turnover' reads unknown column 'Turnover'.",
            ],
            problems);
    }

    [Fact]
    public void Problems_OfTheBaseConfig_ComeFirstAndAlone()
    {
        var space = SearchSpace.Parse("""{"hiddenSize": {"int": [16, 5000]}}""");

        var problems = space.Problems(new ForecastConfig { Targets = ["Nope"] }, Frame, new RunLimits());

        Assert.StartsWith("Base config: Unknown target column 'Nope'. Columns: ", Assert.Single(problems), StringComparison.Ordinal);
    }

    [Fact]
    public void Grid_HasEveryCombinationOnce_LastDimensionFastest()
    {
        var space = SearchSpace.Parse("""{"model": ["Lstm", "Gru"], "layers": {"int": [1, 3]}, "dropout": {"uniform": [0, 0.2], "steps": 3}}""");

        Assert.Equal(18, space.GridSize);
        var points = Enumerable.Range(0, 18).Select(i => space.GridPoint(i)).ToList();
        Assert.Equal([0, 1, 0], points[0]);
        Assert.Equal([0, 1, 0.1], points[1]);
        Assert.Equal([1, 3, 0.2], points[17]);
        Assert.Equal(18, points.Select(p => string.Join(",", p)).Distinct().Count());
    }

    [Fact]
    public void Grid_OfAContinuousRangeWithoutSteps_HasNoSize()
    {
        Assert.Null(SearchSpace.Parse("""{"dropout": {"uniform": [0, 0.2]}, "layers": [1, 2]}""").GridSize);
        Assert.Equal(3, SearchSpace.Parse("""{"lookback": {"int": [8, 10]}}""").GridSize);
        Assert.Equal([1, 10, 100], SearchSpace.Parse("""{"hiddenSize": {"int": [1, 100], "log": true, "steps": 3}}""").Dimensions[0].GridValues);
    }

    [Fact]
    public void IntegerRange_GivesEveryWholeNumberTheSameShareOfTheUnitInterval()
    {
        var range = Assert.IsType<RangeDimension>(SearchSpace.Parse("""{"layers": {"int": [1, 4]}}""").Dimensions[0]);

        var counts = Enumerable.Range(0, 4000).Select(i => range.FromUnit((i + 0.5) / 4000)).GroupBy(v => v).ToDictionary(g => g.Key, g => g.Count());

        Assert.Equal(new Dictionary<double, int> { [1] = 1000, [2] = 1000, [3] = 1000, [4] = 1000 }, counts);
        Assert.Equal(1, range.FromUnit(0));
        Assert.Equal(4, range.FromUnit(1));
        Assert.Equal(3, range.FromUnit(range.ToUnit(3)));
    }

    [Fact]
    public void LogRange_SpendsAsMuchOfTheUnitIntervalOnEachDecade()
    {
        var range = Assert.IsType<RangeDimension>(SearchSpace.Parse("""{"learningRate": {"logUniform": [0.0001, 0.1]}}""").Dimensions[0]);

        Assert.Equal(1.0 / 3, range.ToUnit(0.001), 12);
        Assert.Equal(2.0 / 3, range.ToUnit(0.01), 12);
        Assert.Equal(0.01, range.FromUnit(2.0 / 3), 12);
    }
}
