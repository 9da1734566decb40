using BlazorForecast.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BlazorForecast.Web.Features.Sweeps;

/// <summary>
/// Which web node coordinates sweeps: exactly one at a time, so no two nodes queue a sweep's trials or rule on them.
/// <see cref="LeadAsync"/> runs the coordination for each term this node leads, stopping it when the term ends.
/// </summary>
public interface ISweepLeadership
{
    /// <summary>Whether this node coordinates sweeps now.</summary>
    bool IsLeading { get; }

    /// <summary>
    /// Until <paramref name="stoppingToken"/> stops: waits to lead, runs <paramref name="lead"/> with a token that stops
    /// when the term ends, and waits to lead again.
    /// </summary>
    Task LeadAsync(Func<CancellationToken, Task> lead, CancellationToken stoppingToken);

    /// <summary>Sends a command to the node that leads, without waiting for its answer.</summary>
    Task TellLeaderAsync(SweepCommand command);

    /// <summary>Sends a command to the node that leads and waits for its answer (a <see cref="SweepsUnavailableException"/> when none comes).</summary>
    Task<SweepAnswer> AskLeaderAsync(SweepCommand command, CancellationToken cancellationToken);
}

/// <summary>The one web process over SQLite leads from start to stop: there is no other node to ask.</summary>
public sealed class SingleNodeLeadership : ISweepLeadership
{
    public bool IsLeading => true;

    public Task TellLeaderAsync(SweepCommand command) => throw new InvalidOperationException("A single node leads itself.");

    public Task<SweepAnswer> AskLeaderAsync(SweepCommand command, CancellationToken cancellationToken) => throw new InvalidOperationException("A single node leads itself.");

    public Task LeadAsync(Func<CancellationToken, Task> lead, CancellationToken stoppingToken)
    {
        ArgumentNullException.ThrowIfNull(lead);
        return lead(stoppingToken);
    }
}

/// <summary>
/// Web nodes over PostgreSQL: the node whose connection holds the <see cref="PostgresAdvisoryLocks.SweepCoordination"/>
/// lock leads. The leader checks its connection every <see cref="SweepCoordinationOptions.LeaderCheck"/>; a node that
/// stops, or loses its connection, loses the lock with it, and another node takes it within that time. The leader's session asks the server
/// to probe the connection often (TCP keepalives), so a leader whose machine vanishes is let go in about half a minute,
/// not the system's default of hours. Other nodes reach the leader by notification (<see cref="PostgresSweepMessages"/>).
/// </summary>
public sealed partial class PostgresSweepLeadership(
    IDbContextFactory<ForecastDbContext> dbFactory, IOptions<SweepCoordinationOptions> options, ILogger<PostgresSweepLeadership> logger) : ISweepLeadership
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Guid, TaskCompletionSource<SweepAnswer>> _waiting = new();
    private volatile bool _leading;

    public bool IsLeading => _leading;

    public Task TellLeaderAsync(SweepCommand command) =>
        PostgresListener.NotifyAsync(dbFactory, PostgresSweepMessages.CommandChannel, PostgresSweepMessages.Serialize(command));

    public async Task<SweepAnswer> AskLeaderAsync(SweepCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var answer = new TaskCompletionSource<SweepAnswer>(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiting[command.Id] = answer;
        try
        {
            await TellLeaderAsync(command);
            return await answer.Task.WaitAsync(options.Value.AnswerWithin, cancellationToken);
        }
        catch (TimeoutException)
        {
            throw new SweepsUnavailableException();
        }
        finally
        {
            _waiting.TryRemove(command.Id, out _);
        }
    }

    /// <summary>Hands the leader's answer to the request on this node that waits for it (if any does).</summary>
    public void Answered(SweepAnswer answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        if (_waiting.TryGetValue(answer.Id, out var waiting))
        {
            waiting.TrySetResult(answer);
        }
    }

    public async Task LeadAsync(Func<CancellationToken, Task> lead, CancellationToken stoppingToken)
    {
        ArgumentNullException.ThrowIfNull(lead);
        // A connection of its own, not pooled: a pooled one would go back to the pool on close still holding the lock.
        var connectionString = new NpgsqlConnectionStringBuilder(await PostgresListener.ConnectionStringAsync(dbFactory, stoppingToken)) { Pooling = false }.ConnectionString;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(stoppingToken);
                if (await TryTakeAsync(connection, stoppingToken))
                {
                    await LeadTermAsync(connection, lead, stoppingToken);
                }
            }
            catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or TimeoutException)
            {
                LogLost(logger, ex);
            }

            await Task.Delay(options.Value.LeaderCheck, stoppingToken);
        }
    }

    private static async Task<bool> TryTakeAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var take = new NpgsqlCommand(
            "SET tcp_keepalives_idle = 10; SET tcp_keepalives_interval = 5; SET tcp_keepalives_count = 3; SELECT pg_try_advisory_lock(@key)", connection);
        take.Parameters.AddWithValue("key", PostgresAdvisoryLocks.SweepCoordination);
        return await take.ExecuteScalarAsync(cancellationToken) is true;
    }

    // Leads until the connection fails or the app stops; the coordination is stopped, and waited for, before the lock goes.
    private async Task LeadTermAsync(NpgsqlConnection connection, Func<CancellationToken, Task> lead, CancellationToken stoppingToken)
    {
        using var term = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        _leading = true;
        LogLeading(logger);
        var leading = lead(term.Token);
        try
        {
            while (!leading.IsCompleted && !stoppingToken.IsCancellationRequested)
            {
                await Task.WhenAny(leading, Task.Delay(options.Value.LeaderCheck, stoppingToken));
                if (!leading.IsCompleted)
                {
                    await using var ping = new NpgsqlCommand("SELECT 1", connection) { CommandTimeout = 10 };
                    await ping.ExecuteScalarAsync(stoppingToken);
                }
            }
        }
        finally
        {
            _leading = false;
            await term.CancelAsync();
            await leading.ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "This node now coordinates sweeps")]
    private static partial void LogLeading(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost the connection that coordinates sweeps (or could not take it); trying again")]
    private static partial void LogLost(ILogger logger, Exception exception);
}
