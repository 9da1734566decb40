using BlazorForecast.Web.Features.Runs;
using BlazorForecast.Web.Features.Sweeps;
using BlazorForecast.Web.Features.Team;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace BlazorForecast.Web.Features.Training;

/// <summary>
/// /hubs/training, for signed-in browsers and API-token holders. Clients call JoinRun(runId) to receive the run's
/// events (StatusChanged, EpochCompleted, BatchProgress) and get a snapshot of everything persisted so far, so a late
/// joiner catches up; LeaveRun stops them. JoinSweep(sweepId) does the same for a sweep (event SweepChanged, with the
/// sweep and its trials as the snapshot). Only runs and sweeps the caller may read can be joined.
/// </summary>
[Authorize]
public sealed class TrainingHub(RunService runs, SweepService sweeps) : Hub
{
    public const string Path = "/hubs/training";

    public static string GroupName(int runId) => $"run-{runId}";

    public static string SweepGroupName(int sweepId) => $"sweep-{sweepId}";

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

    public async Task<SweepDetails> JoinSweep(int sweepId)
    {
        var caller = Caller.From(Context.User!);
        if (!caller.CanRead(await sweeps.OwnershipAsync(sweepId, Context.ConnectionAborted)))
        {
            throw new HubException($"There is no sweep {sweepId}.");
        }

        await Groups.AddToGroupAsync(Context.ConnectionId, SweepGroupName(sweepId));
        return await sweeps.GetAsync(sweepId, caller, Context.ConnectionAborted) ?? throw new HubException($"There is no sweep {sweepId}.");
    }

    public Task LeaveSweep(int sweepId) => Groups.RemoveFromGroupAsync(Context.ConnectionId, SweepGroupName(sweepId));
}
