using System.Diagnostics;
using BlazorForecast.Forecasting.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace BlazorForecast.Forecasting.Training;

/// <summary>A fitted model (best validation weights) and how its training went.</summary>
public sealed record TrainingResult(
    nn.Module<Tensor, Tensor> Model,
    StopReason StopReason,
    string StopDetail,
    int EpochsRun,
    int BestEpoch,
    double BestValidationLoss,
    IReadOnlyList<EpochCompleted> History,
    string Device,
    TrainingCheckpoint LastCheckpoint)
{
    /// <summary>How the training went, without its model.</summary>
    public TrainingSummary Summary => new(StopReason, StopDetail, EpochsRun, BestEpoch, BestValidationLoss, History, Device);
}

/// <summary>
/// Fits a forecaster with AdamW, a reduce-on-plateau (or per-epoch decay) learning rate, gradient clipping and early stopping on the
/// validation loss (best weights restored). Runs synchronously on the calling thread: one dispose scope per batch,
/// no awaits, so libtorch's thread-bound scopes hold. Seeded per epoch, so CPU runs (and resumed runs) are identical
/// as long as no other training draws from libtorch's process-global generator at the same time.
/// </summary>
public static class Trainer
{
    private static readonly TimeSpan BatchReportInterval = TimeSpan.FromMilliseconds(250);

    public static TrainingResult Train(
        ITrainingProblem problem,
        IProgress<TrainingProgress>? progress = null,
        Action<TrainingCheckpoint>? checkpointed = null,
        TrainingCheckpoint? resumeFrom = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(problem);
        NativeAllocatorTuning.EnsureApplied();
        var options = problem.Config.Training;
        if (options.Threads is int threads)
        {
            set_num_threads(threads);
        }

        var device = ComputeDevices.Resolve(options.Device);
        random.manual_seed(options.Seed);
        var shape = new ModelShape(problem.Lookback, problem.FeatureCount, problem.Horizon, problem.TargetCount, problem.TargetFeatureIndices);
        var model = ForecastModelFactory.Create(problem.Config.Model, shape);
        model.to(device);
        using var optimizer = CreateOptimizer(model, options);

        var state = TrainingState.Start(model, options);
        if (resumeFrom is not null)
        {
            state = TrainingState.Resume(model, optimizer, resumeFrom);
        }

        var watch = Stopwatch.StartNew();
        var stop = StopReason.MaxEpochs;
        var detail = $"Ran all {options.MaxEpochs} epochs.";
        var checkpoint = resumeFrom ?? state.Checkpoint(model, optimizer);

        // A checkpoint taken after the epoch that stopped training early has nothing left to train: another epoch
        // would make the resumed run differ from the uninterrupted one.
        var finished = state.EpochsWithoutImprovement >= options.Patience;
        if (finished)
        {
            (stop, detail) = (StopReason.EarlyStopped, EarlyStopDetail(options.Patience, state.BestEpoch));
        }

        for (var epoch = state.EpochsDone + 1; !finished && epoch <= options.MaxEpochs; epoch++)
        {
            var started = watch.Elapsed;
            var epochSeed = EpochSeed(options.Seed, epoch);
            random.manual_seed(epochSeed);
            var train = RunTrainingEpoch(model, optimizer, problem, device, epoch, epochSeed, options, progress, cancellationToken);
            if (train.Stop is not null)
            {
                (stop, detail) = train.Stop.Value;
                break;
            }

            var validationLoss = Evaluate(model, problem, problem.ValidationOrigins, device, options.BatchSize);
            if (!double.IsFinite(validationLoss))
            {
                (stop, detail) = (StopReason.NonFiniteLoss, $"The validation loss became {validationLoss} in epoch {epoch}.");
                break;
            }

            var rateUsed = state.LearningRate;
            var isBest = state.Record(model, validationLoss, epoch);
            state.AdjustLearningRate(optimizer, options);
            var duration = watch.Elapsed - started;
            var report = new EpochCompleted(epoch, options.MaxEpochs, train.Loss, validationLoss, rateUsed, duration,
                problem.TrainOrigins.Length / Math.Max(duration.TotalSeconds, 1e-9), isBest);
            state.History.Add(report);
            progress?.Report(report);
            checkpoint = state.Checkpoint(model, optimizer);
            checkpointed?.Invoke(checkpoint);

            if (state.EpochsWithoutImprovement >= options.Patience)
            {
                (stop, detail) = (StopReason.EarlyStopped, EarlyStopDetail(options.Patience, state.BestEpoch));
                break;
            }

            if (options.MaxWallTime is TimeSpan limit && watch.Elapsed >= limit)
            {
                (stop, detail) = (StopReason.WallTime, $"Stopped after {watch.Elapsed.TotalSeconds:F0} s, the time limit.");
                break;
            }
        }

        state.RestoreBest(model);
        model.eval();
        return new TrainingResult(model, stop, detail, state.History.Count, state.BestEpoch, state.BestValidationLoss,
            state.History, ComputeDevices.Describe(device), checkpoint);
    }

    private static string EarlyStopDetail(int patience, int bestEpoch) =>
        $"No better validation loss for {patience} epochs; best was epoch {bestEpoch}.";

    public static AdamWOptimizer CreateOptimizer(nn.Module<Tensor, Tensor> model, TrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        return new AdamWOptimizer(model.parameters(), options.LearningRate, options.WeightDecay);
    }

    /// <summary>
    /// The seed of one epoch's shuffle and dropout: the run's seed and the epoch mixed by SplitMix64's finaliser, so every
    /// (seed, epoch) pair draws its own stream. A plain seed + epoch made runs with neighbouring seeds share most of
    /// their batch orders (seed 1's second epoch shuffled like seed 2's first), so they were not independent draws.
    /// </summary>
    public static int EpochSeed(int seed, int epoch)
    {
        var mixed = (((ulong)(uint)seed << 32) | (uint)epoch) + 0x9E3779B97F4A7C15UL;
        mixed = (mixed ^ (mixed >> 30)) * 0xBF58476D1CE4E5B9UL;
        mixed = (mixed ^ (mixed >> 27)) * 0x94D049BB133111EBUL;
        return (int)((mixed ^ (mixed >> 31)) & int.MaxValue);
    }

    /// <summary>
    /// The model's loss on the given windows: mean squared error in standardised units, or a direction target's
    /// (weighted) cross-entropy.
    /// </summary>
    public static double Evaluate(nn.Module<Tensor, Tensor> model, ITrainingProblem problem, int[] origins, Device device, int batchSize)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(origins);
        if (origins.Length == 0)
        {
            return double.NaN;
        }

        model.eval();
        var (sum, weight) = (0.0, 0.0);
        using var noGrad = no_grad();
        for (var start = 0; start < origins.Length; start += batchSize)
        {
            using var scope = NewDisposeScope();
            var batch = origins.AsSpan(start, Math.Min(batchSize, origins.Length - start));
            var (x, y) = problem.Batch(batch, device);
            var terms = problem.Loss.Terms(model.call(x), y);
            sum += terms.Sum.item<float>();
            weight += terms.Weight.item<float>();
        }

        return sum / weight;
    }

    private static (double Loss, (StopReason, string)? Stop) RunTrainingEpoch(
        nn.Module<Tensor, Tensor> model, AdamWOptimizer optimizer, ITrainingProblem problem, Device device, int epoch, int epochSeed,
        TrainingOptions options, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        model.train();
        var order = problem.TrainingOrder(epochSeed);
        var batches = (order.Length + options.BatchSize - 1) / options.BatchSize;
        var lastReport = Stopwatch.GetTimestamp();
        var sum = 0.0;
        for (var b = 0; b < batches; b++)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                return (double.NaN, (StopReason.Cancelled, $"Stopped during epoch {epoch}, batch {b + 1} of {batches}."));
            }

            using var scope = NewDisposeScope();
            var batch = order.AsSpan(b * options.BatchSize, Math.Min(options.BatchSize, order.Length - (b * options.BatchSize)));
            var (x, y) = problem.Batch(batch, device);
            optimizer.ZeroGrad();
            var loss = problem.Loss.Mean(model.call(x), y);
            var value = loss.item<float>();
            if (!float.IsFinite(value))
            {
                return (double.NaN, (StopReason.NonFiniteLoss, $"The training loss became {value} in epoch {epoch}, batch {b + 1}."));
            }

            loss.backward();
            if (options.GradientClip > 0)
            {
                nn.utils.clip_grad_norm_(model.parameters(), options.GradientClip);
            }

            optimizer.Step();
            sum += value * batch.Length;
            if (progress is not null && Stopwatch.GetElapsedTime(lastReport) >= BatchReportInterval)
            {
                lastReport = Stopwatch.GetTimestamp();
                progress.Report(new BatchCompleted(epoch, b + 1, batches));
            }
        }

        return (sum / Math.Max(1, order.Length), null);
    }

    /// <summary>Early-stopping, best weights and learning-rate bookkeeping across epochs.</summary>
    private sealed class TrainingState
    {
        public int EpochsDone { get; private set; }

        public double BestValidationLoss { get; private set; } = double.PositiveInfinity;

        public int BestEpoch { get; private set; }

        public int EpochsWithoutImprovement { get; private set; }

        public int EpochsSinceLearningRateChange { get; private set; }

        public double LearningRate { get; private set; }

        public byte[] BestWeights { get; private set; } = [];

        public List<EpochCompleted> History { get; } = [];

        public static TrainingState Start(nn.Module<Tensor, Tensor> model, TrainingOptions options) =>
            new() { LearningRate = options.LearningRate, BestWeights = Serialize(model) };

        public static TrainingState Resume(nn.Module<Tensor, Tensor> model, AdamWOptimizer optimizer, TrainingCheckpoint checkpoint)
        {
            Deserialize(model, checkpoint.Weights);
            using (var reader = new BinaryReader(new MemoryStream(checkpoint.Optimizer)))
            {
                optimizer.Load(reader);
            }

            var state = new TrainingState
            {
                EpochsDone = checkpoint.EpochsDone,
                BestValidationLoss = checkpoint.BestValidationLoss,
                BestEpoch = checkpoint.BestEpoch,
                EpochsWithoutImprovement = checkpoint.EpochsWithoutImprovement,
                EpochsSinceLearningRateChange = checkpoint.EpochsSinceLearningRateChange,
                LearningRate = checkpoint.LearningRate,
                BestWeights = checkpoint.BestWeights,
            };
            state.History.AddRange(checkpoint.History);
            SetLearningRate(optimizer, state.LearningRate);
            return state;
        }

        public bool Record(nn.Module<Tensor, Tensor> model, double validationLoss, int epoch)
        {
            EpochsDone = epoch;
            if (validationLoss < BestValidationLoss)
            {
                BestValidationLoss = validationLoss;
                BestEpoch = epoch;
                BestWeights = Serialize(model);
                EpochsWithoutImprovement = 0;
                EpochsSinceLearningRateChange = 0;
                return true;
            }

            EpochsWithoutImprovement++;
            EpochsSinceLearningRateChange++;
            return false;
        }

        public void AdjustLearningRate(AdamWOptimizer optimizer, TrainingOptions options)
        {
            var keep = options.Schedule switch
            {
                LearningRateSchedule.ReduceOnPlateau => EpochsSinceLearningRateChange < options.LearningRatePatience,
                _ => EpochsDone < 2,
            };
            if (keep)
            {
                return;
            }

            LearningRate *= options.LearningRateFactor;
            EpochsSinceLearningRateChange = 0;
            SetLearningRate(optimizer, LearningRate);
        }

        public TrainingCheckpoint Checkpoint(nn.Module<Tensor, Tensor> model, AdamWOptimizer optimizer)
        {
            using var buffer = new MemoryStream();
            using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
            {
                optimizer.Save(writer);
            }

            return new TrainingCheckpoint(EpochsDone, Serialize(model), buffer.ToArray(), BestWeights, BestValidationLoss, BestEpoch,
                EpochsWithoutImprovement, EpochsSinceLearningRateChange, LearningRate, History.ToList());
        }

        public void RestoreBest(nn.Module<Tensor, Tensor> model)
        {
            if (BestWeights.Length > 0)
            {
                Deserialize(model, BestWeights);
            }
        }

        private static void SetLearningRate(AdamWOptimizer optimizer, double learningRate) => optimizer.LearningRate = learningRate;
    }

    internal static byte[] Serialize(nn.Module<Tensor, Tensor> model)
    {
        using var buffer = new MemoryStream();
        model.save(buffer);
        return buffer.ToArray();
    }

    internal static void Deserialize(nn.Module<Tensor, Tensor> model, byte[] weights)
    {
        using var buffer = new MemoryStream(weights);
        model.load(buffer);
    }
}
