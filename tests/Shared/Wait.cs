namespace BlazorForecast;

/// <summary>Polls until a condition holds (or a value is as wanted), instead of sleeping and hoping; fails with what it waited for.</summary>
public static class Wait
{
    public static async Task UntilAsync(Func<bool> condition, string what = "the condition", int seconds = 10)
    {
        ArgumentNullException.ThrowIfNull(condition);
        await ForAsync(() => Task.FromResult(condition()), done => done, what, seconds);
    }

    public static async Task<T> ForAsync<T>(Func<Task<T>> read, Func<T, bool> done, string what, int seconds = 10)
    {
        ArgumentNullException.ThrowIfNull(read);
        ArgumentNullException.ThrowIfNull(done);
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        var value = await read();
        while (!done(value))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Waited {seconds} s for {what}; last seen: {value}.");
            }

            await Task.Delay(20);
            value = await read();
        }

        return value;
    }
}
