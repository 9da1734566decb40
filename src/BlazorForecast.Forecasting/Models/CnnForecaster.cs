using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace BlazorForecast.Forecasting.Models;

/// <summary>
/// Temporal convolutional network: residual blocks of dilated causal 1-D convolutions (dilation 1, 2, 4, ...), so
/// the receptive field grows exponentially while no output sees a later input. The last step maps to all H steps.
/// </summary>
public sealed class CnnForecaster : nn.Module<Tensor, Tensor>
{
    private readonly ModuleList<TemporalBlock> _blocks;
    private readonly Linear _head;
    private readonly long _horizon;
    private readonly long _targets;

    public CnnForecaster(ModelShape shape, ModelOptions options)
        : base(nameof(CnnForecaster))
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(options);
        _horizon = shape.Horizon;
        _targets = shape.Targets;
        var blocks = new List<TemporalBlock>();
        var channels = shape.Features;
        for (var i = 0; i < options.Layers; i++)
        {
            blocks.Add(new TemporalBlock(channels, options.HiddenSize, options.KernelSize, 1 << i, options.Dropout));
            channels = options.HiddenSize;
        }

        _blocks = nn.ModuleList(blocks.ToArray());
        _head = nn.Linear(options.HiddenSize, shape.Horizon * shape.Targets);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        var x = input.permute(0, 2, 1);
        foreach (var block in _blocks)
        {
            x = block.call(x);
        }

        return _head.call(x.select(2, -1)).view(-1, _horizon, _targets);
    }

    /// <summary>Two causal dilated convolutions with ReLU and dropout, plus a residual connection.</summary>
    private sealed class TemporalBlock : nn.Module<Tensor, Tensor>
    {
        private readonly Conv1d _first;
        private readonly Conv1d _second;
        private readonly Dropout _dropout;
        private readonly Conv1d? _residual;
        private readonly long _padding;

        public TemporalBlock(long inChannels, long outChannels, long kernel, long dilation, double dropout)
            : base(nameof(TemporalBlock))
        {
            _padding = (kernel - 1) * dilation;
            _first = nn.Conv1d(inChannels, outChannels, kernel, dilation: dilation);
            _second = nn.Conv1d(outChannels, outChannels, kernel, dilation: dilation);
            _dropout = nn.Dropout(dropout);
            _residual = inChannels == outChannels ? null : nn.Conv1d(inChannels, outChannels, 1);
            RegisterComponents();
        }

        public override Tensor forward(Tensor input)
        {
            // Left padding only: causal.
            var x = _dropout.call(nn.functional.relu(_first.call(nn.functional.pad(input, [_padding, 0]))));
            x = _dropout.call(nn.functional.relu(_second.call(nn.functional.pad(x, [_padding, 0]))));
            var skip = _residual is null ? input : _residual.call(input);
            return nn.functional.relu(x.Plus(skip));
        }
    }
}
