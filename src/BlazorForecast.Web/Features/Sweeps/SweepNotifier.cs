using BlazorForecast.Web.Features.Training;
using Microsoft.AspNetCore.SignalR;

namespace BlazorForecast.Web.Features.Sweeps;

/// <summary>
/// Where the coordinator's sweep changes go: this process's pages and hub (<see cref="SweepNotifier"/>), or, with
/// several web nodes over PostgreSQL, the notification channel every node relays.
/// </summary>
public interface ISweepChangePublisher
{
    Task PublishAsync(SweepChanged change);
}

/// <summary>
/// Fans sweep changes out to in-process subscribers (the sweep pages) and to the sweep's SignalR group on the training
/// hub (event "SweepChanged"), as <see cref="TrainingNotifier"/> does for runs.
/// </summary>
public sealed class SweepNotifier(IHubContext<TrainingHub> hub, ILogger<SweepNotifier> logger) : ISweepChangePublisher
{
    private readonly LiveSubscribers<SweepChanged> _subscribers = new(logger);

    /// <summary>Receives changes of one sweep (0 for all) until the returned subscription is disposed.</summary>
    public IDisposable Subscribe(int sweepId, Action<SweepChanged> handler) => _subscribers.Subscribe(sweepId, handler);

    public async Task PublishAsync(SweepChanged change)
    {
        ArgumentNullException.ThrowIfNull(change);
        _subscribers.Deliver(change.SweepId, change);
        await hub.Clients.Group(TrainingHub.SweepGroupName(change.SweepId)).SendAsync("SweepChanged", change);
    }
}
