using static TorchSharp.torch;

namespace BlazorForecast.Forecasting.Training;

/// <summary>
/// Many series' windows as one training set: each member is one series prepared on its own (scalers fit on its own
/// training part, its code appended to its inputs), and a window id says which member and origin it is
/// (member × <see cref="Stride"/> + origin). The model trained on it sees windows of every series in each epoch.
/// </summary>
public sealed class UniverseProblem : ITrainingProblem
{
    private UniverseProblem(IReadOnlyList<WindowedProblem> members, ForecastConfig config)
    {
        Members = members;
        Config = config;
        Stride = members.Max(m => m.RowCount);
        TrainOrigins = Ids(m => m.TrainOrigins);
        ValidationOrigins = Ids(m => m.ValidationOrigins);
    }

    public IReadOnlyList<WindowedProblem> Members { get; }

    public ForecastConfig Config { get; }

    /// <summary>Window ids of member m are m × Stride + origin.</summary>
    public int Stride { get; }

    public int Lookback => Config.Lookback;

    public int Horizon => Config.Horizon;

    public int FeatureCount => Members[0].FeatureCount;

    public int TargetCount => Members[0].TargetCount;

    public IReadOnlyList<int> TargetFeatureIndices => Members[0].TargetFeatureIndices;

    public int[] TrainOrigins { get; }

    public int[] ValidationOrigins { get; }

    public TrainingLoss Loss => TrainingLoss.SquaredError;

    /// <summary>The members as one problem; they must share the shape of their windows.</summary>
    public static UniverseProblem Of(IReadOnlyList<WindowedProblem> members)
    {
        ArgumentNullException.ThrowIfNull(members);
        if (members.Count == 0 || members.Any(m => m.FeatureCount != members[0].FeatureCount || m.TargetCount != members[0].TargetCount
            || m.Lookback != members[0].Lookback || m.Horizon != members[0].Horizon))
        {
            throw new ArgumentException("A universe needs at least one series, all with windows of the same shape.", nameof(members));
        }

        return new UniverseProblem(members, members[0].Config);
    }

    /// <summary>The same members trained with another seed.</summary>
    public UniverseProblem WithSeed(int seed) => new(Members.Select(m => m.WithSeed(seed)).ToList(), Config with { Training = Config.Training with { Seed = seed } });

    public (int Member, int Origin) Decode(int id) => (id / Stride, id % Stride);

    public int[] TrainingOrder(int epochSeed)
    {
        var order = (int[])TrainOrigins.Clone();
        new Random(epochSeed).Shuffle(order);
        return order;
    }

    public (Tensor Inputs, Tensor Targets) Batch(ReadOnlySpan<int> origins, Device device)
    {
        var inputRow = Lookback * FeatureCount;
        var targetRow = Horizon * TargetCount;
        var x = new float[origins.Length * inputRow];
        var y = new float[origins.Length * targetRow];
        for (var b = 0; b < origins.Length; b++)
        {
            var (member, origin) = Decode(origins[b]);
            Members[member].Fill(origin, x.AsSpan(b * inputRow, inputRow), y.AsSpan(b * targetRow, targetRow));
        }

        return (BatchTensors.From(x, [origins.Length, Lookback, FeatureCount], device), BatchTensors.From(y, [origins.Length, Horizon, TargetCount], device));
    }

    private int[] Ids(Func<WindowedProblem, int[]> origins) =>
        Members.SelectMany((m, i) => origins(m).Select(o => (i * Stride) + o)).ToArray();
}
