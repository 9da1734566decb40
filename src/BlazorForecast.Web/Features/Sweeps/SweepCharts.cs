using System.Globalization;
using BlazorForecast.Forecasting.Sweeps;
using BlazorForecast.Web.Components;
using Plotly.Blazor;
using Plotly.Blazor.LayoutLib;
using Plotly.Blazor.Traces;
using Plotly.Blazor.Traces.ScatterLib;

namespace BlazorForecast.Web.Features.Sweeps;

/// <summary>
/// The sweep page's charts, from its trials: each trial's validation loss with the best so far, the settings against the
/// loss as parallel coordinates, and each setting's effect (its values against the loss, one small plot per setting).
/// Only trials with a loss are drawn; stopped ones are marked, as their loss is a partial one.
/// </summary>
public static class SweepCharts
{
    public static List<ITrace> Progress(IReadOnlyList<SweepTrialSummary> trials)
    {
        ArgumentNullException.ThrowIfNull(trials);
        var scored = trials.Where(t => t.Objective is double o && double.IsFinite(o)).OrderBy(t => t.Number).ToList();
        var complete = scored.Where(t => t.State == TrialState.Complete).ToList();
        var stopped = scored.Where(t => t.State == TrialState.Stopped).ToList();
        var training = scored.Where(t => t.State == TrialState.Running).ToList();
        var best = new List<object>();
        var bestX = new List<object>();
        var sofar = double.PositiveInfinity;
        foreach (var trial in complete)
        {
            sofar = Math.Min(sofar, trial.Objective!.Value);
            bestX.Add(trial.Number + 1);
            best.Add(sofar);
        }

        return
        [
            Points("completed", complete, "#1976d2"),
            Points("stopped early (partial loss)", stopped, "#9e9e9e"),
            Points("training (loss so far)", training, "#f57c00"),
            new Scatter { Name = "best so far", X = bestX, Y = best, Mode = ModeFlag.Lines, Line = new Line { Shape = Plotly.Blazor.Traces.ScatterLib.LineLib.ShapeEnum.Hv, Color = "#2e7d32" } },
        ];
    }

    public static Plotly.Blazor.Layout ProgressLayout(int trials)
    {
        var layout = ChartData.Layout(300);
        layout.XAxis = [new XAxis
        {
            Title = new Plotly.Blazor.LayoutLib.XAxisLib.Title { Text = "trial" },
            GridColor = ChartData.GridColor,
            DTick = Math.Max(1, (int)Math.Ceiling(trials / 10.0)),
        }];
        layout.YAxis = [new YAxis { Title = new Plotly.Blazor.LayoutLib.YAxisLib.Title { Text = "validation loss" }, GridColor = ChartData.GridColor }];
        layout.HoverMode = HoverModeEnum.Closest;
        return layout;
    }

    /// <summary>One axis per setting and one for the loss; choices get their names as ticks; lines coloured by loss.</summary>
    public static List<ITrace> Coordinates(SweepDetails sweep, SearchSpace space)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        ArgumentNullException.ThrowIfNull(space);
        var scored = sweep.Trials.Where(t => t.Objective is double o && double.IsFinite(o) && t.Point.Count == space.Dimensions.Count).ToList();
        var dimensions = new List<Plotly.Blazor.Traces.ParCoordsLib.Dimension>();
        for (var d = 0; d < space.Dimensions.Count; d++)
        {
            var dimension = space.Dimensions[d];
            var index = d;
            var axis = new Plotly.Blazor.Traces.ParCoordsLib.Dimension
            {
                Label = dimension.Setting.Name,
                Values = scored.Select(t => (object)t.Point[index]).ToList(),
            };
            if (dimension is ChoiceDimension choice)
            {
                axis.TickVals = Enumerable.Range(0, choice.Choices.Count).Select(i => (object)i).ToList();
                axis.TickText = Enumerable.Range(0, choice.Choices.Count).Select(i => (object)choice.Describe(i)).ToList();
                axis.Range = [-0.2m, choice.Choices.Count - 0.8m];
            }

            dimensions.Add(axis);
        }

        dimensions.Add(new Plotly.Blazor.Traces.ParCoordsLib.Dimension { Label = "validation loss", Values = scored.Select(t => (object)t.Objective!.Value).ToList() });
        return
        [
            new ParCoords
            {
                Dimensions = dimensions,
                Line = new Plotly.Blazor.Traces.ParCoordsLib.Line
                {
                    ColorArray = scored.Select(t => (object)t.Objective!.Value).ToList(),
                    ColorScale = "Viridis",
                    ReverseScale = true,
                    ShowScale = true,
                },
            },
        ];
    }

    public static Plotly.Blazor.Layout CoordinatesLayout()
    {
        var layout = ChartData.Layout(340, legend: false);
        layout.Margin = new Margin { L = 70, R = 70, T = 50, B = 30 };
        return layout;
    }

    /// <summary>A setting's values against the loss, with the setting's name on the x axis (log scale for log ranges).</summary>
    public static List<ITrace> Effect(SweepDetails sweep, SearchSpace space, int dimension)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        ArgumentNullException.ThrowIfNull(space);
        var scored = sweep.Trials.Where(t => t.Objective is double o && double.IsFinite(o) && t.Point.Count == space.Dimensions.Count).ToList();
        var setting = space.Dimensions[dimension];
        return
        [
            new Scatter
            {
                Name = setting.Setting.Name,
                X = scored.Select(t => setting is ChoiceDimension ? (object)setting.Describe(t.Point[dimension]) : t.Point[dimension]).ToList(),
                Y = scored.Select(t => (object)t.Objective!.Value).ToList(),
                Mode = ModeFlag.Markers,
                Marker = new Marker { Size = 8, ColorArray = scored.Select(t => (object)(t.State == TrialState.Complete ? "#1976d2" : "#9e9e9e")).ToList() },
                TextArray = scored.Select(t => string.Create(CultureInfo.InvariantCulture, $"trial {t.Number + 1}")).ToList(),
            },
        ];
    }

    public static Plotly.Blazor.Layout EffectLayout(SearchSpace space, int dimension)
    {
        ArgumentNullException.ThrowIfNull(space);
        var setting = space.Dimensions[dimension];
        var layout = ChartData.Layout(220, legend: false);
        layout.Margin = new Margin { L = 56, R = 12, T = 12, B = 44 };
        layout.HoverMode = HoverModeEnum.Closest;
        layout.XAxis =
        [
            new XAxis
            {
                Title = new Plotly.Blazor.LayoutLib.XAxisLib.Title { Text = setting.Setting.Name },
                Type = setting is RangeDimension { Log: true } ? Plotly.Blazor.LayoutLib.XAxisLib.TypeEnum.Log
                    : setting is ChoiceDimension ? Plotly.Blazor.LayoutLib.XAxisLib.TypeEnum.Category : Plotly.Blazor.LayoutLib.XAxisLib.TypeEnum.Linear,
                GridColor = ChartData.GridColor,
            },
        ];
        layout.YAxis = [new YAxis { GridColor = ChartData.GridColor }];
        return layout;
    }

    private static Scatter Points(string name, List<SweepTrialSummary> trials, string color) => new()
    {
        Name = name,
        X = trials.Select(t => (object)(t.Number + 1)).ToList(),
        Y = trials.Select(t => (object)t.Objective!.Value).ToList(),
        Mode = ModeFlag.Markers,
        Marker = new Marker { Size = 8, Color = color },
        TextArray = trials.Select(t => string.Join(", ", t.Settings.Select(s => $"{s.Key} {s.Value}"))).ToList(),
    };
}
