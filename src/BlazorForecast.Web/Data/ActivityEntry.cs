namespace BlazorForecast.Web.Data;

public enum ActivityAction
{
    Uploaded,
    Started,
    Stopped,
    Deleted,
    Imported,
    Shared,
    Unshared,
}

public enum ActivitySubject
{
    Dataset,
    Run,
    Sweep,
}

/// <summary>
/// One line of the team's activity feed: who did what to which dataset or run, and when. It keeps the subject's owner
/// and visibility of that moment, so private work stays out of other people's feeds, and its name, so the line still
/// reads after a delete.
/// </summary>
public sealed class ActivityEntry : IOwned
{
    public long Id { get; set; }

    public DateTime At { get; set; }

    public string? ActorId { get; set; }

    public required string ActorName { get; set; }

    public ActivityAction Action { get; set; }

    public ActivitySubject Subject { get; set; }

    public int SubjectId { get; set; }

    public required string SubjectName { get; set; }

    public string? OwnerId { get; set; }

    public Visibility Visibility { get; set; }
}
