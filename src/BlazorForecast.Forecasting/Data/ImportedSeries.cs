namespace BlazorForecast.Forecasting.Data;

/// <summary>A successful import: the cleaned series, its quality report, and the confirmed date column and target.</summary>
public sealed record ImportedSeries(TimeSeriesFrame Frame, QualityReport Report, string DateColumn, string Target);
