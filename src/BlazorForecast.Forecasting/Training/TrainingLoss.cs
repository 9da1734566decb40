using BlazorForecast.Forecasting.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace BlazorForecast.Forecasting.Training;

/// <summary>
/// What a training minimises, given as a sum over a batch and the weight that sum is a mean over, so that a segment's
/// loss adds its batches up exactly whatever their sizes.
/// </summary>
public abstract class TrainingLoss
{
    /// <summary>The squared error of value forecasts, averaged over every window, step and target.</summary>
    public static TrainingLoss SquaredError { get; } = new SquaredErrorLoss();

    /// <summary>The summed loss of a batch and the total weight of its terms.</summary>
    public abstract (Tensor Sum, Tensor Weight) Terms(Tensor output, Tensor targets);

    /// <summary>The batch's mean loss, for the gradient step.</summary>
    public virtual Tensor Mean(Tensor output, Tensor targets)
    {
        using var least = 1e-12.ToScalar();
        var (sum, weight) = Terms(output, targets);
        return sum.div(weight.clamp_min(least));
    }

    private sealed class SquaredErrorLoss : TrainingLoss
    {
        public override (Tensor Sum, Tensor Weight) Terms(Tensor output, Tensor targets) =>
            (output.Minus(targets).Squared().sum(), tensor((float)output.numel(), device: output.device));

        public override Tensor Mean(Tensor output, Tensor targets) => nn.functional.mse_loss(output, targets);
    }
}

/// <summary>
/// Cross-entropy of direction logits [B, H, T] against labels coded +1 (up), −1 (down) and 0 (flat, left out): each
/// term weighted by its direction's weight at its step and target, and with γ &gt; 0 scaled by (1 − p_t)^γ where p_t is
/// the probability given to the right direction (the focal loss). The mean divides by the summed weights of the terms,
/// as PyTorch's weighted cross-entropy does. Scalars are held for the whole computation (see <see cref="TensorArithmetic"/>).
/// </summary>
public sealed class DirectionLoss : TrainingLoss
{
    private readonly float[] _upWeights;
    private readonly float[] _downWeights;

    /// <param name="upWeights">The weight of a rise at each step and target, [step * targets + target].</param>
    /// <param name="downWeights">The weight of a fall, likewise.</param>
    /// <param name="gamma">The focal exponent; 0 for plain cross-entropy.</param>
    public DirectionLoss(IReadOnlyList<double> upWeights, IReadOnlyList<double> downWeights, double gamma)
    {
        ArgumentNullException.ThrowIfNull(upWeights);
        ArgumentNullException.ThrowIfNull(downWeights);
        _upWeights = upWeights.Select(w => (float)w).ToArray();
        _downWeights = downWeights.Select(w => (float)w).ToArray();
        Gamma = gamma;
    }

    public IReadOnlyList<float> UpWeights => _upWeights;

    public IReadOnlyList<float> DownWeights => _downWeights;

    public double Gamma { get; }

    /// <summary>
    /// The loss a direction target asks for, from the training part's rises and falls at each step and target:
    /// balanced weights are n / (2 n_up) and n / (2 n_down), so each direction carries half of each step's total.
    /// </summary>
    public static DirectionLoss For(DirectionTarget target, IReadOnlyList<(int Up, int Down)> counts)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(counts);
        var balanced = target.Weighting == ClassWeighting.Balanced;
        return new DirectionLoss(
            counts.Select(c => balanced && c.Up > 0 && c.Down > 0 ? (c.Up + c.Down) / (2.0 * c.Up) : 1).ToList(),
            counts.Select(c => balanced && c.Up > 0 && c.Down > 0 ? (c.Up + c.Down) / (2.0 * c.Down) : 1).ToList(),
            target.Weighting == ClassWeighting.Focal ? target.FocalGamma : 0);
    }

    public override (Tensor Sum, Tensor Weight) Terms(Tensor output, Tensor targets)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(targets);
        using var zero = 0.0.ToScalar();
        using var gamma = Gamma.ToScalar();
        var shape = new long[] { 1, output.shape[1], output.shape[2] };
        var upWeights = tensor(_upWeights, shape, device: output.device);
        var downWeights = tensor(_downWeights, shape, device: output.device);
        var up = targets.gt(zero).to_type(output.dtype);
        var down = targets.lt(zero).to_type(output.dtype);
        var terms = nn.functional.binary_cross_entropy_with_logits(output, up, reduction: nn.Reduction.None);
        if (Gamma > 0)
        {
            // The probability given to the wrong direction: 1 − p for a rise, p for a fall.
            var wrong = up.mul(output.neg().sigmoid()).Plus(down.mul(output.sigmoid()));
            terms = terms.mul(wrong.pow(gamma));
        }

        var weights = up.mul(upWeights).Plus(down.mul(downWeights));
        return (weights.mul(terms).sum(), weights.sum());
    }
}
