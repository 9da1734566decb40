namespace BlazorForecast.Forecasting.Sweeps;

/// <summary>
/// The median stopping rule (Golovin et al., 2017): from <c>minEpochs</c> on, a trial stops when its best loss so far
/// is worse than the median of the best losses other trials had at the same epoch, once at least
/// <see cref="MinOtherTrials"/> of them got that far.
/// </summary>
public sealed class MedianPruner(int minEpochs) : TrialPruner
{
    public const int MinOtherTrials = 4;

    private readonly Dictionary<(int Part, int Epoch), List<(int Trial, double Loss)>> _recorded = [];

    public override bool ShouldStop(int trial, int part, int epoch, double bestLossSoFar)
    {
        var values = _recorded.TryGetValue((part, epoch), out var list) ? list : _recorded[(part, epoch)] = [];
        var others = values.Where(v => v.Trial != trial).Select(v => v.Loss).Order().ToArray();
        values.Add((trial, double.IsFinite(bestLossSoFar) ? bestLossSoFar : double.PositiveInfinity));
        if (epoch < minEpochs || others.Length < MinOtherTrials)
        {
            return false;
        }

        var median = others.Length % 2 == 1 ? others[others.Length / 2] : (others[(others.Length / 2) - 1] + others[others.Length / 2]) / 2;
        return !(bestLossSoFar <= median);
    }
}
