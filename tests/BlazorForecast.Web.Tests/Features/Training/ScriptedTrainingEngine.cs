using BlazorForecast.Forecasting.Data;
using BlazorForecast.Forecasting.Sweeps;
using BlazorForecast.Forecasting.Training;
using BlazorForecast.Web.Features.Training;

namespace BlazorForecast.Web.Tests.Features.Training;

/// <summary>
/// A fake engine for web tests: reports a scripted number of epochs (a pause between them) for every seed of every
/// fold the config asks for (an ensemble's members in the place of folds), each training ending with a
/// <see cref="PartTrained"/>; honours cancellation between epochs, can fail, resumes like the real engine (finished
/// trainings skipped, the checkpointed one continued), and records which runs it trained and how many ran at once.
/// </summary>
public sealed class ScriptedTrainingEngine : ITrainingEngine
{
    private int _running;

    public TimeSpan EpochPause { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>A config whose lookback equals this value makes the engine throw.</summary>
    public int FailingLookback { get; set; } = -1;

    public List<int> Horizons { get; } = [];

    /// <summary>
    /// Once only: after this epoch of this seed (reported and checkpointed) the engine waits until it is cancelled, as a
    /// worker being shut down mid-training would find it, however slowly the test's machine runs.
    /// </summary>
    public (int SeedIndex, int Epoch)? HoldUntilCancelledAfter { get; set; }

    /// <summary>The validation loss a config reports after an epoch; 2 / epoch unless a test needs configs to differ.</summary>
    public Func<ForecastConfig, int, double> ValidationLoss { get; set; } = (_, epoch) => 2.0 / epoch;

    /// <summary>The epoch each training started after (0 for a fresh start, the checkpoint's epoch when resumed).</summary>
    public List<int> StartedAfter { get; } = [];

    /// <summary>Per run started, the (fold, seed index) trainings it reused from an earlier, stopped attempt.</summary>
    public List<IReadOnlyList<(int Fold, int SeedIndex)>> Reused { get; } = [];

    public int MaxConcurrent { get; private set; }

    /// <summary>The members of each ensemble trained, in order.</summary>
    public List<IReadOnlyList<ForecastConfig>> Ensembles { get; } = [];

    /// <summary>A server without a GPU: cpu, and a run that insists on cuda cannot start.</summary>
    public string DeviceFor(ForecastConfig config) => config.Training.Device == DeviceChoice.Cuda
        ? throw new DeviceUnavailableException("The run asks for a GPU (cuda), but this scripted server has none.")
        : "cpu";

    public TrainingOutcome Train(
        TimeSeriesFrame frame, ForecastConfig config, IProgress<TrainingProgress> progress,
        Action<TrainingCheckpoint> checkpointed, ResumePoint? resumeFrom, CancellationToken cancellationToken) =>
        Script(config, resumeFrom, () =>
        {
            for (var fold = 0; fold < Math.Max(1, config.WalkForwardFolds); fold++)
            {
                if (TrainPart(config, fold, progress, checkpointed, resumeFrom, cancellationToken) is { } stopped)
                {
                    return stopped;
                }
            }

            return new TrainingOutcome(StopReason.MaxEpochs, $"Ran all {config.Training.MaxEpochs} epochs.", "cpu", 0.25, "[{\"fold\":0}]", [1, 2, 3]);
        });

    /// <summary>Each member trains in the place of a fold, as the real engine's; the weights are equal, and there is no model.</summary>
    public TrainingOutcome TrainEnsemble(
        TimeSeriesFrame frame, IReadOnlyList<ForecastConfig> members, SweepEnsemble method, IProgress<TrainingProgress> progress,
        Action<TrainingCheckpoint> checkpointed, ResumePoint? resumeFrom, CancellationToken cancellationToken)
    {
        lock (Horizons)
        {
            Ensembles.Add(members);
        }

        return Script(members[0], resumeFrom, () =>
        {
            for (var member = 0; member < members.Count; member++)
            {
                if (TrainPart(members[member], member, progress, checkpointed, resumeFrom, cancellationToken) is { } stopped)
                {
                    return stopped;
                }
            }

            return new TrainingOutcome(StopReason.MaxEpochs, $"Ran all {members.Count} members.", "cpu", 0.2, "[{\"fold\":0}]", null)
            {
                MemberWeights = members.Select(_ => (double?)(1.0 / members.Count)).ToList(),
            };
        });
    }

    private TrainingOutcome Script(ForecastConfig config, ResumePoint? resumeFrom, Func<TrainingOutcome> train)
    {
        var now = Interlocked.Increment(ref _running);
        lock (Horizons)
        {
            Horizons.Add(config.Horizon);
            StartedAfter.Add(resumeFrom?.Checkpoint?.EpochsDone ?? 0);
            Reused.Add(resumeFrom?.Completed.Select(p => (p.Fold, p.SeedIndex)).ToList() ?? []);
            MaxConcurrent = Math.Max(MaxConcurrent, now);
        }

        try
        {
            if (config.Lookback == FailingLookback)
            {
                throw new InvalidOperationException("scripted failure");
            }

            return train();
        }
        finally
        {
            Interlocked.Decrement(ref _running);
        }
    }

    // Every seed of one fold; the outcome when cancelled, else null.
    private TrainingOutcome? TrainPart(
        ForecastConfig config, int fold, IProgress<TrainingProgress> progress, Action<TrainingCheckpoint> checkpointed, ResumePoint? resumeFrom,
        CancellationToken cancellationToken)
    {
        var epochs = config.Training.MaxEpochs;
        for (var s = 0; s < config.Training.Seeds; s++)
        {
            if (resumeFrom?.CompletedPart(fold, s) is not null)
            {
                continue;
            }

            var seed = config.Training.Seed + s;
            for (var epoch = (resumeFrom?.CheckpointOf(fold, s)?.EpochsDone ?? 0) + 1; epoch <= epochs; epoch++)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    return new TrainingOutcome(StopReason.Cancelled, $"Stopped in epoch {epoch}.", "cpu", 1.5, "[]", [1, 2, 3]);
                }

                progress.Report(new BatchCompleted(epoch, 1, 2) { Fold = fold, SeedIndex = s, Seed = seed });
                Thread.Sleep(EpochPause);
                var loss = ValidationLoss(config, epoch);
                progress.Report(new EpochCompleted(epoch, epochs, 1.0 / epoch, loss, 1e-3, EpochPause, 1000, true) { Fold = fold, SeedIndex = s, Seed = seed });
                checkpointed(new TrainingCheckpoint(epoch, [1], [2], [3], loss, epoch, 0, 0, 1e-3, []) { Fold = fold, SeedIndex = s });
                if (HoldUntilCancelledAfter == (s, epoch))
                {
                    HoldUntilCancelledAfter = null;
                    cancellationToken.WaitHandle.WaitOne();
                }
            }

            progress.Report(new PartTrained(new TrainingSummary(StopReason.MaxEpochs, "done", epochs, epochs, 2.0 / epochs, [], "cpu"), [4, 5])
            {
                Fold = fold,
                SeedIndex = s,
                Seed = seed,
            });
        }

        return null;
    }
}
