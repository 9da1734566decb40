namespace BlazorForecast.Forecasting.Data;

/// <summary>What a numeric column means, recognised from its header (aliases) or <see cref="Other"/>.</summary>
public enum ColumnRole
{
    Other,
    Open,
    High,
    Low,
    Close,
    AdjClose,
    Volume,
}

public static class ColumnRoleExtensions
{
    /// <summary>Price columns must be positive and take part in the OHLC checks; volume and unknown series do not.</summary>
    public static bool IsPrice(this ColumnRole role) =>
        role is ColumnRole.Open or ColumnRole.High or ColumnRole.Low or ColumnRole.Close or ColumnRole.AdjClose;
}
