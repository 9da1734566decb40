using System.Globalization;
using BlazorForecast.Forecasting.Sweeps;

namespace BlazorForecast.Cli.Commands;

/// <summary>
/// `bench sampler`: how many trials random search and TPE need to reach a target on objectives that cost nothing to
/// evaluate, over many seeds. The objectives mimic validation losses over a sweep's usual settings: a narrow valley in
/// log learning rate and log hidden size with one best model kind, and a six-setting bowl with an integer and a choice.
/// </summary>
public static class SamplerBenchmark
{
    public static async Task<int> RunAsync(CliArguments args, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        var seeds = args.WholeNumber("seeds", 100, 2);
        var budget = args.WholeNumber("trials", 200, 10);
        await output.WriteLineAsync($"Trials until the objective reaches its target, over {seeds} seeds (at most {budget} trials; TPE starts with 10 random trials).");
        var fewer = true;
        foreach (var (name, spaceJson, objective, target) in SamplerRace.Objectives)
        {
            var space = SearchSpace.Parse(spaceJson);
            var random = Enumerable.Range(1, seeds).Select(s => SamplerRace.TrialsToReach(SweepMethod.Random, space, objective, target, s, budget)).ToArray();
            var tpe = Enumerable.Range(1, seeds).Select(s => SamplerRace.TrialsToReach(SweepMethod.Tpe, space, objective, target, s, budget)).ToArray();
            var tpeFaster = random.Zip(tpe).Count(p => (p.Second ?? budget + 1) < (p.First ?? budget + 1));
            var randomFaster = random.Zip(tpe).Count(p => (p.First ?? budget + 1) < (p.Second ?? budget + 1));
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"""

                {name}; target {target}
                  random  {Describe(random, budget)}
                  TPE     {Describe(tpe, budget)}
                  TPE needed fewer trials on {tpeFaster} seeds, random on {randomFaster}, the same on {seeds - tpeFaster - randomFaster}.
                """));
            fewer &= Median(tpe, budget) < Median(random, budget);
        }

        await output.WriteLineAsync(fewer ? "\nTPE reached every target in fewer trials (median) than random search." : "\nTPE did not beat random search on every objective.");
        return fewer ? 0 : 1;
    }

    private static string Describe(int?[] trials, int budget) => string.Create(CultureInfo.InvariantCulture,
        $"median {Median(trials, budget)} trials, mean {trials.Average(t => t ?? budget + 1):F1} (unreached counted as {budget + 1}), reached on {trials.Count(t => t is not null)} of {trials.Length} seeds");

    private static int Median(int?[] trials, int budget) => trials.Select(t => t ?? budget + 1).Order().ElementAt(trials.Length / 2);
}
