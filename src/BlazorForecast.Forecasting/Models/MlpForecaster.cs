using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace BlazorForecast.Forecasting.Models;

/// <summary>A small multilayer perceptron over the flattened window.</summary>
public sealed class MlpForecaster : nn.Module<Tensor, Tensor>
{
    private readonly Sequential _layers;
    private readonly long _horizon;
    private readonly long _targets;

    public MlpForecaster(ModelShape shape, ModelOptions options)
        : base(nameof(MlpForecaster))
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(options);
        _horizon = shape.Horizon;
        _targets = shape.Targets;
        var modules = new List<nn.Module<Tensor, Tensor>>();
        long width = shape.Lookback * shape.Features;
        for (var i = 0; i < options.Layers; i++)
        {
            modules.Add(nn.Linear(width, options.HiddenSize));
            modules.Add(nn.ReLU());
            modules.Add(nn.Dropout(options.Dropout));
            width = options.HiddenSize;
        }

        modules.Add(nn.Linear(width, shape.Horizon * shape.Targets));
        _layers = nn.Sequential(modules);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input) =>
        _layers.call(input.flatten(1)).view(-1, _horizon, _targets);
}
