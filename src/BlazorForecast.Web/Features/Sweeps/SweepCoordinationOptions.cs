namespace BlazorForecast.Web.Features.Sweeps;

/// <summary>How web nodes over PostgreSQL share the coordination of sweeps, under "BlazorForecast:Sweeps".</summary>
public sealed class SweepCoordinationOptions
{
    public const string Section = "BlazorForecast:Sweeps";

    /// <summary>How often the leading node checks its hold, and how often the others try to take it: the longest a takeover waits.</summary>
    public TimeSpan LeaderCheck { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a node waits for the leader to answer a stop or a pick before telling the person to try again.</summary>
    public TimeSpan AnswerWithin { get; set; } = TimeSpan.FromSeconds(20);
}
