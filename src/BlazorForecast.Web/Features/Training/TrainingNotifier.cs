using Microsoft.AspNetCore.SignalR;

namespace BlazorForecast.Web.Features.Training;

/// <summary>
/// Fans run events out to in-process subscribers (Blazor components) and to the run's SignalR group, so every
/// browser and hub client sees the same sequence.
/// </summary>
public sealed class TrainingNotifier(IHubContext<TrainingHub> hub, ILogger<TrainingNotifier> logger) : IRunEventPublisher
{
    private readonly LiveSubscribers<RunEvent> _subscribers = new(logger);

    /// <summary>Receives events of one run (0 for all runs) until the returned subscription is disposed.</summary>
    public IDisposable Subscribe(int runId, Action<RunEvent> handler) => _subscribers.Subscribe(runId, handler);

    public async Task PublishAsync(RunEvent runEvent)
    {
        ArgumentNullException.ThrowIfNull(runEvent);
        _subscribers.Deliver(runEvent.RunId, runEvent);
        var method = runEvent switch
        {
            RunEpochCompleted => "EpochCompleted",
            RunBatchProgress => "BatchProgress",
            _ => "StatusChanged",
        };
        await hub.Clients.Group(TrainingHub.GroupName(runEvent.RunId)).SendAsync(method, (object)runEvent);
    }
}
