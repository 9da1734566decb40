namespace BlazorForecast.Forecasting.Sweeps;

/// <summary>An objective that costs nothing to evaluate, over a space given as JSON, with the value a sampler should reach.</summary>
public sealed record RaceObjective(string Name, string Space, Func<IReadOnlyList<double>, double> Evaluate, double Target);

/// <summary>
/// How many trials a sampler needs to reach a target on an objective that costs nothing to evaluate, so samplers can
/// be compared over many seeds without training anything (the `bench sampler` command and the sampler tests).
/// </summary>
public static class SamplerRace
{
    /// <summary>
    /// Stand-ins for a sweep's validation loss over its usual settings: a narrow valley in log learning rate and log hidden
    /// size with one best model kind, and a six-setting bowl with an integer and a choice; each with the target to reach.
    /// </summary>
    public static IReadOnlyList<RaceObjective> Objectives { get; } =
    [
        new("valley: log learning rate × log hidden size, dropout, model kind",
            """{"learningRate": {"logUniform": [0.00001, 0.1]}, "hiddenSize": {"int": [8, 512], "log": true}, "dropout": {"uniform": [0, 0.5]}, "model": ["Lstm", "Gru", "Cnn", "Transformer"]}""",
            p => Math.Pow(Math.Log10(p[0]) + 3, 2) + (Math.Pow(Math.Log2(p[1]) - 6, 2) / 4) + Math.Abs(p[2] - 0.1) + (p[3] == 1 ? 0 : 0.5),
            0.3),
        new("bowl: four real settings, lookback, layers 1-8, batch size",
            """{"dropout": {"uniform": [0, 1]}, "weightDecay": {"uniform": [0, 1]}, "learningRate": {"uniform": [0.001, 1]}, "lookback": {"int": [8, 256]}, "layers": {"int": [1, 8]}, "batchSize": [16, 32, 64]}""",
            p => Math.Pow(p[0] - 0.2, 2) + Math.Pow(p[1] - 0.7, 2) + Math.Pow(p[2] - 0.35, 2) + Math.Pow((p[3] - 96) / 248, 2) + (Math.Abs(p[4] - 3) / 8) + (p[5] == 1 ? 0 : 0.05),
            0.1),
    ];

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
