using System.Threading.Channels;

namespace BlazorForecast.Web.Features.Training;

/// <summary>Run ids waiting for a training slot, in the order they were queued.</summary>
public sealed class PendingRuns
{
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
