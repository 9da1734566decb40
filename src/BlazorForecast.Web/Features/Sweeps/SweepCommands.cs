namespace BlazorForecast.Web.Features.Sweeps;

/// <summary>What a node asks of the sweeps' coordinator: to take up a new sweep, to stop one, or to retrain a picked trial.</summary>
public enum SweepCommandKind
{
    Wake,
    Stop,
    Pick,
}

/// <summary>A request to the coordinator; <see cref="Id"/> pairs it with its <see cref="SweepAnswer"/> across nodes.</summary>
public sealed record SweepCommand(Guid Id, SweepCommandKind Kind, int SweepId, int? TrialRunId = null)
{
    public static SweepCommand Of(SweepCommandKind kind, int sweepId, int? trialRunId = null) => new(Guid.NewGuid(), kind, sweepId, trialRunId);
}

/// <summary>The coordinator's answer: whether a stop stopped the sweep, or why a pick was refused.</summary>
public sealed record SweepAnswer(Guid Id, bool Stopped, string? Problem);

/// <summary>No node answered for the sweeps' coordinator in time: between one leader stopping and the next taking over.</summary>
public sealed class SweepsUnavailableException() : Exception(
    "No web node is coordinating sweeps at this moment (another takes over within seconds when one stops); try again shortly.");
