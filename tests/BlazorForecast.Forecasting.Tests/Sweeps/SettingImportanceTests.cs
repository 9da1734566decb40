using BlazorForecast.Forecasting.Sweeps;

namespace BlazorForecast.Forecasting.Tests.Sweeps;

public sealed class SettingImportanceTests
{
    private static readonly SearchSpace Space = SearchSpace.Parse("""{"model": ["Lstm", "Gru"], "dropout": {"uniform": [0, 0.4]}}""");

    [Fact]
    public void ALossThatOnlyTheModelMoves_IsAllTheModels()
    {
        (IReadOnlyList<double>, double)[] trials =
        [
            ([0, 0.1], 1.0), ([0, 0.3], 1.0), ([0, 0.2], 1.0), ([1, 0.15], 2.0), ([1, 0.35], 2.0), ([1, 0.05], 2.0),
        ];

        var shares = SettingImportance.Of(Space, trials);

        Assert.Equal("model", shares[0].Setting);
        Assert.Equal(1, shares[0].Share, 12);
        Assert.Equal("dropout", shares[1].Setting);
        // By chance alone four small groups of dropouts split the losses somewhat: η² would be 0.67; ω² is 0.25 / 1.75.
        Assert.Equal(0.25 / 1.75, shares[1].Share, 12);
    }

    [Fact]
    public void ALossRisingWithDropout_IsMostlyDropouts_HandWorked()
    {
        // Losses 1..8 rise with dropout; four rank groups of two: means 1.5, 3.5, 5.5, 7.5 around 4.5 → between 40 of a
        // total 42, within 2 on 4 degrees of freedom: ω² = (40 − 3·0.5) / (42 + 0.5). The model alternates (means 4 and 5):
        // between 2, within 40 on 6 degrees of freedom → below zero, read as 0.
        var trials = Enumerable.Range(1, 8).Select(k => ((IReadOnlyList<double>)[k % 2, k * 0.04], (double)k)).ToList();

        var shares = SettingImportance.Of(Space, trials);

        Assert.Equal(["dropout", "model"], shares.Select(s => s.Setting));
        Assert.Equal(38.5 / 42.5, shares[0].Share, 12);
        Assert.Equal(0, shares[1].Share, 12);
    }

    [Fact]
    public void TooFewTrialsOrNoVariation_SayNothing()
    {
        Assert.Empty(SettingImportance.Of(Space, [([0, 0.1], 1.0), ([1, 0.2], 2.0)]));
        Assert.Empty(SettingImportance.Of(Space, Enumerable.Range(0, 8).Select(k => ((IReadOnlyList<double>)[k % 2, k * 0.05], 3.0)).ToList()));
    }
}
