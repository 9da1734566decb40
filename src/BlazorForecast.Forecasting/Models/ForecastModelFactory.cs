using static TorchSharp.torch;

namespace BlazorForecast.Forecasting.Models;

/// <summary>Builds the configured model for a problem's shape.</summary>
public static class ForecastModelFactory
{
    public static nn.Module<Tensor, Tensor> Create(ModelOptions options, ModelShape shape)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problem = options.Problem();
        if (problem is not null)
        {
            throw new ArgumentException(problem, nameof(options));
        }

        ArgumentNullException.ThrowIfNull(shape);
        var model = Build(options, shape);
        if (!options.AnchorToLastValue)
        {
            return model;
        }

        if (shape.TargetFeatureIndices.Count != shape.Targets)
        {
            model.Dispose();
            throw new ArgumentException("Anchoring to the last value needs every target among the inputs as its own series.", nameof(options));
        }

        return new LastValueAnchoredForecaster(model, shape.TargetFeatureIndices);
    }

    private static nn.Module<Tensor, Tensor> Build(ModelOptions options, ModelShape shape)
    {
        return options.Kind switch
        {
            ModelKind.Lstm => new LstmForecaster(shape, options),
            ModelKind.Gru => new GruForecaster(shape, options),
            ModelKind.Cnn => new CnnForecaster(shape, options),
            ModelKind.Transformer => new TransformerForecaster(shape, options),
            ModelKind.DLinear => new DLinearForecaster(shape, options),
            ModelKind.Mlp => new MlpForecaster(shape, options),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Kind, "Unknown model."),
        };
    }
}
