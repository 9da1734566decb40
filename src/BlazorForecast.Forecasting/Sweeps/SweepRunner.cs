using BlazorForecast.Forecasting.Data;
using BlazorForecast.Forecasting.Training;

namespace BlazorForecast.Forecasting.Sweeps;

/// <summary>
/// One trial of a sweep: its point, settings in words, how it ended, its objective (the validation loss: the best of
/// each training, averaged over walk-forward folds) and the epochs it trained. <see cref="SameAs"/> is the earlier
/// trial whose network it would have trained again, when it was not trained for that reason.
/// </summary>
public sealed record SweepTrial(
    int Number, IReadOnlyList<double> Point, IReadOnlyList<KeyValuePair<string, string>> Settings, TrialState State, double? Objective,
    int EpochsTrained, string? Detail)
{
    public int? SameAs { get; init; }
}

/// <summary>
/// What a headless sweep found: every trial, the best by validation loss, and the chosen configuration retrained on the
/// base config's seeds and scored on test once (<see cref="Result"/>), the only test scores the sweep produces.
/// </summary>
public sealed record SweepOutcome(IReadOnlyList<SweepTrial> Trials, int MaxEpochsPerTraining, int TrainingsPerTrial, SweepTrial? Best, ForecastConfig? ChosenConfig, ForecastRunResult? Result)
{
    /// <summary>The ensemble of the best trials, when the definition asks for one and at least two completed.</summary>
    public BlendedForecast? Ensemble { get; init; }

    public int EpochsTrained => Trials.Sum(t => t.EpochsTrained);

    /// <summary>The epochs stopped trials would have had left at most (training every trial fully could have ended sooner by patience).</summary>
    public int EpochsSavedAtMost => Trials.Where(t => t.State == TrialState.Stopped && t.SameAs is null).Sum(t => (MaxEpochsPerTraining * TrainingsPerTrial) - t.EpochsTrained);
}

/// <summary>
/// Runs a sweep in this process, one trial after another (the CLI's `sweep`): trials train with one seed, are stopped
/// early by the sweep's rule, and are ranked by validation loss only; the best is retrained on the base config's seeds
/// and only then scored on the test segment.
/// </summary>
public static class SweepRunner
{
    public static SweepOutcome Run(
        TimeSeriesFrame frame, ForecastConfig baseConfig, SweepDefinition definition, RunLimits limits,
        Action<SweepTrial>? trialFinished = null, TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(baseConfig);
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(limits);
        time ??= TimeProvider.System;
        var problems = definition.Problems(limits, baseConfig).ToList();
        var space = problems.Count == 0 ? definition.ParseSpace() : null;
        if (space is not null)
        {
            problems.AddRange(space.Problems(baseConfig, frame, limits));
        }

        if (problems.Count > 0)
        {
            throw new SweepSpaceException(problems);
        }

        var sampler = SweepSampler.Create(definition.Method, space!, definition.Seed);
        var trialBase = TrialConfigs.Base(baseConfig, limits);
        var trainings = Math.Max(1, baseConfig.WalkForwardFolds);
        var pruner = definition.CreatePruner(trialBase.Training.MaxEpochs);
        var deadline = time.GetUtcNow() + (definition.MaxWallTime ?? limits.MaxSweepWallTime);
        var trials = new List<SweepTrial>();
        var history = new List<TrialObservation>();
        (SweepTrial Trial, ForecastConfig Config, ForecastRunResult Result)? best = null;
        var completed = new List<(SweepTrial Trial, ForecastConfig Config)>();
        var trained = new Dictionary<string, SweepTrial>();
        for (var number = 0; number < definition.MaxTrials && !cancellationToken.IsCancellationRequested && time.GetUtcNow() < deadline; number++)
        {
            if (sampler.Propose(number, history) is not { } point)
            {
                break;
            }

            var (trial, config, result) = RunTrial(frame, space!, trialBase, point, number, pruner, limits, trained, cancellationToken);
            if (trial is null)
            {
                break;
            }

            if (config is not null && trial.SameAs is null && trial.State is TrialState.Complete or TrialState.Stopped)
            {
                trained[TrialConfigs.Identity(config)] = trial;
            }

            trials.Add(trial);
            history.Add(new TrialObservation(point, trial.State, trial.Objective));
            trialFinished?.Invoke(trial);
            if (trial is { State: TrialState.Complete, SameAs: null })
            {
                completed.Add((trial, config!));
                if (best is null || trial.Objective < best.Value.Trial.Objective)
                {
                    best = (trial, config!, result!);
                }
            }
        }

        if (best is not { } chosen || cancellationToken.IsCancellationRequested)
        {
            return new SweepOutcome(trials, trialBase.Training.MaxEpochs, trainings, best?.Trial, best?.Config, null);
        }

        var final = TrialConfigs.OnSeeds(chosen.Config, baseConfig.Training.Seeds);
        var retrained = final.Training.Seeds == 1 ? chosen.Result : ForecastRunner.Run(frame, final, cancellationToken: cancellationToken);
        return new SweepOutcome(trials, trialBase.Training.MaxEpochs, trainings, chosen.Trial, final, retrained)
        {
            Ensemble = Ensemble(frame, baseConfig, definition, completed, retrained, cancellationToken),
        };
    }

    // The best few completed trials, retrained on the base seeds (the chosen one already is), blended on validation.
    private static BlendedForecast? Ensemble(
        TimeSeriesFrame frame, ForecastConfig baseConfig, SweepDefinition definition, List<(SweepTrial Trial, ForecastConfig Config)> completed,
        ForecastRunResult chosen, CancellationToken cancellationToken)
    {
        if (definition.Ensemble == SweepEnsemble.None || completed.Count < 2)
        {
            return null;
        }

        var members = completed.OrderBy(c => c.Trial.Objective).Take(definition.EnsembleSize).Skip(1)
            .Select(c => ForecastRunner.Run(frame, TrialConfigs.OnSeeds(c.Config, baseConfig.Training.Seeds), cancellationToken: cancellationToken))
            .Prepend(chosen)
            .ToList();
        return cancellationToken.IsCancellationRequested ? null : ForecastBlend.Of(frame, members, definition.Ensemble);
    }

    // Null trial: the sweep was cancelled during it. A trial whose network an earlier one trained is not trained again.
    private static (SweepTrial? Trial, ForecastConfig? Config, ForecastRunResult? Result) RunTrial(
        TimeSeriesFrame frame, SearchSpace space, ForecastConfig trialBase, IReadOnlyList<double> point, int number, TrialPruner? pruner,
        RunLimits limits, Dictionary<string, SweepTrial> trained, CancellationToken cancellationToken)
    {
        var settings = space.Describe(point);
        var (config, problem) = TrialConfigs.At(space, trialBase, point, frame, limits);
        if (problem is not null)
        {
            return (new SweepTrial(number, point, settings, TrialState.Failed, null, 0, problem), null, null);
        }

        if (trained.TryGetValue(TrialConfigs.Identity(config), out var same))
        {
            return (new SweepTrial(number, point, settings, same.State, same.Objective, 0, TrialConfigs.SameAsDetail(same.Number, config)) { SameAs = same.Number },
                config, null);
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var progress = new TrialProgress(number, pruner, stop);
        var result = ForecastRunner.Run(frame, config, progress, cancellationToken: stop.Token);
        if (cancellationToken.IsCancellationRequested)
        {
            return (null, null, null);
        }

        var objective = progress.Objective;
        (TrialState State, string? Detail) ending = progress.StoppedAfter is int epoch
            ? (TrialState.Stopped, $"Stopped early after epoch {epoch}: its validation loss was behind the other trials'.")
            : result.Outcome.StopReason == StopReason.NonFiniteLoss || objective is not double o || !double.IsFinite(o)
                ? (TrialState.Failed, result.Outcome.StopDetail)
                : (TrialState.Complete, null);
        var (state, detail) = ending;
        return (new SweepTrial(number, point, settings, state, objective, progress.EpochsTrained, detail), config, result);
    }

    /// <summary>Follows a trial's epochs on its training thread: best loss per training, and the stopping rule's verdict.</summary>
    private sealed class TrialProgress(int trial, TrialPruner? pruner, CancellationTokenSource stop) : IProgress<TrainingProgress>
    {
        private readonly Dictionary<int, double> _bestPerTraining = [];

        public int EpochsTrained { get; private set; }

        public int? StoppedAfter { get; private set; }

        public double? Objective => _bestPerTraining.Count == 0 ? null : _bestPerTraining.Values.Average();

        public void Report(TrainingProgress value)
        {
            if (value is not EpochCompleted epoch || StoppedAfter is not null)
            {
                return;
            }

            EpochsTrained++;
            var best = _bestPerTraining.TryGetValue(epoch.Fold, out var sofar) ? Math.Min(sofar, epoch.ValidationLoss) : epoch.ValidationLoss;
            _bestPerTraining[epoch.Fold] = double.IsNaN(best) ? double.PositiveInfinity : best;
            if (pruner?.ShouldStop(trial, epoch.Fold, epoch.Epoch, best) == true)
            {
                StoppedAfter = epoch.Epoch;
                stop.Cancel();
            }
        }
    }
}
