using BlazorForecast.Forecasting.Data;
using BlazorForecast.Forecasting.Evaluation;
using BlazorForecast.Forecasting.Models;
using BlazorForecast.Forecasting.Training;
using BlazorForecast.Web.Features.Compare;
using BlazorForecast.Web.Features.Results;

namespace BlazorForecast.Web.Tests.Features.Results;

public sealed class ResultsCalculationsTests
{
    private static ErrorMetrics Rmse(double rmse) => new(rmse * rmse, rmse, rmse, 1, 1, 0, 1, 0.5, 0.5, 10);

    private static EvaluationReport Report(double model, double naive)
    {
        HorizonMetrics Horizon(double rmse) => new(Rmse(rmse), [Rmse(rmse)]);
        return new EvaluationReport([new MethodScores("Model", Horizon(model), Horizon(model), null), new MethodScores(nameof(BaselineKind.Naive), Horizon(naive), Horizon(naive), null)], 10);
    }

    private static RunResults Untested(params EvaluationReport[] folds)
    {
        var frame = SyntheticMarketData.Generate(60, seed: 1);
        var stored = folds.Select((f, i) => new StoredFold(new SeriesSplit(new Segment(0, 40), new Segment(40, 50), new Segment(50, 60), i),
            new TrainingSummary(StopReason.MaxEpochs, "", 1, 1, 1, [], "cpu"), f, [], [])).ToList();
        return new RunResults(1, "old run", 1, "d", new ForecastConfig(), stored, null, frame);
    }

    [Theory]
    [InlineData(0.9, 1.0, "Untested: RMSE 10.0% lower than naive.")]
    [InlineData(1.1, 1.0, "Untested: RMSE 10.0% higher than naive.")]
    [InlineData(1.0, 1.0, "Untested: the same RMSE as naive.")]
    public void Verdict_OfARunTrainedBeforeTests_ShowsTheGapAsUntested_NeverAsAWin(double model, double naive, string expected)
    {
        var verdict = ResultsVerdict.Of(Untested(Report(model, naive)), 0.05);

        Assert.Equal(expected, verdict.Text);
        Assert.Null(verdict.Outcome);
        Assert.False(verdict.IsSuccess);
        Assert.Equal([ResultsVerdict.Untested], verdict.Notes);
    }

    [Fact]
    public void Verdict_OfAnUntestedWalkForwardRun_ComparesTheMeanRmse()
    {
        Assert.Equal("Untested: RMSE 10.0% lower than naive (mean over 2 folds).", ResultsVerdict.Of(Untested(Report(0.8, 1.0), Report(1.0, 1.0)), 0.05).Text);
        Assert.Equal("Untested: the same RMSE as naive.", ResultsVerdict.Of(Untested(Report(0.8, 1.0), Report(1.0, 1.0)), 0.05, fold: 1).Text);
    }

    [Fact]
    public void ConfigDifferences_ListOnlyTheSettingsThatDiffer()
    {
        var first = new ForecastConfig { Targets = ["Close"], Lookback = 20, Model = new ModelOptions { Kind = ModelKind.Lstm } };
        var second = first with { Lookback = 40, Model = first.Model with { Kind = ModelKind.Gru } };

        var differences = ConfigDifferences.Between([first, second, first]);

        Assert.Equal(["lookback", "model.kind"], differences.Select(d => d.Setting).Order());
        Assert.Equal(["Lstm", "Gru", "Lstm"], differences.Single(d => d.Setting == "model.kind").Values);
        Assert.Empty(ConfigDifferences.Between([first, first]));
    }

    [Fact]
    public void Anomalies_AnOutsizedErrorAndAVolumeSpike_AreFound()
    {
        var times = Enumerable.Range(0, 60).Select(i => new DateTime(2024, 1, 1).AddDays(i)).ToArray();
        var volume = times.Select((_, i) => 1000.0 + (i % 5 * 20)).ToArray();
        volume[40] = 50_000;
        var frame = new TimeSeriesFrame(times, [new SeriesColumn("Volume", "Volume", ColumnRole.Volume, volume)]);
        var points = times.Select((t, i) => new PredictionPoint(t, t.AddDays(-1), 100 + (i % 3 == 0 ? 1 : -1) + (i == 25 ? 30 : 0), 100, 0, 0, 0, 0)).ToList();

        var anomalies = AnomalyDetector.Find(points, frame);

        Assert.Equal(2, anomalies.Count);
        Assert.Equal((times[25], AnomalyDetector.ForecastError), (anomalies[0].Time, anomalies[0].Kind));
        Assert.Equal((times[40], AnomalyDetector.VolumeSpike), (anomalies[1].Time, anomalies[1].Kind));
    }

    [Fact]
    public void StepsToKeep_AllStepsWhenTheyFit_ElseEvenlySpacedWithFirstAndLast()
    {
        Assert.Equal([1, 2, 3, 4, 5], PredictionSet.StepsToKeep(5, 1, 500));

        var steps = PredictionSet.StepsToKeep(720, 8, 1500);

        Assert.Equal(1, steps[0]);
        Assert.Equal(720, steps[^1]);
        Assert.True(steps.Length * 8 * 1500 <= PredictionSet.ValueBudget, $"{steps.Length} steps exceed the budget.");
        Assert.Equal(steps.Order(), steps);
    }

    [Fact]
    public void PredictionSet_RoundTripsThroughItsStoredBytes()
    {
        var set = TrainedResults.Chronological.Predictions!;

        var back = PredictionSet.FromBytes(set.ToBytes());

        Assert.Equal(set.Steps, back.Steps);
        Assert.Equal(set.Folds[0].Test.Origins, back.Folds[0].Test.Origins);
        Assert.Equal(set.Folds[0].Test.Values[7][2][0], back.Folds[0].Test.Values[7][2][0]);
        Assert.Equal(set.Future!.Values[2][0], back.Future!.Values[2][0]);
    }
}
