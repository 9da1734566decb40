using BlazorForecast.Forecasting.Data;
using BlazorForecast.Forecasting.Evaluation;
using BlazorForecast.Forecasting.Models;
using BlazorForecast.Forecasting.Training;
using BlazorForecast.Web.Features.Results;

namespace BlazorForecast.Web.Tests.Features.Results;

/// <summary>Results of real small trainings (MLP on synthetic OHLCV, horizon 3), built once per test run for component tests.</summary>
public static class TrainedResults
{
    private static readonly Lazy<RunResults> Shared = new(() => Train(walkForwardFolds: 0));

    private static readonly Lazy<RunResults> ThreeSeedRun = new(() => Train(walkForwardFolds: 0, seeds: 3));

    public static RunResults Chronological => Shared.Value;

    /// <summary>The same small training with three seeds: the model is their ensemble.</summary>
    public static RunResults ThreeSeeds => ThreeSeedRun.Value;

    private static readonly Lazy<RunResults> DirectionRun = new(() => TrainDirection(walkForwardFolds: 2));

    /// <summary>A direction run (balanced weights, horizon 2) over two walk-forward folds, stored and read back as the app does.</summary>
    public static RunResults Direction => DirectionRun.Value;

    private static readonly Lazy<RunResults> UniverseRun = new(TrainUniverse);

    /// <summary>One model across three series (MLP, horizon 2), stored and read back as the app does.</summary>
    public static RunResults Universe => UniverseRun.Value;

    private static RunResults TrainUniverse()
    {
        var source = SyntheticMarketData.Generate(600, seed: 11);
        var frame = new TimeSeriesFrame(source.Timestamps,
        [
            source.Find("Close")!,
            source.Find("Open")!,
            new SeriesColumn("Index", "Index", ColumnRole.Other, source.Find("Close")!.Values.Select((v, i) => (v * 3) + Math.Sin(i / 9.0)).ToArray()),
        ]);
        var config = new ForecastConfig
        {
            Targets = ["Close", "Open", "Index"],
            Transform = TargetTransform.LogReturn,
            Lookback = 10,
            Horizon = 2,
            AcrossTargets = new UniverseOptions { Quantile = 0.34 },
            Model = new ModelOptions { Kind = ModelKind.Mlp, HiddenSize = 16, Layers = 1 },
            Training = new TrainingOptions { MaxEpochs = 2, Device = DeviceChoice.Cpu, Seed = 5 },
        };
        var run = UniverseRunner.Run(frame, UniverseConfig.From(config));
        return new RunResults(3, "universe run", 1, "synthetic", config, [], null, frame) { Universe = UniverseResults.Deserialize(UniverseResults.Serialize(run)) };
    }

    public static RunResults TrainDirection(int walkForwardFolds)
    {
        var frame = SyntheticMarketData.Generate(600, seed: 11);
        var config = new ForecastConfig
        {
            Targets = ["Close"],
            Transform = TargetTransform.LogReturn,
            Lookback = 10,
            Horizon = 2,
            WalkForwardFolds = walkForwardFolds,
            Direction = new DirectionTarget { DeadZone = 0.002, Threshold = 0.55 },
            Model = new ModelOptions { Kind = ModelKind.Mlp, HiddenSize = 16, Layers = 1 },
            Training = new TrainingOptions { MaxEpochs = 2, Device = DeviceChoice.Cpu, Seed = 5 },
        };
        var run = ForecastRunner.RunDirection(frame, config);
        return new RunResults(2, "direction run", 1, "synthetic", config, [], null, frame) { Direction = DirectionResults.Deserialize(DirectionResults.Serialize(run)) };
    }

    public static RunResults Train(int walkForwardFolds, params string[] targets) => Train(walkForwardFolds, 1, targets);

    public static RunResults Train(int walkForwardFolds, int seeds, params string[] targets)
    {
        var frame = SyntheticMarketData.Generate(600, seed: 11);
        var config = new ForecastConfig
        {
            Targets = targets.Length == 0 ? ["Close"] : targets,
            Lookback = 20,
            Horizon = 3,
            WalkForwardFolds = walkForwardFolds,
            Model = new ModelOptions { Kind = ModelKind.Mlp, HiddenSize = 16, Layers = 1 },
            Training = new TrainingOptions { MaxEpochs = 2, Device = DeviceChoice.Cpu, Seed = 5, Seeds = seeds },
        };
        var run = ForecastRunner.Run(frame, config);
        return new RunResults(1, "component run", 1, "synthetic", config, run.Folds.Select(StoredFold.From).ToList(), PredictionSet.From(run, frame), frame, run.Assessment);
    }
}
