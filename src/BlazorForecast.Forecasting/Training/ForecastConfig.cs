using BlazorForecast.Forecasting.Data;
using BlazorForecast.Forecasting.Evaluation;
using BlazorForecast.Forecasting.Models;

namespace BlazorForecast.Forecasting.Training;

/// <summary>Everything that defines a forecast run: what to predict, from what, how far, on which split, with which model.</summary>
public sealed record ForecastConfig
{
    /// <summary>The column(s) to forecast.</summary>
    public IReadOnlyList<string> Targets { get; init; } = ["Close"];

    /// <summary>Model inputs; empty means the targets' own values (transformed like the targets).</summary>
    public IReadOnlyList<FeatureSpec> Features { get; init; } = [];

    /// <summary>
    /// Columns of other series aligned to the target's dates as of each date (<see cref="AsOfJoin"/>), each read as one
    /// more model input beside the features. The series a run trains on is the joined one.
    /// </summary>
    public IReadOnlyList<JoinedInput> Inputs { get; init; } = [];

    public TargetTransform Transform { get; init; } = TargetTransform.Level;

    /// <summary>
    /// Forecast each target's direction (up / down after each step) as a class instead of its value; null forecasts
    /// values. The transform then only says how the targets' own history is read as inputs.
    /// </summary>
    public DirectionTarget? Direction { get; init; }

    /// <summary>
    /// Train one model across the targets, each its own series (see <see cref="UniverseConfig"/>), instead of one model
    /// forecasting them together; null for the latter.
    /// </summary>
    public UniverseOptions? AcrossTargets { get; init; }

    public int Lookback { get; init; } = 32;

    public int Horizon { get; init; } = 1;

    public double TrainFraction { get; init; } = 0.7;

    public double TestFraction { get; init; } = 0.2;

    /// <summary>0 for one chronological split; 2 or more for walk-forward validation with that many folds.</summary>
    public int WalkForwardFolds { get; init; }

    public WalkForwardMode WalkForwardMode { get; init; } = WalkForwardMode.Expanding;

    public ModelOptions Model { get; init; } = new();

    public TrainingOptions Training { get; init; } = new();

    /// <summary>How the 80% and 95% intervals are built; both methods' coverage is measured either way.</summary>
    public IntervalMethod Intervals { get; init; } = IntervalMethod.Adaptive;

    /// <summary>
    /// What JSON left out with an explicit null (a list or section every config has), in words; null when nothing is
    /// missing. Checked before anything else reads the config.
    /// </summary>
    public string? MissingParts()
    {
        var missing = new[] { (Targets is null, "targets"), (Features is null, "features"), (Inputs is null, "inputs"), (Model is null, "model"), (Training is null, "training") }
            .Where(p => p.Item1).Select(p => p.Item2).ToList();
        return missing.Count == 0 ? null : $"The config has no {string.Join(", ", missing)}; leave a part out for its defaults rather than set it to null.";
    }

    /// <summary>Every problem with this config on this series, in words for the user; empty when it can run.</summary>
    public IReadOnlyList<string> Problems(TimeSeriesFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        if (MissingParts() is { } missing)
        {
            return [missing];
        }

        var problems = new List<string>();
        if (Targets.Count == 0)
        {
            problems.Add("Choose at least one target column.");
        }

        foreach (var target in Targets.Where(t => frame.Find(t) is null))
        {
            problems.Add($"Unknown target column '{target}'. Columns: {string.Join(", ", frame.Columns.Select(c => c.Name))}.");
        }

        foreach (var feature in Features.Where(f => f.Kind != FeatureKind.DayOfWeek && frame.Find(f.Column ?? "") is null))
        {
            problems.Add($"Feature '{feature.Name}' reads unknown column '{feature.Column}'.");
        }

        foreach (var input in Inputs)
        {
            problems.AddRange(input.Problems());
            if (!string.IsNullOrWhiteSpace(input.Name) && frame.Find(input.Name) is null)
            {
                problems.Add($"Input '{input.Name}' is not joined to the series.");
            }
        }

        if (Transform != TargetTransform.Level)
        {
            foreach (var target in Targets.Select(frame.Find).Where(c => c is not null && Array.Exists(c.Values, v => v <= 0)))
            {
                problems.Add($"Returns of '{target!.Name}' need positive values; use the level transform for this column.");
            }
        }

        if (Lookback < 1)
        {
            problems.Add("The lookback must be at least 1 row.");
        }

        if (Horizon < 1)
        {
            problems.Add("The horizon must be at least 1 step.");
        }

        AddIfNotNull(problems, Model.Problem());
        AddIfNotNull(problems, Training.Problem());
        if (!Enum.IsDefined(Intervals))
        {
            problems.Add($"Unknown interval method '{Intervals}'; use Adaptive or SplitConformal.");
        }

        if (Direction is not null)
        {
            AddIfNotNull(problems, Direction.Problem());
            if (Model.AnchorToLastValue)
            {
                problems.Add("Anchoring to the last value forecasts values; a direction model outputs the probability of a rise, so turn anchoring off.");
            }
        }

        if (AcrossTargets is not null)
        {
            return [.. problems, .. UniverseConfig.From(this).Problems(frame)];
        }

        if (Model.Kind == ModelKind.DLinear && Features.Count > 0
            && Targets.Any(t => !Features.Any(f => f.Kind == FeatureKind.Raw && string.Equals(f.Column, t, StringComparison.OrdinalIgnoreCase))))
        {
            problems.Add("DLinear reads each target's own history: include every target as a raw feature.");
        }

        if (problems.Count == 0)
        {
            AddSplitProblems(frame, problems);
        }

        return problems;
    }

    /// <summary>
    /// The splits a run of this config trains and tests on over a series of <paramref name="rows"/> rows: walk-forward
    /// folds from two on, else one chronological split. Throws <see cref="ArgumentException"/> when they cannot be cut.
    /// </summary>
    public IReadOnlyList<SeriesSplit> Splits(int rows) => WalkForwardFolds >= 2
        ? SeriesSplitter.WalkForward(rows, WalkForwardFolds, WalkForwardMode, TestFraction, 1 - TrainFraction - TestFraction)
        : [SeriesSplitter.Chronological(rows, TrainFraction, TestFraction)];

    private void AddSplitProblems(TimeSeriesFrame frame, List<string> problems)
    {
        IReadOnlyList<SeriesSplit> splits;
        try
        {
            splits = Splits(frame.RowCount);
        }
        catch (ArgumentException ex)
        {
            problems.Add(ex.Message);
            return;
        }

        var warmUp = Features.Concat(Inputs.Select(i => i.Feature)).Select(f => f.WarmUp).DefaultIfEmpty(0).Max();
        warmUp = Math.Max(warmUp, Transform == TargetTransform.Level ? 0 : 1);
        foreach (var split in splits)
        {
            var fold = splits.Count > 1 ? $"Fold {split.Fold + 1}: " : "";
            if (ForecastWindows.Origins(split.Train, Lookback, Horizon, warmUp).Length == 0)
            {
                problems.Add($"{fold}the lookback ({Lookback}) plus horizon ({Horizon}) is longer than the training segment ({split.Train.Length} rows{(warmUp > 0 ? $", {warmUp} used by feature warm-up" : "")}).");
            }
            else if (ForecastWindows.Origins(split.Validation, Lookback, Horizon, warmUp).Length == 0)
            {
                problems.Add($"{fold}the horizon ({Horizon}) is longer than the validation segment ({split.Validation.Length} rows).");
            }
            else if (ForecastWindows.Origins(split.Test, Lookback, Horizon, warmUp).Length == 0)
            {
                problems.Add($"{fold}the horizon ({Horizon}) is longer than the test segment ({split.Test.Length} rows).");
            }
            else if (Direction is not null && OneDirectionOnly(frame, ForecastWindows.Origins(split.Train, Lookback, Horizon, warmUp)) is { } missing)
            {
                problems.Add($"{fold}the training part has no {missing} moves beyond the dead zone ({Direction.DeadZone:P2}), so there is nothing to tell apart.");
            }
        }
    }

    // "up" or "down" when the training windows' first step never moves that way for some target; null when both occur.
    private string? OneDirectionOnly(TimeSeriesFrame frame, int[] origins)
    {
        foreach (var levels in Targets.Select(t => frame.Find(t)!.Values))
        {
            var labels = origins.Select(o => DirectionTarget.Label(levels[o], levels[o + 1], Direction!.DeadZone)).ToList();
            if (!labels.Contains((sbyte)1))
            {
                return "up";
            }

            if (!labels.Contains((sbyte)-1))
            {
                return "down";
            }
        }

        return null;
    }

    private static void AddIfNotNull(List<string> problems, string? problem)
    {
        if (problem is not null)
        {
            problems.Add(problem);
        }
    }
}
