using BlazorForecast.Web.Features.Runs;
using BlazorForecast.Web.Features.Team;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace BlazorForecast.Web.Features.Training;

/// <summary>
/// /hubs/training, for signed-in browsers and API-token holders. Clients call JoinRun(runId) to receive the run's
/// events (StatusChanged, EpochCompleted, BatchProgress) and get a snapshot of everything persisted so far, so a late
/// joiner catches up; LeaveRun stops them. Only runs the caller may read can be joined.
/// </summary>
[Authorize]
public sealed class TrainingHub(RunService runs) : Hub
{
    public const string Path = "/hubs/training";

    public static string GroupName(int runId) => $"run-{runId}";

    public async Task<RunSnapshot> JoinRun(int runId)
    {
        var ownership = await runs.OwnershipAsync(runId, Context.ConnectionAborted);
        if (!Caller.From(Context.User!).CanRead(ownership))
        {
            throw new HubException($"There is no run {runId}.");
        }

        // Join first, then read: an epoch that lands in between is both in the snapshot and sent, never lost.
        await Groups.AddToGroupAsync(Context.ConnectionId, GroupName(runId));
        return await runs.SnapshotAsync(runId, Context.ConnectionAborted)
            ?? throw new HubException($"There is no run {runId}.");
    }

    public Task LeaveRun(int runId) => Groups.RemoveFromGroupAsync(Context.ConnectionId, GroupName(runId));
}
