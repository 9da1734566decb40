using System.Threading.Channels;

namespace BlazorForecast.Web.Features.Training;

/// <summary>
/// Run ids waiting for a training slot in this process, in the order they were queued. Where training workers claim
/// runs from the database instead (<see cref="ForWorkers"/>), nothing waits here and no position is known.
/// </summary>
public sealed class PendingRuns
{
    private bool _workersClaim;

    /// <summary>Runs are claimed by training workers from the database: queue positions are the database's to tell.</summary>
    public bool WorkersClaim => _workersClaim;

    /// <summary>The queue of a web process whose runs are claimed by training workers: already recovered, always empty.</summary>
    public static PendingRuns ForWorkers()
    {
        var pending = new PendingRuns { _workersClaim = true };
        pending.MarkRecovered();
        return pending;
    }

    private readonly Channel<int> _channel = Channel.CreateUnbounded<int>(new UnboundedChannelOptions { SingleReader = true });
    private readonly List<int> _waiting = [];
    private readonly Lock _gate = new();
    private readonly TaskCompletionSource _recovered = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// Completes once the worker has taken stock after a start (runs left training marked interrupted, queued ones taken
    /// up again), so others read run states that are true.
    /// </summary>
    public Task Recovered => _recovered.Task;

    public void MarkRecovered() => _recovered.TrySetResult();

    public void Enqueue(int runId)
    {
        if (_workersClaim)
        {
            return;
        }

        lock (_gate)
        {
            _waiting.Add(runId);
        }

        _channel.Writer.TryWrite(runId);
    }

    public async ValueTask<int> DequeueAsync(CancellationToken cancellationToken)
    {
        var runId = await _channel.Reader.ReadAsync(cancellationToken);
        lock (_gate)
        {
            _waiting.Remove(runId);
        }

        return runId;
    }

    /// <summary>1 for the next run to start, null when the run is not waiting.</summary>
    public int? PositionOf(int runId)
    {
        lock (_gate)
        {
            var index = _waiting.IndexOf(runId);
            return index < 0 ? null : index + 1;
        }
    }
}
