using BlazorForecast.Forecasting.Data;
using static TorchSharp.torch;

namespace BlazorForecast.Forecasting.Training;

/// <summary>
/// A series made ready for one split: features and transformed targets standardised with statistics of the
/// training segment only, and the forecast origins of each segment. Windows are cut from these arrays on demand.
/// </summary>
public sealed class WindowedProblem : ITrainingProblem
{
    private readonly float[] _inputs;
    private readonly float[] _targets;

    private WindowedProblem(
        float[] inputs, float[] targets, int features, int targetCount, ForecastConfig config, SeriesSplit split,
        StandardScaler inputScaler, StandardScaler targetScaler, double[][] targetLevels, double[][] transformedTargets,
        IReadOnlyList<int> targetFeatureIndices, IReadOnlyList<string> featureNames, int firstUsableRow)
    {
        _inputs = inputs;
        _targets = targets;
        FeatureCount = features;
        TargetCount = targetCount;
        Config = config;
        Split = split;
        InputScaler = inputScaler;
        TargetScaler = targetScaler;
        TargetLevels = targetLevels;
        TransformedTargets = transformedTargets;
        TargetFeatureIndices = targetFeatureIndices;
        FeatureNames = featureNames;
        FirstUsableRow = firstUsableRow;
        TrainOrigins = ForecastWindows.Origins(split.Train, config.Lookback, config.Horizon, firstUsableRow);
        ValidationOrigins = ForecastWindows.Origins(split.Validation, config.Lookback, config.Horizon, firstUsableRow);
        TestOrigins = ForecastWindows.Origins(split.Test, config.Lookback, config.Horizon, firstUsableRow);
        if (config.Direction is { } direction)
        {
            Loss = DirectionLoss.For(direction, DirectionCountsBySlot(TrainOrigins));
        }
    }

    // The same prepared data under another config (a run's other seeds share one preparation).
    private WindowedProblem(WindowedProblem other, ForecastConfig config)
    {
        _inputs = other._inputs;
        _targets = other._targets;
        FeatureCount = other.FeatureCount;
        TargetCount = other.TargetCount;
        Config = config;
        Split = other.Split;
        InputScaler = other.InputScaler;
        TargetScaler = other.TargetScaler;
        TargetLevels = other.TargetLevels;
        TransformedTargets = other.TransformedTargets;
        TargetFeatureIndices = other.TargetFeatureIndices;
        FeatureNames = other.FeatureNames;
        FirstUsableRow = other.FirstUsableRow;
        TrainOrigins = other.TrainOrigins;
        ValidationOrigins = other.ValidationOrigins;
        TestOrigins = other.TestOrigins;
        Loss = other.Loss;
    }

    public ForecastConfig Config { get; }

    public SeriesSplit Split { get; }

    public int FeatureCount { get; }

    public int TargetCount { get; }

    public int Lookback => Config.Lookback;

    public int Horizon => Config.Horizon;

    public StandardScaler InputScaler { get; }

    /// <summary>Scales the transformed targets (levels, returns or log returns).</summary>
    public StandardScaler TargetScaler { get; }

    /// <summary>Each target's original values, for scoring on the price level.</summary>
    public double[][] TargetLevels { get; }

    /// <summary>Each target after the transform, unscaled.</summary>
    public double[][] TransformedTargets { get; }

    /// <summary>Where each target's own series sits among the inputs (DLinear reads these).</summary>
    public IReadOnlyList<int> TargetFeatureIndices { get; }

    public IReadOnlyList<string> FeatureNames { get; }

    public int FirstUsableRow { get; }

    public int[] TrainOrigins { get; }

    public int[] ValidationOrigins { get; }

    public int[] TestOrigins { get; }

    public int RowCount => TargetLevels[0].Length;

    /// <summary>What training minimises: squared error of the scaled values, or for a direction target its (weighted) cross-entropy.</summary>
    public TrainingLoss Loss { get; } = TrainingLoss.SquaredError;

    /// <summary>
    /// The direction of every target at every step after an origin, +1 up, −1 down, 0 flat (within the dead zone):
    /// [step * targets + target]. Only for a direction target.
    /// </summary>
    public sbyte[] DirectionLabels(int origin)
    {
        var deadZone = Config.Direction?.DeadZone ?? throw new InvalidOperationException("This run forecasts values, not directions.");
        var labels = new sbyte[Horizon * TargetCount];
        for (var k = 0; k < Horizon; k++)
        {
            for (var j = 0; j < TargetCount; j++)
            {
                labels[(k * TargetCount) + j] = DirectionTarget.Label(TargetLevels[j][origin], TargetLevels[j][origin + k + 1], deadZone);
            }
        }

        return labels;
    }

    /// <summary>Ups, downs and flats over every step and target of the given windows.</summary>
    public (int Up, int Down, int Flat) DirectionCounts(IEnumerable<int> origins)
    {
        ArgumentNullException.ThrowIfNull(origins);
        var (up, down, flat) = (0, 0, 0);
        foreach (var label in origins.SelectMany(DirectionLabels))
        {
            _ = label switch
            {
                > 0 => up++,
                < 0 => down++,
                _ => flat++,
            };
        }

        return (up, down, flat);
    }

    /// <summary>Rises and falls at each step and target of the given windows, [step * targets + target].</summary>
    public IReadOnlyList<(int Up, int Down)> DirectionCountsBySlot(IEnumerable<int> origins)
    {
        ArgumentNullException.ThrowIfNull(origins);
        var counts = new (int Up, int Down)[Horizon * TargetCount];
        foreach (var labels in origins.Select(DirectionLabels))
        {
            for (var i = 0; i < labels.Length; i++)
            {
                counts[i] = (counts[i].Up + (labels[i] > 0 ? 1 : 0), counts[i].Down + (labels[i] < 0 ? 1 : 0));
            }
        }

        return counts;
    }

    /// <summary>
    /// One epoch's training windows in a seeded random order. With oversampling, windows of the rarer step-one direction
    /// of the first target are drawn again (with replacement) until both directions are as many; flat ones are kept once.
    /// </summary>
    public int[] TrainingOrder(int epochSeed)
    {
        var random = new Random(epochSeed);
        var order = new List<int>(TrainOrigins);
        if (Config.Direction is { Oversample: true })
        {
            var ups = TrainOrigins.Where(o => DirectionLabels(o)[0] > 0).ToArray();
            var downs = TrainOrigins.Where(o => DirectionLabels(o)[0] < 0).ToArray();
            var (rare, extra) = ups.Length < downs.Length ? (ups, downs.Length - ups.Length) : (downs, ups.Length - downs.Length);
            for (var i = 0; rare.Length > 0 && i < extra; i++)
            {
                order.Add(rare[random.Next(rare.Length)]);
            }
        }

        var shuffled = order.ToArray();
        random.Shuffle(shuffled);
        return shuffled;
    }

    /// <param name="frame">The series.</param>
    /// <param name="config">What to forecast and from what.</param>
    /// <param name="split">The segments; scalers are fit on its training part.</param>
    /// <param name="seriesCode">
    /// Constant inputs appended to every row after the features, named by their key: one series' code (a one-hot
    /// column per series of a universe, which the first layer turns into a learned embedding of the series).
    /// </param>
    public static WindowedProblem Prepare(TimeSeriesFrame frame, ForecastConfig config, SeriesSplit split, IReadOnlyList<KeyValuePair<string, float>>? seriesCode = null)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(split);
        seriesCode ??= [];
        var specs = FeatureSpecsFor(config);
        var features = FeatureBuilder.Build(frame, specs);
        var levels = config.Targets.Select(t => frame.Find(t)!.Values).ToArray();
        var transformed = levels.Select(l => TargetTransforms.Apply(l, config.Transform)).ToArray();
        var firstUsable = Math.Max(features.FirstValidRow, config.Transform == TargetTransform.Level ? 0 : 1);

        var inputScaler = StandardScaler.Fit(features.Columns, Math.Max(split.Train.Start, firstUsable), split.Train.End);
        var targetScaler = StandardScaler.Fit(transformed, Math.Max(split.Train.Start, firstUsable), split.Train.End);
        var rows = frame.RowCount;
        var inputs = WithCode(Interleave(features.Columns, inputScaler, rows), specs.Count, seriesCode.Select(c => c.Value).ToArray());
        var targets = Interleave(transformed, targetScaler, rows);
        var targetIndices = config.Targets
            .Select(t => IndexOfOwnSeries(specs, t, config.Transform))
            .Where(i => i >= 0)
            .ToList();

        return new WindowedProblem(inputs, targets, specs.Count + seriesCode.Count, levels.Length, config, split, inputScaler, targetScaler,
            levels, transformed, targetIndices, [.. features.Names, .. seriesCode.Select(c => c.Key)], firstUsable);
    }

    /// <summary>The same windows, scalers and arrays, trained with another seed: a run's seeds are prepared once.</summary>
    public WindowedProblem WithSeed(int seed) => new(this, Config with { Training = Config.Training with { Seed = seed } });

    /// <summary>
    /// Inputs [B, Lookback, Features] and targets [B, Horizon, Targets] for the given origins: scaled transformed values,
    /// or for a direction target the labels (+1, −1, 0 for flat).
    /// </summary>
    public (Tensor Inputs, Tensor Targets) Batch(ReadOnlySpan<int> origins, Device device)
    {
        var x = new float[origins.Length * Lookback * FeatureCount];
        var y = new float[origins.Length * Horizon * TargetCount];
        var inputRow = Lookback * FeatureCount;
        var targetRow = Horizon * TargetCount;
        for (var b = 0; b < origins.Length; b++)
        {
            Fill(origins[b], x.AsSpan(b * inputRow, inputRow), y.AsSpan(b * targetRow, targetRow));
        }

        return (BatchTensors.From(x, [origins.Length, Lookback, FeatureCount], device), BatchTensors.From(y, [origins.Length, Horizon, TargetCount], device));
    }

    /// <summary>The window at one origin: its inputs [Lookback * Features] and its targets [Horizon * Targets].</summary>
    internal void Fill(int origin, Span<float> inputs, Span<float> targets)
    {
        _inputs.AsSpan((origin - Lookback + 1) * FeatureCount, Lookback * FeatureCount).CopyTo(inputs);
        if (Config.Direction is null)
        {
            _targets.AsSpan((origin + 1) * TargetCount, Horizon * TargetCount).CopyTo(targets);
            return;
        }

        var labels = DirectionLabels(origin);
        for (var i = 0; i < labels.Length; i++)
        {
            targets[i] = labels[i];
        }
    }

    /// <summary>The configured features (or each target's own series transformed like the target), then the joined inputs.</summary>
    public static IReadOnlyList<FeatureSpec> FeatureSpecsFor(ForecastConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return [.. config.Features.Count > 0 ? config.Features : DefaultFeatures(config), .. config.Inputs.Select(i => i.Feature)];
    }

    /// <summary>Standardised features as row-major floats, warm-up rows as 0.</summary>
    public static float[] ScaledInputs(TimeSeriesFrame frame, ForecastConfig config, StandardScaler scaler)
    {
        var features = FeatureBuilder.Build(frame, FeatureSpecsFor(config));
        return Interleave(features.Columns, scaler, frame.RowCount);
    }

    private static List<FeatureSpec> DefaultFeatures(ForecastConfig config) => config.Targets.Select(t => config.Transform switch
    {
        TargetTransform.Return => new FeatureSpec(FeatureKind.Return, t),
        TargetTransform.LogReturn => new FeatureSpec(FeatureKind.LogReturn, t),
        _ => new FeatureSpec(FeatureKind.Raw, t),
    }).ToList();

    private static int IndexOfOwnSeries(IReadOnlyList<FeatureSpec> specs, string target, TargetTransform transform)
    {
        var kind = transform switch
        {
            TargetTransform.Return => FeatureKind.Return,
            TargetTransform.LogReturn => FeatureKind.LogReturn,
            _ => FeatureKind.Raw,
        };
        for (var i = 0; i < specs.Count; i++)
        {
            if (specs[i].Kind == kind && string.Equals(specs[i].Column, target, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }

    // The rows with the same constant columns appended to each.
    private static float[] WithCode(float[] inputs, int columns, float[] code)
    {
        if (code.Length == 0)
        {
            return inputs;
        }

        var rows = inputs.Length / Math.Max(1, columns);
        var width = columns + code.Length;
        var result = new float[rows * width];
        for (var r = 0; r < rows; r++)
        {
            inputs.AsSpan(r * columns, columns).CopyTo(result.AsSpan(r * width));
            code.CopyTo(result.AsSpan((r * width) + columns));
        }

        return result;
    }

    // Row-major [rows, columns] floats; warm-up NaNs become 0 (no window ever reads them).
    private static float[] Interleave(double[][] columns, StandardScaler scaler, int rows)
    {
        var result = new float[rows * columns.Length];
        for (var c = 0; c < columns.Length; c++)
        {
            var column = columns[c];
            for (var r = 0; r < rows; r++)
            {
                var v = column[r];
                result[(r * columns.Length) + c] = double.IsNaN(v) ? 0f : (float)scaler.Transform(c, v);
            }
        }

        return result;
    }
}
