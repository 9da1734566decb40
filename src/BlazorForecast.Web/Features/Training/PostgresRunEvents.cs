using System.Text.Json;
using System.Text.Json.Serialization;
using BlazorForecast.Web.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

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

    private static readonly JsonSerializerOptions Wire = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter() },
    };

    public static string Serialize(RunEvent runEvent) => JsonSerializer.Serialize(runEvent, Wire);

    public static RunEvent? Deserialize(string payload) => JsonSerializer.Deserialize<RunEvent>(payload, Wire);
}

/// <summary>A training worker's events, sent on <see cref="PostgresRunEvents.Channel"/>.</summary>
public sealed class PostgresRunEventPublisher(IDbContextFactory<ForecastDbContext> dbFactory) : IRunEventPublisher
{
    public async Task PublishAsync(RunEvent runEvent)
    {
        ArgumentNullException.ThrowIfNull(runEvent);
        await using var db = await dbFactory.CreateDbContextAsync();
        await db.Database.ExecuteSqlAsync($"SELECT pg_notify({PostgresRunEvents.Channel}, {PostgresRunEvents.Serialize(runEvent)})");
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

/// <summary>
/// Listens on a PostgreSQL notification channel for as long as the app runs, handing each payload over in the order it
/// came, and connects again (after a short pause) when the connection is lost.
/// </summary>
public static partial class PostgresListener
{
    private static readonly TimeSpan Reconnect = TimeSpan.FromSeconds(2);

    public static async Task ListenAsync(
        IDbContextFactory<ForecastDbContext> dbFactory, string channel, Func<string, Task> received, ILogger logger, CancellationToken stoppingToken)
    {
        ArgumentNullException.ThrowIfNull(dbFactory);
        string connectionString;
        await using (var db = await dbFactory.CreateDbContextAsync(stoppingToken))
        {
            connectionString = db.Database.GetConnectionString()!;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ListenOnceAsync(connectionString, channel, received, stoppingToken);
            }
            catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
            {
                LogLost(logger, channel, ex);
                await Task.Delay(Reconnect, stoppingToken);
            }
        }
    }

    private static async Task ListenOnceAsync(string connectionString, string channel, Func<string, Task> received, CancellationToken stoppingToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(stoppingToken);
        var arrived = System.Threading.Channels.Channel.CreateUnbounded<string>(new() { SingleReader = true });
        connection.Notification += (_, notification) => arrived.Writer.TryWrite(notification.Payload);
        await using (var listen = new NpgsqlCommand($"LISTEN {channel}", connection))
        {
            await listen.ExecuteNonQueryAsync(stoppingToken);
        }

        var handing = Task.Run(async () =>
        {
            await foreach (var payload in arrived.Reader.ReadAllAsync(stoppingToken))
            {
                await received(payload);
            }
        }, stoppingToken);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await connection.WaitAsync(stoppingToken);
            }
        }
        finally
        {
            arrived.Writer.TryComplete();
            await handing.ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost the connection listening on {Channel}; connecting again")]
    private static partial void LogLost(ILogger logger, string channel, Exception exception);
}
