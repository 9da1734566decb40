using Microsoft.AspNetCore.SignalR;

namespace BlazorForecast.Web.Features.Training;

/// <summary>
/// SignalR logs every exception a hub method throws as an error, including the <see cref="HubException"/>s that answer
/// a caller's mistake ("There is no run 42." for a run deleted a moment ago), so a busy server's log filled with
/// errors nobody can act on. The dispatcher's own log is turned down to critical (<see cref="DispatcherCategory"/>);
/// this filter logs what really failed in a hub method, and only that, as an error.
/// </summary>
public sealed partial class HubFailureLogging(ILogger<HubFailureLogging> logger) : IHubFilter
{
    public const string DispatcherCategory = "Microsoft.AspNetCore.SignalR.Internal.DefaultHubDispatcher";

    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        ArgumentNullException.ThrowIfNull(invocationContext);
        ArgumentNullException.ThrowIfNull(next);
        try
        {
            return await next(invocationContext);
        }
        catch (Exception ex) when (ex is not HubException and not OperationCanceledException)
        {
            LogFailed(logger, invocationContext.HubMethodName, ex);
            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The hub method {Method} failed")]
    private static partial void LogFailed(ILogger logger, string method, Exception exception);
}
