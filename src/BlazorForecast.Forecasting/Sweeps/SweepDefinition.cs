using System.Text.Json.Nodes;
using BlazorForecast.Forecasting.Training;

namespace BlazorForecast.Forecasting.Sweeps;

/// <summary>
/// How a sweep searches, beside its base config: the space (JSON as <see cref="SearchSpace.Parse"/> reads it), the
/// method and its seed, the budget (trials, wall time, trials at once), the early-stopping rule across trials, and
/// whether the best trial is retrained at once or waits for someone to pick, and whether an ensemble of the best is
/// scored beside it.
/// </summary>
public sealed record SweepDefinition
{
    public JsonObject Space { get; init; } = [];

    public SweepMethod Method { get; init; } = SweepMethod.Tpe;

    /// <summary>Seeds the sampler (and a grid's order); trials train with the base config's seed.</summary>
    public int Seed { get; init; } = 1;

    public int MaxTrials { get; init; } = 20;

    /// <summary>No trial starts after this long; null for the server's limit.</summary>
    public TimeSpan? MaxWallTime { get; init; }

    /// <summary>Trials queued or training at once (they queue like any run, so they spread over the devices).</summary>
    public int Concurrency { get; init; } = 1;

    public EarlyStoppingRule EarlyStopping { get; init; } = EarlyStoppingRule.SuccessiveHalving;

    /// <summary>The first rung of successive halving, and the warm-up of the median rule, in epochs.</summary>
    public int MinEpochs { get; init; } = 2;

    /// <summary>Successive halving keeps the best 1/η at each rung; rungs are η times apart.</summary>
    public int ReductionFactor { get; init; } = 3;

    /// <summary>Besides the single best, an ensemble of the best trials (retrained on the base seeds), scored on test beside it.</summary>
    public SweepEnsemble Ensemble { get; init; } = SweepEnsemble.None;

    /// <summary>How many of the best trials an ensemble considers: all of them averaged (top-k), or chosen among (greedy).</summary>
    public int EnsembleSize { get; init; } = 3;

    public const int MaxEnsembleSize = 10;

    /// <summary>
    /// Retrain the best trial by validation loss as soon as the search ends; when false, the sweep waits for someone to
    /// pick the trial to retrain (test scores stay hidden until then either way).
    /// </summary>
    public bool PickAutomatically { get; init; } = true;

    /// <summary>Parses <see cref="Space"/>; throws <see cref="SweepSpaceException"/> with every problem in it.</summary>
    public SearchSpace ParseSpace() => SearchSpace.Parse(Space.ToJsonString());

    /// <summary>Every problem with the search settings against the server's limits and the base config, in words; empty when the sweep can run.</summary>
    public IReadOnlyList<string> Problems(RunLimits limits, ForecastConfig baseConfig)
    {
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(baseConfig);
        var problems = new List<string>();
        SearchSpace? space = null;
        try
        {
            space = ParseSpace();
        }
        catch (SweepSpaceException ex)
        {
            problems.AddRange(ex.Problems);
        }

        if (!Enum.IsDefined(Method))
        {
            problems.Add($"Unknown search method '{Method}'; use Grid, Random or Tpe.");
        }
        else if (Method == SweepMethod.Grid && space is not null)
        {
            try
            {
                _ = new GridSampler(space, Seed);
            }
            catch (SweepSpaceException ex)
            {
                problems.AddRange(ex.Problems);
            }
        }

        if (MaxTrials < 1 || MaxTrials > limits.MaxSweepTrials)
        {
            problems.Add($"The number of trials must be from 1 to {limits.MaxSweepTrials:N0} on this server, not {MaxTrials:N0}.");
        }

        if (Concurrency < 1 || Concurrency > limits.MaxSweepConcurrency)
        {
            problems.Add($"Trials at once must be from 1 to {limits.MaxSweepConcurrency} on this server, not {Concurrency:N0}.");
        }

        if (MaxWallTime is TimeSpan wallTime && (wallTime <= TimeSpan.Zero || wallTime > limits.MaxSweepWallTime))
        {
            problems.Add($"The sweep's time limit must be above zero and at most {limits.MaxSweepWallTime} on this server, not {wallTime}.");
        }

        if (!Enum.IsDefined(EarlyStopping))
        {
            problems.Add($"Unknown early-stopping rule '{EarlyStopping}'; use None, SuccessiveHalving or Median.");
        }
        else if (EarlyStopping != EarlyStoppingRule.None && (MinEpochs < 1 || MinEpochs > limits.MaxEpochs))
        {
            problems.Add($"The minimum epochs before a trial may be stopped must be from 1 to {limits.MaxEpochs:N0}, not {MinEpochs:N0}.");
        }

        if (EarlyStopping == EarlyStoppingRule.SuccessiveHalving && (ReductionFactor < 2 || ReductionFactor > 10))
        {
            problems.Add($"The reduction factor must be from 2 to 10, not {ReductionFactor:N0}.");
        }

        if (!Enum.IsDefined(Ensemble))
        {
            problems.Add($"Unknown ensemble '{Ensemble}'; use None, TopK or Greedy.");
        }
        else if (Ensemble != SweepEnsemble.None && (EnsembleSize < 2 || EnsembleSize > MaxEnsembleSize))
        {
            problems.Add($"An ensemble takes from 2 to {MaxEnsembleSize} of the best trials, not {EnsembleSize:N0}.");
        }
        else if (Ensemble != SweepEnsemble.None && baseConfig.WalkForwardFolds >= 2)
        {
            problems.Add("An ensemble needs one chronological split: walk-forward folds each have their own test segment. Set the base config's folds to none, or the ensemble to None.");
        }

        return problems;
    }

    /// <summary>The rule that stops trials early for a base config of this many epochs, or null for none.</summary>
    public TrialPruner? CreatePruner(int maxEpochs) => TrialPruner.Create(EarlyStopping, MinEpochs, ReductionFactor, maxEpochs);
}
