using BlazorForecast.Forecasting.Sweeps;

namespace BlazorForecast.Forecasting.Tests.Sweeps;

public sealed class TrialPrunerTests
{
    [Fact]
    public void SuccessiveHalving_RungsGrowByTheReductionFactorBelowTheLastEpoch()
    {
        Assert.Equal([1, 3, 9], new SuccessiveHalvingPruner(1, 3, 27).Rungs);
        Assert.Equal([2, 4, 8, 16], new SuccessiveHalvingPruner(2, 2, 30).Rungs);
        Assert.Empty(new SuccessiveHalvingPruner(10, 3, 10).Rungs);
    }

    [Fact]
    public void SuccessiveHalving_HandWorkedExample()
    {
        // η = 3, rungs at epochs 1 and 3 (of 9). Each line: trial, epoch, best loss so far, expected decision.
        var asha = new SuccessiveHalvingPruner(1, 3, 9);
        (int Trial, int Epoch, double Loss, bool Stop)[] steps =
        [
            (0, 1, 0.50, false), // alone at rung 1: the best there so far
            (1, 1, 0.40, false), // best of two
            (2, 1, 0.60, true),  // three at rung 1, top ⌊3/3⌋ = 1 is 0.40
            (3, 1, 0.45, true),  // four, top 1 is 0.40
            (0, 2, 0.48, false), // not a rung
            (4, 1, 0.30, false), // five, top 1 is 0.30
            (5, 1, 0.42, true),  // six, top 2 are 0.30 and 0.40; 0.42 is third
            (1, 3, 0.35, false), // alone at rung 3
            (4, 3, 0.38, true),  // two at rung 3, top 1 is 0.35
            (6, 1, 0.41, true),  // seven at rung 1, top 2: 0.30, 0.40
            (7, 1, 0.39, false), // eight, top 2: 0.30, 0.39
            (8, 1, 0.10, false),
            (9, 1, 0.40, true),  // ten, top 3: 0.10, 0.30, 0.39; 0.40 is fourth
        ];

        var decisions = steps.Select(s => asha.ShouldStop(s.Trial, 0, s.Epoch, s.Loss)).ToList();

        Assert.Equal(steps.Select(s => s.Stop), decisions);
    }

    [Fact]
    public void SuccessiveHalving_ComparesOnlyTheSamePartOfEachTrial()
    {
        var asha = new SuccessiveHalvingPruner(1, 2, 8);

        Assert.False(asha.ShouldStop(0, part: 0, epoch: 1, 0.1));
        Assert.False(asha.ShouldStop(1, part: 1, epoch: 1, 5.0));
        Assert.True(asha.ShouldStop(1, part: 0, epoch: 1, 5.0));
    }

    [Fact]
    public void SuccessiveHalving_ANonFiniteLossStops()
    {
        var asha = new SuccessiveHalvingPruner(1, 3, 9);

        Assert.True(asha.ShouldStop(0, 0, 1, double.NaN));
        Assert.False(asha.ShouldStop(1, 0, 1, 0.5));
    }

    [Fact]
    public void Median_StopsATrialWorseThanTheMedianOfOthersAtTheSameEpoch_AfterItsWarmUp()
    {
        var median = new MedianPruner(minEpochs: 3);
        foreach (var (trial, loss) in new[] { (0, 1.0), (1, 2.0), (2, 3.0), (3, 4.0) })
        {
            for (var epoch = 1; epoch <= 3; epoch++)
            {
                Assert.False(median.ShouldStop(trial, 0, epoch, loss));
            }
        }

        Assert.False(median.ShouldStop(4, 0, 2, 9.0)); // before the warm-up ends
        Assert.True(median.ShouldStop(4, 0, 3, 2.6));  // median of 1, 2, 3, 4 is 2.5
        Assert.False(median.ShouldStop(5, 0, 3, 2.5));
        Assert.False(median.ShouldStop(6, 0, 4, 99));  // nobody else got to epoch 4
    }

    [Fact]
    public void Create_FollowsTheRule()
    {
        Assert.Null(TrialPruner.Create(EarlyStoppingRule.None, 1, 3, 30));
        Assert.IsType<SuccessiveHalvingPruner>(TrialPruner.Create(EarlyStoppingRule.SuccessiveHalving, 1, 3, 30));
        Assert.IsType<MedianPruner>(TrialPruner.Create(EarlyStoppingRule.Median, 5, 3, 30));
    }
}
