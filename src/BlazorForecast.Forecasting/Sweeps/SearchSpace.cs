using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using BlazorForecast.Forecasting.Data;
using BlazorForecast.Forecasting.Training;

namespace BlazorForecast.Forecasting.Sweeps;

/// <summary>
/// The settings a sweep varies, parsed from JSON such as
/// <c>{"model": ["Lstm", "DLinear"], "hiddenSize": {"int": [16, 256], "log": true}, "dropout": {"uniform": [0, 0.4]}}</c>:
/// a list is a choice, an object a range (<c>int</c>, <c>uniform</c> or <c>logUniform</c>, with an optional
/// <c>steps</c> count for grids). A trial's config is the base config with each dimension's value written in.
/// </summary>
public sealed class SearchSpace
{
    private static readonly string[] RangeKeys = ["int", "uniform", "logUniform"];

    private SearchSpace(IReadOnlyList<SearchDimension> dimensions) => Dimensions = dimensions;

    public IReadOnlyList<SearchDimension> Dimensions { get; }

    /// <summary>How many points a grid over this space has; null when a continuous range has no step count.</summary>
    public long? GridSize => Dimensions.Aggregate((long?)1, (size, d) => d.GridValues is { } values && size is long s
        ? (long)Math.Min((double)s * values.Count, long.MaxValue)
        : null);

    /// <summary>Reads a space; every problem in it is listed in one <see cref="SweepSpaceException"/>.</summary>
    public static SearchSpace Parse(string json)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json ?? "");
        }
        catch (JsonException ex)
        {
            throw new SweepSpaceException([$"The search space is not valid JSON ({ex.Message})"]);
        }

        if (root is not JsonObject settings || settings.Count == 0)
        {
            throw new SweepSpaceException(["The search space is empty: name at least one setting, e.g. {\"hiddenSize\": [32, 64]}."]);
        }

        var problems = new List<string>();
        var dimensions = new List<SearchDimension>();
        foreach (var (name, value) in settings)
        {
            if (SweepSetting.Find(name) is not { } setting)
            {
                problems.Add($"Unknown setting '{name}'. A sweep can vary: {string.Join(", ", SweepSetting.All.Select(s => s.Name))}.");
                continue;
            }

            var dimension = value switch
            {
                JsonArray choices => ReadChoices(setting, choices, problems),
                JsonObject range => ReadRange(setting, range, problems),
                _ => Refuse(problems, $"'{name}' must be a list of choices or a range object such as {{\"int\": [16, 128]}}."),
            };
            if (dimension is not null)
            {
                dimensions.Add(dimension);
            }
        }

        return problems.Count > 0 ? throw new SweepSpaceException(problems) : new SearchSpace(dimensions);
    }

    /// <summary>The base config with the point's values written in.</summary>
    /// <exception cref="ForecastConfigException">A value the config cannot hold (e.g. a word for a number).</exception>
    public ForecastConfig Apply(ForecastConfig baseConfig, IReadOnlyList<double> point)
    {
        ArgumentNullException.ThrowIfNull(baseConfig);
        ArgumentNullException.ThrowIfNull(point);
        if (point.Count != Dimensions.Count)
        {
            throw new ArgumentException($"The point has {point.Count} values for {Dimensions.Count} dimensions.", nameof(point));
        }

        var config = (JsonObject)JsonSerializer.SerializeToNode(baseConfig, ForecastJson.Options)!;
        for (var i = 0; i < Dimensions.Count; i++)
        {
            Dimensions[i].Setting.Write(config, Dimensions[i].ValueAt(point[i]));
        }

        try
        {
            return config.Deserialize<ForecastConfig>(ForecastJson.Options) ?? throw new ForecastConfigException(["The trial's config is empty."]);
        }
        catch (JsonException ex)
        {
            throw new ForecastConfigException([$"A value of the search space does not fit the config ({ex.Message})"]);
        }
    }

    /// <summary>The point in words, setting by setting, in the space's order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Describe(IReadOnlyList<double> point)
    {
        ArgumentNullException.ThrowIfNull(point);
        return Dimensions.Select((d, i) => KeyValuePair.Create(d.Setting.Name, d.Describe(point[i]))).ToList();
    }

    /// <summary>The grid's point at an index (0 to <see cref="GridSize"/> − 1); the last dimension varies fastest.</summary>
    public IReadOnlyList<double> GridPoint(long index)
    {
        var point = new double[Dimensions.Count];
        for (var i = Dimensions.Count - 1; i >= 0; i--)
        {
            var values = Dimensions[i].GridValues ?? throw new InvalidOperationException($"'{Dimensions[i].Setting.Name}' has no grid values.");
            point[i] = values[(int)(index % values.Count)];
            index /= values.Count;
        }

        return point;
    }

    /// <summary>
    /// What is wrong with the space for this base config and series: each choice and each end of each range is written
    /// into the base config alone and checked as a run's config would be (its own checks and the server's limits).
    /// Combinations are not checked; a trial whose combination does not fit is recorded as such when it comes up.
    /// </summary>
    public IReadOnlyList<string> Problems(ForecastConfig baseConfig, TimeSeriesFrame frame, RunLimits limits)
    {
        ArgumentNullException.ThrowIfNull(baseConfig);
        ArgumentNullException.ThrowIfNull(limits);
        var baseProblems = ConfigProblems(baseConfig, frame, limits);
        if (baseProblems.Count > 0)
        {
            return baseProblems.Select(p => $"Base config: {p}").ToList();
        }

        var problems = new List<string>();
        var middle = Dimensions.Select(d => d.Extremes.First()).ToArray();
        for (var i = 0; i < Dimensions.Count; i++)
        {
            foreach (var value in Dimensions[i].Extremes)
            {
                var point = (double[])middle.Clone();
                point[i] = value;
                var config = baseConfig;
                var label = $"{Dimensions[i].Setting.Name} = {Dimensions[i].Describe(value)}";
                try
                {
                    config = ApplyOne(baseConfig, i, value);
                }
                catch (ForecastConfigException ex)
                {
                    problems.Add($"{label}: {ex.Message}");
                    continue;
                }

                problems.AddRange(ConfigProblems(config, frame, limits).Select(p => $"{label}: {p}"));
            }
        }

        return problems.Distinct(StringComparer.Ordinal).ToList();
    }

    private ForecastConfig ApplyOne(ForecastConfig baseConfig, int dimension, double value)
    {
        var single = new SearchSpace([Dimensions[dimension]]);
        return single.Apply(baseConfig, [value]);
    }

    private static List<string> ConfigProblems(ForecastConfig config, TimeSeriesFrame frame, RunLimits limits) =>
        [.. config.Problems(frame), .. limits.Problems(config)];

    private static SearchDimension? ReadChoices(SweepSetting setting, JsonArray choices, List<string> problems)
    {
        if (choices.Count == 0)
        {
            return Refuse(problems, $"'{setting.Name}' has an empty list of choices.");
        }

        for (var i = 0; i < choices.Count; i++)
        {
            for (var j = 0; j < i; j++)
            {
                if (JsonNode.DeepEquals(choices[i], choices[j]))
                {
                    return Refuse(problems, $"'{setting.Name}' lists {choices[i]?.ToJsonString() ?? "null"} twice.");
                }
            }
        }

        if (setting.Kind != SweepValueKind.Choice && choices.Any(c => c is not JsonValue v || !v.TryGetValue<double>(out _)))
        {
            return Refuse(problems, $"'{setting.Name}' takes numbers; its list holds something else.");
        }

        return new ChoiceDimension(setting, choices.Select(c => c?.DeepClone()).ToList());
    }

    private static SearchDimension? ReadRange(SweepSetting setting, JsonObject range, List<string> problems)
    {
        var name = setting.Name;
        if (setting.Kind == SweepValueKind.Choice)
        {
            return Refuse(problems, $"'{name}' takes a list of choices ({setting.Meaning}), not a range.");
        }

        var kinds = RangeKeys.Where(range.ContainsKey).ToList();
        var unknown = range.Select(p => p.Key).Where(k => !RangeKeys.Contains(k) && k is not "log" and not "steps").ToList();
        if (kinds.Count != 1 || unknown.Count > 0)
        {
            return Refuse(problems, $"'{name}': a range is an object with one of \"int\", \"uniform\" or \"logUniform\" and optionally \"log\" and \"steps\""
                + (unknown.Count > 0 ? $"; unknown key {string.Join(", ", unknown.Select(k => $"'{k}'"))}." : "."));
        }

        var scale = kinds[0] switch { "int" => RangeScale.WholeNumbers, "uniform" => RangeScale.Uniform, _ => RangeScale.LogUniform };
        if (setting.Kind == SweepValueKind.WholeNumber && scale != RangeScale.WholeNumbers)
        {
            return Refuse(problems, $"'{name}' takes whole numbers: use {{\"int\": [low, high]}} (with \"log\": true to draw on a log scale).");
        }

        if (setting.Kind == SweepValueKind.RealNumber && scale == RangeScale.WholeNumbers)
        {
            return Refuse(problems, $"'{name}' takes real numbers: use {{\"uniform\": [low, high]}} or {{\"logUniform\": [low, high]}}.");
        }

        if (range[kinds[0]] is not JsonArray { Count: 2 } ends || !TryNumber(ends[0], out var low) || !TryNumber(ends[1], out var high))
        {
            return Refuse(problems, $"'{name}': \"{kinds[0]}\" takes two numbers, [low, high].");
        }

        var text = $"[{low.ToString(CultureInfo.InvariantCulture)}, {high.ToString(CultureInfo.InvariantCulture)}]";
        if (!(low < high))
        {
            return Refuse(problems, $"'{name}': {text} is not a range; its low end must be below its high end.");
        }

        var log = scale == RangeScale.LogUniform;
        if (range["log"] is { } logNode)
        {
            if (scale != RangeScale.WholeNumbers || logNode.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
            {
                return Refuse(problems, $"'{name}': \"log\" is true or false, and only for \"int\" ranges (\"logUniform\" is the log scale for real numbers).");
            }

            log = logNode.GetValue<bool>();
        }

        if (scale == RangeScale.WholeNumbers && (low != Math.Floor(low) || high != Math.Floor(high)))
        {
            return Refuse(problems, $"'{name}': the ends of an integer range are whole numbers, not {text}.");
        }

        if (log && low < (scale == RangeScale.WholeNumbers ? 1 : double.Epsilon))
        {
            return Refuse(problems, $"'{name}': a log scale needs a low end above zero{(scale == RangeScale.WholeNumbers ? " (at least 1)" : "")}, not {text}.");
        }

        int? steps = null;
        if (range["steps"] is { } stepsNode)
        {
            if (!TryNumber(stepsNode, out var count) || count != Math.Floor(count) || count < 2 || count > RangeDimension.MaxIntegerGridValues)
            {
                return Refuse(problems, $"'{name}': \"steps\" is how many grid values the range has, a whole number from 2 to {RangeDimension.MaxIntegerGridValues}.");
            }

            steps = (int)count;
        }

        return new RangeDimension(setting, scale, low, high, log, steps);
    }

    private static bool TryNumber(JsonNode? node, out double value)
    {
        value = 0;
        return node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue(out value) && double.IsFinite(value);
    }

    private static SearchDimension? Refuse(List<string> problems, string problem)
    {
        problems.Add(problem);
        return null;
    }
}
