using System.Text.Json;
using BlazorForecast.Forecasting.Data;
using BlazorForecast.Forecasting.Evaluation;
using BlazorForecast.Forecasting.Sweeps;
using BlazorForecast.Forecasting.Training;
using BlazorForecast.Web.Features.Results;

namespace BlazorForecast.Web.Features.Training;

/// <summary>
/// The engine proper: the forecast protocol run by <see cref="ForecastRunner"/> with TorchSharp (for a direction target,
/// its direction protocol, stored as <see cref="DirectionResults"/>; for one model across the targets, the universe's,
/// stored as <see cref="UniverseResults"/>).
/// </summary>
public sealed class TorchTrainingEngine(Microsoft.Extensions.Options.IOptions<TrainingQueueOptions> options) : ITrainingEngine
{
    // Leaves a core to the web server on small machines.
    private readonly int _threads = options.Value.Threads ?? Math.Max(1, Environment.ProcessorCount - 1);

    public string DeviceFor(ForecastConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return ComputeDevices.Describe(ComputeDevices.Resolve(config.Training.Device));
    }

    public TrainingOutcome Train(
        TimeSeriesFrame frame,
        ForecastConfig config,
        IProgress<TrainingProgress> progress,
        Action<TrainingCheckpoint> checkpointed,
        ResumePoint? resumeFrom,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.AcrossTargets is not null)
        {
            return OnThisThread(() =>
            {
                var run = UniverseRunner.Run(frame, UniverseConfig.From(config), progress, checkpointed, resumeFrom, cancellationToken);
                var ended = run.Outcome;
                return new TrainingOutcome(ended.StopReason, ended.StopDetail, ended.Device, null, UniverseResults.Serialize(run), Bytes(run.Model!));
            });
        }

        if (config.Direction is not null)
        {
            return OnThisThread(() =>
            {
                var run = ForecastRunner.RunDirection(frame, config, progress, checkpointed, resumeFrom, cancellationToken);
                var ended = run.Outcome;
                return new TrainingOutcome(ended.StopReason, ended.StopDetail, ended.Device, null, DirectionResults.Serialize(run), Bytes(run.Model));
            });
        }

        return OnThisThread(() =>
        {
            var result = ForecastRunner.Run(frame, config, progress, checkpointed, resumeFrom, cancellationToken);
            var outcome = result.Outcome;
            return new TrainingOutcome(outcome.StopReason, outcome.StopDetail, outcome.Device,
                result.Folds[0].Test.Model.Original.Overall.Rmse, StoredFold.Serialize(result), Bytes(result.Model), PredictionSet.From(result, frame).ToBytes(),
                JsonSerializer.Serialize(result.Assessment, ForecastJson.Options));
        });
    }

    public TrainingOutcome TrainEnsemble(
        TimeSeriesFrame frame,
        IReadOnlyList<ForecastConfig> members,
        SweepEnsemble method,
        IProgress<TrainingProgress> progress,
        Action<TrainingCheckpoint> checkpointed,
        ResumePoint? resumeFrom,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(members);
        return OnThisThread(() =>
        {
            var ensemble = EnsembleTraining.Run(frame, members, method, progress, checkpointed, resumeFrom, cancellationToken);
            var (blend, outcome) = (ensemble.Blend, ensemble.Outcome);
            return new TrainingOutcome(outcome.StopReason, outcome.StopDetail, outcome.Device, blend.Test.Model.Original.Overall.Rmse,
                JsonSerializer.Serialize(new[] { StoredFold.From(blend.Fold) }, ForecastJson.Options), null, blend.Predictions().ToBytes(),
                JsonSerializer.Serialize(blend.Assessment, ForecastJson.Options))
            {
                MemberWeights = blend.WeightsOfGiven(members.Count),
                VersusFirstMember = blend.VersusFirst,
            };
        });
    }

    // A model bundle as the file the run keeps.
    private static byte[] Bytes(ModelBundle model)
    {
        using var buffer = new MemoryStream();
        model.Save(buffer);
        return buffer.ToArray();
    }

    private TrainingOutcome OnThisThread(Func<TrainingOutcome> train)
    {
        // libtorch's CPU kernels run OpenMP regions, whose thread count is a setting of the calling thread: set it on
        // this training thread, or the kernels use every core however the process was configured elsewhere.
        TorchSharp.torch.set_num_threads(_threads);
        try
        {
            return train();
        }
        finally
        {
            // The server lives on after the training: what libtorch freed goes back to the system, not kept in arenas.
            NativeAllocatorTuning.ReleaseFreeMemory();
        }
    }
}
