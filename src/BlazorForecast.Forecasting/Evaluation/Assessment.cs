using BlazorForecast.Forecasting.Models;

namespace BlazorForecast.Forecasting.Evaluation;

/// <summary>
/// What a fold, or a whole run pooled over its folds, says once chance is accounted for: the model against every
/// baseline (Diebold–Mariano), its direction calls against the market's drift, both interval methods' coverage on
/// test, and with several seeds how each seed did.
/// </summary>
public sealed record Assessment(
    IReadOnlyList<MethodComparison> Comparisons,
    DirectionAssessment Direction,
    IntervalMethod IntervalMethod,
    IReadOnlyList<IntervalAssessment> Intervals,
    SeedAssessment? Seeds,
    int Folds)
{
    public MethodComparison VersusNaive => Comparisons.First(c => c.Baseline == nameof(BaselineKind.Naive));

    /// <summary>The assessment of the run's own interval method at a nominal level, if it was measured.</summary>
    public IntervalAssessment? IntervalsAt(double level, IntervalMethod? method = null) =>
        Intervals.FirstOrDefault(i => i.Method == (method ?? IntervalMethod) && Math.Abs(i.Level - level) < 1e-9);

    /// <summary>
    /// Pools folds in time order: losses and direction calls are joined into one series before testing (the test
    /// blocks of walk-forward folds follow each other), interval scores are weighted by their points.
    /// </summary>
    public static Assessment Of(IReadOnlyList<FoldEvidence> folds, IntervalMethod method, int configuredSeeds)
    {
        ArgumentNullException.ThrowIfNull(folds);
        if (folds.Count == 0)
        {
            throw new ArgumentException("There is nothing to assess without a fold.", nameof(folds));
        }

        var methods = folds[0].Test.Losses.Count;
        var pooled = Enumerable.Range(0, methods).Select(m => ForecastLosses.Concat(folds.Select(f => f.Test.Losses[m]).ToList())).ToList();
        var comparisons = pooled.Skip(1).Select(baseline => MethodComparison.Of(pooled[0], baseline)).ToList();
        var direction = DirectionAssessment.Of(folds.SelectMany(f => f.Calls).ToList());
        var intervals = folds.SelectMany(f => f.Intervals)
            .GroupBy(i => (i.Method, i.Level))
            .Select(g => IntervalAssessment.Pool(g.ToList()))
            .ToList();
        return new Assessment(comparisons, direction, method, intervals, configuredSeeds > 1 ? SeedsOf(folds, pooled, configuredSeeds) : null, folds.Count);
    }

    private static SeedAssessment SeedsOf(IReadOnlyList<FoldEvidence> folds, IReadOnlyList<ForecastLosses> pooled, int configured)
    {
        var naive = pooled.First(l => l.Method == nameof(BaselineKind.Naive));
        var seeds = Enumerable.Range(0, folds.Min(f => f.Seeds.Count)).Select(s =>
        {
            var parts = folds.Select(f => f.Seeds[s]).ToList();
            var counts = parts.Select(p => (double)p.Scores.Original.Overall.Count).ToList();
            double Weighted(Func<ErrorMetrics, double> value) => parts.Select((p, i) => value(p.Scores.Original.Overall) * counts[i]).Sum() / counts.Sum();
            var losses = ForecastLosses.Concat(parts.Select(p => p.Losses).ToList());
            return new SeedOutcome(parts[0].Seed, Math.Sqrt(Weighted(m => m.Mse)), Weighted(m => m.Mae), Weighted(m => m.DirectionalAccuracy),
                MethodComparison.Of(losses, naive));
        }).ToList();
        return new SeedAssessment(seeds, configured);
    }
}

/// <summary>One seed's test scores and losses in one fold.</summary>
public sealed record SeedEvidence(int Seed, MethodScores Scores, ForecastLosses Losses);

/// <summary>What one fold contributes to its run's assessment; held in memory while the run is assessed, not stored.</summary>
public sealed record FoldEvidence(ScoredSegment Test, IReadOnlyList<SeedEvidence> Seeds, IReadOnlyList<DirectionCall> Calls, IReadOnlyList<IntervalAssessment> Intervals);
