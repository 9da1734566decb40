using BlazorForecast.Forecasting.Evaluation;

namespace BlazorForecast.Web.Features.Results;

/// <summary>Settings under "BlazorForecast:Evaluation".</summary>
public sealed class EvaluationOptions
{
    public const string Section = "BlazorForecast:Evaluation";

    /// <summary>
    /// The significance level of every verdict on this server: a difference from a baseline, a direction test or a
    /// Sharpe ratio's difference counts when its p-value is below it (5% by default). Results store their p-values, so
    /// a change applies to every run, old and new.
    /// </summary>
    public double SignificanceLevel { get; set; } = Verdict.DefaultLevel;
}
