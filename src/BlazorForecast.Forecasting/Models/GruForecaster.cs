using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace BlazorForecast.Forecasting.Models;

/// <summary>Stacked (optionally bidirectional) GRU; the last step's state maps to all H steps at once.</summary>
public sealed class GruForecaster : nn.Module<Tensor, Tensor>
{
    private readonly GRU _gru;
    private readonly Dropout _dropout;
    private readonly Linear _head;
    private readonly long _horizon;
    private readonly long _targets;

    public GruForecaster(ModelShape shape, ModelOptions options)
        : base(nameof(GruForecaster))
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(options);
        _horizon = shape.Horizon;
        _targets = shape.Targets;
        _gru = nn.GRU(shape.Features, options.HiddenSize, options.Layers, batchFirst: true,
            dropout: options.Layers > 1 ? options.Dropout : 0, bidirectional: options.Bidirectional);
        _dropout = nn.Dropout(options.Dropout);
        _head = nn.Linear(options.HiddenSize * (options.Bidirectional ? 2 : 1), shape.Horizon * shape.Targets);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        var (output, _) = _gru.call(input, null);
        var last = output.select(1, -1);
        return _head.call(_dropout.call(last)).view(-1, _horizon, _targets);
    }
}
