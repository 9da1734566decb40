namespace BlazorForecast.Web.Data;

/// <summary>Who besides its owner (and admins) sees a dataset or run.</summary>
public enum Visibility
{
    /// <summary>Only the owner and admins.</summary>
    Private,

    /// <summary>Everyone signed in; only the owner and admins change it.</summary>
    Team,
}

/// <summary>A dataset or run someone owns; ownerless ones (the demo, data from before accounts) belong to the team.</summary>
public interface IOwned
{
    string? OwnerId { get; }

    Visibility Visibility { get; }
}
