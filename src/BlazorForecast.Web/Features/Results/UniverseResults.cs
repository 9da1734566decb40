using System.Text.Json;
using BlazorForecast.Forecasting.Evaluation;
using BlazorForecast.Forecasting.Training;

namespace BlazorForecast.Web.Features.Results;

/// <summary>One series of a run trained across its targets: each fold scored as a single-series run is, and their pooled assessment.</summary>
public sealed record StoredUniverseSeries(string Series, IReadOnlyList<StoredFold> Folds, Assessment Assessment)
{
    public double StandardizedMse => Folds.Average(f => f.Test.Model.Standardized.Overall.Mse);

    public double Rmse => Folds.Average(f => f.Test.Model.Original.Overall.Rmse);
}

/// <summary>
/// What a run trained across its targets stores as its result: each series' scores, the cross-section's IC and Rank IC
/// with each test date's Rank IC, the long–short backtest (its equity at the first origin, then at the end of each
/// date's holding: <see cref="EquityTimes"/>), and how long training took.
/// </summary>
public sealed record UniverseResults(
    IReadOnlyList<StoredUniverseSeries> Series, InformationCoefficients Ic, DateTime[] Dates, double[] RankIc, LongShortBacktest LongShort, double TrainingSeconds)
{
    public DateTime[] EquityTimes { get; init; } = [];

    /// <summary>The drift baseline's IC and Rank IC (each series predicted at its training-part mean return).</summary>
    public required InformationCoefficients DriftIc { get; init; }

    /// <summary>The model's daily Rank IC against the drift baseline's, tested.</summary>
    public required RankIcComparison VersusDrift { get; init; }

    public static string Serialize(UniverseRunResult run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var series = run.Series.Select(s => new StoredUniverseSeries(s.Series, s.Folds.Select(StoredFold.From).ToList(), s.Assessment)).ToList();
        var rankIc = run.CrossSection.Select(d => d.RankIc(d.Predicted)).ToArray();
        return JsonSerializer.Serialize(
            new UniverseResults(series, run.Ic, run.CrossSection.Select(d => d.Origin).ToArray(), rankIc, run.LongShort, run.TrainingTime.TotalSeconds)
            {
                EquityTimes = run.CrossSection.Count == 0 ? [] : [run.CrossSection[0].Origin, .. run.CrossSection.Select(d => d.Next)],
                DriftIc = run.DriftIc,
                VersusDrift = run.VersusDrift,
            },
            ForecastJson.Options);
    }

    public static UniverseResults Deserialize(string json) => JsonSerializer.Deserialize<UniverseResults>(json, ForecastJson.Options)!;
}
