using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace BlazorForecast.Web.Data;

/// <summary>
/// Listens on PostgreSQL notification channels for as long as the app runs, on one connection, handing each payload
/// to its channel's handler in the order they came, and connects again (after a short pause) when the connection is
/// lost. <see cref="NotifyAsync"/> sends one.
/// </summary>
public static partial class PostgresListener
{
    private static readonly TimeSpan Reconnect = TimeSpan.FromSeconds(2);

    /// <summary>How payloads are written: web JSON, enums by name, and non-finite numbers kept (a loss may be NaN).</summary>
    public static readonly JsonSerializerOptions Payloads = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter() },
    };

    public static Task ListenAsync(
        IDbContextFactory<ForecastDbContext> dbFactory, string channel, Func<string, Task> received, ILogger logger, CancellationToken stoppingToken) =>
        ListenAsync(dbFactory, new Dictionary<string, Func<string, Task>> { [channel] = received }, logger, stoppingToken);

    public static async Task ListenAsync(
        IDbContextFactory<ForecastDbContext> dbFactory, IReadOnlyDictionary<string, Func<string, Task>> channels, ILogger logger, CancellationToken stoppingToken)
    {
        ArgumentNullException.ThrowIfNull(dbFactory);
        ArgumentNullException.ThrowIfNull(channels);
        var connectionString = await ConnectionStringAsync(dbFactory, stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ListenOnceAsync(connectionString, channels, stoppingToken);
            }
            catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
            {
                LogLost(logger, string.Join(", ", channels.Keys), ex);
                await Task.Delay(Reconnect, stoppingToken);
            }
        }
    }

    /// <summary>Sends a payload on a channel; listeners get it when the sending transaction (here, the statement) commits.</summary>
    public static async Task NotifyAsync(IDbContextFactory<ForecastDbContext> dbFactory, string channel, string payload, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dbFactory);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.Database.ExecuteSqlAsync($"SELECT pg_notify({channel}, {payload})", cancellationToken);
    }

    /// <summary>The database's connection string, for a connection of its own outside EF's pool use.</summary>
    public static async Task<string> ConnectionStringAsync(IDbContextFactory<ForecastDbContext> dbFactory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dbFactory);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return db.Database.GetConnectionString()!;
    }

    private static async Task ListenOnceAsync(string connectionString, IReadOnlyDictionary<string, Func<string, Task>> channels, CancellationToken stoppingToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(stoppingToken);
        var arrived = System.Threading.Channels.Channel.CreateUnbounded<(string Channel, string Payload)>(new() { SingleReader = true });
        connection.Notification += (_, notification) => arrived.Writer.TryWrite((notification.Channel, notification.Payload));
        foreach (var channel in channels.Keys)
        {
            await using var listen = new NpgsqlCommand($"LISTEN {channel}", connection);
            await listen.ExecuteNonQueryAsync(stoppingToken);
        }

        var handing = Task.Run(async () =>
        {
            await foreach (var (channel, payload) in arrived.Reader.ReadAllAsync(stoppingToken))
            {
                await channels[channel](payload);
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost the connection listening on {Channels}; connecting again")]
    private static partial void LogLost(ILogger logger, string channels, Exception exception);
}
