using System.Globalization;
using BlazorForecast.Forecasting.Data;
using BlazorForecast.Forecasting.Evaluation;
using BlazorForecast.Forecasting.Models;
using BlazorForecast.Forecasting.Training;

namespace BlazorForecast.Cli.Commands;

/// <summary>A forecast config from --config FILE, with any flags applied on top of it.</summary>
public static class ConfigFromArguments
{
    public const string Help = """
          --config FILE         JSON config (see README); the flags below override it
          --target A[,B...]     target column(s)            --features raw:Close,sma:Close:20,rsi:Close:14,dow
          --transform level|return|log-return               --lookback N   --horizon N
          --model lstm|gru|cnn|transformer|dlinear|mlp      --hidden N  --layers N  --dropout X  --heads N  --anchor
          --epochs N  --batch N  --lr X  --weight-decay X  --patience N  --seed N  --device auto|cpu|cuda  --threads N
          --seeds N             train N seeds (1-10; seed, seed+1, ...): each scored alone, the model is their mean forecast
          --intervals adaptive|split-conformal              --walk-forward K  [--rolling]   --train 0.7  --test 0.2
          --direction           forecast up / down as a class (cross-entropy) instead of the value
            --dead-zone 0.1%    moves within this share of the value are flat: not trained on, not scored (default 0)
            --weighting balanced|none|focal   --gamma X (focal, default 2)   --oversample   --threshold P (backtest, default 0.5)
        """ + InputArguments.Help;

    public static ForecastConfig Build(CliArguments args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var config = args.Value("config") is string path
            ? ForecastJson.ReadConfig(File.Exists(path) ? File.ReadAllText(path) : throw new CliUsageException($"No such config file: {path}"))
            : new ForecastConfig();
        if (config.MissingParts() is { } missing)
        {
            throw new CliUsageException(missing);
        }

        var model = config.Model;
        var training = config.Training;
        config = config with
        {
            Targets = args.Value("target")?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) ?? config.Targets,
            Features = args.Value("features") is string features ? ParseFeatures(features) : config.Features,
            Inputs = args.Has("input") ? InputArguments.Parse(args.Value("input")) : config.Inputs,
            Transform = args.Value("transform") is string transform ? ParseTransform(transform) : config.Transform,
            Lookback = args.WholeNumber("lookback", config.Lookback, 1),
            Horizon = args.WholeNumber("horizon", config.Horizon, 1),
            TrainFraction = Fraction(args, "train", config.TrainFraction),
            TestFraction = Fraction(args, "test", config.TestFraction),
            WalkForwardFolds = args.WholeNumber("walk-forward", config.WalkForwardFolds, 0),
            WalkForwardMode = args.Has("rolling") ? WalkForwardMode.Rolling : config.WalkForwardMode,
            Intervals = args.Value("intervals") is string intervals ? ParseIntervals(intervals) : config.Intervals,
            Direction = Direction(args, config.Direction),
            Model = model with
            {
                Kind = args.Value("model") is string kind ? ParseEnum<ModelKind>(kind, "model") : model.Kind,
                HiddenSize = args.WholeNumber("hidden", model.HiddenSize, 1),
                Layers = args.WholeNumber("layers", model.Layers, 1),
                Heads = args.WholeNumber("heads", model.Heads, 1),
                Dropout = Fraction(args, "dropout", model.Dropout),
                AnchorToLastValue = args.Has("anchor") || model.AnchorToLastValue,
            },
            Training = training with
            {
                MaxEpochs = args.WholeNumber("epochs", training.MaxEpochs, 1),
                BatchSize = args.WholeNumber("batch", training.BatchSize, 1),
                LearningRate = Number(args, "lr", training.LearningRate),
                WeightDecay = Number(args, "weight-decay", training.WeightDecay),
                Patience = args.WholeNumber("patience", training.Patience, 1),
                Seed = args.WholeNumber("seed", training.Seed, 0),
                Seeds = args.WholeNumber("seeds", training.Seeds, 1),
                Device = args.Value("device") is string device ? ParseEnum<DeviceChoice>(device, "device") : training.Device,
                Threads = args.Has("threads") ? args.WholeNumber("threads", 1, 1) : training.Threads,
            },
        };
        return config;
    }

    // The direction target from --direction and its options (which alone change a config's own direction target).
    private static DirectionTarget? Direction(CliArguments args, DirectionTarget? configured)
    {
        string[] options = ["dead-zone", "weighting", "gamma", "oversample", "threshold"];
        if (!args.Has("direction") && configured is null)
        {
            return options.FirstOrDefault(args.Has) is { } stray ? throw new CliUsageException($"--{stray} applies to a direction target; add --direction.") : null;
        }

        var target = configured ?? new DirectionTarget();
        return target with
        {
            DeadZone = args.Value("dead-zone") is string zone ? Percent(zone, "dead-zone") : target.DeadZone,
            Weighting = args.Value("weighting") is string weighting ? ParseEnum<ClassWeighting>(weighting, "weighting") : target.Weighting,
            FocalGamma = Number(args, "gamma", target.FocalGamma),
            Oversample = args.Has("oversample") || target.Oversample,
            Threshold = Number(args, "threshold", target.Threshold),
        };
    }

    // "0.1%" or "0.001".
    private static double Percent(string text, string name)
    {
        var percent = text.EndsWith('%');
        return double.TryParse(percent ? text[..^1] : text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? (percent ? value / 100 : value)
            : throw new CliUsageException($"--{name} needs a share such as 0.1% or 0.001, not '{text}'.");
    }

    private static List<FeatureSpec> ParseFeatures(string text) => text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
        .Select(item =>
        {
            var parts = item.Split(':');
            var kind = parts[0].ToLowerInvariant() switch
            {
                "raw" => FeatureKind.Raw,
                "return" => FeatureKind.Return,
                "logreturn" or "log-return" => FeatureKind.LogReturn,
                "sma" or "ma" => FeatureKind.MovingAverage,
                "ema" => FeatureKind.ExponentialMovingAverage,
                "rsi" => FeatureKind.RelativeStrengthIndex,
                "vol" or "volatility" => FeatureKind.RollingVolatility,
                "volz" or "zscore" => FeatureKind.VolumeZScore,
                "dow" or "dayofweek" => FeatureKind.DayOfWeek,
                _ => throw new CliUsageException($"Unknown feature '{parts[0]}' in '{item}'. Known: raw, return, logreturn, sma, ema, rsi, vol, volz, dow."),
            };
            var window = parts.Length > 2 && int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var w) ? w : 0;
            return new FeatureSpec(kind, kind == FeatureKind.DayOfWeek ? null : parts.ElementAtOrDefault(1), window);
        }).ToList();

    private static TargetTransform ParseTransform(string text) => text.ToLowerInvariant() switch
    {
        "level" => TargetTransform.Level,
        "return" => TargetTransform.Return,
        "log-return" or "logreturn" => TargetTransform.LogReturn,
        _ => throw new CliUsageException($"--transform must be level, return or log-return, not '{text}'."),
    };

    private static IntervalMethod ParseIntervals(string text) => text.ToLowerInvariant() switch
    {
        "adaptive" => IntervalMethod.Adaptive,
        "split-conformal" or "splitconformal" or "split" => IntervalMethod.SplitConformal,
        _ => throw new CliUsageException($"--intervals must be adaptive or split-conformal, not '{text}'."),
    };

    internal static T ParseEnum<T>(string text, string name)
        where T : struct, Enum =>
        Enum.TryParse<T>(text, ignoreCase: true, out var value) && Enum.IsDefined(value)
            ? value
            : throw new CliUsageException($"--{name} must be one of {string.Join(", ", Enum.GetNames<T>().Select(n => n.ToLowerInvariant()))}, not '{text}'.");

    internal static double Number(CliArguments args, string name, double fallback) =>
        args.Value(name) is not string text ? fallback
        : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value
        : throw new CliUsageException($"--{name} needs a number, not '{text}'.");

    private static double Fraction(CliArguments args, string name, double fallback)
    {
        var value = Number(args, name, fallback);
        return value is >= 0 and < 1 ? value : throw new CliUsageException($"--{name} must be at least 0 and below 1, not {value}.");
    }
}
