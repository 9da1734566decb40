using System.Collections.Concurrent;
using System.Globalization;
using BlazorForecast.Web.Components;
using BlazorForecast.Web.Data;
using BlazorForecast.Web.Features.Results;
using BlazorForecast.Web.Features.Team;
using BlazorForecast.Web.Features.Training;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using Plotly.Blazor;
using Plotly.Blazor.LayoutLib;
using Plotly.Blazor.Traces;
using Plotly.Blazor.Traces.ScatterLib;

namespace BlazorForecast.Web.Features.Runs;

/// <summary>
/// One run, live: status, epoch and batch progress, ETA, speed, best validation loss, a loss chart that grows by
/// appending points, and an event log. Opening it mid-run starts from the persisted epochs; Stop asks first. Once the
/// run has results, they take the page in tabs (predictions, metrics, risk and backtest, importance) with exports.
/// Events arrive on the training side's threads and are only queued there; the page applies them on its own
/// dispatcher, a few times a second, so rendering never reads state another thread is changing.
/// </summary>
public sealed partial class RunPage : IDisposable
{
    private static readonly TimeSpan RenderInterval = TimeSpan.FromMilliseconds(200);

    private readonly string _chartId = $"loss-chart-{Guid.NewGuid():N}";
    private readonly Config _config = ChartData.Config();
    private readonly List<RunEpochCompleted> _epochs = [];
    private readonly List<string> _log = [];
    private readonly ConcurrentQueue<RunEvent> _incoming = new();
    private readonly SemaphoreSlim _chartSync = new(1, 1);
    private PlotlyChart? _chart;
    private bool _chartDrawn;
    private int _charted;
    private readonly List<ITrace> _lossTraces = [];
    private readonly Dictionary<int, int> _partTraces = [];
    private readonly Plotly.Blazor.Layout _layout = ChartData.EpochLayout(380);
    private RunSummary? _run;
    private RunStatus _status;
    private string? _detail;
    private string? _device;
    private string? _worker;
    private IReadOnlyList<Forecasting.Data.JoinedInput> _inputs = [];
    private int _maxEpochs;
    private int _seeds = 1;
    private int _folds = 1;
    private int _firstSeed;

    // What a run's folds are called: walk-forward folds, or a sweep ensemble's members.
    private string _foldWord = "fold";
    private RunBatchProgress? _batch;
    private bool _notFound;
    private IDisposable? _subscription;
    private RenderThrottle? _render;
    private bool _caughtUp;
    private List<BreadcrumbItem> _breadcrumbs = [];
    private RunResults? _results;
    private bool _forecastsDirection;
    private int _tab;
    private Caller _caller = Caller.Anonymous;

    [Parameter]
    public int Id { get; set; }

    [Inject]
    private RunService Runs { get; set; } = default!;

    [Inject]
    private CurrentCaller CurrentCaller { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [Inject]
    private TrainingNotifier Notifier { get; set; } = default!;

    [Inject]
    private RunResultsService ResultsService { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    /// <summary>Edit, stop, resume, retry, delete: the owner and admins; the rest of the team only looks.</summary>
    private bool CanEdit => _run is not null && _caller.CanEdit(_run.Access);

    private int Parts => _seeds * _folds;

    // The training under way: the one of the last epoch received (every earlier one has finished).
    private int CurrentPart => _epochs.Count == 0 ? 0 : _epochs[^1].Part(_seeds);

    private List<RunEpochCompleted> CurrentEpochs => _epochs.Where(e => e.Part(_seeds) == CurrentPart).ToList();

    // Over the whole run: finished trainings, plus the current one's share of its epoch budget.
    private double EpochPercent => _maxEpochs == 0 ? 0
        : IsFinished(_status) && _status != RunStatus.Cancelled && Parts > 1 ? 100
        : 100.0 * (CurrentPart + ((double)CurrentEpochs.Count / _maxEpochs)) / Parts;

    private double BatchPercent => _batch is null || _batch.Batches == 0 ? 0 : 100.0 * _batch.Batch / _batch.Batches;

    /// <summary>The training worker the run trains on, under its device ("on gpu-box-1"); none when the web process trains it.</summary>
    private string? WorkerText => _device is null || _worker is null ? null : $"on {_worker}";

    /// <summary>
    /// Which training runs now, in words ("seed 2 of 3 (43), fold 1 of 2"), or once the run has succeeded what it
    /// trained ("3 seeds × 2 folds"); empty for a run of one training.
    /// </summary>
    private string TrainingText
    {
        get
        {
            if (_status == RunStatus.Succeeded)
            {
                return string.Join(" × ", new[] { _seeds > 1 ? $"{_seeds} seeds" : null, _folds > 1 ? $"{_folds} {_foldWord}s" : null }.OfType<string>());
            }

            var part = CurrentPart;
            var where = new List<string>();
            if (_seeds > 1)
            {
                where.Add($"seed {(part % _seeds) + 1} of {_seeds} ({_firstSeed + (part % _seeds)})");
            }

            if (_folds > 1)
            {
                where.Add($"{_foldWord} {(part / _seeds) + 1} of {_folds}");
            }

            return string.Join(", ", where);
        }
    }

    private string PartLabel(int part) => (_seeds > 1, _folds > 1) switch
    {
        (true, true) => $"{_foldWord} {(part / _seeds) + 1} · seed {_firstSeed + (part % _seeds)}",
        (true, false) => $"seed {_firstSeed + part}",
        (false, true) => $"{_foldWord} {part + 1}",
        _ => "",
    };

    private string Eta
    {
        get
        {
            if (_status != RunStatus.Running || _epochs.Count == 0)
            {
                return "—";
            }

            var left = _maxEpochs - CurrentEpochs.Count + ((Parts - CurrentPart - 1) * _maxEpochs);
            var remaining = TimeSpan.FromSeconds(_epochs.Average(e => e.DurationSeconds) * left);
            return remaining.TotalMinutes >= 1 ? $"about {remaining.TotalMinutes:F0} min (at most)" : $"about {remaining.TotalSeconds:F0} s (at most)";
        }
    }

    public void Dispose()
    {
        _subscription?.Dispose();
        _render?.Dispose();
        _chartSync.Dispose();
    }

    protected override async Task OnInitializedAsync()
    {
        // Subscribe before reading the snapshot, so nothing that happens in between is missed (epochs are de-duplicated).
        // Progress arrives many times a second; a few renders a second keep the circuit light.
        _render = new RenderThrottle(RenderInterval, InvokeAsync, ApplyIncomingAsync, DispatchExceptionAsync);
        _subscription = Notifier.Subscribe(Id, OnRunEvent);
        _caller = await CurrentCaller.GetAsync();
        _run = await Runs.GetAsync(Id);
        var snapshot = _run is not null && _caller.CanRead(_run.Access) ? await Runs.SnapshotAsync(Id) : null;
        if (snapshot is null)
        {
            // Someone else's private run looks exactly like a missing one.
            _subscription.Dispose();
            _run = null;
            _notFound = true;
            return;
        }

        _breadcrumbs = [new("Runs", "runs"), new(_run!.Name, null, disabled: true)];
        var config = (await Runs.ConfigAsync(Id))?.Config;
        _inputs = config?.Inputs ?? [];
        _forecastsDirection = config?.Direction is not null;
        _status = snapshot.Status;
        _detail = snapshot.Detail;
        _device = snapshot.Device;
        _worker = snapshot.Worker;
        _maxEpochs = snapshot.MaxEpochs;
        (_seeds, _folds, _firstSeed) = (Math.Max(1, snapshot.Seeds), Math.Max(1, snapshot.Folds), snapshot.FirstSeed);
        _foldWord = snapshot.FoldsAreMembers ? "member" : "fold";
        foreach (var epoch in snapshot.Epochs)
        {
            AddEpoch(epoch);
        }

        _log.Add($"Opened: {snapshot.Status}, {snapshot.Epochs.Count} epoch(s) so far.");
        BuildChart();
        if (IsFinished(_status))
        {
            await LoadResultsAsync();
        }

        // Events queued while the snapshot was read come after it (repeated epochs are skipped).
        _caughtUp = true;
        await ApplyIncomingAsync();
    }

    private static bool IsFinished(RunStatus status) => status is RunStatus.Succeeded or RunStatus.Cancelled or RunStatus.Failed;

    private async Task LoadResultsAsync()
    {
        _results = (await ResultsService.LoadAsync(Id)).Results;
        StateHasChanged();
    }

    // The notifier's thread: queue only.
    private void OnRunEvent(RunEvent runEvent)
    {
        _incoming.Enqueue(runEvent);
        _render?.Request();
    }

    // The page's dispatcher: applies what arrived since the last time, extends the chart, then renders once.
    private async Task ApplyIncomingAsync()
    {
        if (!_caughtUp)
        {
            return;
        }

        var newEpochs = false;
        var finished = false;
        while (_incoming.TryDequeue(out var runEvent))
        {
            switch (runEvent)
            {
                case RunEpochCompleted epoch:
                    newEpochs |= AddEpoch(epoch);

                    // Batch progress is throttled: short epochs can end before any of theirs is sent, so the last one
                    // received may be epochs old. The bar restarts with the next epoch instead of showing a stale one.
                    if (_batch is not null && (BatchPart(_batch), _batch.Epoch).CompareTo((epoch.Part(_seeds), epoch.Epoch)) <= 0)
                    {
                        _batch = null;
                    }

                    break;
                case RunBatchProgress batch:
                    _batch = batch;
                    break;
                case RunStatusChanged status:
                    finished |= IsFinished(status.Status);
                    _status = status.Status;
                    _detail = status.Detail;
                    _device = status.Device ?? _device;
                    _worker = status.Worker ?? _worker;
                    _log.Add($"{DateTime.UtcNow:HH:mm:ss} {status.Status}{(status.Worker is null ? "" : $" on {status.Worker}")}{(status.Detail is null ? "" : $": {status.Detail}")}");
                    break;
            }
        }

        if (newEpochs)
        {
            await SyncChartAsync();
        }

        StateHasChanged();

        if (finished)
        {
            await LoadResultsAsync();
        }
    }

    private int BatchPart(RunBatchProgress batch) => (batch.Fold * _seeds) + batch.SeedIndex;

    private bool AddEpoch(RunEpochCompleted epoch)
    {
        if (_epochs.Count > 0 && (epoch.Part(_seeds), epoch.Epoch).CompareTo((_epochs[^1].Part(_seeds), _epochs[^1].Epoch)) <= 0)
        {
            return false;
        }

        _epochs.Add(epoch);
        var part = Parts > 1 ? $"{PartLabel(epoch.Part(_seeds))}, " : "";
        _log.Add(string.Create(CultureInfo.InvariantCulture,
            $"{epoch.CompletedAt:HH:mm:ss} {part}Epoch {epoch.Epoch}: train {epoch.TrainLoss:G4}, validation {epoch.ValidationLoss:G4}{(epoch.IsBest ? " (best)" : "")}, {epoch.DurationSeconds:F1} s"));
        return true;
    }

    // Fresh traces holding every epoch received so far, in the list the chart draws from.
    private void BuildChart()
    {
        _lossTraces.Clear();
        _partTraces.Clear();
        foreach (var epoch in _epochs)
        {
            AddToTraces(epoch);
        }

        _charted = _epochs.Count;
    }

    // Each training has two traces of one colour: validation solid (in the legend) and training dotted.
    private void AddToTraces(RunEpochCompleted epoch)
    {
        var part = epoch.Part(_seeds);
        if (!_partTraces.TryGetValue(part, out var index))
        {
            index = _lossTraces.Count;
            _partTraces[part] = index;
            var label = PartLabel(part);
            var color = Parts > 1 ? PartColors[part % PartColors.Length] : null;
            _lossTraces.Add(new Scatter
            {
                Name = label.Length == 0 ? "train" : $"{label} train",
                Mode = ModeFlag.Lines | ModeFlag.Markers,
                X = [],
                Y = [],
                Line = new Line { Color = color, Dash = Parts > 1 ? "dot" : null },
                ShowLegend = Parts == 1,
                LegendGroup = label,
            });
            _lossTraces.Add(new Scatter
            {
                Name = label.Length == 0 ? "validation" : label,
                Mode = ModeFlag.Lines | ModeFlag.Markers,
                X = [],
                Y = [],
                Line = new Line { Color = color },
                LegendGroup = label,
            });
        }

        ((Scatter)_lossTraces[index]).X.Add(epoch.Epoch);
        ((Scatter)_lossTraces[index]).Y.Add(epoch.TrainLoss);
        ((Scatter)_lossTraces[index + 1]).X.Add(epoch.Epoch);
        ((Scatter)_lossTraces[index + 1]).Y.Add(epoch.ValidationLoss);
    }

    // Plotly calls this synchronously once the chart is drawn; epochs that arrived before are added without blocking it.
    private void OnChartDrawn()
    {
        _chartDrawn = true;
        _ = InvokeAsync(async () =>
        {
            try
            {
                await SyncChartAsync();
            }
            catch (Exception ex)
            {
                await DispatchExceptionAsync(ex);
            }
        });
    }

    // Brings the chart up to the epochs received, one caller at a time. Before the chart is first drawn the traces just
    // grow (the first draw shows them). After, the new points of trainings already drawn are appended in place
    // (Plotly.Blazor extends both its traces and the drawn chart); a new training's first epoch adds its traces and
    // redraws once.
    private async Task SyncChartAsync()
    {
        await _chartSync.WaitAsync();
        try
        {
            var pending = _epochs.Skip(_charted).ToArray();
            _charted += pending.Length;
            var redraw = _chart is not null && _chartDrawn && pending.Any(e => !_partTraces.ContainsKey(e.Part(_seeds)));
            if (_chart is null || !_chartDrawn || redraw)
            {
                foreach (var epoch in pending)
                {
                    AddToTraces(epoch);
                }

                pending = [];
            }

            try
            {
                if (redraw)
                {
                    await _chart!.React();
                }

                foreach (var training in pending.GroupBy(e => e.Part(_seeds)))
                {
                    var index = _partTraces[training.Key];
                    var epochs = training.Select(e => (object)e.Epoch).ToArray();
                    object[][] losses = [training.Select(e => (object)e.TrainLoss).ToArray(), training.Select(e => (object)e.ValidationLoss).ToArray()];
                    await _chart!.ExtendTraces([epochs, epochs], losses, [index, index + 1]);
                }
            }
            catch (Microsoft.JSInterop.JSException)
            {
                // The drawn chart went away (its tab was left); the traces hold the points for the next draw.
            }
        }
        finally
        {
            _chartSync.Release();
        }
    }

    private static readonly string[] PartColors = ["#1e88e5", "#fb8c00", "#43a047", "#e53935", "#8e24aa", "#6d4c41", "#d81b60", "#546e7a", "#c0ca33", "#00acc1"];

    private Task ResumeAsync() => RequeueAsync(Runs.ResumeAsync, resume: true);

    private async Task RetryAsync()
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync("Retry from scratch?",
            "The run's epochs and results are discarded and it trains again from the start.", yesText: "Retry", cancelText: "Cancel");
        if (confirmed == true)
        {
            await RequeueAsync(Runs.RetryAsync, resume: false);
        }
    }

    private async Task RequeueAsync(Func<int, Caller, CancellationToken, Task<string?>> requeue, bool resume)
    {
        var problem = await requeue(Id, _caller, CancellationToken.None);
        if (problem is not null)
        {
            Snackbar.Add(problem, Severity.Warning);
            return;
        }

        if (!resume)
        {
            _epochs.Clear();
            BuildChart();
        }

        _status = RunStatus.Queued;
        _results = null;

        StateHasChanged();
        if (!resume && _chart is not null)
        {
            await _chart.React();
        }
    }

    private async Task EditAsync()
    {
        var parameters = new DialogParameters<EditRunDialog>
        {
            { d => d.RunId, Id },
            { d => d.Name, _run!.Name },
            { d => d.Notes, _run.Notes },
            { d => d.Tags, string.Join(", ", _run.Tags ?? []) },
            { d => d.Shared, _run.Visibility == Visibility.Team },
        };
        var dialog = await Dialogs.ShowAsync<EditRunDialog>("Edit run", parameters, new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true });
        if (await dialog.Result is { Canceled: false })
        {
            _run = await Runs.GetAsync(Id);
            _breadcrumbs = [new("Runs", "runs"), new(_run!.Name, null, disabled: true)];
        }
    }

    private Task<IDialogReference> ShareAsync() => Dialogs.ShowAsync<ShareRunDialog>("Share a read-only link",
        new DialogParameters<ShareRunDialog> { { d => d.RunId, Id } }, new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true });

    private async Task DeleteAsync()
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync("Delete this run?",
            "Its epochs, results, predictions and model are deleted for everyone. This cannot be undone.",
            yesText: "Delete", cancelText: "Keep it");
        if (confirmed != true || !CanEdit)
        {
            return;
        }

        if (await Runs.DeleteAsync(Id, _caller) is { } problem)
        {
            Snackbar.Add(problem, Severity.Warning);
            return;
        }

        Snackbar.Add($"Deleted run “{_run!.Name}”.", Severity.Success);
        Navigation.NavigateTo("runs");
    }

    private async Task StopAsync()
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync("Stop this run?",
            "Training stops within one batch. The epochs so far and the best weights are kept and evaluated.",
            yesText: "Stop", cancelText: "Keep running");
        if (confirmed == true)
        {
            await Runs.CancelAsync(Id, _caller);
        }
    }
}
