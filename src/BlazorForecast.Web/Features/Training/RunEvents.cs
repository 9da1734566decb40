using BlazorForecast.Web.Data;

namespace BlazorForecast.Web.Features.Training;

/// <summary>A change to a run, sent to in-process subscribers and to the SignalR group "run-{id}".</summary>
public abstract record RunEvent(int RunId);

/// <summary>Hub event "StatusChanged".</summary>
public sealed record RunStatusChanged(int RunId, RunStatus Status, string? Detail, string? Device, int? QueuePosition) : RunEvent(RunId);

/// <summary>Hub event "EpochCompleted": one persisted epoch; <paramref name="CompletedAt"/> (UTC) is when training finished it.</summary>
public sealed record RunEpochCompleted(
    int RunId, int Epoch, int MaxEpochs, double TrainLoss, double ValidationLoss, double LearningRate,
    double DurationSeconds, double SamplesPerSecond, bool IsBest, DateTime CompletedAt) : RunEvent(RunId);

/// <summary>Hub event "BatchProgress": batch i of n within an epoch (throttled).</summary>
public sealed record RunBatchProgress(int RunId, int Epoch, int Batch, int Batches) : RunEvent(RunId);

/// <summary>What a viewer needs to catch up when it joins a run: its state and every persisted epoch.</summary>
public sealed record RunSnapshot(int RunId, RunStatus Status, string? Detail, string? Device, int MaxEpochs, IReadOnlyList<RunEpochCompleted> Epochs);
