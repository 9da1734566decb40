using BlazorForecast.Forecasting.Data;
using BlazorForecast.Forecasting.Training;

namespace BlazorForecast.Forecasting.Sweeps;

/// <summary>
/// The configs a sweep trains, the same headless and in the web app: trials on one seed within the server's limits,
/// each with its point written in (or the reason its combination cannot run), and the chosen one on the base seeds.
/// </summary>
public static class TrialConfigs
{
    /// <summary>What every trial starts from: the base config on one seed, as this server trains it.</summary>
    public static ForecastConfig Base(ForecastConfig baseConfig, RunLimits limits)
    {
        ArgumentNullException.ThrowIfNull(baseConfig);
        ArgumentNullException.ThrowIfNull(limits);
        return limits.Apply(OnSeeds(baseConfig, 1));
    }

    /// <summary>A trial's config, or the base with the reason this combination of values cannot run on the series.</summary>
    public static (ForecastConfig Config, string? Problem) At(
        SearchSpace space, ForecastConfig trialBase, IReadOnlyList<double> point, TimeSeriesFrame frame, RunLimits limits)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(limits);
        ForecastConfig config;
        try
        {
            config = space.Apply(trialBase, point);
        }
        catch (ForecastConfigException ex)
        {
            return (trialBase, ex.Message);
        }

        var problems = config.Problems(frame).Concat(limits.Problems(config)).ToList();
        return problems.Count == 0 ? (config, null) : (config, $"This combination cannot run: {string.Join(" ", problems)}");
    }

    /// <summary>
    /// What a trial trains, as text: its config with the model settings its kind does not read put back to their
    /// defaults. Two trials with the same identity train the same network on the same data, so the later one need not
    /// train (e.g. DLinear trials that differ only in hidden size).
    /// </summary>
    public static string Identity(ForecastConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return System.Text.Json.JsonSerializer.Serialize(config with { Model = config.Model.AsRead() }, ForecastJson.Options);
    }

    /// <summary>Why a trial was not trained: the earlier trial that trains the same network.</summary>
    public static string SameAsDetail(int earlierNumber, ForecastConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return $"Not trained: the same network as trial {earlierNumber + 1}, since {config.Model.Kind} does not read the settings that differ. It shares that trial's validation loss.";
    }

    /// <summary>A config trained on this many seeds (a trial retrained as the sweep's result, or an ensemble's member).</summary>
    public static ForecastConfig OnSeeds(ForecastConfig config, int seeds)
    {
        ArgumentNullException.ThrowIfNull(config);
        return config with { Training = config.Training with { Seeds = seeds } };
    }
}
