using BlazorForecast.Forecasting.Evaluation;
using BlazorForecast.Forecasting.Sweeps;
using BlazorForecast.Forecasting.Training;
using BlazorForecast.Web.Data;
using BlazorForecast.Web.Features.Team;

namespace BlazorForecast.Web.Features.Sweeps;

/// <summary>What a new sweep needs: the dataset, the base config every trial starts from, and how to search.</summary>
public sealed record SweepRequest(int DatasetId, ForecastConfig BaseConfig, SweepDefinition Definition, string? Name = null, Visibility? Visibility = null);

/// <summary>A sweep in the list: where it is, how far it got and its best validation loss so far.</summary>
public sealed record SweepSummary(
    int Id, int DatasetId, string Name, SweepStatus Status, string? StatusDetail, DateTime CreatedAt, DateTime? FinishedAt,
    SweepMethod Method, int MaxTrials, int TrialsStarted, int TrialsEnded, double? BestObjective, int? ChosenRunId, int? ResultRunId,
    string? OwnerId, string? OwnerName, Visibility Visibility)
{
    public Ownership Access => new(OwnerId, Visibility);
}

/// <summary>
/// One trial as the sweep page and the API show it. <see cref="Objective"/> is the validation loss so far while it
/// trains. <see cref="TestRmse"/> is null until the sweep has its result; after that it is shown, labelled as not used
/// for selection. <see cref="SameAsTrial"/> is the earlier trial whose network it shares, when it was not trained;
/// <see cref="Rung"/> the last successive-halving rung it reached.
/// </summary>
public sealed record SweepTrialSummary(
    int RunId, int Number, RunStatus Status, TrialState State, IReadOnlyList<KeyValuePair<string, string>> Settings, IReadOnlyList<double> Point,
    double? Objective, int EpochsTrained, string? StoppedEarlyBecause, string? StatusDetail, double? TestRmse)
{
    public int? SameAsTrial { get; init; }

    public int? Rung { get; init; }
}

/// <summary>A sweep with its trials in order, its definition and the epochs its early stopping saved.</summary>
public sealed record SweepDetails(
    SweepSummary Summary, ForecastConfig BaseConfig, SweepDefinition Definition, IReadOnlyList<string> Settings, IReadOnlyList<SweepTrialSummary> Trials,
    int MaxEpochsPerTrial)
{
    public bool TestScoresShown => Summary.Status == SweepStatus.Finished;

    public int EpochsTrained => Trials.Sum(t => t.EpochsTrained);

    /// <summary>The epochs stopped trials would have had left at most, had they trained to their limit.</summary>
    public int EpochsSavedAtMost => Trials.Where(t => t.State == TrialState.Stopped && t.SameAsTrial is null).Sum(t => Math.Max(0, MaxEpochsPerTrial - t.EpochsTrained));

    /// <summary>The ensemble of the best trials scored beside the result, once queued; null for a sweep without one.</summary>
    public SweepEnsembleSummary? Ensemble { get; init; }

    /// <summary>The best completed trial by validation loss, the one the sweep picks (a trial that shares an earlier one's network is not).</summary>
    public SweepTrialSummary? Best => Trials.Where(t => t.State == TrialState.Complete && t.Objective is not null && t.SameAsTrial is null).MinBy(t => t.Objective);
}

/// <summary>
/// A sweep's ensemble run as its page and the API show it: how it blends, each member trial with its weight (null until
/// trained, or for one left out), and its test RMSE once the sweep has finished.
/// </summary>
public sealed record SweepEnsembleSummary(
    int RunId, RunStatus Status, string? StatusDetail, SweepEnsemble Method, IReadOnlyList<SweepEnsembleMember> Members, double? TestRmse)
{
    /// <summary>The ensemble tested against the chosen trial on the test windows; null until the sweep has finished.</summary>
    public MethodComparison? VersusChosen { get; init; }
}

/// <summary>One trial of an ensemble and its weight in the blend.</summary>
public sealed record SweepEnsembleMember(int TrialRunId, int TrialNumber, double? Weight);

/// <summary>A sweep that cannot start, with every reason in words.</summary>
public sealed class SweepValidationException(IReadOnlyList<string> problems) : Exception(string.Join(" ", problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}

/// <summary>A change to a sweep (a trial started, trained an epoch, ended; the sweep moved on), for its page and hub group "sweep-{id}".</summary>
public sealed record SweepChanged(int SweepId, SweepStatus Status, string? Detail, int TrialsStarted, int TrialsEnded, double? BestObjective);

/// <summary>
/// A sweep's ensemble: its best trials' configs (retrained on the base seeds; the chosen trial first) and how they are
/// blended. Weights are null until it has trained, and stay null for a member left out because its windows differed from
/// the first's; once trained, <see cref="VersusChosen"/> tests the blend against the chosen trial on the test windows.
/// </summary>
public sealed record EnsemblePlan(SweepEnsemble Method, IReadOnlyList<EnsembleMember> Members)
{
    public MethodComparison? VersusChosen { get; init; }

    public EnsemblePlan WithWeights(IReadOnlyList<double?> weights) =>
        this with { Members = Members.Select((m, i) => m with { Weight = i < weights.Count ? weights[i] : null }).ToList() };
}

/// <summary>One trial in an ensemble: which it is, the config it retrains, and its weight once blended.</summary>
public sealed record EnsembleMember(int TrialRunId, int TrialNumber, ForecastConfig Config)
{
    public double? Weight { get; init; }
}
