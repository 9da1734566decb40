using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace BlazorForecast.Forecasting.Models;

/// <summary>
/// Transformer encoder over the window: inputs projected to the model width, sinusoidal positional encoding,
/// self-attention layers with dropout; the last position's representation maps to all H steps.
/// </summary>
public sealed class TransformerForecaster : nn.Module<Tensor, Tensor>
{
    private readonly Linear _input;
    private readonly TransformerEncoder _encoder;
    private readonly Dropout _dropout;
    private readonly Linear _head;
    private readonly Tensor _positions;
    private readonly Scalar _scale;
    private readonly long _horizon;
    private readonly long _targets;

    public TransformerForecaster(ModelShape shape, ModelOptions options)
        : base(nameof(TransformerForecaster))
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(options);
        _horizon = shape.Horizon;
        _targets = shape.Targets;
        var width = options.HiddenSize;
        _scale = Math.Sqrt(width).ToScalar();
        _input = nn.Linear(shape.Features, width);
        var layer = nn.TransformerEncoderLayer(width, options.Heads, width * 2, options.Dropout);
        _encoder = nn.TransformerEncoder(layer, options.Layers);
        _dropout = nn.Dropout(options.Dropout);
        _head = nn.Linear(width, shape.Horizon * shape.Targets);
        _positions = PositionalEncoding(shape.Lookback, width);
        register_buffer("positions", _positions, persistent: false);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        // An explicit Scalar field, not a double: TorchSharp's implicit temporaries can be finalised mid-call.
        var z = _dropout.call(_input.call(input).mul(_scale).Plus(_positions));

        // TorchSharp's encoder takes [sequence, batch, width].
        var encoded = _encoder.call(z.permute(1, 0, 2));
        return _head.call(encoded.select(0, -1)).view(-1, _horizon, _targets);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _scale.Dispose();
        }

        base.Dispose(disposing);
    }

    private static Tensor PositionalEncoding(int length, int width)
    {
        var values = new float[length * width];
        for (var position = 0; position < length; position++)
        {
            for (var i = 0; i < width; i += 2)
            {
                var angle = position / Math.Pow(10000, (double)i / width);
                values[(position * width) + i] = (float)Math.Sin(angle);
                if (i + 1 < width)
                {
                    values[(position * width) + i + 1] = (float)Math.Cos(angle);
                }
            }
        }

        return tensor(values, [length, width]);
    }
}
