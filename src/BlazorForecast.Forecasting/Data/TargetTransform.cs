namespace BlazorForecast.Forecasting.Data;

/// <summary>What the model predicts for a target column: its level, or its (log) return from the previous row.</summary>
public enum TargetTransform
{
    Level,
    Return,
    LogReturn,
}

public static class TargetTransforms
{
    /// <summary>The transformed series, aligned with the input rows; returns are NaN on the first row.</summary>
    public static double[] Apply(double[] levels, TargetTransform transform)
    {
        ArgumentNullException.ThrowIfNull(levels);
        return transform switch
        {
            TargetTransform.Level => (double[])levels.Clone(),
            TargetTransform.Return => FeatureBuilder.Returns(levels, log: false),
            TargetTransform.LogReturn => FeatureBuilder.Returns(levels, log: true),
            _ => throw new ArgumentOutOfRangeException(nameof(transform), transform, "Unknown transform."),
        };
    }

    /// <summary>
    /// Levels of a predicted path of H steps that starts after <paramref name="lastLevel"/>: returns are compounded
    /// from the last known level, so errors are comparable with a model that predicts levels.
    /// </summary>
    public static double[] ToLevels(double lastLevel, ReadOnlySpan<double> path, TargetTransform transform)
    {
        var levels = new double[path.Length];
        var level = lastLevel;
        for (var k = 0; k < path.Length; k++)
        {
            level = transform switch
            {
                TargetTransform.Level => path[k],
                TargetTransform.Return => level * (1 + path[k]),
                TargetTransform.LogReturn => level * Math.Exp(path[k]),
                _ => throw new ArgumentOutOfRangeException(nameof(transform), transform, "Unknown transform."),
            };
            levels[k] = level;
        }

        return levels;
    }
}
