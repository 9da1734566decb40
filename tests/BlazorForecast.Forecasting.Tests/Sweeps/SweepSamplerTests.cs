using BlazorForecast.Forecasting.Sweeps;

namespace BlazorForecast.Forecasting.Tests.Sweeps;

public sealed class SweepSamplerTests
{
    private static readonly SearchSpace Space = SearchSpace.Parse("""
        {"model": ["Lstm", "Gru", "DLinear"], "hiddenSize": {"int": [8, 512], "log": true}, "dropout": {"uniform": [0, 0.5]},
         "learningRate": {"logUniform": [0.00001, 0.1]}, "layers": {"int": [1, 4]}}
        """);

    public static TheoryData<SweepMethod> Methods => [SweepMethod.Random, SweepMethod.Tpe];

    [Theory]
    [MemberData(nameof(Methods))]
    public void Proposals_StayInTheSpace_AndRepeatForTheSameSeed(SweepMethod method)
    {
        var first = Run(SweepSampler.Create(method, Space, seed: 5), 40);
        var again = Run(SweepSampler.Create(method, Space, seed: 5), 40);
        var other = Run(SweepSampler.Create(method, Space, seed: 6), 40);

        Assert.Equal(first.Select(Text), again.Select(Text));
        Assert.NotEqual(first.Select(Text), other.Select(Text));
        foreach (var point in first)
        {
            Assert.InRange(point[0], 0, 2);
            Assert.Equal(Math.Floor(point[0]), point[0]);
            Assert.InRange(point[1], 8, 512);
            Assert.Equal(Math.Floor(point[1]), point[1]);
            Assert.InRange(point[2], 0, 0.5);
            Assert.InRange(point[3], 0.00001, 0.1);
            Assert.InRange(point[4], 1, 4);
        }
    }

    [Fact]
    public void Grid_VisitsEveryPointOnceInASeededOrder_ThenStops()
    {
        var space = SearchSpace.Parse("""{"model": ["Lstm", "Gru"], "layers": {"int": [1, 3]}, "dropout": [0, 0.1]}""");
        var sampler = SweepSampler.Create(SweepMethod.Grid, space, seed: 1);

        var points = Enumerable.Range(0, 12).Select(i => sampler.Propose(i, [])!).ToList();

        Assert.Equal(12, points.Select(Text).Distinct().Count());
        Assert.Null(sampler.Propose(12, []));
        Assert.NotEqual(Enumerable.Range(0, 12).Select(i => Text(space.GridPoint(i))), points.Select(Text));
        Assert.Equal(points.Select(Text), Enumerable.Range(0, 12).Select(i => Text(SweepSampler.Create(SweepMethod.Grid, space, seed: 1).Propose(i, [])!)));
    }

    [Fact]
    public void Grid_RefusesARangeWithoutStepsAndAGridTooLarge()
    {
        var continuous = Assert.Throws<SweepSpaceException>(() => SweepSampler.Create(SweepMethod.Grid, SearchSpace.Parse("""{"dropout": {"uniform": [0, 0.5]}}"""), 1));
        Assert.StartsWith("Grid search needs a finite grid", continuous.Message, StringComparison.Ordinal);

        var huge = Assert.Throws<SweepSpaceException>(() => SweepSampler.Create(SweepMethod.Grid,
            SearchSpace.Parse("""{"hiddenSize": {"int": [1, 1000]}, "lookback": {"int": [1, 1000]}}"""), 1));
        Assert.Equal("The grid has 1,000,000 points; at most 100,000 are allowed. Use random or TPE search for a space this large.", huge.Message);
    }

    [Fact]
    public void Tpe_IsRandomUntilItsStartupTrialsAreComplete()
    {
        var tpe = SweepSampler.Create(SweepMethod.Tpe, Space, seed: 3);
        var random = SweepSampler.Create(SweepMethod.Random, Space, seed: 3);
        var history = Enumerable.Range(0, 9).Select(i => new TrialObservation(random.Propose(i, [])!, TrialState.Complete, i)).ToList();

        Assert.Equal(Text(random.Propose(9, history)!), Text(tpe.Propose(9, history)!));
        history.Add(new TrialObservation(random.Propose(9, [])!, TrialState.Complete, 9));
        Assert.NotEqual(Text(random.Propose(10, history)!), Text(tpe.Propose(10, history)!));
    }

    [Fact]
    public void Tpe_InterleavesARandomDrawEveryFifthTrial()
    {
        var tpe = SweepSampler.Create(SweepMethod.Tpe, Space, seed: 4);
        var random = SweepSampler.Create(SweepMethod.Random, Space, seed: 4);
        var history = Enumerable.Range(0, 20).Select(i => new TrialObservation(random.Propose(i, [])!, TrialState.Complete, i)).ToList();

        var modelled = Enumerable.Range(20, 10).Where(i => Text(tpe.Propose(i, history)!) != Text(random.Propose(i, history)!)).ToList();

        Assert.Equal([20, 21, 22, 23, 25, 26, 27, 28], modelled);
    }

    [Fact]
    public void Tpe_ProposesNearTheBestTrials()
    {
        var space = SearchSpace.Parse("""{"dropout": {"uniform": [0, 1]}, "model": ["Lstm", "Gru", "Cnn", "Mlp"]}""");
        var tpe = SweepSampler.Create(SweepMethod.Tpe, space, seed: 11);
        var history = Enumerable.Range(0, 30)
            .Select(i => new TrialObservation([i / 29.0, i % 4], TrialState.Complete, Math.Abs((i / 29.0) - 0.8) + (i % 4 == 2 ? 0 : 0.5)))
            .ToList();

        var proposals = Enumerable.Range(30, 40).Select(i => tpe.Propose(i, history)!).ToList();

        Assert.InRange(proposals.Average(p => p[0]), 0.6, 1.0);
        Assert.True(proposals.Count(p => p[1] == 2) > 30, $"Cnn proposed {proposals.Count(p => p[1] == 2)} times of 40.");
    }

    [Fact]
    public void Tpe_ReachesAGoodObjectiveInFewerTrialsThanRandomSearch_OverManySeeds()
    {
        // The benchmark's valley: log learning rate and hidden size, dropout, one best model kind; target 0.3.
        var valley = SamplerRace.Objectives[0];
        var space = SearchSpace.Parse(valley.Space);
        int TrialsToReach(SweepMethod method, int seed) => SamplerRace.TrialsToReach(method, space, valley.Evaluate, valley.Target, seed, 100) ?? 101;

        var seeds = Enumerable.Range(1, 30).ToList();
        var tpe = seeds.Select(s => TrialsToReach(SweepMethod.Tpe, s)).Order().ToList();
        var random = seeds.Select(s => TrialsToReach(SweepMethod.Random, s)).Order().ToList();

        Assert.True(tpe[15] < random[15], $"Median trials to reach 0.3: TPE {tpe[15]}, random {random[15]}.");
        Assert.True(tpe.Average() < random.Average(), $"Mean trials to reach 0.3: TPE {tpe.Average():F1}, random {random.Average():F1}.");
    }

    [Fact]
    public void Tpe_CountsRunningTrialsAsBad_SoConcurrentProposalsSpreadOut()
    {
        var space = SearchSpace.Parse("""{"dropout": {"uniform": [0, 1]}}""");
        var tpe = SweepSampler.Create(SweepMethod.Tpe, space, seed: 2);
        var history = Enumerable.Range(0, 20).Select(i => new TrialObservation([i / 19.0], TrialState.Complete, Math.Abs((i / 19.0) - 0.5))).ToList();
        var alone = tpe.Propose(20, history)!;

        var running = history.Concat(Enumerable.Repeat(new TrialObservation(alone, TrialState.Running, null), 6)).ToList();
        var beside = tpe.Propose(20, running)!;

        Assert.NotEqual(alone[0], beside[0]);
    }

    private static List<IReadOnlyList<double>> Run(SweepSampler sampler, int trials)
    {
        var history = new List<TrialObservation>();
        var points = new List<IReadOnlyList<double>>();
        for (var i = 0; i < trials; i++)
        {
            var point = sampler.Propose(i, history)!;
            points.Add(point);
            history.Add(new TrialObservation(point, TrialState.Complete, point.Sum(Math.Log)));
        }

        return points;
    }

    private static string Text(IReadOnlyList<double> point) => string.Join(",", point.Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)));
}
