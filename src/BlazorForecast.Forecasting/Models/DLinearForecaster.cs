using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace BlazorForecast.Forecasting.Models;

/// <summary>
/// DLinear (Zeng et al., 2023): each target channel's own history is split into a moving-average trend and a
/// remainder, and one linear map per part (shared across channels) projects the lookback onto the horizon.
/// Channel-independent: it reads only the target columns among the inputs. Both maps start as the lookback's average
/// (weights 1/L), the initialisation behind the paper's published tables (cure-lab/LTSF-Linear#39): training begins
/// from a smooth mean forecast instead of random weights, which matters where validation is short and noisy.
/// </summary>
public sealed class DLinearForecaster : nn.Module<Tensor, Tensor>
{
    private readonly Linear _seasonal;
    private readonly Linear _trend;
    private readonly AvgPool1d _average;
    private readonly long[] _targetIndices;
    private readonly long _padding;

    public DLinearForecaster(ModelShape shape, ModelOptions options)
        : base(nameof(DLinearForecaster))
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(options);
        if (shape.TargetFeatureIndices.Count != shape.Targets)
        {
            throw new ArgumentException("DLinear reads each target's own history: every target must also be an input feature.", nameof(shape));
        }

        _targetIndices = shape.TargetFeatureIndices.Select(i => (long)i).ToArray();
        _padding = (options.TrendKernel - 1) / 2;
        _average = nn.AvgPool1d(options.TrendKernel, stride: 1);
        _seasonal = nn.Linear(shape.Lookback, shape.Horizon);
        _trend = nn.Linear(shape.Lookback, shape.Horizon);
        using (no_grad())
        {
            using var average = (1.0 / shape.Lookback).ToScalar();
            _seasonal.weight!.fill_(average);
            _trend.weight!.fill_(average);
        }

        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var indices = tensor(_targetIndices, device: input.device);
        var x = input.index_select(2, indices);

        // Replicate the ends so the moving average keeps the lookback length, as the reference code does.
        var front = x.narrow(1, 0, 1).expand(-1, _padding, -1);
        var back = x.narrow(1, x.shape[1] - 1, 1).expand(-1, _padding, -1);
        var padded = cat([front, x, back], 1);
        var trend = _average.call(padded.permute(0, 2, 1));
        var seasonal = x.permute(0, 2, 1).Minus(trend);
        var output = _seasonal.call(seasonal).Plus(_trend.call(trend));
        return output.permute(0, 2, 1);
    }
}
