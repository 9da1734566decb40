namespace BlazorForecast.Web.Hosting;

/// <summary>
/// Logs exceptions of tasks nobody awaited (a fire-and-forget that failed) as errors while the app runs, so they show
/// in the log instead of vanishing; the soak benchmark fails on any.
/// </summary>
public sealed partial class UnobservedTaskExceptionLogger(ILogger<UnobservedTaskExceptionLogger> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        TaskScheduler.UnobservedTaskException += OnUnobserved;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        TaskScheduler.UnobservedTaskException -= OnUnobserved;
        return Task.CompletedTask;
    }

    private void OnUnobserved(object? sender, UnobservedTaskExceptionEventArgs e) => LogUnobserved(logger, e.Exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unobserved task exception")]
    private static partial void LogUnobserved(ILogger logger, Exception exception);
}
