using BlazorForecast.Forecasting.Data;
using BlazorForecast.Forecasting.Training;

namespace BlazorForecast.Web.Features.Training;

/// <summary>
/// What a finished training hands back to the web app: how it ended and its serialised results, model bundle and
/// predictions (a gzipped <see cref="Forecasting.Evaluation.PredictionSet"/>).
/// </summary>
public sealed record TrainingOutcome(StopReason StopReason, string Detail, string Device, double? TestRmse, string ResultJson, byte[] Model, byte[]? Predictions = null);

/// <summary>
/// The seam between the web app and the engine: the worker calls this on a dedicated thread. The real engine runs
/// TorchSharp; web tests use a scripted fake so queue, hub and pages are tested in milliseconds.
/// </summary>
public interface ITrainingEngine
{
    /// <summary>Runs synchronously on the calling thread; reports progress and checkpoints through the callbacks.</summary>
    TrainingOutcome Train(
        TimeSeriesFrame frame,
        ForecastConfig config,
        IProgress<TrainingProgress> progress,
        Action<TrainingCheckpoint> checkpointed,
        TrainingCheckpoint? resumeFrom,
        CancellationToken cancellationToken);
}
