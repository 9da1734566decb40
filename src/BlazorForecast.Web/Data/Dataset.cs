namespace BlazorForecast.Web.Data;

/// <summary>An imported series: its metadata and quality report. Values live in <see cref="DatasetColumn"/> rows.</summary>
public sealed class Dataset : IOwned
{
    public int Id { get; set; }

    public required string Name { get; set; }

    public string? Description { get; set; }

    public required string OriginalFileName { get; set; }

    public DateTime UploadedAt { get; set; }

    public int RowCount { get; set; }

    public DateTime FirstTimestamp { get; set; }

    public DateTime LastTimestamp { get; set; }

    public required string Frequency { get; set; }

    public required string DateColumn { get; set; }

    public required string DefaultTarget { get; set; }

    /// <summary>The account that uploaded or started it; null for the demo and for data from before accounts.</summary>
    public string? OwnerId { get; set; }

    public Visibility Visibility { get; set; } = Visibility.Team;

    /// <summary>True for the seeded synthetic series, so the UI can label it plainly.</summary>
    public bool IsSynthetic { get; set; }

    /// <summary>The <see cref="Forecasting.Data.QualityReport"/> as JSON.</summary>
    public required string QualityReportJson { get; set; }

    public List<DatasetColumn> Columns { get; set; } = [];

    public DatasetTimeline? Timeline { get; set; }
}
