namespace BlazorForecast.Web.Components;

/// <summary>
/// Coalesces bursts of live events into at most one update per interval: the first request schedules the update on
/// the component's dispatcher after the interval; requests until then ride along. Disposing it (with its component)
/// drops a pending update and ignores later requests; an update that fails goes to <paramref name="onError"/> (the
/// component's <c>DispatchExceptionAsync</c>) instead of being lost in a task nobody awaits. Used by pages that follow runs.
/// </summary>
public sealed class RenderThrottle(TimeSpan interval, Func<Func<Task>, Task> dispatch, Func<Task> update, Func<Exception, Task> onError) : IDisposable
{
    private readonly CancellationTokenSource _stopped = new();
    private int _pending;

    /// <summary>Asks for an update; safe from any thread.</summary>
    public void Request()
    {
        if (_stopped.IsCancellationRequested || Interlocked.Exchange(ref _pending, 1) == 1)
        {
            return;
        }

        _ = UpdateLaterAsync();
    }

    public void Dispose()
    {
        _stopped.Cancel();
        _stopped.Dispose();
    }

    private async Task UpdateLaterAsync()
    {
        try
        {
            await Task.Delay(interval, _stopped.Token);
            await dispatch(async () =>
            {
                Interlocked.Exchange(ref _pending, 0);
                if (!_stopped.IsCancellationRequested)
                {
                    await update();
                }
            });
        }
        catch (Exception) when (_stopped.IsCancellationRequested)
        {
            // Disposed with its component: nothing is left to update.
        }
        catch (Exception ex)
        {
            await onError(ex);
        }
    }
}
