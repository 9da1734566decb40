using TorchSharp;
using static TorchSharp.torch;

namespace BlazorForecast.Forecasting.Models;

/// <summary>
/// Wraps a forecaster so it sees each window relative to its last input row and predicts changes from the targets'
/// last values (as NLinear does). Level shifts outside the training range — common in prices and exchange rates —
/// then no longer push the network into inputs it never saw. Needs every target among the inputs as its own series,
/// which is how <see cref="Training.WindowedProblem"/> lays them out (same scaling, so the last value carries over).
/// </summary>
public sealed class LastValueAnchoredForecaster : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> _inner;
    private readonly long[] _targetIndices;

    public LastValueAnchoredForecaster(nn.Module<Tensor, Tensor> inner, IReadOnlyList<int> targetFeatureIndices)
        : base(nameof(LastValueAnchoredForecaster))
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(targetFeatureIndices);
        _inner = inner;
        _targetIndices = targetFeatureIndices.Select(i => (long)i).ToArray();
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        var last = input.narrow(1, input.shape[1] - 1, 1);
        using var indices = tensor(_targetIndices, device: input.device);
        var lastTargets = last.index_select(2, indices);
        return _inner.call(input.Minus(last)).Plus(lastTargets);
    }
}
