using System.Globalization;
using BlazorForecast.Forecasting.Evaluation;
using BlazorForecast.Forecasting.Training;
using BlazorForecast.Web.Components;
using Plotly.Blazor;
using Plotly.Blazor.LayoutLib;
using Plotly.Blazor.Traces;
using Plotly.Blazor.Traces.ScatterLib;

namespace BlazorForecast.Web.Features.Results;

/// <summary>The charts of a direction run: the reliability diagram of its probabilities, and the probabilities it forecasts now.</summary>
public static class DirectionCharts
{
    /// <summary>
    /// Each bin's share of rises against its mean probability (marker area by count) beside the diagonal a calibrated
    /// model follows, and the base rate of the training part as the majority rule's single point.
    /// </summary>
    public static IList<ITrace> Reliability(DirectionClassification classification, double trainUpRate)
    {
        ArgumentNullException.ThrowIfNull(classification);
        var bins = classification.Reliability;
        var largest = Math.Max(1, bins.Select(b => b.Count).DefaultIfEmpty(1).Max());
        return
        [
            new Scatter
            {
                Name = "calibrated",
                Mode = ModeFlag.Lines,
                X = [0.0, 1.0],
                Y = [0.0, 1.0],
                Line = new Line { Color = "#90a4ae", Dash = "dash", Width = 1 },
                HoverInfo = HoverInfoFlag.Skip,
            },
            new Scatter
            {
                Name = "model",
                Mode = ModeFlag.Lines | ModeFlag.Markers,
                X = ChartData.Values(bins.Select(b => b.MeanProbability)),
                Y = ChartData.Values(bins.Select(b => b.UpRate)),
                TextArray = bins.Select(b => string.Create(CultureInfo.InvariantCulture, $"{b.Count:N0} calls from {b.From:P0} to {b.To:P0}")).ToList(),
                Marker = new Marker { Color = "#1e88e5", SizeArray = bins.Select(b => (decimal?)(6 + (14 * Math.Sqrt((double)b.Count / largest)))).ToList() },
                Line = new Line { Color = "#1e88e5", Width = 1.5m },
            },
            new Scatter
            {
                Name = "base rate (always-majority)",
                Mode = ModeFlag.Markers,
                X = [trainUpRate],
                Y = [classification.Calls.UpRate],
                Marker = new Marker { Color = "#ef6c00", Size = 10, Symbol = Plotly.Blazor.Traces.ScatterLib.MarkerLib.SymbolEnum.Diamond },
            },
        ];
    }

    public static Plotly.Blazor.Layout ReliabilityLayout()
    {
        var layout = ChartData.Layout(340);
        layout.XAxis = [new XAxis { Title = new Plotly.Blazor.LayoutLib.XAxisLib.Title { Text = "predicted probability of a rise" }, Range = [0, 1], GridColor = ChartData.GridColor, TickFormat = ".0%" }];
        layout.YAxis = [new YAxis { Title = new Plotly.Blazor.LayoutLib.YAxisLib.Title { Text = "share that rose" }, Range = [0, 1], GridColor = ChartData.GridColor, TickFormat = ".0%" }];
        layout.HoverMode = HoverModeEnum.Closest;
        return layout;
    }

    /// <summary>One bar per step and target: the probability that the target is above its last value by then.</summary>
    public static IList<ITrace> FutureProbabilities(FutureForecast forecast)
    {
        ArgumentNullException.ThrowIfNull(forecast);
        return forecast.Targets.Select((target, j) => (ITrace)new Bar
        {
            Name = target,
            X = forecast.Times.Select(t => (object)t.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).ToList(),
            Y = ChartData.Values(forecast.Values.Select(v => v[j])),
        }).ToList();
    }

    /// <summary>A probability axis from 0 to 1 with a line at one half, over the forecast's dates as categories (no weekend gaps).</summary>
    public static Plotly.Blazor.Layout ProbabilityLayout(Plotly.Blazor.Layout layout)
    {
        ArgumentNullException.ThrowIfNull(layout);
        layout.XAxis = [new XAxis { Type = Plotly.Blazor.LayoutLib.XAxisLib.TypeEnum.Category, GridColor = ChartData.GridColor }];
        layout.YAxis = [new YAxis { Title = new Plotly.Blazor.LayoutLib.YAxisLib.Title { Text = "P(above the last value)" }, Range = [0, 1], TickFormat = ".0%", GridColor = ChartData.GridColor }];
        layout.Shapes = [new Shape { Type = Plotly.Blazor.LayoutLib.ShapeLib.TypeEnum.Line, XRef = "paper", X0 = 0, X1 = 1, Y0 = 0.5, Y1 = 0.5, Line = new Plotly.Blazor.LayoutLib.ShapeLib.Line { Color = "#90a4ae", Dash = "dash", Width = 1 } }];
        return layout;
    }
}
