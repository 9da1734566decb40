using BlazorForecast.Forecasting.Data;
using BlazorForecast.Forecasting.Evaluation;
using BlazorForecast.Forecasting.Models;
using BlazorForecast.Forecasting.Training;
using static TorchSharp.torch;

namespace BlazorForecast.Forecasting.Tests.Training;

public class TrainerTests
{
    private static ForecastConfig Config(ModelKind kind = ModelKind.Lstm, int epochs = 15, int horizon = 3, int seed = 7) => new()
    {
        Targets = ["Close"],
        Lookback = 24,
        Horizon = horizon,
        Model = new ModelOptions { Kind = kind, HiddenSize = 16, Layers = 1, Dropout = 0 },
        Training = new TrainingOptions { MaxEpochs = epochs, BatchSize = 32, LearningRate = 5e-3, Seed = seed, Device = DeviceChoice.Cpu, Patience = 50 },
    };

    private static WindowedProblem Prepare(TimeSeriesFrame frame, ForecastConfig config) =>
        WindowedProblem.Prepare(frame, config, SeriesSplitter.Chronological(frame.RowCount, config.TrainFraction, config.TestFraction));

    [Theory]
    [InlineData(ModelKind.Lstm)]
    [InlineData(ModelKind.Mlp)]
    [InlineData(ModelKind.DLinear)]
    public void Model_LearnsACleanSine_BetterThanNaive(ModelKind kind)
    {
        var config = Config(kind, epochs: 40);
        var problem = Prepare(SyntheticSeries.Sine(), config with { Training = config.Training with { LearningRate = 1e-2 } });

        var result = Trainer.Train(problem);
        var report = ForecastEvaluator.Evaluate(result.Model, problem, problem.TestOrigins, CPU, 64, season: 1).Report;

        Assert.True(report.Model.Original.Overall.Rmse < 0.5 * report.Method("Naive").Original.Overall.Rmse,
            $"{kind}: model RMSE {report.Model.Original.Overall.Rmse:F4}, naive {report.Method("Naive").Original.Overall.Rmse:F4}");
        Assert.Equal(problem.TestOrigins.Length, report.Windows);
        Assert.Equal(3, report.Model.Original.PerStep.Count);
    }

    [Fact]
    public void SameSeedAndConfig_GiveIdenticalMetricsOnCpu()
    {
        var frame = SyntheticSeries.Sine(noise: 0.2);

        var first = Trainer.Train(Prepare(frame, Config(epochs: 3)));
        var second = Trainer.Train(Prepare(frame, Config(epochs: 3)));

        Assert.Equal(first.History.Select(h => h.ValidationLoss), second.History.Select(h => h.ValidationLoss));
        Assert.Equal(first.History.Select(h => h.TrainLoss), second.History.Select(h => h.TrainLoss));
    }

    [Fact]
    public void DifferentSeeds_GiveDifferentModels()
    {
        var frame = SyntheticSeries.Sine(noise: 0.2);

        var first = Trainer.Train(Prepare(frame, Config(epochs: 1, seed: 1)));
        var second = Trainer.Train(Prepare(frame, Config(epochs: 1, seed: 2)));

        Assert.NotEqual(first.History[0].ValidationLoss, second.History[0].ValidationLoss);
    }

    [Fact]
    public void EpochSeeds_AreDistinctAcrossSeedsAndEpochs_SoNeighbouringSeedsDoNotReplayEachOther()
    {
        var seeds = Enumerable.Range(0, 32).SelectMany(seed => Enumerable.Range(1, 64).Select(epoch => Trainer.EpochSeed(seed, epoch))).ToList();

        Assert.Equal(seeds.Count, seeds.Distinct().Count());
        Assert.NotEqual(Trainer.EpochSeed(1, 2), Trainer.EpochSeed(2, 1));
        Assert.Equal(Trainer.EpochSeed(2021, 3), Trainer.EpochSeed(2021, 3));
        Assert.All(seeds, s => Assert.True(s >= 0));
    }

    [Fact]
    public void Cancellation_StopsWithinOneBatch_AndKeepsABestModel()
    {
        using var cancellation = new CancellationTokenSource();
        var batches = 0;
        var progress = new SynchronousProgress(p =>
        {
            if (p is EpochCompleted)
            {
                cancellation.Cancel();
            }
        });
        var problem = Prepare(SyntheticSeries.Sine(), Config(epochs: 10));

        var result = Trainer.Train(problem, progress, checkpointed: _ => batches++, cancellationToken: cancellation.Token);

        Assert.Equal(StopReason.Cancelled, result.StopReason);
        Assert.Equal(1, result.EpochsRun);
        Assert.Equal(1, batches);
        Assert.Equal(result.BestValidationLoss, Trainer.Evaluate(result.Model, problem, problem.ValidationOrigins, CPU, 32), 5);
    }

    [Fact]
    public void ExplodingLoss_StopsTheRunWithTheReason()
    {
        var config = Config(ModelKind.Mlp, epochs: 20) with
        {
            Training = Config().Training with { LearningRate = 1e30, GradientClip = 0, WeightDecay = 0 },
        };

        var result = Trainer.Train(Prepare(SyntheticSeries.Sine(), config));

        Assert.Equal(StopReason.NonFiniteLoss, result.StopReason);
        Assert.Contains("became", result.StopDetail, StringComparison.Ordinal);
    }

    [Fact]
    public void EarlyStopping_RestoresTheBestWeights()
    {
        var config = Config(ModelKind.Mlp, epochs: 40) with
        {
            Training = Config().Training with { Patience = 2, LearningRate = 0.05 },
        };
        var problem = Prepare(SyntheticSeries.Sine(noise: 1.5), config);

        var result = Trainer.Train(problem);

        Assert.Equal(StopReason.EarlyStopped, result.StopReason);
        Assert.True(result.BestEpoch < result.EpochsRun);
        Assert.Equal(result.BestValidationLoss, Trainer.Evaluate(result.Model, problem, problem.ValidationOrigins, CPU, 32), 5);
    }

    [Fact]
    public void Resume_FromAStoredCheckpoint_EndsExactlyLikeAnUninterruptedRun()
    {
        var frame = SyntheticSeries.Sine(noise: 0.3);
        var checkpoints = new List<TrainingCheckpoint>();

        var uninterrupted = Trainer.Train(Prepare(frame, Config(epochs: 4)), checkpointed: checkpoints.Add);
        var stored = System.Text.Json.JsonSerializer.Serialize(checkpoints[1], ForecastJson.Options);
        var resumed = Trainer.Train(Prepare(frame, Config(epochs: 4)),
            resumeFrom: System.Text.Json.JsonSerializer.Deserialize<TrainingCheckpoint>(stored, ForecastJson.Options));

        Assert.Equal(uninterrupted.History.Select(h => h.ValidationLoss), resumed.History.Select(h => h.ValidationLoss));
        Assert.Equal(uninterrupted.BestValidationLoss, resumed.BestValidationLoss);
    }

    [Fact]
    public void Resume_FromTheCheckpointOfTheEpochThatStoppedEarly_TrainsNothingMore()
    {
        var config = Config(ModelKind.Mlp, epochs: 40) with { Training = Config().Training with { Patience = 2, LearningRate = 0.05, MaxEpochs = 40 } };
        var frame = SyntheticSeries.Sine(noise: 1.5);
        var checkpoints = new List<TrainingCheckpoint>();
        var uninterrupted = Trainer.Train(Prepare(frame, config), checkpointed: checkpoints.Add);
        Assert.Equal(StopReason.EarlyStopped, uninterrupted.StopReason);

        var resumed = Trainer.Train(Prepare(frame, config), resumeFrom: checkpoints[^1]);

        Assert.Equal(StopReason.EarlyStopped, resumed.StopReason);
        Assert.Equal(uninterrupted.EpochsRun, resumed.EpochsRun);
        Assert.Equal(uninterrupted.BestEpoch, resumed.BestEpoch);
        Assert.Equal(uninterrupted.StopDetail, resumed.StopDetail);
    }

    [Fact]
    public void NoWeightDecay_TrainsWithPlainAdam()
    {
        var config = Config(ModelKind.DLinear, epochs: 2) with { Training = Config().Training with { WeightDecay = 0, MaxEpochs = 2 } };

        var result = Trainer.Train(Prepare(SyntheticSeries.Sine(), config));

        Assert.Equal(2, result.EpochsRun);
        Assert.True(result.History[1].TrainLoss < result.History[0].TrainLoss);
    }

    [Fact]
    public void DecayEveryEpoch_KeepsTheRateForTwoEpochsThenHalvesItEachEpoch()
    {
        var config = Config(ModelKind.DLinear, epochs: 4) with
        {
            Training = Config().Training with { Schedule = LearningRateSchedule.DecayEveryEpoch, LearningRateFactor = 0.5, LearningRate = 0.01, MaxEpochs = 4, Patience = 10 },
        };

        var result = Trainer.Train(Prepare(SyntheticSeries.Sine(), config));

        Assert.Equal([0.01, 0.01, 0.005, 0.0025], result.History.Select(h => h.LearningRate));
    }

    [Fact]
    public void LearningRate_DropsAfterAPlateau()
    {
        var config = Config(ModelKind.Mlp, epochs: 12) with
        {
            Training = Config().Training with { LearningRatePatience = 1, LearningRateFactor = 0.5, LearningRate = 0.05 },
        };

        var result = Trainer.Train(Prepare(SyntheticSeries.Sine(noise: 2), config));

        Assert.Contains(result.History, h => h.LearningRate < 0.05);
    }

    private sealed class SynchronousProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
