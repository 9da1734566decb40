namespace BlazorForecast.Forecasting.Sweeps;

/// <summary>
/// Grid search over every combination of the dimensions' grid values, visited in an order shuffled by the seed: a
/// budget smaller than the grid then tries an even sample of it rather than the first corner.
/// </summary>
public sealed class GridSampler : SweepSampler
{
    /// <summary>The largest grid a sweep may ask for.</summary>
    public const int MaxPoints = 100_000;

    private readonly int[] _order;

    public GridSampler(SearchSpace space, int seed)
        : base(space, seed)
    {
        var size = space.GridSize ?? throw new SweepSpaceException([$"Grid search needs a finite grid: give each real-number range, and each whole-number range of more than {RangeDimension.MaxIntegerGridValues:N0} values, a \"steps\" count, or list its values."]);
        if (size > MaxPoints)
        {
            throw new SweepSpaceException([$"The grid has {size:N0} points; at most {MaxPoints:N0} are allowed. Use random or TPE search for a space this large."]);
        }

        _order = Enumerable.Range(0, (int)size).ToArray();
        new Random(seed).Shuffle(_order);
    }

    public override IReadOnlyList<double>? Propose(int trialIndex, IReadOnlyList<TrialObservation> history) =>
        trialIndex < _order.Length ? Space.GridPoint(_order[trialIndex]) : null;
}
