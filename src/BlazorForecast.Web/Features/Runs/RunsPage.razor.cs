using BlazorForecast.Web.Components;
using BlazorForecast.Web.Data;
using BlazorForecast.Web.Features.Datasets;
using BlazorForecast.Web.Features.Team;
using BlazorForecast.Web.Features.Training;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace BlazorForecast.Web.Features.Runs;

/// <summary>
/// All runs, filtered and sorted in the database one page at a time, refreshed live (at most twice a second) while
/// runs change.
/// </summary>
public sealed partial class RunsPage : IDisposable
{
    private static readonly TimeSpan RefreshInterval = TimeSpan.FromMilliseconds(500);

    private MudTable<RunSummary>? _table;
    private IReadOnlyList<DatasetSummary> _datasets = [];
    private int? _datasetId;
    private string? _model;
    private RunStatus? _status;
    private RunSort _sort;
    private bool _onlyMine;
    private IDisposable? _subscription;
    private RenderThrottle? _refresh;
    private Caller _caller = Caller.Anonymous;

    /// <summary>Only runs with this tag (the run page's tag chips link here with it).</summary>
    [SupplyParameterFromQuery(Name = "tag")]
    public string? Tag { get; set; }

    [Inject]
    private CurrentCaller CurrentCaller { get; set; } = default!;

    [Inject]
    private RunService Runs { get; set; } = default!;

    [Inject]
    private DatasetService Datasets { get; set; } = default!;

    [Inject]
    private TrainingNotifier Notifier { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    public void Dispose()
    {
        _subscription?.Dispose();
        _refresh?.Dispose();
    }

    protected override async Task OnInitializedAsync()
    {
        _caller = await CurrentCaller.GetAsync();
        _datasets = await Datasets.ListAsync(_caller);
        // Progress events arrive many times a second; one reload per interval is plenty for a list.
        _refresh = new RenderThrottle(RefreshInterval, InvokeAsync, ReloadAsync, DispatchExceptionAsync);
        _subscription = Notifier.Subscribe(0, _ => _refresh.Request());
    }

    private async Task<TableData<RunSummary>> LoadAsync(TableState state, CancellationToken cancellationToken)
    {
        var (items, total) = await Runs.QueryAsync(
            new RunQuery(_datasetId, _model, _status, _sort, state.Page * state.PageSize, state.PageSize, Tag, _onlyMine), _caller, cancellationToken);
        return new TableData<RunSummary> { Items = items, TotalItems = total };
    }

    private async Task ImportModelAsync()
    {
        var dialog = await Dialogs.ShowAsync<ImportModelDialog>("Import a trained model",
            new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true });
        if (await dialog.Result is { Canceled: false, Data: int id })
        {
            Navigation.NavigateTo($"runs/{id}");
        }
    }

    private Task OnDatasetChanged(int? value) => Reload(() => _datasetId = value);

    private Task OnModelChanged(string? value) => Reload(() => _model = value);

    private Task OnStatusChanged(RunStatus? value) => Reload(() => _status = value);

    private Task OnSortChanged(RunSort value) => Reload(() => _sort = value);

    private Task OnOnlyMineChanged(bool value) => Reload(() => _onlyMine = value);

    private Task OnTagChanged(string? value) => Reload(() => Tag = string.IsNullOrWhiteSpace(value) ? null : value.Trim());

    private async Task Reload(Action change)
    {
        change();
        await ReloadAsync();
    }

    private async Task ReloadAsync()
    {
        if (_table is not null)
        {
            await _table.ReloadServerData();
        }
    }

    private string DatasetName(int id) => _datasets.FirstOrDefault(d => d.Id == id)?.Name ?? $"dataset {id}";

    private static string StatusText(RunSummary run) =>
        run.Status == RunStatus.Queued && run.QueuePosition is int position ? $"Queued (#{position})" : run.Status.ToString();

    internal static Color StatusColor(RunStatus status) => status switch
    {
        RunStatus.Succeeded => Color.Success,
        RunStatus.Running => Color.Info,
        RunStatus.Failed => Color.Error,
        RunStatus.Cancelled or RunStatus.Interrupted => Color.Warning,
        _ => Color.Default,
    };
}
