namespace BlazorForecast.Forecasting.Sweeps;

/// <summary>Random search: every trial an independent uniform draw from the space.</summary>
public sealed class RandomSampler(SearchSpace space, int seed) : SweepSampler(space, seed)
{
    public override IReadOnlyList<double> Propose(int trialIndex, IReadOnlyList<TrialObservation> history) => RandomPoint(RandomFor(trialIndex));
}
