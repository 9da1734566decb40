using System.Text.Json;
using BlazorForecast.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace BlazorForecast.Web.Features.Sweeps;

/// <summary>
/// Sweep messages between web nodes through PostgreSQL: the changes the coordinating node publishes (every node hands
/// them to its pages and hub groups), and the commands other nodes send it with its answers. Payloads are small JSON.
/// </summary>
public static class PostgresSweepMessages
{
    public const string ChangeChannel = "blazorforecast_sweep_changes";

    public const string CommandChannel = "blazorforecast_sweep_commands";

    public const string AnswerChannel = "blazorforecast_sweep_answers";

    public static string Serialize<T>(T message) => JsonSerializer.Serialize(message, PostgresListener.Payloads);

    public static T? Deserialize<T>(string payload) => JsonSerializer.Deserialize<T>(payload, PostgresListener.Payloads);
}

/// <summary>The coordinating node's sweep changes, sent on <see cref="PostgresSweepMessages.ChangeChannel"/> for every node.</summary>
public sealed class PostgresSweepChangePublisher(IDbContextFactory<ForecastDbContext> dbFactory) : ISweepChangePublisher
{
    public Task PublishAsync(SweepChanged change) =>
        PostgresListener.NotifyAsync(dbFactory, PostgresSweepMessages.ChangeChannel, PostgresSweepMessages.Serialize(change));
}

/// <summary>
/// On a web node over PostgreSQL: hands sweep changes to this node's <see cref="SweepNotifier"/>; while this node
/// coordinates, carries out the commands other nodes send and answers them; and hands answers to this node's waiting
/// requests. A command is carried out beside the listening, so changes keep flowing while it works.
/// </summary>
public sealed partial class PostgresSweepRelay(
    IDbContextFactory<ForecastDbContext> dbFactory,
    SweepNotifier notifier,
    SweepCoordinator coordinator,
    PostgresSweepLeadership leadership,
    ILogger<PostgresSweepRelay> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => PostgresListener.ListenAsync(dbFactory, new Dictionary<string, Func<string, Task>>
    {
        [PostgresSweepMessages.ChangeChannel] = payload => Read<SweepChanged>(payload) is { } change ? notifier.PublishAsync(change) : Task.CompletedTask,
        [PostgresSweepMessages.CommandChannel] = payload =>
        {
            if (leadership.IsLeading && Read<SweepCommand>(payload) is { } command)
            {
                _ = Task.Run(() => CarryOutAsync(command, stoppingToken), stoppingToken);
            }

            return Task.CompletedTask;
        },
        [PostgresSweepMessages.AnswerChannel] = payload =>
        {
            if (Read<SweepAnswer>(payload) is { } answer)
            {
                leadership.Answered(answer);
            }

            return Task.CompletedTask;
        },
    }, logger, stoppingToken);

    private async Task CarryOutAsync(SweepCommand command, CancellationToken stoppingToken)
    {
        try
        {
            var answer = await coordinator.HandleAsync(command, stoppingToken);
            if (command.Kind != SweepCommandKind.Wake)
            {
                await PostgresListener.NotifyAsync(dbFactory, PostgresSweepMessages.AnswerChannel, PostgresSweepMessages.Serialize(answer), stoppingToken);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            // The asking node hears nothing, and tells its caller to try again.
            LogCommandFailed(logger, command.Kind, command.SweepId, ex);
        }
    }

    private T? Read<T>(string payload)
    {
        try
        {
            return PostgresSweepMessages.Deserialize<T>(payload);
        }
        catch (JsonException ex)
        {
            LogUnreadable(logger, typeof(T).Name, ex);
            return default;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A sweep message ({Kind}) from another node could not be read, and was skipped")]
    private static partial void LogUnreadable(ILogger logger, string kind, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "The {Kind} command for sweep {SweepId} from another node failed")]
    private static partial void LogCommandFailed(ILogger logger, SweepCommandKind kind, int sweepId, Exception exception);
}
