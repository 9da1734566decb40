using BlazorForecast.Forecasting.Data;
using BlazorForecast.Forecasting.Evaluation;
using BlazorForecast.Forecasting.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace BlazorForecast.Forecasting.Training;

/// <summary>A config that cannot run on a series; <see cref="Problems"/> lists every reason in words.</summary>
public sealed class ForecastConfigException : Exception
{
    public ForecastConfigException(IReadOnlyList<string> problems)
        : base(string.Join(" ", problems ?? []))
    {
        Problems = problems ?? [];
    }

    public ForecastConfigException()
    {
        Problems = [];
    }

    public ForecastConfigException(string message, Exception innerException)
        : base(message, innerException)
    {
        Problems = [message];
    }

    public IReadOnlyList<string> Problems { get; }
}

/// <summary>How one training went (the weights live in the run's model bundle).</summary>
public sealed record TrainingSummary(
    StopReason StopReason, string StopDetail, int EpochsRun, int BestEpoch, double BestValidationLoss,
    IReadOnlyList<EpochCompleted> History, string Device);

/// <summary>One seed's training within a fold.</summary>
public sealed record SeedTraining(int Seed, TrainingSummary Training);

/// <summary>
/// One split's outcome: training, test scores of the model and the baselines, interval coverage, importance, and the
/// model's level forecasts [window][step][target] at every validation and test origin with the fold's intervals. With
/// several seeds the model is their ensemble (the mean forecast); <see cref="Seeds"/> has each seed's training and
/// <see cref="Training"/> the first's.
/// </summary>
public sealed record FoldResult(
    SeriesSplit Split,
    TrainingSummary Training,
    EvaluationReport Test,
    IReadOnlyList<IntervalCoverage> Coverage,
    IReadOnlyList<FeatureImportance> Importance,
    int[] TestOrigins,
    double[][][] TestForecasts,
    int[] ValidationOrigins,
    double[][][] ValidationForecasts,
    ConformalIntervals Intervals)
{
    public IReadOnlyList<SeedTraining> Seeds { get; init; } = [];

    /// <summary>Significance, direction, interval and seed findings of this fold alone.</summary>
    public required Assessment Assessment { get; init; }

    /// <summary>The run's interval half-widths at every validation and test origin, for the kept horizon steps.</summary>
    public required FoldIntervals Bands { get; init; }

    /// <summary>What the run's pooled assessment is built from (losses per origin, direction calls); not stored.</summary>
    public required FoldEvidence Evidence { get; init; }
}

/// <summary>
/// A whole run: one fold for a chronological split, k for walk-forward; the model is the last fold's (an ensemble when
/// several seeds were trained). <see cref="Assessment"/> pools every fold's test windows; <see cref="KeptSteps"/> are the
/// horizon steps whose forecasts and intervals are kept per origin.
/// </summary>
public sealed record ForecastRunResult(ForecastConfig Config, IReadOnlyList<FoldResult> Folds, ModelBundle Model, Assessment Assessment, int[] KeptSteps)
{
    /// <summary>Mean and (sample) standard deviation of a score over folds, e.g. the model's test RMSE.</summary>
    public (double Mean, double StdDev) AcrossFolds(Func<FoldResult, double> score)
    {
        ArgumentNullException.ThrowIfNull(score);
        var values = Folds.Select(score).ToArray();
        return (values.Average(), ReturnStatistics.StandardDeviation(values));
    }

    /// <summary>How the run's trainings ended, the most serious first: a stop, then a loss that blew up, else the last fold's.</summary>
    public TrainingSummary Outcome => RunOutcome.Of(Folds.Select(f => (f.Training, f.Seeds)));
}

/// <summary>Which of a run's trainings says how the run ended.</summary>
public static class RunOutcome
{
    /// <summary>A stop first, then a loss that blew up, else <paramref name="otherwise"/> (the last fold's training).</summary>
    public static TrainingSummary MostSerious(IReadOnlyList<TrainingSummary> trainings, TrainingSummary otherwise)
    {
        ArgumentNullException.ThrowIfNull(trainings);
        return trainings.FirstOrDefault(t => t.StopReason == StopReason.Cancelled)
            ?? trainings.FirstOrDefault(t => t.StopReason == StopReason.NonFiniteLoss)
            ?? otherwise;
    }

    /// <summary>The same over folds, each with its first training and its seeds' (a fold without seeds counts its first).</summary>
    public static TrainingSummary Of(IEnumerable<(TrainingSummary First, IReadOnlyList<SeedTraining> Seeds)> folds)
    {
        ArgumentNullException.ThrowIfNull(folds);
        var all = folds.ToList();
        return MostSerious(all.SelectMany(f => f.Seeds.Count == 0 ? [f.First] : f.Seeds.Select(s => s.Training)).ToList(), all[^1].First);
    }
}

/// <summary>
/// Runs the protocol end to end: split (chronological or walk-forward); per fold fit scalers on train, train each seed
/// (one preparation of the data for all of them), score the model (the seeds' mean forecast) and every baseline on all
/// test windows, fit intervals on validation and measure them on test, and measure permutation importance; then pool
/// the folds' test windows for the significance tests.
/// </summary>
public static class ForecastRunner
{
    /// <param name="frame">The series.</param>
    /// <param name="config">What to train and how.</param>
    /// <param name="progress">Receives epoch and batch progress on the training thread, and each finished training
    /// (<see cref="PartTrained"/>) with its best weights; every report names its fold and seed.</param>
    /// <param name="checkpointed">Receives a checkpoint after every epoch of every training.</param>
    /// <param name="resumeFrom">Finished trainings to reuse and the checkpoint of the one to continue.</param>
    /// <param name="cancellationToken">Stops training within one batch; the best weights so far are evaluated.</param>
    public static ForecastRunResult Run(
        TimeSeriesFrame frame,
        ForecastConfig config,
        IProgress<TrainingProgress>? progress = null,
        Action<TrainingCheckpoint>? checkpointed = null,
        ResumePoint? resumeFrom = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(config);
        if (config.Direction is not null)
        {
            throw new ArgumentException("This config forecasts directions; run it with RunDirection.", nameof(config));
        }

        int[]? keptSteps = null;
        var (folds, bundle) = RunFolds(frame, config, progress, checkpointed, resumeFrom, (problem, model, members, season, device) =>
        {
            keptSteps ??= PredictionSet.StepsToKeep(config.Horizon, config.Targets.Count, Math.Max(problem.TestOrigins.Length, problem.ValidationOrigins.Length));
            var fold = Evaluate(problem, model, members, keptSteps, season, device);
            return (fold, fold.Intervals);
        }, cancellationToken);
        var assessment = Assessment.Of(folds.Select(f => f.Evidence).ToList(), config.Intervals, config.Training.Seeds);
        return new ForecastRunResult(config, folds, bundle, assessment, keptSteps!);
    }

    /// <summary>
    /// Runs the protocol for a direction target: the same splits, scalers, seeds, progress, checkpoints and resumption
    /// as <see cref="Run"/>; per fold the seeds' mean logit is the model, scored on every test window's calls against
    /// the majority rule and always-up, with permutation importance on the loss; the folds' calls are then pooled.
    /// </summary>
    public static DirectionRunResult RunDirection(
        TimeSeriesFrame frame,
        ForecastConfig config,
        IProgress<TrainingProgress>? progress = null,
        Action<TrainingCheckpoint>? checkpointed = null,
        ResumePoint? resumeFrom = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(config);
        if (config.Direction is null)
        {
            throw new ArgumentException("This config forecasts values; run it with Run.", nameof(config));
        }

        var (folds, bundle) = RunFolds<DirectionFoldResult>(frame, config, progress, checkpointed, resumeFrom,
            (problem, model, members, _, device) => (EvaluateDirection(problem, model, members, device), null), cancellationToken);
        var pooled = DirectionClassification.Of(folds.SelectMany(f => f.Scored).ToList(), folds.Sum(f => f.Test.Flat));
        return new DirectionRunResult(config, folds, bundle, pooled);
    }

    // Checks the config, then per split: prepare, train the seeds, evaluate the model (their ensemble), bundle the last.
    private static (List<TFold> Folds, ModelBundle Bundle) RunFolds<TFold>(
        TimeSeriesFrame frame, ForecastConfig config, IProgress<TrainingProgress>? progress, Action<TrainingCheckpoint>? checkpointed,
        ResumePoint? resumeFrom, Func<WindowedProblem, nn.Module<Tensor, Tensor>, IReadOnlyList<TrainedMember>, int, Device, (TFold Fold, ConformalIntervals? Intervals)> evaluate,
        CancellationToken cancellationToken)
    {
        var problems = config.Problems(frame);
        if (problems.Count > 0)
        {
            throw new ForecastConfigException(problems);
        }

        var splits = config.Splits(frame.RowCount);
        var (frequency, step) = QualityAnalyzer.DetectFrequency(frame.Timestamps);
        var season = Baselines.SeasonFor(frequency);
        var device = ComputeDevices.Resolve(config.Training.Device);

        var folds = new List<TFold>();
        ModelBundle? bundle = null;
        foreach (var split in splits)
        {
            var problem = WindowedProblem.Prepare(frame, config, split);
            var members = TrainSeeds(problem, split.Fold, problem.WithSeed, progress, checkpointed, resumeFrom, cancellationToken);
            try
            {
                var model = members.Count == 1 ? members[0].Model : new SeedEnsemble(members.Select(m => m.Model).ToList());
                var (fold, intervals) = evaluate(problem, model, members, season, device);
                folds.Add(fold);
                bundle = ModelBundle.From(problem, model, intervals, frequency, step);
            }
            finally
            {
                foreach (var member in members)
                {
                    member.Model.Dispose();
                }
            }

            if (members.Any(m => m.Training.Training.StopReason == StopReason.Cancelled))
            {
                break;
            }
        }

        return (folds, bundle!);
    }

    /// <summary>
    /// Trains (or, when resuming, reloads) each seed of one fold — of one series, or of a universe — with its reports
    /// stamped by fold and seed; stops after a training that was cancelled.
    /// </summary>
    internal static List<TrainedMember> TrainSeeds(
        ITrainingProblem problem, int fold, Func<int, ITrainingProblem> withSeed, IProgress<TrainingProgress>? progress,
        Action<TrainingCheckpoint>? checkpointed, ResumePoint? resumeFrom, CancellationToken cancellationToken)
    {
        var options = problem.Config.Training;
        var members = new List<TrainedMember>();
        for (var s = 0; s < options.Seeds; s++)
        {
            var seed = options.Seed + s;
            if (resumeFrom?.CompletedPart(fold, s) is { } done)
            {
                members.Add(new TrainedMember(Reload(problem, done.BestWeights), new SeedTraining(seed, done.Summary)));
                continue;
            }

            var tagged = progress is null ? null : new PartProgress(progress, fold, s, seed);
            var training = Trainer.Train(withSeed(seed), tagged, c => checkpointed?.Invoke(c with { Fold = fold, SeedIndex = s }),
                resumeFrom?.CheckpointOf(fold, s), cancellationToken);
            var summary = training.Summary;
            members.Add(new TrainedMember(training.Model, new SeedTraining(seed, summary)));
            if (training.StopReason == StopReason.Cancelled)
            {
                break;
            }

            tagged?.Report(new PartTrained(summary, Trainer.Serialize(training.Model)));
        }

        return members;
    }

    private static nn.Module<Tensor, Tensor> Reload(ITrainingProblem problem, byte[] weights)
    {
        var model = ForecastModelFactory.Create(problem.Config.Model,
            new ModelShape(problem.Lookback, problem.FeatureCount, problem.Horizon, problem.TargetCount, problem.TargetFeatureIndices));
        Trainer.Deserialize(model, weights);
        model.to(ComputeDevices.Resolve(problem.Config.Training.Device));
        model.eval();
        return model;
    }

    /// <summary>
    /// Scores a trained model (the ensemble of <paramref name="members"/>) on one series' test windows beside every
    /// baseline, with intervals fit on validation, importance and the fold's assessment.
    /// </summary>
    internal static FoldResult Evaluate(
        WindowedProblem problem, nn.Module<Tensor, Tensor> model, IReadOnlyList<TrainedMember> members, int[] keptSteps, int season, Device device)
    {
        var config = problem.Config;
        var batch = Math.Max(config.Training.BatchSize, 256);
        var validationPredictions = members.Select(m => ForecastEvaluator.Predict(m.Model, problem, problem.ValidationOrigins, device, batch)).ToList();
        var testPredictions = members.Select(m => ForecastEvaluator.Predict(m.Model, problem, problem.TestOrigins, device, batch)).ToList();
        var validationForecasts = ForecastEvaluator.ToLevels(problem, problem.ValidationOrigins, ForecastEvaluator.Mean(validationPredictions));
        var testMean = ForecastEvaluator.Mean(testPredictions);
        var testForecasts = ForecastEvaluator.ToLevels(problem, problem.TestOrigins, testMean);
        var scored = ForecastEvaluator.Evaluate(problem, problem.TestOrigins, testMean, season);
        var seeds = members.Count == 1
            ? [new SeedEvidence(members[0].Training.Seed, scored.Report.Model, scored.Model)]
            : members.Select((m, i) =>
            {
                var (scores, losses) = ForecastEvaluator.ScoreModel(problem, problem.TestOrigins, testPredictions[i], $"Seed {m.Training.Seed}");
                return new SeedEvidence(m.Training.Seed, scores, losses);
            }).ToList();
        var intervals = IntervalCalibration.Fit(problem, validationForecasts, testForecasts, config.Intervals, keptSteps);
        var evidence = new FoldEvidence(scored, seeds, DirectionCalls(problem, testForecasts), intervals.Assessments);
        return new FoldResult(
            problem.Split,
            members[0].Training.Training,
            scored.Report,
            intervals.Assessments.Where(a => a.Method == config.Intervals).Select(a => new IntervalCoverage(a.Level, a.Coverage, a.MeanWidth)).ToList(),
            PermutationImportance.Compute(model, problem, device, config.Training.Seed),
            problem.TestOrigins,
            testForecasts,
            problem.ValidationOrigins,
            validationForecasts,
            intervals.Model)
        {
            Seeds = members.Select(m => m.Training).ToList(),
            Assessment = Assessment.Of([evidence], config.Intervals, config.Training.Seeds),
            Bands = intervals,
            Evidence = evidence,
        };
    }

    // One-step calls of every target whose next value moved: did the forecast rise above the origin, did the value.
    internal static List<DirectionCall> DirectionCalls(WindowedProblem problem, double[][][] testForecasts)
    {
        var calls = new List<DirectionCall>(testForecasts.Length * problem.TargetCount);
        for (var w = 0; w < testForecasts.Length; w++)
        {
            var origin = problem.TestOrigins[w];
            for (var j = 0; j < problem.TargetCount; j++)
            {
                var (level, next) = (problem.TargetLevels[j][origin], problem.TargetLevels[j][origin + 1]);
                if (next != level)
                {
                    calls.Add(new DirectionCall(testForecasts[w][0][j] > level, next > level));
                }
            }
        }

        return calls;
    }

    // The seeds' mean logit scored on every test window: the calls of every step and target that moved beyond the dead zone.
    private static DirectionFoldResult EvaluateDirection(WindowedProblem problem, nn.Module<Tensor, Tensor> model, IReadOnlyList<TrainedMember> members, Device device)
    {
        var batch = Math.Max(problem.Config.Training.BatchSize, 256);
        var logits = ForecastEvaluator.Mean(members.Select(m => ForecastEvaluator.Predict(m.Model, problem, problem.TestOrigins, device, batch)).ToList());
        var probabilities = logits.Select(row => row.Select(z => DirectionTarget.ProbabilityOfRise(z)).ToArray()).ToArray();
        var trainUpRates = problem.DirectionCountsBySlot(problem.TrainOrigins).Select(c => (double)c.Up / (c.Up + c.Down)).ToArray();
        var scored = new List<ScoredDirection>();
        var flat = 0;
        for (var w = 0; w < problem.TestOrigins.Length; w++)
        {
            var labels = problem.DirectionLabels(problem.TestOrigins[w]);
            for (var i = 0; i < labels.Length; i++)
            {
                if (labels[i] == 0)
                {
                    flat += i < problem.TargetCount ? 1 : 0;
                    continue;
                }

                scored.Add(new ScoredDirection(probabilities[w][i], labels[i] > 0, (i / problem.TargetCount) + 1, trainUpRates[i]));
            }
        }

        return new DirectionFoldResult(
            problem.Split,
            members[0].Training.Training,
            DirectionClassification.Of(scored, flat),
            PermutationImportance.Compute(model, problem, device, problem.Config.Training.Seed),
            problem.TestOrigins,
            probabilities,
            trainUpRates[0])
        {
            Seeds = members.Select(m => m.Training).ToList(),
            Scored = scored,
        };
    }

    /// <summary>One seed's trained network and how its training went.</summary>
    internal sealed record TrainedMember(nn.Module<Tensor, Tensor> Model, SeedTraining Training);

    /// <summary>Stamps a training's reports with its fold and seed.</summary>
    private sealed class PartProgress(IProgress<TrainingProgress> inner, int fold, int seedIndex, int seed) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => inner.Report(value with { Fold = fold, SeedIndex = seedIndex, Seed = seed });
    }
}
