using BlazorForecast.Forecasting.Training;
using static TorchSharp.torch;

namespace BlazorForecast.Forecasting.Tests.Training;

public class DirectionLossTests
{
    // Two windows of one step and target each, plus a flat one: logits 0.5 (rose), −1 (fell), 3 (flat).
    private static readonly float[] Logits = [0.5f, -1f, 3f];
    private static readonly float[] Labels = [1f, -1f, 0f];

    private static double Mean(DirectionLoss loss)
    {
        using var scope = NewDisposeScope();
        return loss.Mean(tensor(Logits, [3, 1, 1]), tensor(Labels, [3, 1, 1])).item<float>();
    }

    private static double Softplus(double x) => Math.Log(1 + Math.Exp(x));

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    [Fact]
    public void PlainCrossEntropy_IsTheMeanNegativeLogLikelihoodOfTheMovesThatHappened_FlatOnesLeftOut()
    {
        // A rise with logit z costs −log σ(z) = log(1 + e^−z); a fall costs −log(1 − σ(z)) = log(1 + e^z).
        var expected = (Softplus(-0.5) + Softplus(-1)) / 2;

        Assert.Equal(expected, Mean(new DirectionLoss([1], [1], 0)), 6);
    }

    [Fact]
    public void ClassWeights_WeighEachTerm_AndTheMeanDividesByTheWeights()
    {
        var expected = ((2 * Softplus(-0.5)) + (0.5 * Softplus(-1))) / 2.5;

        Assert.Equal(expected, Mean(new DirectionLoss([2], [0.5], 0)), 6);
    }

    [Fact]
    public void FocalLoss_ScalesEachTermByTheProbabilityGivenToTheWrongDirection_ToThePowerGamma()
    {
        // The rise got σ(0.5) for up, so 1 − σ(0.5) wrong; the fall got σ(−1) for up, which is its wrong share.
        var rise = Math.Pow(1 - Sigmoid(0.5), 2) * Softplus(-0.5);
        var fall = Math.Pow(Sigmoid(-1), 2) * Softplus(-1);

        Assert.Equal((rise + fall) / 2, Mean(new DirectionLoss([1], [1], 2)), 6);
        Assert.True(Mean(new DirectionLoss([1], [1], 2)) < Mean(new DirectionLoss([1], [1], 0)), "Focusing lowers every term.");
    }

    [Fact]
    public void BalancedWeights_FromTrainingCounts_GiveEachDirectionHalfOfEachStep()
    {
        // Step 1: 30 rises, 10 falls → 40 / 60 and 40 / 20. Step 2: balanced already → 1 and 1.
        var loss = DirectionLoss.For(new DirectionTarget(), [(30, 10), (20, 20)]);

        Assert.Equal([40f / 60, 1f], loss.UpWeights);
        Assert.Equal([2f, 1f], loss.DownWeights);
        Assert.Equal(30 * loss.UpWeights[0], 10 * loss.DownWeights[0], 5);
        Assert.Equal(0, loss.Gamma);

        var plain = DirectionLoss.For(new DirectionTarget { Weighting = ClassWeighting.None }, [(30, 10)]);
        Assert.Equal([1f], plain.UpWeights);
        Assert.Equal([1f], plain.DownWeights);
        var focal = DirectionLoss.For(new DirectionTarget { Weighting = ClassWeighting.Focal, FocalGamma = 1.5 }, [(30, 10)]);
        Assert.Equal((1f, 1f, 1.5), (focal.UpWeights[0], focal.DownWeights[0], focal.Gamma));
    }

    [Fact]
    public void WeightsApplyPerStep_ByBroadcastingOverTheBatch()
    {
        using var scope = NewDisposeScope();
        // One window, two steps: a rise at step 1 (weight 3) and a rise at step 2 (weight 1).
        var loss = new DirectionLoss([3, 1], [1, 1], 0);
        var (sum, weight) = loss.Terms(tensor(new[] { 0f, 0f }, [1, 2, 1]), tensor(new[] { 1f, 1f }, [1, 2, 1]));

        Assert.Equal(4 * Math.Log(2), sum.item<float>(), 5);
        Assert.Equal(4, weight.item<float>(), 6);
    }
}
