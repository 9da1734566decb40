namespace BlazorForecast.Forecasting.Sweeps;

/// <summary>Which rule stops unpromising trials before their last epoch.</summary>
public enum EarlyStoppingRule
{
    None,

    /// <summary>Asynchronous successive halving (Li et al., 2020).</summary>
    SuccessiveHalving,

    /// <summary>Stop a trial whose best loss so far is worse than the median of other trials at the same epoch.</summary>
    Median,
}

/// <summary>
/// Decides, epoch by epoch, whether a trial goes on. It is fed the best validation loss each trial has reached so far
/// (what early stopping would keep) in the order the epochs finished, so replaying a sweep's stored epochs in that order
/// rebuilds it after a restart. A training is one (trial, part) pair, a part being one seed of one walk-forward fold;
/// trainings are compared only with the same part of other trials, whose validation data is the same.
/// </summary>
public abstract class TrialPruner
{
    public static TrialPruner? Create(EarlyStoppingRule rule, int minEpochs, int reductionFactor, int maxEpochs) => rule switch
    {
        EarlyStoppingRule.None => null,
        EarlyStoppingRule.SuccessiveHalving => new SuccessiveHalvingPruner(minEpochs, reductionFactor, maxEpochs),
        EarlyStoppingRule.Median => new MedianPruner(minEpochs),
        _ => throw new ArgumentOutOfRangeException(nameof(rule), rule, "Unknown early-stopping rule."),
    };

    /// <summary>True when the trial should stop after this epoch.</summary>
    public abstract bool ShouldStop(int trial, int part, int epoch, double bestLossSoFar);
}
