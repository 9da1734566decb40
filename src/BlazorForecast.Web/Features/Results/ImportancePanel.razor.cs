using BlazorForecast.Web.Components;
using Microsoft.AspNetCore.Components;
using Plotly.Blazor;
using Plotly.Blazor.Traces;

namespace BlazorForecast.Web.Features.Results;

/// <summary>Permutation feature importance of the run's inputs as a bar chart and a table.</summary>
public sealed partial class ImportancePanel
{
    private readonly string _chartId = $"importance-{Guid.NewGuid():N}";
    private readonly Config _config = ChartData.Config();
    private IList<ITrace> _traces = [];
    private Plotly.Blazor.Layout _layout = ChartData.Layout(300, legend: false);

    [Parameter, EditorRequired]
    public RunResults Results { get; set; } = default!;

    // A value run's importance is of the squared error; a direction run's, of its cross-entropy.
    private IReadOnlyList<Forecasting.Evaluation.FeatureImportance> Importance => Results.Direction?.Folds[0].Importance ?? Results.Folds[0].Importance;

    protected override void OnParametersSet()
    {
        var ordered = Importance.OrderBy(f => f.MseIncrease).ToList();
        _traces =
        [
            new Bar
            {
                Name = Results.Direction is null ? "MSE increase" : "Loss increase",
                Orientation = Plotly.Blazor.Traces.BarLib.OrientationEnum.H,
                X = ChartData.Values(ordered.Select(f => f.MseIncrease)),
                Y = ordered.Select(f => (object)f.Feature).ToList(),
                Marker = new Plotly.Blazor.Traces.BarLib.Marker { Color = "rgba(30,136,229,0.7)" },
            },
        ];
        _layout = ChartData.Layout(Math.Max(140, 60 + (32 * ordered.Count)), legend: false);
        _layout.Margin = new Plotly.Blazor.LayoutLib.Margin { L = 140, R = 16, T = 16, B = 40 };
        _layout.HoverMode = Plotly.Blazor.LayoutLib.HoverModeEnum.Closest;
    }
}
