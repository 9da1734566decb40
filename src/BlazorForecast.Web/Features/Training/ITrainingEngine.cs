using BlazorForecast.Forecasting.Data;
using BlazorForecast.Forecasting.Sweeps;
using BlazorForecast.Forecasting.Training;

namespace BlazorForecast.Web.Features.Training;

/// <summary>
/// What a finished training hands back to the web app: how it ended and its serialised results (each fold's scores and
/// the pooled assessment), model bundle (none for an ensemble) and predictions (a gzipped
/// <see cref="Forecasting.Evaluation.PredictionSet"/>); for an ensemble, each member's weight in the order given and the
/// blend tested against the first member.
/// </summary>
public sealed record TrainingOutcome(
    StopReason StopReason, string Detail, string Device, double? TestRmse, string ResultJson, byte[]? Model, byte[]? Predictions = null, string? AssessmentJson = null)
{
    public IReadOnlyList<double?>? MemberWeights { get; init; }

    public Forecasting.Evaluation.MethodComparison? VersusFirstMember { get; init; }
}

/// <summary>
/// The seam between the web app and the engine: the worker calls this on a dedicated thread. The real engine runs
/// TorchSharp; web tests use a scripted fake so queue, hub and pages are tested in milliseconds.
/// </summary>
public interface ITrainingEngine
{
    /// <summary>
    /// The device a training of this config will use ("cpu", "cuda"), known before it starts so the run says where it
    /// trains from its first moment; throws <see cref="DeviceUnavailableException"/> when the choice cannot be met.
    /// </summary>
    string DeviceFor(ForecastConfig config);

    /// <summary>
    /// Runs synchronously on the calling thread; reports progress (epochs, batches and each finished training, named by
    /// fold and seed) and checkpoints through the callbacks, and continues from <paramref name="resumeFrom"/> when given.
    /// </summary>
    TrainingOutcome Train(
        TimeSeriesFrame frame,
        ForecastConfig config,
        IProgress<TrainingProgress> progress,
        Action<TrainingCheckpoint> checkpointed,
        ResumePoint? resumeFrom,
        CancellationToken cancellationToken);

    /// <summary>
    /// Trains an ensemble's members one after another and blends them on validation (<see cref="EnsembleTraining"/>):
    /// member m is reported, checkpointed and resumed in the place of fold m; the outcome has no model.
    /// </summary>
    TrainingOutcome TrainEnsemble(
        TimeSeriesFrame frame,
        IReadOnlyList<ForecastConfig> members,
        SweepEnsemble method,
        IProgress<TrainingProgress> progress,
        Action<TrainingCheckpoint> checkpointed,
        ResumePoint? resumeFrom,
        CancellationToken cancellationToken);
}
