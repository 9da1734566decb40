using BlazorForecast.Forecasting.Data;

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
    bool IsSynthetic);

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
