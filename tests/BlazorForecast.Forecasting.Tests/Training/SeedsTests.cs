using BlazorForecast.Forecasting.Data;
using BlazorForecast.Forecasting.Evaluation;
using BlazorForecast.Forecasting.Models;
using BlazorForecast.Forecasting.Training;
using static TorchSharp.torch;

namespace BlazorForecast.Forecasting.Tests.Training;

public class SeedsTests
{
    private static readonly ForecastConfig Config = new()
    {
        Targets = ["Close"],
        Transform = TargetTransform.LogReturn,
        Lookback = 16,
        Horizon = 2,
        Model = new ModelOptions { Kind = ModelKind.Mlp, HiddenSize = 16, Layers = 1, Dropout = 0 },
        Training = new TrainingOptions { MaxEpochs = 3, Seed = 5, Device = DeviceChoice.Cpu },
    };

    private static TimeSeriesFrame Frame => SyntheticMarketData.Generate(500, seed: 9);

    [Fact]
    public void ThreeSeeds_AreTheSameModelsAsThreeSingleRuns_AndTheRunsModelIsTheirMean()
    {
        var frame = Frame;
        var ensemble = ForecastRunner.Run(frame, Config with { Training = Config.Training with { Seeds = 3 } });
        var singles = new[] { 5, 6, 7 }.Select(seed => ForecastRunner.Run(frame, Config with { Training = Config.Training with { Seed = seed } })).ToList();

        var fold = Assert.Single(ensemble.Folds);
        Assert.Equal([5, 6, 7], fold.Seeds.Select(s => s.Seed));
        Assert.Equal(singles.Select(s => s.Folds[0].Training.BestValidationLoss), fold.Seeds.Select(s => s.Training.BestValidationLoss));

        // Each seed scored alone matches its single run; the spread is over those.
        var seeds = ensemble.Assessment.Seeds!;
        Assert.Equal(3, seeds.Configured);
        Assert.Equal(singles.Select(s => s.Folds[0].Test.Model.Original.Overall.Rmse), seeds.Seeds.Select(s => s.Rmse), new Tolerance(1e-9));
        Assert.Equal(singles.Select(s => s.Assessment.VersusNaive.Overall.PValue), seeds.Seeds.Select(s => s.VersusNaive.Overall.PValue), new Tolerance(1e-9));
        Assert.Equal(seeds.Seeds.Average(s => s.Rmse), seeds.RmseMean, 12);
        Assert.Equal(seeds.Seeds.Max(s => s.Rmse), seeds.RmseMax);

        // The model is the ensemble: its forecast is the mean of the three single models' (same seeds, same data).
        Assert.Equal(3, ensemble.Model.Members);
        var mean = Forecaster.Forecast(ensemble.Model, frame);
        var members = singles.Select(s => Forecaster.Forecast(s.Model, frame)).ToList();
        for (var k = 0; k < Config.Horizon; k++)
        {
            // Log returns are averaged before they are compounded, so the mean of levels differs by second-order terms only.
            Assert.Equal(members.Average(m => m.Values[k][0]), mean.Values[k][0], 1e-3 * mean.Values[k][0]);
        }

        Assert.Equal(ensemble.Folds[0].Test.Model.Original.Overall.Rmse,
            Math.Sqrt(fold.TestForecasts.SelectMany((w, i) => w.Select((s, k) => Math.Pow(s[0] - frame.Find("Close")!.Values[fold.TestOrigins[i] + 1 + k], 2))).Average()), 9);
    }

    [Fact]
    public void ResumedRun_ReusesFinishedSeeds_ContinuesTheStoppedOne_AndEndsLikeTheUninterrupted()
    {
        var frame = Frame;
        var config = Config with { Training = Config.Training with { Seeds = 2, MaxEpochs = 4 } };
        var parts = new List<PartTrained>();
        var checkpoints = new List<TrainingCheckpoint>();
        var uninterrupted = ForecastRunner.Run(frame, config, new Collect(p => { if (p is PartTrained part) { parts.Add(part); } }), checkpoints.Add);
        Assert.Equal([(0, 0, 5), (0, 1, 6)], parts.Select(p => (p.Fold, p.SeedIndex, p.Seed)));

        // Stopped during the second seed's third epoch: its second epoch's checkpoint is the last one kept.
        var stoppedAt = checkpoints.Single(c => c.SeedIndex == 1 && c.EpochsDone == 2);
        var epochs = new List<EpochCompleted>();
        var resumed = ForecastRunner.Run(frame, config, new Collect(p => { if (p is EpochCompleted e) { epochs.Add(e); } }), resumeFrom: new ResumePoint([parts[0]], stoppedAt));

        Assert.Equal([(1, 3), (1, 4)], epochs.Select(e => (e.SeedIndex, e.Epoch)));
        Assert.Equal(uninterrupted.Folds[0].Test.Model.Original.Overall.Rmse, resumed.Folds[0].Test.Model.Original.Overall.Rmse);
        Assert.Equal(uninterrupted.Assessment.VersusNaive.Overall.PValue, resumed.Assessment.VersusNaive.Overall.PValue);
        Assert.Equal(uninterrupted.Folds[0].Seeds.Select(s => s.Training.BestValidationLoss), resumed.Folds[0].Seeds.Select(s => s.Training.BestValidationLoss));
    }

    [Fact]
    public void Progress_NamesTheFoldAndSeed_OfEveryEpoch()
    {
        var epochs = new List<EpochCompleted>();

        ForecastRunner.Run(Frame, Config with { WalkForwardFolds = 2, Training = Config.Training with { Seeds = 2, MaxEpochs = 2 } },
            new Collect(p => { if (p is EpochCompleted e) { epochs.Add(e); } }));

        Assert.Equal(
            [(0, 0, 5, 1), (0, 0, 5, 2), (0, 1, 6, 1), (0, 1, 6, 2), (1, 0, 5, 1), (1, 0, 5, 2), (1, 1, 6, 1), (1, 1, 6, 2)],
            epochs.Select(e => (e.Fold, e.SeedIndex, e.Seed, e.Epoch)));
    }

    [Fact]
    public void SeedEnsemble_ForecastsTheMeanOfItsMembers_AndSavesThemByIndex()
    {
        var shape = new ModelShape(8, 2, 3, 1, [0]);
        random.manual_seed(1);
        var members = Enumerable.Range(0, 3).Select(_ => ForecastModelFactory.Create(new ModelOptions { Kind = ModelKind.Mlp, HiddenSize = 4, Layers = 1 }, shape)).ToList();
        using var ensemble = new SeedEnsemble(members);
        ensemble.eval();
        using var input = randn(5, 8, 2);

        using var output = ensemble.call(input);
        using var expected = stack(members.Select(m => m.call(input)).ToArray()).mean([0]);

        Assert.True(output.allclose(expected, 1e-6, 1e-6));
        Assert.Equal(new long[] { 5, 3, 1 }, output.shape);
        var names = ensemble.state_dict().Keys.ToList();
        Assert.All(names, n => Assert.Matches(@"^_members\.[0-2]\.", n));
        Assert.Equal(members[0].state_dict().Keys.Select(k => "_members.0." + k), names.Where(n => n.StartsWith("_members.0.", StringComparison.Ordinal)));
    }

    [Fact]
    public void SavedEnsemble_WithAdaptiveIntervals_LoadsBack_AndItsIntervalsFollowTheDataForecastFrom()
    {
        var frame = Frame;
        var run = ForecastRunner.Run(frame, Config with { Training = Config.Training with { Seeds = 2 } });
        using var file = new MemoryStream();
        run.Model.Save(file);
        file.Position = 0;

        var loaded = ModelBundle.Load(file);

        Assert.Equal((2, ModelBundle.FormatVersion, IntervalMethod.Adaptive), (loaded.Members, loaded.Version, loaded.Intervals!.Method));
        Assert.Equal(Forecaster.Forecast(run.Model, frame).Values.SelectMany(v => v), Forecaster.Forecast(loaded, frame).Values.SelectMany(v => v));

        // The same last prices after a stretch three times as wild: the adaptive bands widen with it.
        var close = frame.Find("Close")!.Values;
        var wild = close.Select((v, i) => i < close.Length - 60 ? v : close[^61] * Math.Exp(3 * Math.Log(v / close[^61]))).ToArray();
        var calmWidth = Width(Forecaster.Forecast(loaded, frame));
        var wildWidth = Width(Forecaster.Forecast(loaded, new TimeSeriesFrame(frame.Timestamps, [.. frame.Columns.Select(c => c.Name == "Close" ? c with { Values = wild } : c)])));
        Assert.True(wildWidth > 1.5 * calmWidth, $"calm {calmWidth}, wild {wildWidth}");
    }

    private static double Width(FutureForecast forecast) => (forecast.Intervals[0].Upper[0][0] - forecast.Intervals[0].Lower[0][0]) / forecast.Values[0][0];

    private sealed class Collect(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }

    private sealed class Tolerance(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(double obj) => 0;
    }
}
