using BlazorForecast.Forecasting.Data;
using BlazorForecast.Web.Data;
using BlazorForecast.Web.Features.Team;

namespace BlazorForecast.Web.Features.Datasets;

/// <summary>A row of the dataset list.</summary>
public sealed record DatasetSummary(
    int Id,
    string Name,
    string? Description,
    int Rows,
    int Columns,
    DateTime First,
    DateTime Last,
    string Frequency,
    DateTime UploadedAt,
    bool IsSynthetic,
    string? OwnerId = null,
    string? OwnerName = null,
    Visibility Visibility = Visibility.Team)
{
    public Ownership Access => new(OwnerId, Visibility);
}

public sealed record DatasetColumnInfo(string Name, string SourceName, ColumnRole Role);

/// <summary>Everything about a dataset except its values.</summary>
public sealed record DatasetDetails(
    DatasetSummary Summary,
    string OriginalFileName,
    string DateColumn,
    string DefaultTarget,
    IReadOnlyList<DatasetColumnInfo> Columns,
    QualityReport Report)
{
    public int Id => Summary.Id;

    public string Name => Summary.Name;
}
