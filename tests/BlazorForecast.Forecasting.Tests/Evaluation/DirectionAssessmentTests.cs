using BlazorForecast.Forecasting.Evaluation;

namespace BlazorForecast.Forecasting.Tests.Evaluation;

public class DirectionAssessmentTests
{
    private static List<DirectionCall> Calls(string predicted, string actual) =>
        predicted.Zip(actual, (p, a) => new DirectionCall(p == 'U', a == 'U')).ToList();

    [Fact]
    public void PesaranTimmermann_MatchesTheHandComputedStatistic()
    {
        // 8 moves, half up; half the calls up; 6 right. P = 0.75, P* = 0.5·0.5 + 0.5·0.5 = 0.5; V(P) = 0.5·0.5/8 = 1/32,
        // V(P*) = 4·0.5⁴/64 = 1/256; PT = 0.25/√(1/32 − 1/256) = 1.511858; one-sided p = 1 − Φ(PT) = 0.065285009 (R).
        var direction = DirectionAssessment.Of(Calls("UUUDDDDU", "UUUUDDDD"));

        Assert.Equal((8, 6, 4, 4), (direction.Count, direction.Hits, direction.UpMoves, direction.UpCalls));
        Assert.Equal(0.25 / Math.Sqrt((1.0 / 32) - (1.0 / 256)), direction.PesaranTimmermann, 12);
        Assert.Equal(0.065285009058, direction.PesaranTimmermannP, 9);

        // Binomial against the majority rate 0.5: P(X ≥ 6 | 8, ½) = (28 + 8 + 1) / 256.
        Assert.Equal(37.0 / 256, direction.BinomialP, 12);
        Assert.False(direction.OneWay);
    }

    [Fact]
    public void BalancedAccuracyMccAndF1_MatchTheHandComputedConfusionMatrix()
    {
        // Six rises (four called rises, two called falls) and four falls (three called falls, one called a rise).
        var direction = DirectionAssessment.Of(Calls("UUUUDDDDDU", "UUUUUUDDDD"));

        Assert.Equal((4, 1, 3, 2), direction.Confusion);
        Assert.Equal(((4.0 / 6) + (3.0 / 4)) / 2, direction.BalancedAccuracy, 12);
        // (TP·TN − FP·FN) / √((TP+FP)(TP+FN)(TN+FP)(TN+FN)) = (12 − 2) / √(5·6·4·5).
        Assert.Equal(10 / Math.Sqrt(600), direction.Mcc, 12);
        Assert.Equal((8.0 / 11, 6.0 / 9), direction.F1);
        var report = DirectionReport.From(direction, BlazorForecast.Forecasting.Data.SeriesFrequency.BusinessDays);
        Assert.Equal([4, 1, 3, 2], report.Confusion);
        Assert.Equal((direction.BalancedAccuracy, direction.Mcc, 8.0 / 11, 6.0 / 9), (report.BalancedAccuracy, report.Mcc, report.UpF1, report.DownF1));
    }

    [Fact]
    public void AlwaysCallingARise_HasTheBalancedAccuracyOfChance_AndNoCorrelation_HoweverManyRisesThereWere()
    {
        var direction = DirectionAssessment.Of(Calls(new string('U', 100), new string('U', 80) + new string('D', 20)));

        Assert.Equal(0.8, direction.Accuracy, 12);
        Assert.Equal(0.5, direction.BalancedAccuracy, 12);
        Assert.True(double.IsNaN(direction.Mcc), "No correlation is defined for calls that never vary.");
        Assert.Equal((160.0 / 180, 0), direction.F1);
    }

    [Fact]
    public void CallsAllOneWay_AreFlagged_AndTheirAccuracyIsJustTheUpRate()
    {
        // Like the LSTM that called a rise on every test day: right exactly as often as the market rose.
        var direction = DirectionAssessment.Of(Calls(new string('U', 100), new string('U', 57) + new string('D', 43)));

        Assert.True(direction.OneWay);
        Assert.Equal(1, direction.UpCallRate);
        Assert.Equal(direction.UpRate, direction.Accuracy, 12);
        Assert.True(double.IsNaN(direction.PesaranTimmermannP), "Independence cannot be tested when every call is the same.");
        Assert.True(direction.BinomialP > 0.4, $"Always-up matches the majority rule exactly: p = {direction.BinomialP}");
        Assert.Equal("The model predicted a rise on 100% of days: its direction is the same as always-long.",
            Verdict.OneWay(direction, BlazorForecast.Forecasting.Data.SeriesFrequency.BusinessDays));
    }

    [Fact]
    public void AlmostAllDown_IsOneWayToo_AndSaysAlwaysShort()
    {
        var direction = DirectionAssessment.Of(Calls("U" + new string('D', 39), new string('U', 20) + new string('D', 20)));

        Assert.True(direction.OneWay);
        Assert.Equal("The model predicted a fall on 97.5% of weeks: its direction is the same as always-short.",
            Verdict.OneWay(direction, BlazorForecast.Forecasting.Data.SeriesFrequency.Weekly));
        Assert.Null(Verdict.OneWay(DirectionAssessment.Of(Calls("UUUDDDDU", "UUUUDDDD")), BlazorForecast.Forecasting.Data.SeriesFrequency.Daily));
    }

    [Fact]
    public void NoMoves_NothingToJudge()
    {
        var direction = DirectionAssessment.Of([]);

        Assert.Equal(0, direction.Count);
        Assert.True(double.IsNaN(direction.Accuracy));
        Assert.False(direction.OneWay);
    }
}
