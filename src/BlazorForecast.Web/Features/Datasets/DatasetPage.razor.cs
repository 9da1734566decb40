using System.Globalization;
using BlazorForecast.Forecasting.Data;
using BlazorForecast.Web.Data;
using BlazorForecast.Web.Features.Team;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace BlazorForecast.Web.Features.Datasets;

/// <summary>One dataset: chart, quality report, paged values and columns; edit, download and delete.</summary>
public sealed partial class DatasetPage
{
    private const string CandlesChoice = "__candles__";

    private DatasetDetails? _details;
    private TimeSeriesFrame? _frame;
    private bool _notFound;
    private Caller _caller = Caller.Anonymous;
    private string _chartColumn = CandlesChoice;
    private List<BreadcrumbItem> _breadcrumbs = [];

    [Parameter]
    public int Id { get; set; }

    [Inject]
    private DatasetService Datasets { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [Inject]
    private CurrentCaller CurrentCaller { get; set; } = default!;

    private bool CanEdit => _details is not null && _caller.CanEdit(_details.Summary.Access);

    private int WarningCount => _details!.Report.Findings().Count(f => f.Severity != FindingSeverity.Info);

    private object? WarningBadge => WarningCount == 0 ? null : WarningCount;

    private string QualitySummary => WarningCount switch
    {
        0 => "No warnings",
        1 => "1 warning",
        var n => $"{n} warnings",
    };

    protected override async Task OnParametersSetAsync()
    {
        _caller = await CurrentCaller.GetAsync();
        _details = await Datasets.GetAsync(Id);
        if (_details is not null && !_caller.CanRead(_details.Summary.Access))
        {
            // Someone else's private dataset looks exactly like a missing one.
            _details = null;
        }

        _notFound = _details is null;
        if (_details is null)
        {
            return;
        }

        _frame = await Datasets.GetFrameAsync(Id);
        _chartColumn = _frame!.HasOhlc ? CandlesChoice : _details.DefaultTarget;
        _breadcrumbs = [new("Datasets", "datasets"), new(_details.Name, null, disabled: true)];
    }

    private void OnChartColumnChanged(string column) => _chartColumn = column;

    private async Task EditAsync()
    {
        var parameters = new DialogParameters<EditDatasetDialog>
        {
            { d => d.DatasetId, Id },
            { d => d.Name, _details!.Name },
            { d => d.Description, _details.Summary.Description },
            { d => d.Shared, _details.Summary.Visibility == Visibility.Team },
        };
        var dialog = await Dialogs.ShowAsync<EditDatasetDialog>("Edit dataset", parameters, new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true });
        if (await dialog.Result is { Canceled: false })
        {
            _details = await Datasets.GetAsync(Id);
            _breadcrumbs = [new("Datasets", "datasets"), new(_details!.Name, null, disabled: true)];
        }
    }

    private async Task DeleteAsync()
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync(
            "Delete dataset?",
            $"“{_details!.Name}” and its {_details.Summary.Rows:N0} rows will be deleted. This cannot be undone.",
            yesText: "Delete", cancelText: "Cancel");
        if (confirmed != true || !CanEdit)
        {
            return;
        }

        if (await Datasets.DeleteAsync(Id, _caller) is { } blocker)
        {
            Snackbar.Add(blocker, Severity.Warning);
            return;
        }

        Snackbar.Add($"Deleted {_details.Name}.", Severity.Success);
        Navigation.NavigateTo("datasets");
    }

    private string FormatTime(DateTime time) =>
        _details!.Report.Frequency == SeriesFrequency.Intraday ? time.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) : time.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string RoleText(ColumnRole role) => role switch
    {
        ColumnRole.Other => "series",
        ColumnRole.AdjClose => "adjusted close",
        _ => role.ToString().ToLowerInvariant(),
    };
}
