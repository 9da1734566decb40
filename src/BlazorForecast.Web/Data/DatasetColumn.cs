using BlazorForecast.Forecasting.Data;

namespace BlazorForecast.Web.Data;

/// <summary>One numeric column of a dataset; <see cref="Values"/> is little-endian float64, one per row.</summary>
public sealed class DatasetColumn
{
    public int DatasetId { get; set; }

    public int Ordinal { get; set; }

    public required string Name { get; set; }

    public required string SourceName { get; set; }

    public ColumnRole Role { get; set; }

    public required byte[] Values { get; set; }
}
