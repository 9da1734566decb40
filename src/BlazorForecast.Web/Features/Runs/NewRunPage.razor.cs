using System.Text.Json;
using BlazorForecast.Forecasting.Data;
using BlazorForecast.Forecasting.Evaluation;
using BlazorForecast.Forecasting.Models;
using BlazorForecast.Forecasting.Training;
using BlazorForecast.Web.Data;
using BlazorForecast.Web.Features.Datasets;
using BlazorForecast.Web.Features.Sweeps;
using BlazorForecast.Web.Features.Team;
using BlazorForecast.Web.Features.Training;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;
using MudBlazor;

namespace BlazorForecast.Web.Features.Runs;

/// <summary>
/// The new-run form: dataset, targets, inputs (its own columns' features, and columns of other datasets joined as of each
/// date, with the join's report before training), transform, lookback and horizon, split, model and training settings
/// with sensible defaults per model (advanced ones folded away). The form edits a copy of a config — the engine's
/// defaults with log returns over five steps, or the cloned run's — and changes only the settings it shows, so a clone
/// reproduces its run exactly until a field is edited. The config is checked against the dataset before submitting,
/// with every problem listed. ?datasetId= preselects a dataset; ?cloneOf= prefills from an earlier run. Datasets the
/// caller may not read are never shown, not even their columns.
/// </summary>
public sealed partial class NewRunPage
{
    /// <summary>What a new run starts from: the engine's defaults, predicting log returns five steps ahead.</summary>
    internal static readonly ForecastConfig FormDefaults = new() { Transform = TargetTransform.LogReturn, Horizon = 5 };

    private ForecastConfig _base = FormDefaults;
    private IReadOnlyList<DatasetSummary> _datasets = [];
    private List<string> _columns = [];
    private List<BreadcrumbItem> _breadcrumbs = [new("Runs", "runs"), new("New", null, disabled: true)];
    private int _datasetId;
    private IReadOnlyCollection<string> _targets = [];
    private TargetTransform _transform;
    private bool _hasVolume;
    private bool _useMovingAverage;
    private bool _useRsi;
    private bool _useVolatility;
    private bool _useVolume;
    private bool _useDayOfWeek;
    private List<JoinedInput> _inputs = [];
    private JoinReport? _joinReport;
    private IReadOnlyList<string> _joinProblems = [];
    private int _lookback;
    private int _horizon;
    private int _walkForwardFolds;
    private WalkForwardMode _walkForwardMode;
    private ModelKind _model;
    private int _hidden;
    private int _layers;
    private double _dropout;
    private int _epochs;
    private int _batch;
    private int _patience;
    private double _learningRate;
    private double _weightDecay;
    private int _seed;
    private int _seeds;
    private IntervalMethod _intervals;
    private int _heads;
    private bool _bidirectional;
    private bool _anchor;
    private bool _direction;
    private bool _acrossTargets;
    private bool _embedding = true;
    private double _quantilePercent = 20;
    private double _crossCostBps = 5;
    private double _deadZonePercent;
    private ClassWeighting _weighting = ClassWeighting.Balanced;
    private double _focalGamma = 2;
    private double _threshold = 0.5;
    private bool _oversample;
    private DeviceChoice _device;
    private bool _cudaAvailable;
    private string _deviceSummary = "";
    private string? _name;
    private string? _notes;
    private bool _shared;
    private List<string> _problems = [];
    private bool _launching;

    [SupplyParameterFromQuery]
    public int? DatasetId { get; set; }

    private string SeedsHelp => _seeds > 1
        ? $"Seeds {_seed} to {_seed + _seeds - 1}: each judged on its own, the model is their mean forecast ({_seeds}× the training time)"
        : "One seed is one draw; several show how much of a result is luck";

    [SupplyParameterFromQuery]
    public int? CloneOf { get; set; }

    [Inject]
    private CurrentCaller CurrentCaller { get; set; } = default!;

    [Inject]
    private IOptions<TeamOptions> Team { get; set; } = default!;

    [Inject]
    private DatasetService Datasets { get; set; } = default!;

    [Inject]
    private RunService Runs { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Inject]
    private TrainingDevices Devices { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        var caller = await CurrentCaller.GetAsync();
        _datasets = await Datasets.ListAsync(caller);
        _shared = Team.Value.DefaultVisibility == Visibility.Team;
        var devices = await Devices.DescribeAsync();
        _cudaAvailable = devices.CudaAvailable;
        _deviceSummary = devices.Summary;
        Apply(FormDefaults);

        if (CloneOf is int cloneOf && caller.CanRead(await Runs.OwnershipAsync(cloneOf))
            && await Runs.ConfigAsync(cloneOf) is (int dataset, ForecastConfig config, string name))
        {
            _breadcrumbs = [new("Runs", "runs"), new($"Clone of {name}", null, disabled: true)];
            if (!caller.CanRead(await Datasets.OwnershipAsync(dataset)))
            {
                // A run shared with the team may sit on its owner's private dataset: its columns stay private.
                _problems = ["This run's dataset is private to its owner: you can read the run, but not train on its data."];
                return;
            }

            await SelectDatasetAsync(dataset);
            Apply(config);
            await JoinAsync();
            _name = $"{name} (clone)";
            return;
        }

        var first = DatasetId ?? (_datasets.Count > 0 ? _datasets[0].Id : null);
        if (first is int id)
        {
            await SelectDatasetAsync(id);
        }
    }

    private async Task OnDatasetChangedAsync(int datasetId) => await SelectDatasetAsync(datasetId);

    private async Task SelectDatasetAsync(int datasetId)
    {
        _problems = [];
        if (_datasets.All(d => d.Id != datasetId))
        {
            // Not among the datasets the caller may read: nothing of it is shown.
            (_datasetId, _columns, _hasVolume, _targets) = (0, [], false, []);
            _problems = [$"There is no dataset {datasetId}."];
            return;
        }

        _datasetId = datasetId;
        var details = await Datasets.GetAsync(datasetId);
        _columns = details?.Columns.Select(c => c.Name).ToList() ?? [];
        _hasVolume = details?.Columns.Any(c => c.Role == ColumnRole.Volume) ?? false;
        _targets = details is null ? [] : [details.DefaultTarget];
        await JoinAsync();
    }

    private async Task AddInputAsync()
    {
        var parameters = new DialogParameters<AddInputDialog>
        {
            { d => d.Choices, _datasets.Where(d => d.Id != _datasetId).ToList() },
            { d => d.TakenNames, _inputs.Select(i => i.Name).ToList() },
        };
        var dialog = await Dialogs.ShowAsync<AddInputDialog>("Add an input from another dataset", parameters,
            new DialogOptions { MaxWidth = MaxWidth.Medium, FullWidth = true });
        if (await dialog.Result is { Canceled: false, Data: JoinedInput input })
        {
            _inputs.Add(input);
            await JoinAsync();
        }
    }

    private async Task RemoveInputAsync(JoinedInput input)
    {
        _inputs.Remove(input);
        await JoinAsync();
    }

    // The join the run would train on, before it is started: what it keeps and loses, or why it cannot be made.
    private async Task JoinAsync()
    {
        (_joinReport, _joinProblems) = (null, []);
        if (_inputs.Count == 0 || _datasetId == 0)
        {
            return;
        }

        var (joined, problems) = await Datasets.TrainingFrameAsync(_datasetId, _base with { Inputs = [.. _inputs] }, await CurrentCaller.GetAsync());
        (_joinReport, _joinProblems) = (joined?.Report, problems);
    }

    // Defaults that suit each model; DLinear reads levels of its own targets and learns fast.
    private void OnModelChanged(ModelKind model)
    {
        _model = model;
        (_learningRate, _batch) = model == ModelKind.DLinear ? (5e-4, 32) : (1e-3, 64);
        if (model == ModelKind.DLinear)
        {
            _transform = TargetTransform.Level;
        }
    }

    private void Apply(ForecastConfig config)
    {
        _base = config;
        _targets = [.. config.Targets];
        _transform = config.Transform;
        _lookback = config.Lookback;
        _horizon = config.Horizon;
        _walkForwardFolds = config.WalkForwardFolds;
        _walkForwardMode = config.WalkForwardMode;
        _useMovingAverage = config.Features.Any(f => f.Kind == FeatureKind.MovingAverage);
        _useRsi = config.Features.Any(f => f.Kind == FeatureKind.RelativeStrengthIndex);
        _useVolatility = config.Features.Any(f => f.Kind == FeatureKind.RollingVolatility);
        _useVolume = config.Features.Any(f => f.Kind == FeatureKind.VolumeZScore);
        _useDayOfWeek = config.Features.Any(f => f.Kind == FeatureKind.DayOfWeek);
        (_model, _hidden, _layers, _dropout, _heads, _bidirectional, _anchor) =
            (config.Model.Kind, config.Model.HiddenSize, config.Model.Layers, config.Model.Dropout, config.Model.Heads, config.Model.Bidirectional, config.Model.AnchorToLastValue);
        (_epochs, _batch, _patience, _learningRate, _weightDecay, _seed, _seeds, _device) =
            (config.Training.MaxEpochs, config.Training.BatchSize, config.Training.Patience, config.Training.LearningRate,
             config.Training.WeightDecay, config.Training.Seed, config.Training.Seeds, config.Training.Device);
        _intervals = config.Intervals;
        _inputs = [.. config.Inputs];
        if (config.AcrossTargets is not null)
        {
            _targets = [.. config.Targets.Where(t => !config.Inputs.Any(i => string.Equals(i.Name, t, StringComparison.OrdinalIgnoreCase)))];
        }
        var across = config.AcrossTargets ?? new UniverseOptions();
        (_acrossTargets, _embedding, _quantilePercent, _crossCostBps) =
            (config.AcrossTargets is not null, across.Embedding, across.Quantile * 100, across.CostPerTrade * 10_000);
        var direction = config.Direction ?? new DirectionTarget();
        (_direction, _deadZonePercent, _weighting, _focalGamma, _threshold, _oversample) =
            (config.Direction is not null, direction.DeadZone * 100, direction.Weighting, direction.FocalGamma, direction.Threshold, direction.Oversample);
    }

    // One model across the targets applies while there are several series: targets, and inputs that join as series.
    private bool Across => _acrossTargets && SeveralSeries;

    private bool SeveralSeries => _targets.Count + _inputs.Count > 1;

    /// <summary>The config the form stands for: its starting config with the settings the form shows as they are now.</summary>
    internal ForecastConfig BuildConfig()
    {
        // Across the targets, an input from another dataset is one more series, read as its value like every series.
        var inputs = Across ? _inputs.Select(i => i with { As = FeatureKind.Raw }).ToList() : _inputs;
        var targets = Across ? _targets.Concat(inputs.Select(i => i.Name)).Distinct(StringComparer.OrdinalIgnoreCase).ToList() : _targets.ToList();
        var edited = _base with { Targets = targets, Transform = _transform };
        return edited with
        {
            Features = Features(edited),
            Lookback = _lookback,
            Horizon = _horizon,
            WalkForwardFolds = _walkForwardFolds,
            WalkForwardMode = _walkForwardMode,
            Model = _base.Model with
            {
                Kind = _model, HiddenSize = _hidden, Layers = _layers, Dropout = _dropout, Heads = _heads,
                Bidirectional = _bidirectional, AnchorToLastValue = _anchor,
            },
            Training = _base.Training with
            {
                MaxEpochs = _epochs, BatchSize = _batch, Patience = _patience, LearningRate = _learningRate,
                WeightDecay = _weightDecay, Seed = _seed, Seeds = _seeds, Device = _device,
            },
            Intervals = _intervals,
            Inputs = [.. inputs],
            AcrossTargets = Across
                ? new UniverseOptions { Embedding = _embedding, Quantile = _quantilePercent / 100, CostPerTrade = _crossCostBps / 10_000 }
                : null,
            Direction = _direction && !Across
                ? (_base.Direction ?? new DirectionTarget()) with
                {
                    DeadZone = _deadZonePercent / 100, Weighting = _weighting, FocalGamma = _focalGamma, Threshold = _threshold, Oversample = _oversample,
                }
                : null,
        };
    }

    // The inputs: the starting config's own when the targets, transform and ticked extras are unchanged (so their
    // windows and columns survive a clone); otherwise the targets' own series with each ticked extra, keeping an
    // extra's earlier setting where there was one and taking its usual window where there was not.
    private IReadOnlyList<FeatureSpec> Features(ForecastConfig edited)
    {
        var sameSeries = edited.Targets.SequenceEqual(_base.Targets) && edited.Transform == _base.Transform;
        var primary = edited.Targets.Count > 0 ? edited.Targets[0] : "";
        var extras = new (FeatureKind Kind, bool On, FeatureSpec Usual)[]
        {
            (FeatureKind.MovingAverage, _useMovingAverage, new FeatureSpec(FeatureKind.MovingAverage, primary, 20)),
            (FeatureKind.RelativeStrengthIndex, _useRsi, new FeatureSpec(FeatureKind.RelativeStrengthIndex, primary, 14)),
            (FeatureKind.RollingVolatility, _useVolatility, new FeatureSpec(FeatureKind.RollingVolatility, primary, 20)),
            (FeatureKind.VolumeZScore, _useVolume && _hasVolume, new FeatureSpec(FeatureKind.VolumeZScore, "Volume", 20)),
            (FeatureKind.DayOfWeek, _useDayOfWeek, new FeatureSpec(FeatureKind.DayOfWeek)),
        };
        if (sameSeries && extras.All(e => e.On == _base.Features.Any(f => f.Kind == e.Kind)))
        {
            return _base.Features;
        }

        var chosen = extras.Where(e => e.On).SelectMany(e =>
        {
            var earlier = sameSeries ? _base.Features.Where(f => f.Kind == e.Kind).ToList() : [];
            return earlier.Count > 0 ? earlier : [e.Usual];
        }).ToList();
        var kept = sameSeries ? _base.Features.Where(f => extras.All(e => e.Kind != f.Kind) && !IsOwnSeries(f)).ToList() : [];
        var extraInputs = kept.Concat(chosen).ToList();
        return extraInputs.Count == 0 ? [] : [.. WindowedProblem.FeatureSpecsFor(edited with { Features = [] }), .. extraInputs];
    }

    private bool IsOwnSeries(FeatureSpec feature) =>
        feature.Kind is FeatureKind.Raw or FeatureKind.Return or FeatureKind.LogReturn && _base.Targets.Contains(feature.Column ?? "");

    // A sweep searches around the form's config: the dialog takes it as the base every trial starts from.
    private async Task SweepAsync()
    {
        var parameters = new DialogParameters<NewSweepDialog>
        {
            { d => d.DatasetId, _datasetId },
            { d => d.BaseConfig, BuildConfig() },
            { d => d.Shared, _shared },
        };
        var dialog = await Dialogs.ShowAsync<NewSweepDialog>("Search settings around this config", parameters,
            new DialogOptions { MaxWidth = MaxWidth.Medium, FullWidth = true });
        if (await dialog.Result is { Canceled: false, Data: int id })
        {
            Navigation.NavigateTo($"sweeps/{id}");
        }
    }

    private async Task LaunchAsync()
    {
        _launching = true;
        try
        {
            var id = await Runs.CreateAsync(new RunRequest(_datasetId, BuildConfig(), _name, _notes, _shared ? Visibility.Team : Visibility.Private), await CurrentCaller.GetAsync());
            Navigation.NavigateTo($"runs/{id}");
        }
        catch (RunValidationException ex)
        {
            _problems = [.. ex.Problems];
        }
        catch (RateLimitedException ex)
        {
            _problems = [ex.Message];
        }
        finally
        {
            _launching = false;
        }
    }
}
