using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;

namespace BlazorForecast.Web.Features.Training;

/// <summary>
/// Fans run events out to in-process subscribers (Blazor components) and to the run's SignalR group, so every
/// browser and hub client sees the same sequence.
/// </summary>
public sealed class TrainingNotifier(IHubContext<TrainingHub> hub, ILogger<TrainingNotifier> logger)
{
    private readonly ConcurrentDictionary<Guid, (int RunId, Action<RunEvent> Handler)> _subscribers = new();

    /// <summary>Receives events of one run (0 for all runs) until the returned subscription is disposed.</summary>
    public IDisposable Subscribe(int runId, Action<RunEvent> handler)
    {
        var key = Guid.NewGuid();
        _subscribers[key] = (runId, handler);
        return new Subscription(() => _subscribers.TryRemove(key, out _));
    }

    public async Task PublishAsync(RunEvent runEvent)
    {
        ArgumentNullException.ThrowIfNull(runEvent);
        foreach (var (_, (runId, handler)) in _subscribers)
        {
            if (runId == 0 || runId == runEvent.RunId)
            {
                try
                {
                    handler(runEvent);
                }
                catch (Exception ex) when (ex is ObjectDisposedException or InvalidOperationException)
                {
                    // A component that went away between its last render and its Dispose; it unsubscribes itself.
                    logger.LogDebug(ex, "A run subscriber failed");
                }
            }
        }

        var method = runEvent switch
        {
            RunEpochCompleted => "EpochCompleted",
            RunBatchProgress => "BatchProgress",
            _ => "StatusChanged",
        };
        await hub.Clients.Group(TrainingHub.GroupName(runEvent.RunId)).SendAsync(method, (object)runEvent);
    }

    private sealed class Subscription(Action unsubscribe) : IDisposable
    {
        public void Dispose() => unsubscribe();
    }
}
