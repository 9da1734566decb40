using BlazorForecast.Web.Components;

namespace BlazorForecast.Web.Tests.Components;

public sealed class RenderThrottleTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(30);

    [Fact]
    public async Task ABurstOfRequests_IsOneUpdate()
    {
        // Long enough that every request of the burst lands before the update, even on a busy machine.
        var interval = TimeSpan.FromMilliseconds(500);
        var updates = 0;
        using var throttle = new RenderThrottle(interval, work => work(), () => { Interlocked.Increment(ref updates); return Task.CompletedTask; }, _ => Task.CompletedTask);

        await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => Task.Run(throttle.Request)));
        await Wait.UntilAsync(() => Volatile.Read(ref updates) > 0, "the throttle");
        await Task.Delay(interval);

        Assert.Equal(1, updates);
        throttle.Request();
        await Wait.UntilAsync(() => Volatile.Read(ref updates) == 2, "the throttle");
    }

    [Fact]
    public async Task Disposed_DropsThePendingUpdate_AndIgnoresLaterRequests()
    {
        var updates = 0;
        var throttle = new RenderThrottle(Interval, work => work(), () => { Interlocked.Increment(ref updates); return Task.CompletedTask; }, _ => Task.CompletedTask);
        throttle.Request();

        throttle.Dispose();
        throttle.Request();
        await Task.Delay(Interval * 5);

        Assert.Equal(0, updates);
    }

    [Fact]
    public async Task AFailingUpdate_IsHandedToTheErrorHandler_AndLaterRequestsStillUpdate()
    {
        var errors = new List<Exception>();
        var calls = 0;
        using var throttle = new RenderThrottle(Interval, work => work(), () => Interlocked.Increment(ref calls) == 1
            ? throw new InvalidOperationException("the page broke")
            : Task.CompletedTask, ex => { lock (errors) { errors.Add(ex); } return Task.CompletedTask; });

        throttle.Request();
        await Wait.UntilAsync(() => { lock (errors) { return errors.Count == 1; } }, "the throttle");
        throttle.Request();
        await Wait.UntilAsync(() => Volatile.Read(ref calls) == 2, "the throttle");

        Assert.Equal("the page broke", Assert.Single(errors).Message);
    }
}
