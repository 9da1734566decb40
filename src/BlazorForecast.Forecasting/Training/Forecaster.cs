using BlazorForecast.Forecasting.Data;
using BlazorForecast.Forecasting.Evaluation;
using static TorchSharp.torch;

namespace BlazorForecast.Forecasting.Training;

/// <summary>An interval around each forecast value at one nominal level.</summary>
public sealed record ForecastInterval(double Level, double[][] Lower, double[][] Upper);

/// <summary>
/// The next H values of each target after the last row of a series, with intervals, [step][target]; from a direction
/// model (<see cref="IsDirection"/>) the probability that each target is above its last value after each step, without
/// intervals.
/// </summary>
public sealed record FutureForecast(DateTime[] Times, IReadOnlyList<string> Targets, double[][] Values, IReadOnlyList<ForecastInterval> Intervals)
{
    public bool IsDirection { get; init; }

    /// <summary>
    /// From a universe model, a series it never saw: read with scalers fit on its own history and no series code, so the
    /// forecast rests on what the model learned from the others alone.
    /// </summary>
    public bool ZeroShot { get; init; }
}

/// <summary>
/// Forecasts from the latest data with a saved model, computing features exactly as at training time. Data the model
/// cannot read (a missing column, too little history) is refused with a <see cref="ForecastConfigException"/>.
/// </summary>
public static class Forecaster
{
    public static FutureForecast Forecast(ModelBundle bundle, TimeSeriesFrame frame)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        ArgumentNullException.ThrowIfNull(frame);
        if (bundle.Universe is { } universe)
        {
            throw new ForecastConfigException([$"This model was trained across {string.Join(", ", universe.Series)}: say which column to forecast."]);
        }

        return Forecast(bundle, frame, []);
    }

    /// <summary>
    /// A universe model's forecast of one column of the data: a series it was trained on with that series' scalers, code
    /// and intervals, or any other (zero-shot, labelled so) with scalers fit on the column's own history, no code and no
    /// intervals (nothing measured how far its forecasts miss).
    /// </summary>
    public static FutureForecast ForecastSeries(ModelBundle bundle, TimeSeriesFrame frame, string column)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(column);
        var universe = bundle.Universe ?? throw new ForecastConfigException(["This model was trained on one series; forecast it without naming a column."]);
        if (frame.Find(column) is null)
        {
            throw new ForecastConfigException([$"The data has no column '{column}'. Columns: {string.Join(", ", frame.Columns.Select(c => c.Name))}."]);
        }

        var series = UniverseConfig.SeriesFrame(frame, column);
        var index = universe.IndexOf(column);
        var code = new float[universe.CodeWidth];
        if (index >= 0)
        {
            if (code.Length > 0)
            {
                code[index] = 1;
            }

            var known = Forecast(bundle with
            {
                InputScaler = universe.InputScalers[index],
                TargetScaler = universe.TargetScalers[index],
                Intervals = universe.Intervals.Count > 0 ? universe.Intervals[index] : null,
            }, series, code);
            return known with { Targets = [universe.Series[index]] };
        }

        // Scalers as training would fit them, with the whole history as the training part.
        var rows = series.RowCount;
        var whole = WindowedProblem.Prepare(series, bundle.Config, new SeriesSplit(new Segment(0, rows), new Segment(rows, rows), new Segment(rows, rows)));
        var own = bundle with { InputScaler = whole.InputScaler, TargetScaler = whole.TargetScaler };
        return Forecast(own, series, code) with { Targets = [column], ZeroShot = true };
    }

    // The forecast from the data's last rows, each row's inputs followed by the series code.
    private static FutureForecast Forecast(ModelBundle bundle, TimeSeriesFrame frame, float[] code)
    {
        var config = bundle.Config;
        var problems = config.Targets.Where(t => frame.Find(t) is null).Select(t => $"The data has no column '{t}', which this model forecasts.")
            .Concat(config.Features.Where(f => f.Kind != FeatureKind.DayOfWeek && frame.Find(f.Column ?? "") is null)
                .Select(f => $"The data has no column '{f.Column}', which this model reads."))
            .Concat(config.Inputs.Where(i => frame.Find(i.Name) is null)
                .Select(i => $"The data has no column '{i.Name}', which this model reads (joined from {i.Source}, column {i.Column})."))
            .ToList();
        if (problems.Count > 0)
        {
            throw new ForecastConfigException(problems);
        }

        var warmUp = WindowedProblem.FeatureSpecsFor(config).Max(f => f.WarmUp);
        if (frame.RowCount < config.Lookback + warmUp)
        {
            throw new ForecastConfigException([$"This model needs at least {config.Lookback + warmUp} rows of history; the data has {frame.RowCount}."]);
        }

        var inputs = WindowedProblem.ScaledInputs(frame, config, bundle.InputScaler);
        var features = bundle.FeatureNames.Count;
        var width = features + code.Length;
        var window = new float[config.Lookback * width];
        for (var r = 0; r < config.Lookback; r++)
        {
            inputs.AsSpan((frame.RowCount - config.Lookback + r) * features, features).CopyTo(window.AsSpan(r * width));
            code.CopyTo(window.AsSpan((r * width) + features));
        }

        float[] output;
        using (var model = bundle.CreateModel())
        using (no_grad())
        using (NewDisposeScope())
        {
            output = model.call(BatchTensors.From(window, [1, config.Lookback, width], CPU)).data<float>().ToArray();
        }

        var values = new double[config.Horizon][];
        for (var k = 0; k < config.Horizon; k++)
        {
            values[k] = new double[config.Targets.Count];
        }

        var times = FutureTimes(frame.Timestamps[^1], bundle.Frequency, bundle.TypicalStep, config.Horizon);
        if (config.Direction is not null)
        {
            for (var i = 0; i < output.Length; i++)
            {
                values[i / config.Targets.Count][i % config.Targets.Count] = DirectionTarget.ProbabilityOfRise(output[i]);
            }

            return new FutureForecast(times, config.Targets, values, []) { IsDirection = true };
        }

        for (var j = 0; j < config.Targets.Count; j++)
        {
            var path = new double[config.Horizon];
            for (var k = 0; k < config.Horizon; k++)
            {
                path[k] = bundle.TargetScaler.Inverse(j, output[(k * config.Targets.Count) + j]);
            }

            var levels = TargetTransforms.ToLevels(frame.Find(config.Targets[j])!.Values[^1], path, config.Transform);
            for (var k = 0; k < config.Horizon; k++)
            {
                values[k][j] = levels[k];
            }
        }

        var intervals = bundle.Intervals is { } fitted ? Intervals(fitted, frame, config, values) : [];
        return new FutureForecast(times, config.Targets, values, intervals);
    }

    // Volatility-scaled half-widths take the scale of the data forecast from, as of its last row.
    private static List<ForecastInterval> Intervals(ConformalIntervals fitted, TimeSeriesFrame frame, ForecastConfig config, double[][] values)
    {
        var scales = config.Targets
            .Select(t => fitted.ScalesWithVolatility ? VolatilityScale.Of(frame.Find(t)!.Values, fitted.VolatilityDecay)[^1] : 1)
            .ToArray();
        return fitted.Levels.Select((level, l) => new ForecastInterval(level,
            values.Select((row, k) => row.Select((v, j) => v - fitted.HalfWidth(l, k, j, scales[j])).ToArray()).ToArray(),
            values.Select((row, k) => row.Select((v, j) => v + fitted.HalfWidth(l, k, j, scales[j])).ToArray()).ToArray())).ToList();
    }

    /// <summary>The next timestamps on the series' calendar: weekdays for business days, whole months for monthly data.</summary>
    public static DateTime[] FutureTimes(DateTime last, SeriesFrequency frequency, TimeSpan step, int count)
    {
        var times = new DateTime[count];
        var t = last;
        for (var k = 0; k < count; k++)
        {
            t = frequency switch
            {
                SeriesFrequency.BusinessDays => NextWeekday(t),
                SeriesFrequency.Daily => t.AddDays(1),
                SeriesFrequency.Weekly => t.AddDays(7),
                SeriesFrequency.Monthly => t.AddMonths(1),
                _ => t + (step > TimeSpan.Zero ? step : TimeSpan.FromDays(1)),
            };
            times[k] = t;
        }

        return times;
    }

    private static DateTime NextWeekday(DateTime t)
    {
        var next = t.AddDays(1);
        while (next.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday)
        {
            next = next.AddDays(1);
        }

        return next;
    }
}
