using System.Collections.Concurrent;

namespace BlazorForecast.Web.Features.Training;

/// <summary>
/// In-process subscribers to live events keyed by a run's or a sweep's id (0 subscribes to all), each until it disposes
/// its subscription. Shared by the run and sweep notifiers.
/// </summary>
public sealed class LiveSubscribers<TEvent>(ILogger logger)
{
    private readonly ConcurrentDictionary<Guid, (int Key, Action<TEvent> Handler)> _subscribers = new();

    public IDisposable Subscribe(int key, Action<TEvent> handler)
    {
        var id = Guid.NewGuid();
        _subscribers[id] = (key, handler);
        return new Subscription(() => _subscribers.TryRemove(id, out _));
    }

    /// <summary>Hands the event to every subscriber of its key and of all keys.</summary>
    public void Deliver(int key, TEvent value)
    {
        foreach (var (_, (subscribed, handler)) in _subscribers)
        {
            if (subscribed == 0 || subscribed == key)
            {
                try
                {
                    handler(value);
                }
                catch (Exception ex) when (ex is ObjectDisposedException or InvalidOperationException)
                {
                    // A component that went away between its last render and its Dispose; it unsubscribes itself.
                    logger.LogDebug(ex, "A live subscriber failed");
                }
            }
        }
    }

    private sealed class Subscription(Action unsubscribe) : IDisposable
    {
        public void Dispose() => unsubscribe();
    }
}
