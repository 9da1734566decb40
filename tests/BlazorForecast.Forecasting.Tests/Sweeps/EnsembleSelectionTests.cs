using BlazorForecast.Forecasting.Sweeps;

namespace BlazorForecast.Forecasting.Tests.Sweeps;

public sealed class EnsembleSelectionTests
{
    // Actuals alternate ±1; A is biased up by one, B down by one, C predicts zero: each alone has MSE 1.
    private static readonly double[] Actuals = [1, -1, 1, -1];
    private static readonly double[][] Candidates = [[2, 0, 2, 0], [0, -2, 0, -2], [0, 0, 0, 0]];

    [Fact]
    public void Greedy_FindsThePairWhoseErrorsCancel()
    {
        var choice = EnsembleSelection.Greedy(Candidates, Actuals, rounds: 5);

        Assert.Equal([0.5, 0.5, 0], choice.Weights);
        Assert.Equal(0, choice.ValidationMse, 12);
    }

    [Fact]
    public void Greedy_KeepsTheBestRound_NotTheLast()
    {
        // Both are biased up (by 2 and by 0.5): round 1 takes the second (MSE 0.25), and every mix is biased more.
        double[][] candidates = [[3, 1, 3, 1], [1.5, -0.5, 1.5, -0.5]];

        var choice = EnsembleSelection.Greedy(candidates, Actuals, rounds: 10);

        Assert.Equal([0, 1], choice.Weights);
        Assert.Equal(0.25, choice.ValidationMse, 12);
    }

    [Fact]
    public void Greedy_WeightsFollowHowOftenACandidateWasPicked()
    {
        // One part A (+2) to two parts B (−1) averages to the actual 0: rounds pick B, then A, then B.
        double[] actuals = [0, 0, 0];
        double[][] candidates = [[2, 2, 2], [-1, -1, -1]];

        var choice = EnsembleSelection.Greedy(candidates, actuals, rounds: 6);

        Assert.Equal(1.0 / 3, choice.Weights[0], 12);
        Assert.Equal(2.0 / 3, choice.Weights[1], 12);
        Assert.Equal(0, choice.ValidationMse, 12);
    }

    [Fact]
    public void TopK_AveragesTheKBestAlone()
    {
        double[][] candidates = [[0, 0, 0, 0], [2, 0, 2, 0], [1, -1, 1, 0], [0, -2, 0, -2]];

        var one = EnsembleSelection.TopK(candidates, Actuals, 1);
        var two = EnsembleSelection.TopK(candidates, Actuals, 2);

        Assert.Equal([0, 0, 1, 0], one.Weights);
        Assert.Equal(0.25, one.ValidationMse, 12);
        Assert.Equal([0.5, 0, 0.5, 0], two.Weights);
        Assert.Equal(((3 * 0.25) + 1) / 4, two.ValidationMse, 12);
    }

    [Fact]
    public void MissingActuals_AreSkipped()
    {
        var choice = EnsembleSelection.TopK([[1, 5], [9, 9]], [1, double.NaN], 1);

        Assert.Equal([1, 0], choice.Weights);
        Assert.Equal(0, choice.ValidationMse);
    }

    [Fact]
    public void CandidatesOfTheWrongLength_AreRefused()
    {
        Assert.Throws<ArgumentException>(() => EnsembleSelection.Greedy([[1, 2]], [1, 2, 3]));
        Assert.Throws<ArgumentException>(() => EnsembleSelection.TopK([], [1], 1));
    }
}
