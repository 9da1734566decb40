using System.Globalization;
using BlazorForecast.Forecasting.Data;
using BlazorForecast.Forecasting.Training;
using BlazorForecast.Web.Components;
using BlazorForecast.Web.Features.Datasets;
using BlazorForecast.Web.Features.Team;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using Plotly.Blazor;

namespace BlazorForecast.Web.Features.Results;

/// <summary>
/// "Forecast now": the run's model on the latest rows of its dataset or of another one with the same columns (an
/// upload is a click away), the next H values with their intervals as a fan chart and a table, and a CSV download.
/// </summary>
public sealed partial class ForecastNowPanel
{
    private readonly string _chartId = $"forecast-now-{Guid.NewGuid():N}";
    private readonly Config _config = ChartData.Config();
    private RunResults? _builtFor;
    private IReadOnlyList<DatasetSummary> _datasets = [];
    private Caller _caller = Caller.Anonymous;
    private int _datasetId;
    private FutureForecast? _forecast;
    private TimeSeriesFrame? _frame;
    private string? _problem;
    private bool _busy;
    private IList<ITrace> _traces = [];
    private Plotly.Blazor.Layout _layout = ChartData.TimeLayout(340);

    [Parameter, EditorRequired]
    public RunResults Results { get; set; } = default!;

    [Inject]
    private CurrentCaller CurrentCaller { get; set; } = default!;

    [Inject]
    private RunResultsService ResultsService { get; set; } = default!;

    [Inject]
    private DatasetService Datasets { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    // A run across its targets forecasts one column at a time: any of the chosen dataset's (one it never saw, zero-shot).
    private List<string> _columns = [];
    private string? _series;

    // The forecast shown, as CSV: for a model across series, of the series chosen.
    private string DownloadHref => $"api/runs/{Results.RunId}/forecast?datasetId={_datasetId}&format=csv"
        + (Results.Config.AcrossTargets is not null && _series is not null ? $"&series={Uri.EscapeDataString(_series)}" : "");

    private IEnumerable<string> Columns => Results.Config.Targets
        .Concat(Results.Config.Features.Select(f => f.Column).OfType<string>())
        .Distinct(StringComparer.Ordinal);

    private IEnumerable<(string Date, string Target, string Value, string Range80, string Range95)> Rows
    {
        get
        {
            var forecast = _forecast!;
            var narrow = forecast.Intervals.FirstOrDefault(i => i.Level == PredictionSeries.Level80);
            var wide = forecast.Intervals.FirstOrDefault(i => i.Level == PredictionSeries.Level95);
            for (var k = 0; k < forecast.Times.Length; k++)
            {
                for (var j = 0; j < forecast.Targets.Count; j++)
                {
                    var date = forecast.Times[k].ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                    var value = forecast.Values[k][j];
                    yield return forecast.IsDirection
                        ? (date, forecast.Targets[j], value.ToString("P1", CultureInfo.InvariantCulture), value > 0.5 ? "up" : "down", "")
                        : (date, forecast.Targets[j], Number(value), Range(narrow, k, j), Range(wide, k, j));
                }
            }
        }
    }

    // Parents re-render with the same results (e.g. on a tab change); forecast again only for new ones.
    protected override async Task OnParametersSetAsync()
    {
        if (ReferenceEquals(_builtFor, Results))
        {
            return;
        }

        _builtFor = Results;
        _caller = await CurrentCaller.GetAsync();
        _datasets = await Datasets.ListAsync(_caller);
        _datasetId = Results.DatasetId;
        await ForecastAsync();
    }

    private async Task DatasetChangedAsync(int datasetId)
    {
        _datasetId = datasetId;
        await ForecastAsync();
    }

    private async Task SeriesChangedAsync(string series)
    {
        _series = series;
        await ForecastAsync();
    }

    private async Task UploadAsync()
    {
        var dialog = await Dialogs.ShowAsync<UploadDialog>("Upload a CSV to forecast from",
            new DialogOptions { MaxWidth = MaxWidth.Medium, FullWidth = true, CloseOnEscapeKey = false, BackdropClick = false });
        if (await dialog.Result is { Canceled: false, Data: int id })
        {
            _datasets = await Datasets.ListAsync(await CurrentCaller.GetAsync());
            await DatasetChangedAsync(id);
        }
    }

    private async Task ForecastAsync()
    {
        _busy = true;
        if (Results.Config.AcrossTargets is not null)
        {
            _columns = (await Datasets.GetFrameAsync(_datasetId))?.Columns.Select(c => c.Name).ToList() ?? [];
            _series = _columns.Contains(_series ?? "", StringComparer.OrdinalIgnoreCase) ? _series : Results.Config.Targets.FirstOrDefault(t => _columns.Contains(t)) ?? _columns.FirstOrDefault();
        }

        (_forecast, _problem) = await ResultsService.ForecastAsync(Results.RunId, _datasetId, await CurrentCaller.GetAsync(), _series);
        _frame = _forecast is null ? null : await Datasets.GetFrameAsync(_datasetId);
        _busy = false;
        if (_forecast is not null && _frame is not null)
        {
            _traces = _forecast.IsDirection ? DirectionCharts.FutureProbabilities(_forecast) : FanChart.Traces(_frame, _forecast, 0);
            _layout = _forecast.IsDirection ? DirectionCharts.ProbabilityLayout(ChartData.Layout(300, legend: false)) : _layout;
        }
    }

    private static string Number(double value) => value.ToString("G6", CultureInfo.InvariantCulture);

    private static string Range(ForecastInterval? interval, int step, int target) => interval is null
        ? "—"
        : $"{Number(interval.Lower[step][target])} – {Number(interval.Upper[step][target])}";
}
