namespace BlazorForecast.Web.Data;

/// <summary>A dataset's timestamps as little-endian int64 UTC ticks, one per row, kept apart so lists never load them.</summary>
public sealed class DatasetTimeline
{
    public int DatasetId { get; set; }

    public required byte[] Ticks { get; set; }
}
