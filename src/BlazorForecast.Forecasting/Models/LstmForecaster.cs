using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace BlazorForecast.Forecasting.Models;

/// <summary>Stacked (optionally bidirectional) LSTM; the last step's state maps to all H steps at once.</summary>
public sealed class LstmForecaster : nn.Module<Tensor, Tensor>
{
    private readonly LSTM _lstm;
    private readonly Dropout _dropout;
    private readonly Linear _head;
    private readonly long _horizon;
    private readonly long _targets;

    public LstmForecaster(ModelShape shape, ModelOptions options)
        : base(nameof(LstmForecaster))
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(options);
        _horizon = shape.Horizon;
        _targets = shape.Targets;
        _lstm = nn.LSTM(shape.Features, options.HiddenSize, options.Layers, batchFirst: true,
            dropout: options.Layers > 1 ? options.Dropout : 0, bidirectional: options.Bidirectional);
        _dropout = nn.Dropout(options.Dropout);
        _head = nn.Linear(options.HiddenSize * (options.Bidirectional ? 2 : 1), shape.Horizon * shape.Targets);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        // libtorch 2.10's CPU LSTM computes something else on its no-grad fast path (seen here: validation loss 150x the
        // training loss on a clean sine). Keeping autograd on makes evaluation and forecasts use the path training used.
        using var sameAsTraining = enable_grad();
        var (output, _, _) = _lstm.call(input, null);
        var last = output.select(1, -1);
        return _head.call(_dropout.call(last)).view(-1, _horizon, _targets);
    }
}
