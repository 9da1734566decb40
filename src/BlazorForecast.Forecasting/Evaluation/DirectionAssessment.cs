using MathNet.Numerics.Distributions;

namespace BlazorForecast.Forecasting.Evaluation;

/// <summary>One one-step forecast's direction: did it call a rise, and did the value rise.</summary>
public readonly record struct DirectionCall(bool PredictedUp, bool ActualUp);

/// <summary>
/// How well a model calls the direction of the next move, and whether that is more than the market's drift. Counts
/// one-step forecasts whose actual move was not zero. Two tests: Pesaran–Timmermann (are the calls and the moves
/// independent? one-sided, standard normal), and an exact binomial test of the hits against always calling the
/// majority direction (the better of always-up and always-down on these very moves). A model that calls one
/// direction (almost) every time has the direction of always-long or always-short, whatever its accuracy says.
/// </summary>
public sealed record DirectionAssessment(int Count, int Hits, int UpMoves, int UpCalls, double PesaranTimmermann, double PesaranTimmermannP, double BinomialP)
{
    /// <summary>Share of calls in one direction from which a model is said to call (almost) always the same way.</summary>
    public const double OneWayShare = 0.95;

    public double Accuracy => Count == 0 ? double.NaN : (double)Hits / Count;

    public double UpRate => Count == 0 ? double.NaN : (double)UpMoves / Count;

    public double UpCallRate => Count == 0 ? double.NaN : (double)UpCalls / Count;

    public double MajorityRate => Math.Max(UpRate, 1 - UpRate);

    public bool OneWay => Count > 0 && (UpCallRate >= OneWayShare || UpCallRate <= 1 - OneWayShare);

    /// <summary>
    /// The calls against the moves as a confusion matrix, worked out from the counts kept (hits are the rises called
    /// rises and the falls called falls): rises called rises, falls called rises, falls called falls, rises called falls.
    /// </summary>
    public (int UpCalledUp, int DownCalledUp, int DownCalledDown, int UpCalledDown) Confusion
    {
        get
        {
            var upCalledUp = (Hits - Count + UpMoves + UpCalls) / 2;
            return (upCalledUp, UpCalls - upCalledUp, Hits - upCalledUp, UpMoves - upCalledUp);
        }
    }

    /// <summary>The mean of the shares of rises and of falls called right: 50% for any rule that always calls one way.</summary>
    public double BalancedAccuracy
    {
        get
        {
            var (upUp, _, downDown, _) = Confusion;
            var downMoves = Count - UpMoves;
            return UpMoves == 0 || downMoves == 0 ? double.NaN : ((double)upUp / UpMoves + (double)downDown / downMoves) / 2;
        }
    }

    /// <summary>Matthews' correlation of calls and moves, −1 to 1 (0: no better than chance); undefined when either goes one way only.</summary>
    public double Mcc
    {
        get
        {
            var (tp, fp, tn, fn) = Confusion;
            var denominator = Math.Sqrt((double)(tp + fp) * (tp + fn) * (tn + fp) * (tn + fn));
            return denominator == 0 ? double.NaN : (((double)tp * tn) - ((double)fp * fn)) / denominator;
        }
    }

    /// <summary>F1 of the rise calls and of the fall calls: the harmonic mean of each class's precision and recall.</summary>
    public (double Up, double Down) F1
    {
        get
        {
            var (tp, fp, tn, fn) = Confusion;
            return (Harmonic(tp, fp, fn), Harmonic(tn, fn, fp));

            static double Harmonic(int right, int wronglyCalled, int missed) =>
                right == 0 ? (wronglyCalled + missed == 0 ? double.NaN : 0) : 2.0 * right / ((2.0 * right) + wronglyCalled + missed);
        }
    }

    public static DirectionAssessment Of(IReadOnlyList<DirectionCall> calls)
    {
        ArgumentNullException.ThrowIfNull(calls);
        var n = calls.Count;
        var hits = calls.Count(c => c.PredictedUp == c.ActualUp);
        var ups = calls.Count(c => c.ActualUp);
        var upCalls = calls.Count(c => c.PredictedUp);
        if (n == 0)
        {
            return new DirectionAssessment(0, 0, 0, 0, double.NaN, double.NaN, double.NaN);
        }

        var (statistic, p) = PesaranTimmermannTest(n, (double)hits / n, (double)ups / n, (double)upCalls / n);
        var majority = Math.Max(ups, n - ups) / (double)n;
        var binomial = hits == 0 ? 1 : 1 - Binomial.CDF(majority, n, hits - 1);
        return new DirectionAssessment(n, hits, ups, upCalls, statistic, p, Math.Clamp(binomial, 0, 1));
    }

    // Pesaran & Timmermann (1992): the hit rate against the rate expected if calls and moves were independent.
    // Undefined (NaN) when the calls or the moves all go one way: there is nothing to be independent of.
    private static (double Statistic, double P) PesaranTimmermannTest(int n, double hitRate, double upRate, double upCallRate)
    {
        var expected = (upRate * upCallRate) + ((1 - upRate) * (1 - upCallRate));
        var hitVariance = expected * (1 - expected) / n;
        var expectedVariance = (Square((2 * upRate) - 1) * upCallRate * (1 - upCallRate) / n)
            + (Square((2 * upCallRate) - 1) * upRate * (1 - upRate) / n)
            + (4 * upRate * upCallRate * (1 - upRate) * (1 - upCallRate) / ((double)n * n));
        var variance = hitVariance - expectedVariance;
        if (!(variance > 1e-12 * hitVariance))
        {
            return (double.NaN, double.NaN);
        }

        var statistic = (hitRate - expected) / Math.Sqrt(variance);
        return (statistic, 1 - Normal.CDF(0, 1, statistic));
    }

    private static double Square(double x) => x * x;
}
