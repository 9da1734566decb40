namespace BlazorForecast.Forecasting.Sweeps;

/// <summary>How candidate models (a sweep's best trials) are weighed into one forecast from their validation predictions.</summary>
public enum SweepEnsemble
{
    /// <summary>The single best candidate by validation loss.</summary>
    None,

    /// <summary>The k best trials, averaged with equal weights.</summary>
    TopK,

    /// <summary>Greedy forward selection with replacement on the validation predictions (Caruana et al., 2004).</summary>
    Greedy,
}

/// <summary>Weights over candidate models and the validation MSE of their weighted mean forecast.</summary>
public sealed record EnsembleChoice(IReadOnlyList<double> Weights, double ValidationMse);

/// <summary>
/// Picks ensemble weights from validation predictions only. Every candidate's predictions cover the same validation
/// values in the same order (standardised units, so several targets weigh alike); entries whose actual is missing are
/// skipped.
/// </summary>
public static class EnsembleSelection
{
    /// <summary>Equal weights on the <paramref name="k"/> candidates with the lowest validation MSE (ties: the earlier).</summary>
    public static EnsembleChoice TopK(IReadOnlyList<double[]> predictions, double[] actuals, int k)
    {
        Check(predictions, actuals);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        var chosen = Enumerable.Range(0, predictions.Count).OrderBy(i => Mse(predictions[i], actuals, 1)).ThenBy(i => i).Take(k).ToHashSet();
        var weights = Enumerable.Range(0, predictions.Count).Select(i => chosen.Contains(i) ? 1.0 / chosen.Count : 0).ToArray();
        return new EnsembleChoice(weights, Mse(Blend(predictions, weights), actuals, 1));
    }

    /// <summary>
    /// Caruana's ensemble selection: start empty, and in each of <paramref name="rounds"/> rounds add (with replacement)
    /// the candidate whose addition gives the lowest validation MSE of the running mean; the weights are the counts of
    /// the best round's ensemble. Ties go to the earlier candidate.
    /// </summary>
    public static EnsembleChoice Greedy(IReadOnlyList<double[]> predictions, double[] actuals, int rounds = 25)
    {
        Check(predictions, actuals);
        ArgumentOutOfRangeException.ThrowIfLessThan(rounds, 1);
        var sum = new double[actuals.Length];
        var counts = new int[predictions.Count];
        var best = (Counts: Array.Empty<int>(), Mse: double.PositiveInfinity);
        for (var round = 1; round <= rounds; round++)
        {
            var pick = -1;
            var pickMse = double.PositiveInfinity;
            for (var c = 0; c < predictions.Count; c++)
            {
                var mse = MseOfSum(sum, predictions[c], actuals, round);
                if (mse < pickMse)
                {
                    (pick, pickMse) = (c, mse);
                }
            }

            if (pick < 0)
            {
                break;
            }

            counts[pick]++;
            for (var i = 0; i < sum.Length; i++)
            {
                sum[i] += predictions[pick][i];
            }

            if (pickMse < best.Mse)
            {
                best = ((int[])counts.Clone(), pickMse);
            }
        }

        var total = best.Counts.Sum();
        return new EnsembleChoice(best.Counts.Select(c => (double)c / total).ToArray(), best.Mse);
    }

    /// <summary>The weighted mean of the candidates' predictions.</summary>
    public static double[] Blend(IReadOnlyList<double[]> predictions, IReadOnlyList<double> weights)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        ArgumentNullException.ThrowIfNull(weights);
        var blended = new double[predictions[0].Length];
        for (var c = 0; c < predictions.Count; c++)
        {
            if (weights[c] == 0)
            {
                continue;
            }

            for (var i = 0; i < blended.Length; i++)
            {
                blended[i] += weights[c] * predictions[c][i];
            }
        }

        return blended;
    }

    private static double Mse(double[] prediction, double[] actuals, int divisor) => MseOfSum(new double[actuals.Length], prediction, actuals, divisor);

    private static double MseOfSum(double[] sum, double[] added, double[] actuals, int members)
    {
        var total = 0.0;
        var count = 0;
        for (var i = 0; i < actuals.Length; i++)
        {
            if (double.IsNaN(actuals[i]))
            {
                continue;
            }

            var error = ((sum[i] + added[i]) / members) - actuals[i];
            total += error * error;
            count++;
        }

        return count == 0 ? double.NaN : total / count;
    }

    private static void Check(IReadOnlyList<double[]> predictions, double[] actuals)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        ArgumentNullException.ThrowIfNull(actuals);
        if (predictions.Count == 0)
        {
            throw new ArgumentException("An ensemble needs at least one candidate.", nameof(predictions));
        }

        if (predictions.Any(p => p.Length != actuals.Length))
        {
            throw new ArgumentException("Every candidate must predict each validation value once.", nameof(predictions));
        }
    }
}
