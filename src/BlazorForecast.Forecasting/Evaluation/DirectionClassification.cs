using System.Globalization;
using MathNet.Numerics.Distributions;

namespace BlazorForecast.Forecasting.Evaluation;

/// <summary>
/// One scored direction forecast: the probability of a rise the model gave, whether the value rose, the horizon step
/// (1 = the next row) and the share of rises at that step (and target) on the training part of its fold: the base rate
/// the majority rule and the reference probability come from.
/// </summary>
public readonly record struct ScoredDirection(double ProbabilityUp, bool ActualUp, int Step, double TrainUpRate)
{
    public bool CalledUp => ProbabilityUp > 0.5;

    public bool MajorityUp => TrainUpRate >= 0.5;
}

/// <summary>Forecasts whose probability of a rise fell in [From, To): how many, their mean probability, and the share that rose.</summary>
public sealed record ReliabilityBin(double From, double To, int Count, double MeanProbability, double UpRate);

/// <summary>How the direction calls of one horizon step scored.</summary>
public sealed record StepClassification(int Step, int Count, double Accuracy, double BalancedAccuracy, double RocAuc);

/// <summary>
/// A direction model's test calls scored as a classification, beside the two rules any analyst can follow without
/// a model: always the direction that was more common on the training part (whose probability of a rise is that
/// part's share of rises), and always up. The headline numbers are for the next row (step 1); <see cref="Steps"/>
/// scores every step. The model is called better (or worse) than the majority rule only when McNemar's exact one-sided
/// test on the calls only one of them got right says so at the significance level asked.
/// </summary>
public sealed record DirectionClassification(
    int Count,
    int Flat,
    DirectionAssessment Calls,
    double RocAuc,
    double LogLoss,
    double Brier,
    double MajorityAccuracy,
    double MajorityLogLoss,
    double MajorityBrier,
    double AlwaysUpAccuracy,
    int ModelOnlyRight,
    int MajorityOnlyRight,
    double McNemarP,
    IReadOnlyList<ReliabilityBin> Reliability,
    double CalibrationError,
    IReadOnlyList<StepClassification> Steps)
{
    private const int ReliabilityBins = 10;

    /// <summary>1 − Brier / the base rate's Brier: above 0 when the probabilities say more than the base rate.</summary>
    public double BrierSkill => MajorityBrier > 0 ? 1 - (Brier / MajorityBrier) : double.NaN;

    /// <summary>McNemar's exact test the other way round: the chance of the majority rule winning this often if neither were better.</summary>
    public double WorseP => McNemarOneSided(MajorityOnlyRight, ModelOnlyRight);

    /// <summary>Better or worse than always-majority at a significance level, by McNemar's one-sided tests; else no difference.</summary>
    public ComparisonOutcome Outcome(double level) =>
        McNemarP < level ? ComparisonOutcome.Better : WorseP < level ? ComparisonOutcome.Worse : ComparisonOutcome.NoDifference;

    /// <summary>The p-value behind <see cref="Outcome"/>: the test the other way round when the model is worse.</summary>
    public double PValue(double level) => Outcome(level) == ComparisonOutcome.Worse ? WorseP : McNemarP;

    /// <summary>The finding against always-majority at a significance level, in words, with the calls behind it.</summary>
    public string Verdict(double level)
    {
        var evidence = string.Create(CultureInfo.InvariantCulture,
            $"right on {ModelOnlyRight:N0} of the {ModelOnlyRight + MajorityOnlyRight:N0} next-row calls where the two differ");
        var finding = Outcome(level) switch
        {
            ComparisonOutcome.Better => "Calls the direction better than always-majority",
            ComparisonOutcome.Worse => "Calls the direction worse than always-majority",
            _ => "No detectable difference from always-majority",
        };
        return string.Create(CultureInfo.InvariantCulture, $"{finding}: {evidence} (McNemar p = {PValue(level):0.###})");
    }

    /// <summary>
    /// Scores the forecasts; <paramref name="flat"/> is how many moves fell in the dead zone and were left out. The
    /// headline is step 1's calls; the calls of later steps are scored in <see cref="Steps"/> only.
    /// </summary>
    public static DirectionClassification Of(IReadOnlyList<ScoredDirection> forecasts, int flat)
    {
        ArgumentNullException.ThrowIfNull(forecasts);
        var next = forecasts.Where(f => f.Step == 1).ToList();
        var calls = DirectionAssessment.Of(next.Select(f => new DirectionCall(f.CalledUp, f.ActualUp)).ToList());
        var modelOnly = next.Count(f => f.CalledUp == f.ActualUp && f.MajorityUp != f.ActualUp);
        var majorityOnly = next.Count(f => f.CalledUp != f.ActualUp && f.MajorityUp == f.ActualUp);
        var reliability = ReliabilityOf(next);
        return new DirectionClassification(
            next.Count,
            flat,
            calls,
            AreaUnderRoc(next),
            LogLossOf(next.Select(f => (f.ProbabilityUp, f.ActualUp))),
            BrierOf(next.Select(f => (f.ProbabilityUp, f.ActualUp))),
            next.Count == 0 ? double.NaN : next.Average(f => f.MajorityUp == f.ActualUp ? 1.0 : 0.0),
            LogLossOf(next.Select(f => (f.TrainUpRate, f.ActualUp))),
            BrierOf(next.Select(f => (f.TrainUpRate, f.ActualUp))),
            next.Count == 0 ? double.NaN : next.Average(f => f.ActualUp ? 1.0 : 0.0),
            modelOnly,
            majorityOnly,
            McNemarOneSided(modelOnly, majorityOnly),
            reliability,
            next.Count == 0 ? double.NaN : reliability.Sum(b => b.Count * Math.Abs(b.UpRate - b.MeanProbability)) / next.Count,
            forecasts.GroupBy(f => f.Step).OrderBy(g => g.Key).Select(g =>
            {
                var step = DirectionAssessment.Of(g.Select(f => new DirectionCall(f.CalledUp, f.ActualUp)).ToList());
                return new StepClassification(g.Key, step.Count, step.Accuracy, step.BalancedAccuracy, AreaUnderRoc(g.ToList()));
            }).ToList());
    }

    /// <summary>
    /// The area under the ROC curve: the chance that a random rise got a higher probability than a random fall (ties
    /// count half), by the Mann–Whitney rank sum. NaN without both rises and falls.
    /// </summary>
    public static double AreaUnderRoc(IReadOnlyList<ScoredDirection> forecasts)
    {
        ArgumentNullException.ThrowIfNull(forecasts);
        var ups = forecasts.Count(f => f.ActualUp);
        var downs = forecasts.Count - ups;
        if (ups == 0 || downs == 0)
        {
            return double.NaN;
        }

        var sorted = forecasts.OrderBy(f => f.ProbabilityUp).ToList();
        var upRankSum = 0.0;
        for (var i = 0; i < sorted.Count;)
        {
            var end = i;
            while (end + 1 < sorted.Count && sorted[end + 1].ProbabilityUp == sorted[i].ProbabilityUp)
            {
                end++;
            }

            var meanRank = ((i + end) / 2.0) + 1;
            for (var k = i; k <= end; k++)
            {
                upRankSum += sorted[k].ActualUp ? meanRank : 0;
            }

            i = end + 1;
        }

        return (upRankSum - (ups * (ups + 1) / 2.0)) / ((double)ups * downs);
    }

    /// <summary>Mean negative log-likelihood of what happened, probabilities kept within [1e-15, 1 − 1e-15].</summary>
    public static double LogLossOf(IEnumerable<(double ProbabilityUp, bool ActualUp)> forecasts)
    {
        ArgumentNullException.ThrowIfNull(forecasts);
        var losses = forecasts.Select(f =>
        {
            var p = Math.Clamp(f.ProbabilityUp, 1e-15, 1 - 1e-15);
            return -Math.Log(f.ActualUp ? p : 1 - p);
        }).ToList();
        return losses.Count == 0 ? double.NaN : losses.Average();
    }

    /// <summary>Mean squared difference between the probability of a rise and 1 (rose) or 0 (fell).</summary>
    public static double BrierOf(IEnumerable<(double ProbabilityUp, bool ActualUp)> forecasts)
    {
        ArgumentNullException.ThrowIfNull(forecasts);
        var squares = forecasts.Select(f => Math.Pow(f.ProbabilityUp - (f.ActualUp ? 1 : 0), 2)).ToList();
        return squares.Count == 0 ? double.NaN : squares.Average();
    }

    /// <summary>Ten equal-width bins of the probability of a rise (the last one includes 1); empty bins are left out.</summary>
    public static IReadOnlyList<ReliabilityBin> ReliabilityOf(IReadOnlyList<ScoredDirection> forecasts)
    {
        ArgumentNullException.ThrowIfNull(forecasts);
        return forecasts
            .GroupBy(f => Math.Min((int)(f.ProbabilityUp * ReliabilityBins), ReliabilityBins - 1))
            .OrderBy(g => g.Key)
            .Select(g => new ReliabilityBin((double)g.Key / ReliabilityBins, (double)(g.Key + 1) / ReliabilityBins, g.Count(),
                g.Average(f => f.ProbabilityUp), g.Average(f => f.ActualUp ? 1.0 : 0.0)))
            .ToList();
    }

    /// <summary>
    /// McNemar's exact test, one-sided: the chance of the model getting at least <paramref name="modelOnly"/> of the
    /// calls only one rule got right if either rule were as likely to be the one. 1 when there are none.
    /// </summary>
    public static double McNemarOneSided(int modelOnly, int otherOnly)
    {
        var discordant = modelOnly + otherOnly;
        return discordant == 0 ? 1 : Math.Min(1, 1 - Binomial.CDF(0.5, discordant, modelOnly - 1));
    }
}
