using BlazorForecast.Forecasting.Data;
using BlazorForecast.Forecasting.Training;
using BlazorForecast.Web.Features.Training;

namespace BlazorForecast.Web.Tests.Features.Training;

/// <summary>
/// A fake engine for web tests: reports a scripted number of epochs (a pause between them), honours cancellation
/// between epochs, can fail, and records which runs it trained and how many ran at once.
/// </summary>
public sealed class ScriptedTrainingEngine : ITrainingEngine
{
    private int _running;

    public TimeSpan EpochPause { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>A config whose lookback equals this value makes the engine throw.</summary>
    public int FailingLookback { get; set; } = -1;

    public List<int> Horizons { get; } = [];

    /// <summary>The epoch each training started after (0 for a fresh start, the checkpoint's epoch when resumed).</summary>
    public List<int> StartedAfter { get; } = [];

    public int MaxConcurrent { get; private set; }

    public TrainingOutcome Train(
        TimeSeriesFrame frame, ForecastConfig config, IProgress<TrainingProgress> progress,
        Action<TrainingCheckpoint> checkpointed, TrainingCheckpoint? resumeFrom, CancellationToken cancellationToken)
    {
        var now = Interlocked.Increment(ref _running);
        lock (Horizons)
        {
            Horizons.Add(config.Horizon);
            StartedAfter.Add(resumeFrom?.EpochsDone ?? 0);
            MaxConcurrent = Math.Max(MaxConcurrent, now);
        }

        try
        {
            if (config.Lookback == FailingLookback)
            {
                throw new InvalidOperationException("scripted failure");
            }

            var epochs = config.Training.MaxEpochs;
            for (var epoch = (resumeFrom?.EpochsDone ?? 0) + 1; epoch <= epochs; epoch++)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    return new TrainingOutcome(StopReason.Cancelled, $"Stopped in epoch {epoch}.", "cpu", 1.5, "[]", [1, 2, 3]);
                }

                progress.Report(new BatchCompleted(epoch, 1, 2));
                Thread.Sleep(EpochPause);
                progress.Report(new EpochCompleted(epoch, epochs, 1.0 / epoch, 2.0 / epoch, 1e-3, EpochPause, 1000, true));
                checkpointed(new TrainingCheckpoint(epoch, [1], [2], [3], 2.0 / epoch, epoch, 0, 0, 1e-3, []));
            }

            return new TrainingOutcome(StopReason.MaxEpochs, $"Ran all {epochs} epochs.", "cpu", 0.25, "[{\"fold\":0}]", [1, 2, 3]);
        }
        finally
        {
            Interlocked.Decrement(ref _running);
        }
    }
}
