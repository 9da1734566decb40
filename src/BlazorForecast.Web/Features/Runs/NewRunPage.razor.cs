using System.Text.Json;
using BlazorForecast.Forecasting.Data;
using BlazorForecast.Forecasting.Evaluation;
using BlazorForecast.Forecasting.Models;
using BlazorForecast.Forecasting.Training;
using BlazorForecast.Web.Data;
using BlazorForecast.Web.Features.Datasets;
using BlazorForecast.Web.Features.Team;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;
using MudBlazor;

namespace BlazorForecast.Web.Features.Runs;

/// <summary>
/// The new-run form: dataset, targets, inputs, transform, lookback and horizon, split, model and training settings
/// with sensible defaults per model (advanced ones folded away). The config is checked against the dataset before
/// submitting, with every problem listed. ?datasetId= preselects a dataset; ?cloneOf= prefills from an earlier run.
/// </summary>
public sealed partial class NewRunPage
{
    private IReadOnlyList<DatasetSummary> _datasets = [];
    private List<string> _columns = [];
    private List<BreadcrumbItem> _breadcrumbs = [new("Runs", "runs"), new("New", null, disabled: true)];
    private int _datasetId;
    private IReadOnlyCollection<string> _targets = [];
    private TargetTransform _transform = TargetTransform.LogReturn;
    private bool _hasVolume;
    private bool _useMovingAverage;
    private bool _useRsi;
    private bool _useVolatility;
    private bool _useVolume;
    private bool _useDayOfWeek;
    private int _lookback = 32;
    private int _horizon = 5;
    private int _walkForwardFolds;
    private WalkForwardMode _walkForwardMode;
    private ModelKind _model = ModelKind.Lstm;
    private int _hidden = 64;
    private int _layers = 2;
    private double _dropout = 0.1;
    private int _epochs = 30;
    private int _batch = 64;
    private int _patience = 8;
    private double _learningRate = 1e-3;
    private double _weightDecay = 1e-4;
    private int _seed = 42;
    private int _seeds = 1;
    private IntervalMethod _intervals = IntervalMethod.Adaptive;
    private int _heads = 4;
    private bool _bidirectional;
    private bool _anchor;
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

    protected override async Task OnInitializedAsync()
    {
        var caller = await CurrentCaller.GetAsync();
        _datasets = await Datasets.ListAsync(caller);
        _shared = Team.Value.DefaultVisibility == Visibility.Team;
        var devices = ComputeDevices.Probe();
        _cudaAvailable = devices.CudaAvailable;
        _deviceSummary = $"This server: {devices.Summary}";

        if (CloneOf is int cloneOf && caller.CanRead(await Runs.OwnershipAsync(cloneOf))
            && await Runs.ConfigAsync(cloneOf) is (int dataset, ForecastConfig config, string name))
        {
            _breadcrumbs = [new("Runs", "runs"), new($"Clone of {name}", null, disabled: true)];
            await SelectDatasetAsync(dataset);
            Apply(config);
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
        _datasetId = datasetId;
        var details = await Datasets.GetAsync(datasetId);
        _columns = details?.Columns.Select(c => c.Name).ToList() ?? [];
        _hasVolume = details?.Columns.Any(c => c.Role == ColumnRole.Volume) ?? false;
        _targets = details is null ? [] : [details.DefaultTarget];
        _problems = [];
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
    }

    internal ForecastConfig BuildConfig()
    {
        var targets = _targets.ToList();
        var extras = new List<FeatureSpec>();
        var primary = targets.FirstOrDefault() ?? "";
        if (_useMovingAverage)
        {
            extras.Add(new FeatureSpec(FeatureKind.MovingAverage, primary, 20));
        }

        if (_useRsi)
        {
            extras.Add(new FeatureSpec(FeatureKind.RelativeStrengthIndex, primary, 14));
        }

        if (_useVolatility)
        {
            extras.Add(new FeatureSpec(FeatureKind.RollingVolatility, primary, 20));
        }

        if (_useVolume && _hasVolume)
        {
            extras.Add(new FeatureSpec(FeatureKind.VolumeZScore, "Volume", 20));
        }

        if (_useDayOfWeek)
        {
            extras.Add(new FeatureSpec(FeatureKind.DayOfWeek));
        }

        var baseConfig = new ForecastConfig { Targets = targets, Transform = _transform };
        var own = extras.Count == 0 ? [] : WindowedProblem.FeatureSpecsFor(baseConfig);
        return baseConfig with
        {
            Features = [.. own, .. extras],
            Lookback = _lookback,
            Horizon = _horizon,
            WalkForwardFolds = _walkForwardFolds,
            WalkForwardMode = _walkForwardMode,
            Model = new ModelOptions
            {
                Kind = _model, HiddenSize = _hidden, Layers = _layers, Dropout = _dropout, Heads = _heads,
                Bidirectional = _bidirectional, AnchorToLastValue = _anchor,
            },
            Training = new TrainingOptions
            {
                MaxEpochs = _epochs, BatchSize = _batch, Patience = _patience, LearningRate = _learningRate,
                WeightDecay = _weightDecay, Seed = _seed, Seeds = _seeds, Device = _device,
            },
            Intervals = _intervals,
        };
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
