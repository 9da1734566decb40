using BlazorForecast.Forecasting.Evaluation;

namespace BlazorForecast.Forecasting.Tests.Evaluation;

public class DirectionClassificationTests
{
    // Six next-row calls; the training part rose 60% of the time, so always-majority calls a rise.
    private static readonly ScoredDirection[] Six =
    [
        new(0.9, true, 1, 0.6),
        new(0.7, true, 1, 0.6),
        new(0.7, false, 1, 0.6),
        new(0.4, true, 1, 0.6),
        new(0.2, false, 1, 0.6),
        new(0.1, false, 1, 0.6),
    ];

    [Fact]
    public void RocAuc_CountsTheRisesRankedAboveTheFalls_TiesHalf()
    {
        // Pairs (rise, fall): 0.9 beats all three; 0.7 ties 0.7 and beats 0.2, 0.1; 0.4 beats 0.2, 0.1 → (3 + 2.5 + 2) / 9.
        Assert.Equal(7.5 / 9, DirectionClassification.AreaUnderRoc(Six), 12);
        Assert.True(double.IsNaN(DirectionClassification.AreaUnderRoc(Six.Where(f => f.ActualUp).ToList())));
    }

    [Fact]
    public void EveryScore_MatchesTheHandComputedCase()
    {
        var c = DirectionClassification.Of(Six, flat: 2);

        Assert.Equal((6, 2), (c.Count, c.Flat));
        // Calls at 0.5: up, up, up, down, down, down; right on 1, 2, 5, 6.
        Assert.Equal(4.0 / 6, c.Calls.Accuracy, 12);
        Assert.Equal((2, 1, 2, 1), c.Calls.Confusion);
        var logLoss = -(Math.Log(0.9) + Math.Log(0.7) + Math.Log(0.3) + Math.Log(0.4) + Math.Log(0.8) + Math.Log(0.9)) / 6;
        Assert.Equal(logLoss, c.LogLoss, 12);
        var brier = (0.01 + 0.09 + 0.49 + 0.36 + 0.04 + 0.01) / 6;
        Assert.Equal(brier, c.Brier, 12);

        // Always-majority calls a rise with probability 0.6 every time: right on the three rises.
        Assert.Equal(0.5, c.MajorityAccuracy, 12);
        Assert.Equal(-((3 * Math.Log(0.6)) + (3 * Math.Log(0.4))) / 6, c.MajorityLogLoss, 12);
        Assert.Equal(((3 * 0.16) + (3 * 0.36)) / 6, c.MajorityBrier, 12);
        Assert.Equal(1 - (brier / c.MajorityBrier), c.BrierSkill, 12);
        Assert.Equal(0.5, c.AlwaysUpAccuracy, 12);

        // Only the model right: the falls at 0.2 and 0.1; only the majority right: the rise at 0.4. P(X ≥ 2 | 3, ½) = 4 / 8.
        Assert.Equal((2, 1), (c.ModelOnlyRight, c.MajorityOnlyRight));
        Assert.Equal(0.5, c.McNemarP, 12);
        Assert.Equal(7.0 / 8, c.WorseP, 12);
        Assert.Equal(ComparisonOutcome.NoDifference, c.Outcome(Verdict.DefaultLevel));
        Assert.Equal("No detectable difference from always-majority: right on 2 of the 3 next-row calls where the two differ (McNemar p = 0.5)", c.Verdict(Verdict.DefaultLevel));
    }

    [Fact]
    public void Reliability_BinsTheProbabilities_AndTheCalibrationErrorWeighsEachBinsGap()
    {
        var c = DirectionClassification.Of(Six, flat: 0);

        Assert.Equal(
            [
                new ReliabilityBin(0.1, 0.2, 1, 0.1, 0),
                new ReliabilityBin(0.2, 0.3, 1, 0.2, 0),
                new ReliabilityBin(0.4, 0.5, 1, 0.4, 1),
                new ReliabilityBin(0.7, 0.8, 2, 0.7, 0.5),
                new ReliabilityBin(0.9, 1.0, 1, 0.9, 1),
            ],
            c.Reliability.Select(b => b with { MeanProbability = Math.Round(b.MeanProbability, 12) }));
        Assert.Equal((0.1 + 0.2 + 0.6 + (2 * 0.2) + 0.1) / 6, c.CalibrationError, 12);
        Assert.Equal(1, DirectionClassification.ReliabilityOf([new ScoredDirection(1.0, true, 1, 0.5)])[0].To);
    }

    [Fact]
    public void McNemar_IsTheExactBinomialTailOfTheDiscordantCalls()
    {
        // 9 of 10 discordant calls: P(X ≥ 9 | 10, ½) = 11 / 1024.
        Assert.Equal(11.0 / 1024, DirectionClassification.McNemarOneSided(9, 1), 12);
        Assert.Equal(1, DirectionClassification.McNemarOneSided(0, 0));
        Assert.Equal(1, DirectionClassification.McNemarOneSided(0, 5), 12);
    }

    [Fact]
    public void AModelCallingRightWhereTheMajorityIsWrong_BeatsIt_AndOneCallingAlwaysUp_DoesNot()
    {
        // 40 rises then 20 falls; the base rate says up. A model that gets every fall right beats always-majority.
        var moves = Enumerable.Range(0, 60).Select(i => i < 40).ToList();
        var seeing = DirectionClassification.Of(moves.Select(up => new ScoredDirection(up ? 0.6 : 0.4, up, 1, 0.6)).ToList(), 0);
        var alwaysUp = DirectionClassification.Of(moves.Select(up => new ScoredDirection(0.6, up, 1, 0.6)).ToList(), 0);

        Assert.Equal(ComparisonOutcome.Better, seeing.Outcome(Verdict.DefaultLevel));
        Assert.StartsWith("Calls the direction better than always-majority: right on 20 of the 20", seeing.Verdict(Verdict.DefaultLevel), StringComparison.Ordinal);
        Assert.Equal(ComparisonOutcome.NoDifference, alwaysUp.Outcome(Verdict.DefaultLevel));
        Assert.Equal(1, alwaysUp.McNemarP);
        Assert.Equal(0.5, alwaysUp.Calls.BalancedAccuracy, 12);
        Assert.Equal(alwaysUp.MajorityLogLoss, alwaysUp.LogLoss, 12);
    }

    [Fact]
    public void TheVerdictFollowsTheSignificanceLevel_BothWays()
    {
        // 10 calls where the two differ. The model right on 9: P(X ≥ 9 | 10, ½) = 11 / 1024 ≈ 0.0107; the majority right on 9: the same, the other way.
        var better = Discordant(modelRight: 9, majorityRight: 1);
        var worse = Discordant(modelRight: 1, majorityRight: 9);

        Assert.Equal((ComparisonOutcome.Better, ComparisonOutcome.NoDifference), (better.Outcome(0.05), better.Outcome(0.01)));
        Assert.Equal((ComparisonOutcome.Worse, ComparisonOutcome.NoDifference), (worse.Outcome(0.05), worse.Outcome(0.01)));
        Assert.Equal("Calls the direction worse than always-majority: right on 1 of the 10 next-row calls where the two differ (McNemar p = 0.011)", worse.Verdict(0.05));
        Assert.Equal("No detectable difference from always-majority: right on 1 of the 10 next-row calls where the two differ (McNemar p = 0.999)", worse.Verdict(0.01));
        Assert.Equal(11.0 / 1024, worse.PValue(0.05), 12);
        Assert.Equal(1 - (1.0 / 1024), worse.PValue(0.01), 12);

        // The majority rule calls up every time (training share 0.6); the model calls the other way where it is to be right or wrong.
        static DirectionClassification Discordant(int modelRight, int majorityRight) => DirectionClassification.Of(
            Enumerable.Repeat(new ScoredDirection(0.3, false, 1, 0.6), modelRight)
                .Concat(Enumerable.Repeat(new ScoredDirection(0.3, true, 1, 0.6), majorityRight))
                .ToList(), 0);
    }

    [Fact]
    public void Steps_ScoreEachHorizonStep_WhileTheHeadlineIsTheNextRow()
    {
        var forecasts = Six.Concat(Six.Select(f => f with { Step = 2, ProbabilityUp = 1 - f.ProbabilityUp })).ToList();

        var c = DirectionClassification.Of(forecasts, 0);

        Assert.Equal(6, c.Count);
        Assert.Equal([1, 2], c.Steps.Select(s => s.Step));
        Assert.Equal(7.5 / 9, c.Steps[0].RocAuc, 12);
        Assert.Equal(1.5 / 9, c.Steps[1].RocAuc, 12);
        Assert.Equal(c.Calls.BalancedAccuracy, c.Steps[0].BalancedAccuracy, 12);
    }
}
