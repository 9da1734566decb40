using MathNet.Numerics.Distributions;

namespace BlazorForecast.Forecasting.Sweeps;

/// <summary>Settings of the TPE sampler; the defaults are those of Bergstra et al. (2011) as Optuna uses them.</summary>
public sealed record TpeOptions
{
    /// <summary>Random trials before the model takes over.</summary>
    public int StartupTrials { get; init; } = 10;

    /// <summary>Draws from the good trials' density, of which the one most likely good rather than bad is proposed.</summary>
    public int Candidates { get; init; } = 24;

    /// <summary>The share of completed trials counted as good (rounded up), at most <see cref="MaxGood"/>.</summary>
    public double GoodFraction { get; init; } = 0.1;

    public int MaxGood { get; init; } = 25;

    /// <summary>
    /// Every n-th trial after the start-up ones is a plain random draw (0: none). The density ratio exploits what
    /// it has seen; on a choice whose best option lost its first trials by luck it can stop trying that option for
    /// good, and interleaved random draws are the classic remedy (as SMAC interleaves random configurations).
    /// </summary>
    public int RandomEvery { get; init; } = 5;
}

/// <summary>
/// The tree-structured Parzen estimator (Bergstra, Bardenet, Bengio and Kégl, 2011), written for this product's
/// spaces. Completed trials are split by validation loss into good and bad; each dimension gets a Parzen density per
/// group (truncated Gaussians on the range's own scale with a broad prior, or smoothed counts for choices); candidates
/// drawn from the good density are scored by l(x) / g(x) and the best is proposed. Trials still running or stopped
/// early count as bad, so concurrent trials are pushed apart instead of proposed twice. Dimensions are modelled
/// independently, as in the original paper.
/// </summary>
public sealed class TpeSampler(SearchSpace space, int seed, TpeOptions? options = null) : SweepSampler(space, seed)
{
    private readonly TpeOptions _options = options ?? new TpeOptions();

    public override IReadOnlyList<double> Propose(int trialIndex, IReadOnlyList<TrialObservation> history)
    {
        ArgumentNullException.ThrowIfNull(history);
        var random = RandomFor(trialIndex);
        var complete = history.Where(t => t.State == TrialState.Complete && t.Objective is double o && double.IsFinite(o))
            .OrderBy(t => t.Objective).ToList();
        if (complete.Count < Math.Max(1, _options.StartupTrials) || (_options.RandomEvery > 0 && trialIndex % _options.RandomEvery == _options.RandomEvery - 1))
        {
            return RandomPoint(random);
        }

        var goodCount = Math.Clamp((int)Math.Ceiling(_options.GoodFraction * complete.Count), 1, _options.MaxGood);
        var good = complete.Take(goodCount).Select(t => t.Point).ToList();
        var bad = complete.Skip(goodCount).Select(t => t.Point)
            .Concat(history.Where(t => t.State is TrialState.Running or TrialState.Stopped).Select(t => t.Point)).ToList();

        var densities = Space.Dimensions.Select((d, i) => (Good: Density(d, good, i), Bad: Density(d, bad, i))).ToArray();
        double[]? best = null;
        var bestScore = double.NegativeInfinity;
        for (var c = 0; c < Math.Max(1, _options.Candidates); c++)
        {
            var candidate = new double[densities.Length];
            var score = 0.0;
            for (var d = 0; d < densities.Length; d++)
            {
                candidate[d] = densities[d].Good.Sample(random);
                score += Math.Log(densities[d].Good.At(candidate[d])) - Math.Log(densities[d].Bad.At(candidate[d]));
            }

            if (score > bestScore)
            {
                (best, bestScore) = (candidate, score);
            }
        }

        return best!;
    }

    private static IParzen Density(SearchDimension dimension, List<IReadOnlyList<double>> points, int index) => dimension switch
    {
        ChoiceDimension choice => new ChoiceParzen(choice.Choices.Count, points.Select(p => (int)p[index])),
        RangeDimension range => new RangeParzen(range, points.Select(p => range.ToUnit(p[index])).ToList()),
        _ => throw new NotSupportedException($"Unknown dimension {dimension.GetType().Name}."),
    };

    private interface IParzen
    {
        double Sample(Random random);

        double At(double coordinate);
    }

    /// <summary>Counts of each choice plus one prior observation spread evenly over all choices.</summary>
    private sealed class ChoiceParzen : IParzen
    {
        private readonly double[] _probabilities;

        public ChoiceParzen(int choices, IEnumerable<int> observed)
        {
            _probabilities = Enumerable.Repeat(1.0 / choices, choices).ToArray();
            var total = 1.0;
            foreach (var choice in observed)
            {
                _probabilities[choice] += 1;
                total += 1;
            }

            for (var i = 0; i < choices; i++)
            {
                _probabilities[i] /= total;
            }
        }

        public double Sample(Random random)
        {
            var u = random.NextDouble();
            for (var i = 0; i < _probabilities.Length; i++)
            {
                u -= _probabilities[i];
                if (u < 0)
                {
                    return i;
                }
            }

            return _probabilities.Length - 1;
        }

        public double At(double coordinate) => _probabilities[(int)coordinate];
    }

    /// <summary>
    /// Gaussians on the unit interval (the range's scale), one per observation and one broad prior, truncated to the
    /// interval. Each observation's width is its larger gap to a neighbour, kept between 1 / min(100, n + 1) and 1.
    /// </summary>
    private sealed class RangeParzen : IParzen
    {
        private readonly RangeDimension _range;
        private readonly double[] _means;
        private readonly double[] _widths;
        private readonly double[] _mass;

        public RangeParzen(RangeDimension range, List<double> observed)
        {
            _range = range;
            var sorted = observed.Order().ToArray();
            var minWidth = 1.0 / Math.Min(100.0, 1.0 + sorted.Length);
            _means = [.. sorted, 0.5];
            _widths = new double[_means.Length];
            for (var i = 0; i < sorted.Length; i++)
            {
                var left = sorted[i] - (i == 0 ? 0 : sorted[i - 1]);
                var right = (i == sorted.Length - 1 ? 1 : sorted[i + 1]) - sorted[i];
                _widths[i] = Math.Clamp(Math.Max(left, right), minWidth, 1);
            }

            _widths[^1] = 1;
            _mass = _means.Select((m, i) => Normal.CDF(m, _widths[i], 1) - Normal.CDF(m, _widths[i], 0)).ToArray();
        }

        public double Sample(Random random)
        {
            var component = random.Next(_means.Length);
            for (var attempt = 0; attempt < 100; attempt++)
            {
                var u = _means[component] + (_widths[component] * StandardNormal(random));
                if (u is >= 0 and <= 1)
                {
                    return _range.FromUnit(u);
                }
            }

            return _range.FromUnit(Math.Clamp(_means[component], 0, 1));
        }

        public double At(double coordinate)
        {
            var u = _range.ToUnit(coordinate);
            var sum = 0.0;
            for (var i = 0; i < _means.Length; i++)
            {
                sum += Normal.PDF(_means[i], _widths[i], u) / _mass[i];
            }

            return sum / _means.Length;
        }

        private static double StandardNormal(Random random) =>
            Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
    }
}
