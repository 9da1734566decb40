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
/// Cross-entropy of direction logits against labels coded +1 (up), −1 (down) and 0 (flat, left out): each term weighted
/// by its direction's weight, and with γ &gt; 0 scaled by (1 − p_t)^γ where p_t is the probability given to the right
/// direction (the focal loss). The mean divides by the summed weights of the terms, as PyTorch's weighted
/// cross-entropy does. Scalars are held for the whole computation (see <see cref="TensorArithmetic"/>).
/// </summary>
public sealed class DirectionLoss(double upWeight, double downWeight, double gamma) : TrainingLoss
{
    public double UpWeight { get; } = upWeight;

    public double DownWeight { get; } = downWeight;

    public double Gamma { get; } = gamma;

    /// <summary>
    /// The loss a direction target asks for, with weights from the training part's counts: balanced weights are
    /// n / (2 n_up) and n / (2 n_down), so each direction carries half the total.
    /// </summary>
    public static DirectionLoss For(DirectionTarget target, int ups, int downs)
    {
        ArgumentNullException.ThrowIfNull(target);
        var total = ups + downs;
        return target.Weighting switch
        {
            ClassWeighting.Balanced when ups > 0 && downs > 0 => new DirectionLoss(total / (2.0 * ups), total / (2.0 * downs), 0),
            ClassWeighting.Focal => new DirectionLoss(1, 1, target.FocalGamma),
            _ => new DirectionLoss(1, 1, 0),
        };
    }

    public override (Tensor Sum, Tensor Weight) Terms(Tensor output, Tensor targets)
    {
        using var zero = 0.0.ToScalar();
        using var upWeight = UpWeight.ToScalar();
        using var downWeight = DownWeight.ToScalar();
        using var gamma = Gamma.ToScalar();
        var up = targets.gt(zero).to_type(output.dtype);
        var down = targets.lt(zero).to_type(output.dtype);
        var terms = nn.functional.binary_cross_entropy_with_logits(output, up, reduction: nn.Reduction.None);
        if (Gamma > 0)
        {
            // The probability given to the wrong direction: 1 − p for a rise, p for a fall.
            var wrong = up.mul(output.neg().sigmoid()).Plus(down.mul(output.sigmoid()));
            terms = terms.mul(wrong.pow(gamma));
        }

        var weights = up.mul(upWeight).Plus(down.mul(downWeight));
        return (weights.mul(terms).sum(), weights.sum());
    }
}
