namespace BlazorForecast.Forecasting.Sweeps;

/// <summary>How a sweep proposes trials.</summary>
public enum SweepMethod
{
    /// <summary>Every combination of the grid values, in an order shuffled by the sweep's seed.</summary>
    Grid,

    /// <summary>Independent draws, reproducible from the sweep's seed.</summary>
    Random,

    /// <summary>Tree-structured Parzen estimator: random at first, then drawn towards the best trials so far.</summary>
    Tpe,
}

/// <summary>Where a trial stands, as a sampler sees it.</summary>
public enum TrialState
{
    Running,
    Complete,

    /// <summary>Stopped early by the sweep's rule (successive halving or median): its objective is a partial one.</summary>
    Stopped,

    /// <summary>Failed or could not run; a sampler ignores it.</summary>
    Failed,
}

/// <summary>A trial as a sampler learns from it: its point and, once complete or stopped, its validation loss.</summary>
public sealed record TrialObservation(IReadOnlyList<double> Point, TrialState State, double? Objective);

/// <summary>
/// Proposes the point of the next trial from the trials so far. Proposals are a function of the sweep's seed, the
/// trial's number and the history, never of hidden state, so a sweep resumed after a restart proposes what it would
/// have proposed anyway.
/// </summary>
public abstract class SweepSampler
{
    protected SweepSampler(SearchSpace space, int seed)
    {
        ArgumentNullException.ThrowIfNull(space);
        Space = space;
        Seed = seed;
    }

    protected SearchSpace Space { get; }

    protected int Seed { get; }

    public static SweepSampler Create(SweepMethod method, SearchSpace space, int seed) => method switch
    {
        SweepMethod.Grid => new GridSampler(space, seed),
        SweepMethod.Random => new RandomSampler(space, seed),
        SweepMethod.Tpe => new TpeSampler(space, seed),
        _ => throw new ArgumentOutOfRangeException(nameof(method), method, "Unknown sweep method."),
    };

    /// <summary>The point for trial number <paramref name="trialIndex"/> (from 0), or null when the space is exhausted.</summary>
    public abstract IReadOnlyList<double>? Propose(int trialIndex, IReadOnlyList<TrialObservation> history);

    /// <summary>A generator of its own for each trial, so a proposal does not depend on how many came before it.</summary>
    protected Random RandomFor(int trialIndex) => new(unchecked((Seed * 1_000_003) + (trialIndex * 7_919) + 17));

    /// <summary>A uniform draw: each choice equally likely, each range uniform on its own scale.</summary>
    protected double[] RandomPoint(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        return Space.Dimensions.Select(d => d switch
        {
            ChoiceDimension choice => random.Next(choice.Choices.Count),
            RangeDimension range => range.FromUnit(random.NextDouble()),
            _ => throw new NotSupportedException($"Unknown dimension {d.GetType().Name}."),
        }).ToArray();
    }
}
