using MathNet.Numerics.Distributions;

namespace BlazorForecast.Forecasting.Evaluation;

/// <summary>
/// One date's cross-section: each series' predicted and actual return over the next row (which ends at
/// <see cref="Next"/>), and the drift baseline's prediction: each series' mean return over its fold's training part.
/// </summary>
public sealed record CrossSectionDate(DateTime Origin, double[] Predicted, double[] Actual)
{
    public DateTime Next { get; init; }

    public double[] Drift { get; init; } = [];

    /// <summary>This date's Rank IC of the given predictions; NaN when they or the actual returns do not vary.</summary>
    public double RankIc(double[] predicted) => InformationCoefficients.Pearson(InformationCoefficients.Ranks(predicted), InformationCoefficients.Ranks(Actual));
}

/// <summary>
/// The model's Rank IC against the drift baseline's on the same dates: the mean of their daily difference, its t
/// statistic and two-sided p-value (<see cref="InformationCoefficients.MeanTest"/>: neighbouring dates are not taken as
/// independent). A model whose ranking is only the series' drift has a difference of zero, however significant its own
/// Rank IC looks.
/// </summary>
public sealed record RankIcComparison(int Dates, double MeanDifference, double T, double P)
{
    /// <summary>The Newey–West lag of the test's variance.</summary>
    public int Lag { get; init; }

    public static RankIcComparison Of(IReadOnlyList<CrossSectionDate> dates)
    {
        ArgumentNullException.ThrowIfNull(dates);
        var differences = dates.Select(d => d.RankIc(d.Predicted) - d.RankIc(d.Drift)).Where(double.IsFinite).ToArray();
        var test = InformationCoefficients.MeanTest(differences);
        return new RankIcComparison(differences.Length, test.Mean, test.T, test.P) { Lag = test.Lag };
    }
}

/// <summary>
/// How well forecasts rank series against each other, as Qlib reports it: each date's Pearson correlation of predicted
/// and actual returns across the series (IC) and Spearman's (Rank IC, ties at their mean rank); their mean, standard
/// deviation and ICIR (mean / sd); and a t test of the mean Rank IC against 0 whose variance allows for dates that move
/// together (<see cref="MeanTest"/>).
/// </summary>
public sealed record InformationCoefficients(
    int Dates, double IcMean, double IcStdDev, double RankIcMean, double RankIcStdDev, double RankIcT, double RankIcP)
{
    /// <summary>The Newey–West lag of the Rank IC test's variance (0 in runs stored before the test allowed for it).</summary>
    public int RankIcLag { get; init; }

    public double Icir => IcStdDev > 0 ? IcMean / IcStdDev : double.NaN;

    public double RankIcir => RankIcStdDev > 0 ? RankIcMean / RankIcStdDev : double.NaN;

    public static InformationCoefficients Of(IReadOnlyList<CrossSectionDate> dates)
    {
        ArgumentNullException.ThrowIfNull(dates);
        var ic = dates.Select(d => Pearson(d.Predicted, d.Actual)).Where(double.IsFinite).ToArray();
        var rankIc = dates.Select(d => d.RankIc(d.Predicted)).Where(double.IsFinite).ToArray();
        var test = MeanTest(rankIc);
        return new InformationCoefficients(rankIc.Length, ic.Length == 0 ? double.NaN : ic.Average(), ReturnStatistics.StandardDeviation(ic),
            test.Mean, ReturnStatistics.StandardDeviation(rankIc), test.T, test.P) { RankIcLag = test.Lag };
    }

    /// <summary>
    /// The mean of daily values and a two-sided t test of it against 0 whose variance is Newey–West's at the automatic lag
    /// (<see cref="LongRunVariance"/>): a model's forecasts change slowly, so one date's IC is much like the next's, and
    /// counting them as independent would overstate the evidence. Student's t with n − 1 degrees of freedom; NaN where
    /// there are too few values or they do not vary.
    /// </summary>
    public static (double Mean, int Lag, double T, double P) MeanTest(double[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var n = values.Length;
        var mean = n == 0 ? double.NaN : values.Average();
        var lag = LongRunVariance.AutomaticLag(n);
        var variance = n < 2 ? double.NaN : LongRunVariance.NeweyWest(values, mean, lag);
        var t = variance > 0 ? mean / Math.Sqrt(variance / n) : double.NaN;
        var p = double.IsFinite(t) ? 2 * StudentT.CDF(0, 1, n - 1, -Math.Abs(t)) : double.NaN;
        return (mean, lag, t, p);
    }

    /// <summary>Pearson's correlation; NaN when either side does not vary.</summary>
    public static double Pearson(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        var (mx, my) = (x.Average(), y.Average());
        var (sxy, sxx, syy) = (0.0, 0.0, 0.0);
        for (var i = 0; i < x.Count; i++)
        {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }

        return sxx > 0 && syy > 0 ? sxy / Math.Sqrt(sxx * syy) : double.NaN;
    }

    /// <summary>Ranks from 1, ties given their mean rank.</summary>
    public static double[] Ranks(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var order = Enumerable.Range(0, values.Count).OrderBy(i => values[i]).ToArray();
        var ranks = new double[values.Count];
        for (var i = 0; i < order.Length;)
        {
            var end = i;
            while (end + 1 < order.Length && values[order[end + 1]] == values[order[i]])
            {
                end++;
            }

            for (var k = i; k <= end; k++)
            {
                ranks[order[k]] = ((i + end) / 2.0) + 1;
            }

            i = end + 1;
        }

        return ranks;
    }
}

/// <summary>
/// A long–short backtest across series: on each date long the top quantile by predicted return and short the bottom
/// one (equal weights, 1/n per leg, so the gross exposure is 2), held over the next row; changing a weight pays the
/// cost per unit changed.
/// </summary>
public sealed record LongShortBacktest(int PerLeg, double[] Equity, double TotalReturn, double AnnualizedReturn, double Sharpe, double MaxDrawdown, double TurnoverPerYear)
{
    public static LongShortBacktest Run(IReadOnlyList<CrossSectionDate> dates, double quantile, double costPerTrade, double periodsPerYear)
    {
        ArgumentNullException.ThrowIfNull(dates);
        if (dates.Count == 0 || !(quantile is > 0 and <= 0.5))
        {
            throw new ArgumentException("A long–short backtest needs dates and a quantile above 0 and at most one half.", nameof(quantile));
        }

        var series = dates[0].Predicted.Length;
        var perLeg = Math.Max(1, (int)Math.Floor(quantile * series));
        var previous = new double[series];
        var equity = new double[dates.Count + 1];
        equity[0] = 1;
        var returns = new double[dates.Count];
        var turnover = 0.0;
        for (var t = 0; t < dates.Count; t++)
        {
            var order = Enumerable.Range(0, series).OrderByDescending(i => dates[t].Predicted[i]).ThenBy(i => i).ToArray();
            var weights = new double[series];
            foreach (var i in order.Take(perLeg))
            {
                weights[i] = 1.0 / perLeg;
            }

            foreach (var i in order.Skip(series - perLeg))
            {
                weights[i] = -1.0 / perLeg;
            }

            var change = weights.Select((w, i) => Math.Abs(w - previous[i])).Sum();
            returns[t] = weights.Select((w, i) => w * dates[t].Actual[i]).Sum() - (costPerTrade * change);
            equity[t + 1] = equity[t] * (1 + returns[t]);
            turnover += change;
            previous = weights;
        }

        var deviation = ReturnStatistics.StandardDeviation(returns);
        return new LongShortBacktest(
            perLeg,
            equity,
            equity[^1] - 1,
            Math.Pow(Math.Max(equity[^1], 0), periodsPerYear / dates.Count) - 1,
            deviation > 0 ? returns.Average() / deviation * Math.Sqrt(periodsPerYear) : 0,
            ReturnStatistics.MaxDrawdown(equity).Depth,
            turnover / dates.Count * periodsPerYear);
    }
}
