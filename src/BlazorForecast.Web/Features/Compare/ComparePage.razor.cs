using BlazorForecast.Web.Components;
using BlazorForecast.Web.Data;
using BlazorForecast.Web.Features.Datasets;
using BlazorForecast.Web.Features.Results;
using BlazorForecast.Web.Features.Runs;
using BlazorForecast.Web.Features.Team;
using Microsoft.AspNetCore.Components;
using Plotly.Blazor;
using Plotly.Blazor.Traces;
using Plotly.Blazor.Traces.ScatterLib;

namespace BlazorForecast.Web.Features.Compare;

/// <summary>
/// Runs of one dataset side by side: a leaderboard of every finished run by test RMSE, and for the runs ticked there
/// their metrics with differences against the first, the settings that differ, their one-step forecasts over the
/// actual series and their validation curves. The selection lives in the address, so a comparison can be shared.
/// </summary>
public sealed partial class ComparePage
{
    public const int MaxCompared = 6;

    private static readonly string[] Palette = ["#1e88e5", "#fb8c00", "#7e57c2", "#43a047", "#e53935", "#00897b"];

    private readonly Config _config = ChartData.Config();
    private IReadOnlyList<DatasetSummary> _datasets = [];
    private IReadOnlyList<RunSummary> _leaderboard = [];
    private readonly List<int> _selected = [];
    private List<ComparisonRun> _compared = [];
    private IReadOnlyList<ConfigDifference> _differences = [];
    private IList<ITrace> _predictionTraces = [];
    private IList<ITrace> _curveTraces = [];
    private readonly Plotly.Blazor.Layout _predictionLayout = ChartData.TimeLayout(380);
    private readonly Plotly.Blazor.Layout _curveLayout = ChartData.EpochLayout(380, "validation loss");
    private string _chartKey = "";
    private int? _datasetId;
    private bool _loading = true;

    [SupplyParameterFromQuery(Name = "datasetId")]
    public int? DatasetIdQuery { get; set; }

    [SupplyParameterFromQuery(Name = "runs")]
    public string? RunsQuery { get; set; }

    [Inject]
    private CurrentCaller CurrentCaller { get; set; } = default!;

    [Inject]
    private DatasetService Datasets { get; set; } = default!;

    [Inject]
    private RunService Runs { get; set; } = default!;

    [Inject]
    private RunResultsService ResultsService { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        _datasets = await Datasets.ListAsync(await CurrentCaller.GetAsync());
        _selected.AddRange((RunsQuery ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(s => int.TryParse(s, out var id) ? id : 0).Where(id => id > 0).Distinct().Take(MaxCompared));
        _datasetId = DatasetIdQuery ?? await DatasetWithRunsAsync();
        await LoadLeaderboardAsync();
        await LoadComparisonAsync();
        _loading = false;
    }

    // Without a choice, the newest dataset that has a finished run.
    private async Task<int?> DatasetWithRunsAsync()
    {
        var latest = (await Runs.QueryAsync(new RunQuery(Status: RunStatus.Succeeded, Take: 1), await CurrentCaller.GetAsync())).Items;
        return latest.Count > 0 ? latest[0].DatasetId : _datasets.Count > 0 ? _datasets[0].Id : null;
    }

    private async Task DatasetChangedAsync(int? datasetId)
    {
        _datasetId = datasetId;
        _selected.Clear();
        await LoadLeaderboardAsync();
        await LoadComparisonAsync();
    }

    private async Task ToggleAsync(int runId, bool on)
    {
        if (on && !_selected.Contains(runId) && _selected.Count < MaxCompared)
        {
            _selected.Add(runId);
        }
        else if (!on)
        {
            _selected.Remove(runId);
        }

        await LoadComparisonAsync();
    }

    private async Task LoadLeaderboardAsync()
    {
        _leaderboard = _datasetId is int id
            ? (await Runs.QueryAsync(new RunQuery(id, Status: RunStatus.Succeeded, Sort: RunSort.TestRmse, Take: 200), await CurrentCaller.GetAsync())).Items.Where(r => r.TestRmse is not null).ToList()
            : [];
        _selected.RemoveAll(runId => _leaderboard.All(r => r.Id != runId));
    }

    private async Task LoadComparisonAsync()
    {
        var compared = new List<ComparisonRun>();
        foreach (var runId in _selected)
        {
            var results = (await ResultsService.LoadAsync(runId)).Results;
            var snapshot = await Runs.SnapshotAsync(runId);
            if (results is { Folds.Count: > 0 } && snapshot is not null)
            {
                // One curve per run: its first training (the first seed of the first fold) is what every run has.
                compared.Add(new ComparisonRun(results, snapshot.Epochs.Where(e => e.Fold == 0 && e.SeedIndex == 0).ToList()));
            }
        }

        _compared = compared;
        _differences = ConfigDifferences.Between(compared.Select(c => c.Results.Config).ToList());
        BuildCharts();
        Navigation.NavigateTo(Navigation.GetUriWithQueryParameters(new Dictionary<string, object?>
        {
            ["datasetId"] = _datasetId,
            ["runs"] = _selected.Count == 0 ? null : string.Join(',', _selected),
        }), replace: true);
    }

    private void BuildCharts()
    {
        _chartKey = string.Join('-', _selected);
        if (_compared.Count < 2)
        {
            return;
        }

        var first = _compared[0].Results;
        var target = first.Config.Targets[0];
        var predictions = _compared.Select(c => c.Results.Config.Targets.Contains(target)
            ? PredictionSeries.Build(c.Results, PredictionSegment.Test, 1, c.Results.Config.Targets.ToList().IndexOf(target))
            : []).ToList();
        var start = predictions.Where(p => p.Count > 0).Select(p => p[0].Time).DefaultIfEmpty(first.Frame.Timestamps[0]).Min();
        var from = Array.FindIndex(first.Frame.Timestamps, t => t >= start);
        var traces = new List<ITrace>
        {
            new Scatter
            {
                Name = $"Actual {target}",
                Mode = ModeFlag.Lines,
                X = ChartData.Dates(first.Frame.Timestamps[from..]),
                Y = ChartData.Values(first.Frame.Find(target)!.Values[from..]),
                Line = new Line { Color = "#90a4ae", Width = 1.5m },
            },
        };
        traces.AddRange(predictions.Select((points, i) => (ITrace)new Scatter
        {
            Name = _compared[i].Results.RunName,
            Mode = ModeFlag.Lines,
            X = ChartData.Dates(points.Select(p => p.Time)),
            Y = ChartData.Values(points.Select(p => p.Predicted)),
            Line = new Line { Color = Palette[i % Palette.Length], Width = 1.2m },
        }));
        _predictionTraces = traces;

        _curveTraces = _compared.Select((c, i) => (ITrace)new Scatter
        {
            Name = c.Results.RunName,
            Mode = ModeFlag.Lines | ModeFlag.Markers,
            X = c.Epochs.Select(e => (object)e.Epoch).ToList(),
            Y = ChartData.Values(c.Epochs.Select(e => e.ValidationLoss)),
            Line = new Line { Color = Palette[i % Palette.Length], Width = 1.5m },
        }).ToList();
    }
}
