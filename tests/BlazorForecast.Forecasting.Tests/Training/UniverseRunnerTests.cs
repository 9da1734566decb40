using BlazorForecast.Forecasting.Data;
using BlazorForecast.Forecasting.Evaluation;
using BlazorForecast.Forecasting.Models;
using BlazorForecast.Forecasting.Training;

namespace BlazorForecast.Forecasting.Tests.Training;

public class UniverseRunnerTests
{
    // Three series on one calendar at very different price levels and volatilities.
    private static TimeSeriesFrame Wide(int rows = 400)
    {
        var a = GeneratedPrices.Generate(rows, new ReturnProcess { Phi = 0.3, Alpha = 0, Beta = 0 }, seed: 1);
        var b = GeneratedPrices.Generate(rows, new ReturnProcess { Volatility = 0.03, Alpha = 0, Beta = 0 }, seed: 2);
        var c = GeneratedPrices.Generate(rows, new ReturnProcess { Phi = -0.2, Volatility = 0.005, Alpha = 0, Beta = 0 }, seed: 3);
        return new TimeSeriesFrame(a.Timestamps,
        [
            new SeriesColumn("A", "A", ColumnRole.Close, a.Columns[0].Values),
            new SeriesColumn("B", "B", ColumnRole.Close, b.Columns[0].Values.Select(v => v * 50).ToArray()),
            new SeriesColumn("C", "C", ColumnRole.Close, c.Columns[0].Values.Select(v => v / 10).ToArray()),
        ]);
    }

    private static readonly UniverseConfig Config = new()
    {
        Series = ["A", "B", "C"],
        Template = new ForecastConfig
        {
            Transform = TargetTransform.LogReturn,
            Lookback = 10,
            Horizon = 2,
            Model = new ModelOptions { Kind = ModelKind.Mlp, HiddenSize = 8, Layers = 1 },
            Training = new TrainingOptions { MaxEpochs = 2, Device = DeviceChoice.Cpu, Seed = 4 },
        },
        Options = new UniverseOptions { Quantile = 0.34 },
    };

    [Fact]
    public void EachSeries_IsScaledWithItsOwnTrainingPart_AndTaggedWithItsCode()
    {
        var frame = Wide();
        var split = SeriesSplitter.Chronological(frame.RowCount);
        var members = Config.Series.Select((name, i) => WindowedProblem.Prepare(UniverseConfig.SeriesFrame(frame, name), Config.PerSeries, split,
            Config.Series.Select((other, j) => new KeyValuePair<string, float>($"series {other}", i == j ? 1f : 0f)).ToList())).ToList();

        for (var i = 0; i < 3; i++)
        {
            var own = FeatureBuilder.Returns(frame.Columns[i].Values, log: true)[1..split.Train.End];
            Assert.Equal(own.Average(), members[i].TargetScaler.Means[0], 12);
            Assert.Equal(["Value log return", "series A", "series B", "series C"], members[i].FeatureNames);
        }

        Assert.True(members[1].TargetScaler.Deviations[0] > 5 * members[2].TargetScaler.Deviations[0], "B moves far more than C: each has its own scale.");
        var universe = UniverseProblem.Of(members);
        Assert.Equal(members.Sum(m => m.TrainOrigins.Length), universe.TrainOrigins.Length);
        Assert.Equal([0, 1, 2], universe.TrainOrigins.Select(id => universe.Decode(id).Member).Distinct().Order());
        using var scope = TorchSharp.torch.NewDisposeScope();
        var id = universe.TrainOrigins.First(i => universe.Decode(i).Member == 2);
        var (x, y) = universe.Batch([id], TorchSharp.torch.CPU);
        var (ownX, ownY) = members[2].Batch([universe.Decode(id).Origin], TorchSharp.torch.CPU);
        Assert.True(x.allclose(ownX, 0, 0) && y.allclose(ownY, 0, 0));
        Assert.Equal([0f, 0f, 1f], x[0, -1].data<float>().ToArray()[1..]);
    }

    [Fact]
    public void AStoppedUniverseRun_Resumes_ReusingFinishedTrainings_AndEndsLikeTheUninterrupted()
    {
        var frame = Wide();
        var config = Config with { Template = Config.Template with { WalkForwardFolds = 2, Training = Config.Template.Training with { Seeds = 2, MaxEpochs = 3 } } };
        var parts = new List<PartTrained>();
        var checkpoints = new List<TrainingCheckpoint>();
        var uninterrupted = UniverseRunner.Run(frame, config, new Reports(p => { if (p is PartTrained part) { parts.Add(part); } }), checkpoints.Add);
        Assert.Equal([(0, 0), (0, 1), (1, 0), (1, 1)], parts.Select(p => (p.Fold, p.SeedIndex)));

        // Stopped during the second fold's second seed, after its first epoch: three trainings done, one checkpoint kept.
        var epochs = new List<EpochCompleted>();
        var resumed = UniverseRunner.Run(frame, config, new Reports(p => { if (p is EpochCompleted e) { epochs.Add(e); } }),
            resumeFrom: new ResumePoint(parts.Take(3).ToList(), checkpoints.Single(c => (c.Fold, c.SeedIndex, c.EpochsDone) == (1, 1, 1))));

        Assert.Equal([(1, 1, 2), (1, 1, 3)], epochs.Select(e => (e.Fold, e.SeedIndex, e.Epoch)));
        Assert.Equal(uninterrupted.Series.Select(s => s.StandardizedMse), resumed.Series.Select(s => s.StandardizedMse));
        Assert.Equal(uninterrupted.Ic, resumed.Ic);
        Assert.Equal(uninterrupted.Trainings.Select(t => t.BestValidationLoss), resumed.Trainings.Select(t => t.BestValidationLoss));
    }

    [Fact]
    public void TheSameSeed_TrainsTheSameModel_ToTheLastBit()
    {
        // Twice in one process, with the batches' memory wherever it falls: every epoch's losses are equal, not merely close.
        var config = Config with { Template = Config.Template with { Training = Config.Template.Training with { MaxEpochs = 3 } } };
        List<(double, double)> Losses()
        {
            var epochs = new List<EpochCompleted>();
            UniverseRunner.Run(Wide(), config, new Reports(p => { if (p is EpochCompleted e) { epochs.Add(e); } }));
            return epochs.Select(e => (e.TrainLoss, e.ValidationLoss)).ToList();
        }

        var first = Losses();
        GC.Collect();
        Assert.Equal(first, Losses());
    }

    [Fact]
    public void OneModelAcrossTheSeries_IsScoredPerSeries_AndAcrossThem()
    {
        var frame = Wide();

        var run = UniverseRunner.Run(frame, Config);

        Assert.True(run.Global);
        Assert.Equal(["A", "B", "C"], run.Series.Select(s => s.Series));
        Assert.Single(run.Trainings);
        var origins = run.Series[0].Folds[0].TestOrigins;
        Assert.Equal(origins.Length, run.CrossSection.Count);
        var w = origins.Length / 2;
        var b = frame.Columns[1].Values;
        Assert.Equal((b[origins[w] + 1] / b[origins[w]]) - 1, run.CrossSection[w].Actual[1], 12);
        Assert.Equal((run.Series[1].Folds[0].TestForecasts[w][0][0] / b[origins[w]]) - 1, run.CrossSection[w].Predicted[1], 12);
        var train = run.Series[1].Folds[0].Split.Train;
        var drift = Enumerable.Range(train.Start, train.Length - 1).Average(t => (b[t + 1] / b[t]) - 1);
        Assert.All(run.CrossSection, d => Assert.Equal(drift, d.Drift[1], 12));
        Assert.Equal(run.CrossSection.Count(d => double.IsFinite(d.RankIc(d.Predicted)) && double.IsFinite(d.RankIc(d.Drift))), run.VersusDrift.Dates);
        Assert.Equal(1, run.LongShort.PerLeg);
        Assert.Equal(run.CrossSection.Count + 1, run.LongShort.Equity.Length);
        Assert.All(run.Series, s => Assert.Equal(5, s.Folds[0].Test.Methods.Count));

        var separate = UniverseRunner.RunSeparately(frame, Config);
        Assert.False(separate.Global);
        Assert.Equal(3, separate.Trainings.Count);
        Assert.Equal(run.CrossSection.Select(d => d.Actual), separate.CrossSection.Select(d => d.Actual));
    }

    [Fact]
    public void TheSavedModel_ForecastsASeriesItKnows_AsAtTest_AndOneItNeverSaw_ZeroShot()
    {
        var frame = Wide();
        var run = UniverseRunner.Run(frame, Config);
        using var saved = new MemoryStream();
        run.Model!.Save(saved);
        saved.Position = 0;
        var model = ModelBundle.Load(saved);
        Assert.Empty(model.Problems());

        // The data up to a test origin of B: the saved model's forecast is the one scored at that origin.
        var fold = run.Series[1].Folds[0];
        var w = fold.TestOrigins.Length / 3;
        var t = fold.TestOrigins[w];
        var upToOrigin = new TimeSeriesFrame(frame.Timestamps[..(t + 1)], frame.Columns.Select(c => c with { Values = c.Values[..(t + 1)] }).ToList());
        var known = Forecaster.ForecastSeries(model, upToOrigin, "b");
        Assert.False(known.ZeroShot);
        Assert.Equal(["B"], known.Targets);
        for (var k = 0; k < 2; k++)
        {
            Assert.Equal(fold.TestForecasts[w][k][0], known.Values[k][0], fold.TestForecasts[w][k][0] * 1e-5);
        }

        // Its intervals are B's own, calibrated on B's validation part (scaled to B's volatility as of the origin), not A's.
        var (own, other) = (fold.Intervals, run.Series[0].Folds[0].Intervals);
        var scale = own.ScalesWithVolatility ? VolatilityScale.Of(upToOrigin.Find("B")!.Values, own.VolatilityDecay)[^1] : 1;
        Assert.Equal([0.8, 0.95], known.Intervals.Select(i => i.Level));
        for (var l = 0; l < 2; l++)
        {
            for (var k = 0; k < 2; k++)
            {
                Assert.Equal(own.HalfWidth(l, k, 0, scale), known.Intervals[l].Upper[k][0] - known.Values[k][0], 1e-9 * known.Values[k][0]);
                Assert.Equal(own.HalfWidth(l, k, 0, scale), known.Values[k][0] - known.Intervals[l].Lower[k][0], 1e-9 * known.Values[k][0]);
                Assert.NotEqual(other.HalfWidth(l, k, 0, scale), own.HalfWidth(l, k, 0, scale), 6);
            }
        }

        // A fourth series at another price level: forecast from its own scale, without a code.
        var unseen = new TimeSeriesFrame(frame.Timestamps, [.. frame.Columns, new SeriesColumn("D", "D", ColumnRole.Close, frame.Columns[0].Values.Select(v => v * 7).ToArray())]);
        var zeroShot = Forecaster.ForecastSeries(model, unseen, "D");
        Assert.True(zeroShot.ZeroShot);
        Assert.Equal(["D"], zeroShot.Targets);
        Assert.Empty(zeroShot.Intervals);
        Assert.All(zeroShot.Values, v => Assert.InRange(v[0], unseen.Columns[3].Values[^1] * 0.8, unseen.Columns[3].Values[^1] * 1.2));

        Assert.Contains("trained across A, B, C: say which column to forecast", Assert.Throws<ForecastConfigException>(() => Forecaster.Forecast(model, frame)).Message, StringComparison.Ordinal);
        Assert.Contains("The data has no column 'E'", Assert.Throws<ForecastConfigException>(() => Forecaster.ForecastSeries(model, frame, "E")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Problems_SayWhatAUniverseCannotRead()
    {
        var frame = Wide();

        Assert.Contains("A universe needs at least two series.", (Config with { Series = ["A"] }).Problems(frame));
        Assert.Contains("Unknown series 'Z'. Columns: A, B, C.", (Config with { Series = ["A", "Z"] }).Problems(frame));
        Assert.Contains("Series 'A' is listed twice.", (Config with { Series = ["A", "a"] }).Problems(frame));
        Assert.Contains("A universe model reads each series' own history only: leave out features, inputs and a direction target.",
            (Config with { Template = Config.Template with { Direction = new DirectionTarget() } }).Problems(frame));
        Assert.Contains("The long–short quantile must be above 0 and at most 0.5.", (Config with { Options = new UniverseOptions { Quantile = 0.9 } }).Problems(frame));
        var rate = new JoinedInput { Source = "rates.csv", Column = "Rate", Name = "C", As = FeatureKind.LogReturn };
        Assert.Contains("Input 'C' would be read beside the series; in a universe an input from another dataset is one more series: list it among the series and read it as its value.",
            (Config with { Template = Config.Template with { Inputs = [rate] } }).Problems(frame));
        Assert.DoesNotContain((Config with { Template = Config.Template with { Inputs = [rate with { As = FeatureKind.Raw }] } }).Problems(frame), p => p.Contains("Input 'C'", StringComparison.Ordinal));
        Assert.Contains((Config with { Template = Config.Template with { Lookback = 5000 } }).Problems(frame), p => p.StartsWith("A: the lookback (5000)", StringComparison.Ordinal));
        Assert.Empty(Config.Problems(frame));
        Assert.Throws<ForecastConfigException>(() => UniverseRunner.Run(frame, Config with { Series = ["A"] }));
    }

    private sealed class Reports(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
