using System.Globalization;
using BlazorForecast.Forecasting.Sweeps;
using BlazorForecast.Web.Components;
using BlazorForecast.Web.Data;
using BlazorForecast.Web.Features.Datasets;
using BlazorForecast.Web.Features.Results;
using BlazorForecast.Web.Features.Team;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;
using MudBlazor;
using Plotly.Blazor;

namespace BlazorForecast.Web.Features.Sweeps;

/// <summary>
/// A sweep, live: its trials as they are proposed, trained and stopped, the charts of what it found, and once it has
/// its result, the result's verdict. Test scores of trials stay withheld until then. Changes arrive from the
/// <see cref="SweepNotifier"/> and are applied on the page's dispatcher, at most a few times a second.
/// </summary>
public sealed partial class SweepPage : IDisposable
{
    private static readonly TimeSpan RefreshInterval = TimeSpan.FromMilliseconds(500);
    private readonly Config _config = ChartData.Config();
    private readonly Plotly.Blazor.Layout _coordinatesLayout = SweepCharts.CoordinatesLayout();
    private SweepDetails? _sweep;
    private RunResults? _result;
    private RunResults? _ensembleResult;
    private string _datasetName = "";
    private bool _notFound;
    private string? _problem;
    private int _version;
    private string? _charted;
    private List<BreadcrumbItem> _breadcrumbs = [];
    private Caller _caller = Caller.Anonymous;
    private IDisposable? _subscription;
    private RenderThrottle? _refresh;
    private Plotly.Blazor.Layout _progressLayout = SweepCharts.ProgressLayout(0);
    private List<ITrace> _progress = [];
    private List<ITrace> _coordinates = [];
    private List<List<ITrace>> _effects = [];
    private List<Plotly.Blazor.Layout> _effectLayouts = [];
    private IReadOnlyList<SettingShare> _shares = [];

    [Parameter]
    public int Id { get; set; }

    [Inject]
    private SweepService Sweeps { get; set; } = default!;

    [Inject]
    private SweepNotifier Notifier { get; set; } = default!;

    [Inject]
    private RunResultsService ResultsService { get; set; } = default!;

    [Inject]
    private DatasetService Datasets { get; set; } = default!;

    [Inject]
    private CurrentCaller CurrentCaller { get; set; } = default!;

    [Inject]
    private IOptions<EvaluationOptions> Evaluation { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    private double Level => Evaluation.Value.SignificanceLevel;

    private bool CanEdit => _sweep is not null && _caller.CanEdit(_sweep.Summary.Access);

    // Successive halving's rungs: the epochs at which trials are compared (none under another rule).
    private IReadOnlyList<int> Rungs => _sweep?.Definition is { EarlyStopping: EarlyStoppingRule.SuccessiveHalving } definition
        ? SuccessiveHalvingPruner.RungsOf(definition.MinEpochs, definition.ReductionFactor, _sweep.BaseConfig.Training.MaxEpochs)
        : [];

    private string RungsTitle => $"Successive halving compares trials after epochs {string.Join(", ", Rungs)}, keeping the best 1 in {_sweep?.Definition.ReductionFactor}: the last rung each trial reached.";

    private int Running => _sweep?.Trials.Count(t => t.State == TrialState.Running) ?? 0;

    private int ChosenNumber => _sweep?.Trials.FirstOrDefault(t => t.RunId == _sweep.Summary.ChosenRunId)?.Number ?? 0;

    private string MethodText => _sweep is null ? "" : _sweep.Definition.Method switch
    {
        SweepMethod.Tpe => "TPE",
        var method => method.ToString(),
    } + (_sweep.Definition.EarlyStopping switch
    {
        EarlyStoppingRule.SuccessiveHalving => $", ASHA (η {_sweep.Definition.ReductionFactor})",
        EarlyStoppingRule.Median => ", median rule",
        _ => "",
    });

    private string BestText => _sweep?.Best is { } best
        ? string.Create(CultureInfo.InvariantCulture, $"{best.Objective:G4} (trial {best.Number + 1})")
        : "—";

    private string StoppedText
    {
        get
        {
            var stopped = _sweep?.Trials.Count(t => t.State == TrialState.Stopped && t.SameAsTrial is null) ?? 0;
            return stopped == 0 ? "none" : string.Create(CultureInfo.InvariantCulture, $"{stopped}, saving up to {_sweep!.EpochsSavedAtMost:N0} epochs");
        }
    }

    public void Dispose()
    {
        _subscription?.Dispose();
        _refresh?.Dispose();
    }

    protected override async Task OnInitializedAsync()
    {
        _caller = await CurrentCaller.GetAsync();
        _refresh = new RenderThrottle(RefreshInterval, InvokeAsync, ReloadAsync, DispatchExceptionAsync);
        _subscription = Notifier.Subscribe(Id, _ => _refresh.Request());
        await ReloadAsync();
        if (_sweep is not null)
        {
            _datasetName = (await Datasets.GetAsync(_sweep.Summary.DatasetId))?.Summary.Name ?? $"dataset {_sweep.Summary.DatasetId}";
        }
    }

    private async Task ReloadAsync()
    {
        _sweep = await Sweeps.GetAsync(Id, _caller);
        if (_sweep is null)
        {
            _notFound = true;
            _subscription?.Dispose();
            StateHasChanged();
            return;
        }

        _breadcrumbs = [new("Sweeps", "sweeps"), new(_sweep.Summary.Name, null, disabled: true)];
        if (_sweep.Summary is { Status: SweepStatus.Finished, ResultRunId: int result } && _result?.RunId != result)
        {
            _result = (await ResultsService.LoadAsync(result)).Results;
        }

        if (_sweep is { Summary.Status: SweepStatus.Finished, Ensemble: { Status: RunStatus.Succeeded, RunId: var ensemble } } && _ensembleResult?.RunId != ensemble)
        {
            _ensembleResult = (await ResultsService.LoadAsync(ensemble)).Results;
        }

        BuildCharts(_sweep);
        StateHasChanged();
    }

    // Charts are drawn again only when what they show changed: a live sweep reloads often, and redrawing Plotly each
    // time would make the page flicker.
    private void BuildCharts(SweepDetails sweep)
    {
        var shown = string.Join(";", sweep.Trials.Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.RunId}:{t.State}:{t.Objective:R}")));
        if (shown == _charted)
        {
            return;
        }

        _charted = shown;
        var space = sweep.Definition.ParseSpace();
        _progress = SweepCharts.Progress(sweep.Trials);
        _progressLayout = SweepCharts.ProgressLayout(sweep.Trials.Count);
        _coordinates = SweepCharts.Coordinates(sweep, space);
        _effects = Enumerable.Range(0, space.Dimensions.Count).Select(d => SweepCharts.Effect(sweep, space, d)).ToList();
        _effectLayouts = Enumerable.Range(0, space.Dimensions.Count).Select(d => SweepCharts.EffectLayout(space, d)).ToList();
        _shares = SettingImportance.Of(space, sweep.Trials
            .Where(t => t.State == TrialState.Complete && t.Objective is not null)
            .Select(t => (t.Point, t.Objective!.Value)).ToList());
        _version++;
    }

    private const string KeptAloneText = "Greedy selection kept the chosen trial alone: on validation, no blend with the others beat it, so the ensemble is the single best.";

    private static string EnsembleText(SweepEnsembleSummary ensemble) => ensemble.Method == SweepEnsemble.Greedy
        ? $"greedy selection among {ensemble.Members.Count} trials"
        : $"the {ensemble.Members.Count} best trials averaged";

    // A member's weight once the ensemble has trained: its share of the blend, or left out when its windows differed.
    private static string MemberText(SweepEnsembleSummary ensemble, SweepEnsembleMember member) => ensemble.Status != RunStatus.Succeeded
        ? $"Trial {member.TrialNumber + 1}"
        : $"Trial {member.TrialNumber + 1} · " + (member.Weight is double w ? (w * 100).ToString("0", CultureInfo.InvariantCulture) + "%" : "left out");

    private static string MemberTitle(SweepEnsembleSummary ensemble, SweepEnsembleMember member) => ensemble.Status != RunStatus.Succeeded
        ? "Its weight is chosen on validation once the ensemble has trained"
        : member.Weight is null ? "Left out: its validation windows differ from the chosen trial's" : "Its share of the blended forecast";

    private static string StateText(SweepTrialSummary trial) => trial.SameAsTrial is int same ? $"same as trial {same + 1}" : trial.State switch
    {
        TrialState.Running => trial.Status == RunStatus.Queued ? "queued" : "training",
        TrialState.Complete => "complete",
        TrialState.Stopped => "stopped early",
        _ => trial.Status == RunStatus.Cancelled ? "stopped" : "failed",
    };

    private Task StopAsync() => AskAsync(() => Sweeps.CancelAsync(Id, _caller));

    private Task PickAsync(int runId) => AskAsync(() => Sweeps.PickAsync(Id, runId, _caller));

    // A stop or a pick: its refusal, or the coordinator being unavailable for a moment, is said above the trials.
    private async Task AskAsync(Func<Task<string?>> ask)
    {
        try
        {
            _problem = await ask();
        }
        catch (SweepsUnavailableException ex)
        {
            _problem = ex.Message;
        }

        await ReloadAsync();
    }

    private async Task DeleteAsync()
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync("Delete this sweep?",
            "Its trials and its result run are deleted with it. This cannot be undone.", yesText: "Delete", cancelText: "Cancel");
        if (confirmed != true)
        {
            return;
        }

        _problem = await Sweeps.DeleteAsync(Id, _caller);
        if (_problem is null)
        {
            Navigation.NavigateTo("sweeps");
        }
    }
}
