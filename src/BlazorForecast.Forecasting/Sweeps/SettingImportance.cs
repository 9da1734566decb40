namespace BlazorForecast.Forecasting.Sweeps;

/// <summary>How much of the variation in trials' validation losses one setting accounts for on its own.</summary>
public sealed record SettingShare(string Setting, double Share);

/// <summary>
/// A simple importance measure for a sweep's settings: for each setting alone, the share of the variance of the trials'
/// losses that lies between its groups — a choice's values are its groups; a range is cut into up to four groups of
/// neighbouring values by rank — as ω² of a one-way analysis of variance (η² less the share chance alone would give
/// groups that small; negative values read as 0). Settings move together in a sweep and interact, so a share says
/// where the loss varied, not what a setting does.
/// </summary>
public static class SettingImportance
{
    /// <summary>Fewer trials than this say nothing about settings.</summary>
    public const int MinTrials = 6;

    private const int RangeGroups = 4;

    /// <summary>Every setting's share, largest first; empty with fewer than <see cref="MinTrials"/> trials or no variation.</summary>
    public static IReadOnlyList<SettingShare> Of(SearchSpace space, IReadOnlyList<(IReadOnlyList<double> Point, double Loss)> trials)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(trials);
        var usable = trials.Where(t => double.IsFinite(t.Loss) && t.Point.Count == space.Dimensions.Count).ToList();
        if (usable.Count < MinTrials)
        {
            return [];
        }

        var mean = usable.Average(t => t.Loss);
        var total = usable.Sum(t => (t.Loss - mean) * (t.Loss - mean));
        if (total <= 0)
        {
            return [];
        }

        return space.Dimensions.Select((dimension, d) =>
        {
            var groups = dimension is ChoiceDimension
                ? usable.GroupBy(t => t.Point[d]).Select(g => g.Select(t => t.Loss).ToList()).ToList()
                : usable.OrderBy(t => t.Point[d]).Select((t, rank) => (t.Loss, Group: rank * RangeGroups / usable.Count))
                    .GroupBy(t => t.Group).Select(g => g.Select(t => t.Loss).ToList()).ToList();
            var between = groups.Sum(g => g.Count * Math.Pow(g.Average() - mean, 2));
            var freedom = usable.Count - groups.Count;
            var withinMean = freedom > 0 ? (total - between) / freedom : 0;
            var share = (between - ((groups.Count - 1) * withinMean)) / (total + withinMean);
            return new SettingShare(dimension.Setting.Name, Math.Clamp(share, 0, 1));
        }).OrderByDescending(s => s.Share).ToList();
    }
}
