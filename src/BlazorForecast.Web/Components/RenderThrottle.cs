namespace BlazorForecast.Web.Components;

/// <summary>
/// Coalesces bursts of live events into at most one update per interval: the first request schedules the update on
/// the component's dispatcher after the interval; requests until then ride along. Used by pages that follow runs.
/// </summary>
public sealed class RenderThrottle(TimeSpan interval, Func<Func<Task>, Task> dispatch, Func<Task> update)
{
    private int _pending;

    /// <summary>Asks for an update; safe from any thread.</summary>
    public void Request()
    {
        if (Interlocked.Exchange(ref _pending, 1) == 1)
        {
            return;
        }

        _ = dispatch(async () =>
        {
            await Task.Delay(interval);
            Interlocked.Exchange(ref _pending, 0);
            await update();
        });
    }
}
