using BlazorForecast.Forecasting.Data;
using BlazorForecast.Web.Data;
using BlazorForecast.Web.Features.Datasets;

namespace BlazorForecast.Web.Api;

/// <summary>A dataset as the API returns it: metadata, columns and the stored quality report with its findings.</summary>
public sealed record DatasetResponse(
    int Id,
    string Name,
    string? Description,
    int Rows,
    IReadOnlyList<DatasetColumnInfo> Columns,
    DateTime First,
    DateTime Last,
    string Frequency,
    string DateColumn,
    string Target,
    DateTime UploadedAt,
    bool IsSynthetic,
    string OriginalFileName,
    QualityReport QualityReport,
    IReadOnlyList<QualityFinding> Findings,
    string? OwnerId,
    string? OwnerName,
    Visibility Visibility)
{
    public static DatasetResponse From(DatasetDetails d)
    {
        ArgumentNullException.ThrowIfNull(d);
        return new(d.Id, d.Name, d.Summary.Description, d.Summary.Rows, d.Columns, d.Summary.First, d.Summary.Last,
            d.Summary.Frequency, d.DateColumn, d.DefaultTarget, d.Summary.UploadedAt, d.Summary.IsSynthetic,
            d.OriginalFileName, d.Report, d.Report.Findings(), d.Summary.OwnerId, d.Summary.OwnerName, d.Summary.Visibility);
    }
}

/// <summary>Body of PATCH /api/datasets/{id}.</summary>
public sealed record DatasetUpdateRequest(string? Name, string? Description, Visibility? Visibility = null);
