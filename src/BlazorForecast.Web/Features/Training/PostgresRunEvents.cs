using System.Text.Json;
using BlazorForecast.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace BlazorForecast.Web.Features.Training;

/// <summary>
/// Run events between machines through PostgreSQL: a training worker sends each with pg_notify (a small JSON payload;
/// the epoch row it describes is already stored, and stays the truth), and every web node listens and hands them to its
/// <see cref="TrainingNotifier"/>, so its hub groups and pages see a worker's run as they see one trained in-process.
/// </summary>
public static class PostgresRunEvents
{
    public const string Channel = "blazorforecast_run_events";

    /// <summary>A stop request: the run's id, for the worker training it to stop within a batch.</summary>
    public const string CancelChannel = "blazorforecast_run_cancel";

    /// <summary>A run was queued (its id): idle workers claim at once instead of at their next poll.</summary>
    public const string QueuedChannel = "blazorforecast_run_queued";

    public static string Serialize(RunEvent runEvent) => JsonSerializer.Serialize(runEvent, PostgresListener.Payloads);

    public static RunEvent? Deserialize(string payload) => JsonSerializer.Deserialize<RunEvent>(payload, PostgresListener.Payloads);
}

/// <summary>
/// Run events of a web node or a training worker, sent on <see cref="PostgresRunEvents.Channel"/>; a run queued is also
/// announced on <see cref="PostgresRunEvents.QueuedChannel"/> for the workers.
/// </summary>
public sealed class PostgresRunEventPublisher(IDbContextFactory<ForecastDbContext> dbFactory) : IRunEventPublisher
{
    public async Task PublishAsync(RunEvent runEvent)
    {
        ArgumentNullException.ThrowIfNull(runEvent);
        await PostgresListener.NotifyAsync(dbFactory, PostgresRunEvents.Channel, PostgresRunEvents.Serialize(runEvent));
        if (runEvent is RunStatusChanged { Status: RunStatus.Queued })
        {
            await PostgresListener.NotifyAsync(dbFactory, PostgresRunEvents.QueuedChannel, runEvent.RunId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }
}

/// <summary>
/// On a web node over PostgreSQL: listens on <see cref="PostgresRunEvents.Channel"/> and publishes what arrives to this
/// node's hub groups and components (events sent while its connection was lost are in the database: a page that joins
/// a run reads its stored epochs).
/// </summary>
public sealed partial class PostgresRunEventRelay(
    IDbContextFactory<ForecastDbContext> dbFactory, TrainingNotifier notifier, ILogger<PostgresRunEventRelay> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        PostgresListener.ListenAsync(dbFactory, PostgresRunEvents.Channel, RelayAsync, logger, stoppingToken);

    private async Task RelayAsync(string payload)
    {
        try
        {
            if (PostgresRunEvents.Deserialize(payload) is { } runEvent)
            {
                await notifier.PublishAsync(runEvent);
            }
        }
        catch (JsonException ex)
        {
            LogUnreadable(logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A training worker's event could not be read, and was skipped")]
    private static partial void LogUnreadable(ILogger logger, Exception exception);
}
