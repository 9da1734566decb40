namespace BlazorForecast.Forecasting.Evaluation;

/// <summary>One seed's model on its own: its test errors in original units and its own comparison with naive.</summary>
public sealed record SeedOutcome(int Seed, double Rmse, double Mae, double DirectionalAccuracy, MethodComparison VersusNaive);

/// <summary>
/// The seeds of a run side by side: each seed's scores, and the spread of their RMSE, which says how much of one run's
/// result was its draw. <see cref="Configured"/> is how many were asked for (a stopped run may have fewer).
/// </summary>
public sealed record SeedAssessment(IReadOnlyList<SeedOutcome> Seeds, int Configured)
{
    public double RmseMean => Seeds.Average(s => s.Rmse);

    public double RmseStdDev => ReturnStatistics.StandardDeviation(Seeds.Select(s => s.Rmse).ToList());

    public double RmseMin => Seeds.Min(s => s.Rmse);

    public double RmseMax => Seeds.Max(s => s.Rmse);

    /// <summary>True when the seeds reach different verdicts against naive at the level.</summary>
    public bool Disagree(double level) => Seeds.Select(s => s.VersusNaive.Outcome(level)).Distinct().Count() > 1;
}
