namespace BlazorForecast.Forecasting.Training;

/// <summary>How a direction model's loss treats up and down moves when one is more common than the other.</summary>
public enum ClassWeighting
{
    /// <summary>Plain cross-entropy: every window counts the same, so the common direction dominates.</summary>
    None,

    /// <summary>Cross-entropy with each direction weighted by the inverse of its frequency on the training part.</summary>
    Balanced,

    /// <summary>Focal loss: cross-entropy scaled by (1 − p)^γ, so windows the model already calls right count less.</summary>
    Focal,
}

/// <summary>
/// Forecast the direction of each target instead of its value: for every horizon step k, is the value k rows after the
/// origin above the origin's (up) or below it (down)? Moves within ±<see cref="DeadZone"/> of the origin's value are
/// flat: neither trained on nor scored. The model outputs one logit per step and target, trained with cross-entropy.
/// </summary>
public sealed record DirectionTarget
{
    /// <summary>Moves smaller than this fraction of the origin's value (0.001 = ±0.1%) are flat; 0 drops only unchanged values.</summary>
    public double DeadZone { get; init; }

    /// <summary>How the loss handles imbalance; the weights are fit on the training part only.</summary>
    public ClassWeighting Weighting { get; init; } = ClassWeighting.Balanced;

    /// <summary>The focusing exponent γ of the focal loss (0 is plain cross-entropy).</summary>
    public double FocalGamma { get; init; } = 2;

    /// <summary>Draw the minority direction's training windows again (with replacement) until both directions are as many in each epoch.</summary>
    public bool Oversample { get; init; }

    /// <summary>
    /// The probability of a rise above which the backtest goes long (and below one minus it, short when shorting is
    /// allowed); 0.5 trades on the predicted class.
    /// </summary>
    public double Threshold { get; init; } = 0.5;

    public string? Problem() => this switch
    {
        { DeadZone: < 0 or >= 0.5 } or { DeadZone: double.NaN } => "The dead zone must be at least 0% and below 50% of the value.",
        { FocalGamma: < 0 or > 10 } or { FocalGamma: double.NaN } => "The focal loss's γ must be between 0 and 10.",
        { Threshold: < 0.5 or >= 1 } or { Threshold: double.NaN } => "The trading threshold must be a probability of at least 0.5 and below 1.",
        _ when !Enum.IsDefined(Weighting) => $"Unknown class weighting '{Weighting}'; use None, Balanced or Focal.",
        _ => null,
    };

    /// <summary>The probability of a rise a direction model's logit stands for (the logistic function).</summary>
    public static double ProbabilityOfRise(double logit) => 1 / (1 + Math.Exp(-logit));

    /// <summary>+1 for a rise beyond the dead zone from <paramref name="origin"/> to <paramref name="later"/>, −1 for a fall beyond it, 0 for flat.</summary>
    public static sbyte Label(double origin, double later, double deadZone)
    {
        var band = deadZone * Math.Abs(origin);
        var move = later - origin;
        return move > band ? (sbyte)1 : move < -band ? (sbyte)-1 : (sbyte)0;
    }
}
