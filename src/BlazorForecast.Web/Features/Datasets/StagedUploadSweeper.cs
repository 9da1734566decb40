namespace BlazorForecast.Web.Features.Datasets;

/// <summary>
/// Removes abandoned staged uploads when the app starts and every half hour while it runs, so a server that stays
/// up for months does not collect files from crashed circuits.
/// </summary>
public sealed partial class StagedUploadSweeper(UploadStaging staging, TimeProvider time, ILogger<StagedUploadSweeper> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            Sweep();
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private void Sweep()
    {
        try
        {
            var removed = staging.RemoveAbandoned();
            if (removed > 0)
            {
                LogRemoved(logger, removed);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LogSweepFailed(logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Removed {Count} abandoned staged uploads")]
    private static partial void LogRemoved(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not sweep the staging folder")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
