namespace BlazorForecast.Forecasting.Sweeps;

/// <summary>
/// Asynchronous successive halving (ASHA; Li et al., 2020) as a stopping rule. Rungs sit at
/// minEpochs × η^k epochs below the maximum. A trial reaching a rung is compared with every trial that reached the
/// same rung before it (itself included): it goes on when its loss is among the best 1/η of them, else it stops. The
/// first trials at a rung, fewer than η, go on only when they are the best there so far, as in Optuna's pruner, since
/// stopped trials are not resumed.
/// </summary>
public sealed class SuccessiveHalvingPruner : TrialPruner
{
    private readonly Dictionary<(int Part, int Rung), List<double>> _recorded = [];
    private readonly List<int> _rungs;

    public SuccessiveHalvingPruner(int minEpochs, int reductionFactor, int maxEpochs)
    {
        _rungs = RungsOf(minEpochs, reductionFactor, maxEpochs);
        ReductionFactor = reductionFactor;
    }

    /// <summary>The epochs after which trials are compared: minEpochs × η^k, below the maximum.</summary>
    public static List<int> RungsOf(int minEpochs, int reductionFactor, int maxEpochs)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(minEpochs, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(reductionFactor, 2);
        var rungs = new List<int>();
        for (long epoch = minEpochs; epoch < maxEpochs; epoch *= reductionFactor)
        {
            rungs.Add((int)epoch);
        }

        return rungs;
    }

    /// <summary>The epochs after which trials are compared.</summary>
    public IReadOnlyList<int> Rungs => _rungs;

    public int ReductionFactor { get; }

    public override bool ShouldStop(int trial, int part, int epoch, double bestLossSoFar)
    {
        var rung = _rungs.IndexOf(epoch);
        if (rung < 0)
        {
            return false;
        }

        var values = _recorded.TryGetValue((part, rung), out var list) ? list : _recorded[(part, rung)] = [];
        values.Add(double.IsFinite(bestLossSoFar) ? bestLossSoFar : double.PositiveInfinity);
        var promoted = Math.Max(1, values.Count / ReductionFactor);
        var threshold = values.Order().ElementAt(promoted - 1);
        return !(bestLossSoFar <= threshold);
    }
}
