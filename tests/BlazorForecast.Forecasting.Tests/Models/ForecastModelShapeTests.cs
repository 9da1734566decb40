using BlazorForecast.Forecasting.Models;
using static TorchSharp.torch;

namespace BlazorForecast.Forecasting.Tests.Models;

public class ForecastModelShapeTests
{
    public static TheoryData<ModelKind, int> KindsAndHorizons()
    {
        var data = new TheoryData<ModelKind, int>();
        foreach (var kind in Enum.GetValues<ModelKind>())
        {
            foreach (var horizon in new[] { 1, 7, 30 })
            {
                data.Add(kind, horizon);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(KindsAndHorizons))]
    public void Forward_MapsWindowsToHorizonTimesTargets(ModelKind kind, int horizon)
    {
        random.manual_seed(1);
        var shape = new ModelShape(Lookback: 32, Features: 4, Horizon: horizon, Targets: 2, TargetFeatureIndices: [0, 2]);
        using var model = ForecastModelFactory.Create(new ModelOptions { Kind = kind, HiddenSize = 16, Layers = 2, Heads = 4 }, shape);
        using var scope = NewDisposeScope();
        var input = randn(5, 32, 4);

        var output = model.call(input);

        Assert.Equal(new long[] { 5, horizon, 2 }, output.shape);
        output.sum().backward();
        Assert.All(model.parameters(), p => Assert.NotNull(p.grad));
    }

    [Fact]
    public void DLinear_Untrained_ForecastsTheLookbackAveragePlusItsBiases()
    {
        random.manual_seed(3);
        var shape = new ModelShape(Lookback: 40, Features: 1, Horizon: 6, Targets: 1, TargetFeatureIndices: [0]);
        using var model = ForecastModelFactory.Create(new ModelOptions { Kind = ModelKind.DLinear }, shape);
        using var scope = NewDisposeScope();
        var biases = model.named_parameters().Where(p => p.name.EndsWith("bias", StringComparison.Ordinal)).Select(p => p.parameter).ToList();
        using var noGrad = no_grad();
        var input = randn(3, 40, 1);

        var output = model.call(input);

        var expected = input.mean([1], keepdim: true).expand(-1, 6, -1) + (biases[0] + biases[1]).reshape(1, 6, 1);
        Assert.Equal(2, biases.Count);
        Assert.True(output.allclose(expected, 1e-5, 1e-5), $"largest difference {(output - expected).abs().max().item<float>()}");
    }

    [Theory]
    [InlineData(ModelKind.Lstm)]
    [InlineData(ModelKind.Gru)]
    [InlineData(ModelKind.Transformer)]
    public void Inference_WithoutAutograd_GivesTheSameOutputAsTraining(ModelKind kind)
    {
        random.manual_seed(2);
        var shape = new ModelShape(24, 2, 3, 1, [0]);
        using var model = ForecastModelFactory.Create(new ModelOptions { Kind = kind, HiddenSize = 8, Layers = 2, Dropout = 0 }, shape);
        using var scope = NewDisposeScope();
        var input = randn(4, 24, 2);
        var withGrad = model.call(input);

        model.eval();
        using var noGrad = no_grad();
        var inference = model.call(input);

        Assert.True(withGrad.allclose(inference, 1e-5, 1e-6), $"{kind}: largest difference {(withGrad - inference).abs().max().item<float>()}");
    }

    [Theory]
    [InlineData(ModelKind.Lstm)]
    [InlineData(ModelKind.Cnn)]
    public void AnchoredModel_ShiftsItsForecastWithTheLevelOfTheWindow(ModelKind kind)
    {
        random.manual_seed(4);
        var shape = new ModelShape(16, 2, 3, 1, [0]);
        using var model = ForecastModelFactory.Create(new ModelOptions { Kind = kind, HiddenSize = 8, Dropout = 0, AnchorToLastValue = true }, shape);
        model.eval();
        using var scope = NewDisposeScope();
        var input = randn(2, 16, 2);

        var shifted = model.call(input + 5);
        var original = model.call(input);

        Assert.True(shifted.allclose(original + 5, 1e-4, 1e-4));
    }

    [Fact]
    public void Anchoring_WithoutTheTargetAmongInputs_IsRejected()
    {
        var error = Assert.Throws<ArgumentException>(() => ForecastModelFactory.Create(
            new ModelOptions { Kind = ModelKind.Mlp, AnchorToLastValue = true }, new ModelShape(8, 1, 1, 1, [])));

        Assert.Contains("every target among the inputs", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bidirectional_RecurrentModelsStillMapToTheHorizon()
    {
        var shape = new ModelShape(16, 3, 4, 1, [0]);
        foreach (var kind in new[] { ModelKind.Lstm, ModelKind.Gru })
        {
            using var model = ForecastModelFactory.Create(new ModelOptions { Kind = kind, HiddenSize = 8, Bidirectional = true }, shape);
            using var scope = NewDisposeScope();

            Assert.Equal(new long[] { 2, 4, 1 }, model.call(randn(2, 16, 3)).shape);
        }
    }

    [Fact]
    public void Cnn_DilationsReachTheFirstStep_OfAnEightStepWindow()
    {
        // Three blocks of kernel 3 with dilations 1, 2, 4 see 1 + 2·2·(1 + 2 + 4) = 29 steps: the whole window.
        random.manual_seed(3);
        var shape = new ModelShape(8, 1, 1, 1, [0]);
        using var model = ForecastModelFactory.Create(new ModelOptions { Kind = ModelKind.Cnn, HiddenSize = 4, Layers = 3, Dropout = 0 }, shape);
        model.eval();
        using var scope = NewDisposeScope();
        var input = randn(1, 8, 1);
        var changed = input.clone();
        changed[0, 0, 0] = changed[0, 0, 0] + 5;

        Assert.False(model.call(input).allclose(model.call(changed)));
    }

    [Theory]
    [InlineData(ModelKind.Transformer, 30, 4, "multiple of its heads")]
    [InlineData(ModelKind.DLinear, 16, 4, "must be odd")]
    public void InvalidOptions_AreRejectedBeforeBuilding(ModelKind kind, int hidden, int heads, string message)
    {
        var options = new ModelOptions { Kind = kind, HiddenSize = hidden, Heads = heads, TrendKernel = 24 };

        var error = Assert.Throws<ArgumentException>(() => ForecastModelFactory.Create(options, new ModelShape(8, 1, 1, 1, [0])));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }
}
