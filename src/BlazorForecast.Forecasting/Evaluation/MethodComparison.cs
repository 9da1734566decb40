namespace BlazorForecast.Forecasting.Evaluation;

/// <summary>
/// The model against one baseline on the same windows: RMSE of each, the Diebold–Mariano test on the loss per origin
/// averaged over its steps (HAC lag H − 1), and the test and the RMSE change at each step k alone (lag k − 1).
/// </summary>
public sealed record MethodComparison(
    string Baseline, double ModelRmse, double BaselineRmse, DieboldMarianoTest Overall, IReadOnlyList<DieboldMarianoTest> PerStep, IReadOnlyList<double> PerStepRmseChange)
{
    /// <summary>The model's RMSE relative to the baseline's, minus one: −0.021 is 2.1% lower.</summary>
    public double RmseChange => (ModelRmse / BaselineRmse) - 1;

    public ComparisonOutcome Outcome(double level) => Overall.Outcome(level);

    public static MethodComparison Of(ForecastLosses model, ForecastLosses baseline)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(baseline);
        if (model.Origins != baseline.Origins || model.Horizon != baseline.Horizon)
        {
            throw new ArgumentException("Both methods must be scored on the same windows.", nameof(baseline));
        }

        var horizon = model.Horizon;
        var overall = new double[model.Origins];
        var perStep = Enumerable.Range(0, horizon).Select(_ => new double[model.Origins]).ToArray();
        for (var t = 0; t < model.Origins; t++)
        {
            var sum = 0.0;
            for (var k = 0; k < horizon; k++)
            {
                var d = model.Values[t][k] - baseline.Values[t][k];
                perStep[k][t] = d;
                sum += d;
            }

            overall[t] = sum / horizon;
        }

        return new MethodComparison(
            baseline.Method,
            model.Rmse(),
            baseline.Rmse(),
            DieboldMarianoTest.Of(overall, Math.Max(1, horizon)),
            perStep.Select((d, k) => DieboldMarianoTest.Of(d, k + 1)).ToList(),
            Enumerable.Range(0, horizon).Select(k => (model.Rmse(k) / baseline.Rmse(k)) - 1).ToList());
    }
}
