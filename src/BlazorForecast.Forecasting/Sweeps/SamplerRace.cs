namespace BlazorForecast.Forecasting.Sweeps;

/// <summary>
/// How many trials a sampler needs to reach a target on an objective that costs nothing to evaluate, so samplers can
/// be compared over many seeds without training anything (the `bench sampler` command and the sampler tests).
/// </summary>
public static class SamplerRace
{
    /// <summary>The 1-based trial that first scored at or below <paramref name="target"/>, or null within <paramref name="maxTrials"/>.</summary>
    public static int? TrialsToReach(SweepMethod method, SearchSpace space, Func<IReadOnlyList<double>, double> objective, double target, int seed, int maxTrials)
    {
        ArgumentNullException.ThrowIfNull(objective);
        var sampler = SweepSampler.Create(method, space, seed);
        var history = new List<TrialObservation>();
        for (var i = 0; i < maxTrials; i++)
        {
            if (sampler.Propose(i, history) is not { } point)
            {
                return null;
            }

            var value = objective(point);
            if (value <= target)
            {
                return i + 1;
            }

            history.Add(new TrialObservation(point, TrialState.Complete, value));
        }

        return null;
    }
}
