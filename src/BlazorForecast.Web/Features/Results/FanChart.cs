using BlazorForecast.Forecasting.Data;
using BlazorForecast.Forecasting.Training;
using BlazorForecast.Web.Components;
using Plotly.Blazor;
using Plotly.Blazor.Traces;
using Plotly.Blazor.Traces.ScatterLib;

namespace BlazorForecast.Web.Features.Results;

/// <summary>
/// Traces shared by the results charts: interval bands, plain lines, and the fan of a forecast beyond the data (the
/// latest history, at least 60 rows or three horizons, then the forecast with its 95% and 80% bands).
/// </summary>
public static class FanChart
{
    public static IList<ITrace> Traces(TimeSeriesFrame frame, FutureForecast future, int target)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(future);
        var history = Math.Min(frame.RowCount, Math.Max(60, 3 * future.Times.Length));
        var actual = frame.Find(future.Targets[target])!.Values;
        var futureTimes = future.Times.ToList();
        var traces = new List<ITrace>();
        foreach (var (level, color) in new[] { (PredictionSeries.Level95, "rgba(251,140,0,0.16)"), (PredictionSeries.Level80, "rgba(251,140,0,0.3)") })
        {
            if (future.Intervals.FirstOrDefault(i => i.Level == level) is { } band)
            {
                traces.AddRange(Band($"{level:P0} interval", futureTimes, band.Lower.Select(r => r[target]), band.Upper.Select(r => r[target]), color));
            }
        }

        traces.Add(Line("Actual", frame.Timestamps[^history..].ToList(), actual[^history..], "#90a4ae", null));
        traces.Add(Line("Forecast", futureTimes, future.Values.Select(row => row[target]), "#fb8c00", null));
        return traces;
    }

    /// <summary>A band: its upper edge (unlabelled), then its lower edge filled up to the trace before it.</summary>
    public static ITrace[] Band(string name, List<DateTime> times, IEnumerable<double> lower, IEnumerable<double> upper, string color) =>
    [
        new Scatter
        {
            Name = name,
            LegendGroup = name,
            ShowLegend = false,
            HoverInfo = HoverInfoFlag.Skip,
            Mode = ModeFlag.Lines,
            X = ChartData.Dates(times),
            Y = ChartData.Values(upper),
            Line = new Line { Width = 0, Color = color },
        },
        new Scatter
        {
            Name = name,
            LegendGroup = name,
            HoverInfo = HoverInfoFlag.Skip,
            Mode = ModeFlag.Lines,
            X = ChartData.Dates(times),
            Y = ChartData.Values(lower),
            Fill = FillEnum.ToNextY,
            FillColor = color,
            Line = new Line { Width = 0, Color = color },
        },
    ];

    public static Scatter Line(string name, List<DateTime> times, IEnumerable<double> values, string color, string? dash) => new()
    {
        Name = name,
        Mode = ModeFlag.Lines,
        X = ChartData.Dates(times),
        Y = ChartData.Values(values),
        Line = new Line { Color = color, Width = 1.5m, Dash = dash },
    };
}
