namespace BlazorForecast.Web.Features.Team;

/// <summary>What a team member may do; stored as Identity roles of the same names.</summary>
public enum TeamRole
{
    /// <summary>Reads what the team shares; changes nothing.</summary>
    Viewer,

    /// <summary>Uploads datasets and starts runs, and edits what they own.</summary>
    Member,

    /// <summary>Everything, including other people's datasets and runs, and the team's accounts.</summary>
    Admin,
}
