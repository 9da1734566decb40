using BlazorForecast.Forecasting.Data;
using BlazorForecast.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace BlazorForecast.Web.Features.Datasets;

/// <summary>
/// A dataset's values read from the database as a frame, recently used ones kept in a size-bounded cache: what the
/// pages, the API and every training (in the web process or on a worker) read, with no access checks of its own.
/// </summary>
public sealed class DatasetFrames(IDbContextFactory<ForecastDbContext> dbFactory, DatasetFrameCache cache)
{
    /// <summary>The dataset's values, or null when it does not exist.</summary>
    public async Task<TimeSeriesFrame?> GetAsync(int id, CancellationToken cancellationToken = default)
    {
        if (cache.TryGet(id, out var cached))
        {
            return cached;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var timeline = await db.DatasetTimelines.AsNoTracking().FirstOrDefaultAsync(t => t.DatasetId == id, cancellationToken);
        if (timeline is null)
        {
            return null;
        }

        var columns = await db.DatasetColumns.AsNoTracking().Where(c => c.DatasetId == id).OrderBy(c => c.Ordinal).ToListAsync(cancellationToken);
        var frame = new TimeSeriesFrame(
            SeriesBlob.ToTimestamps(timeline.Ticks),
            columns.Select(c => new SeriesColumn(c.Name, c.SourceName, c.Role, SeriesBlob.ToDoubles(c.Values))).ToList());
        cache.Set(id, frame);
        return frame;
    }

    /// <summary>
    /// The series a run with this config trains and is scored on: the dataset's, with the config's inputs (each from the
    /// dataset whose id is its source) joined to its dates as of each date. Null when the dataset does not exist; a
    /// <see cref="JoinException"/> with the reasons when an input's dataset is gone or the join cannot be made.
    /// </summary>
    public async Task<JoinedFrame?> ForConfigAsync(int id, Forecasting.Training.ForecastConfig config, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (await GetAsync(id, cancellationToken) is not { } frame)
        {
            return null;
        }

        if (config.Inputs.Count == 0)
        {
            return new JoinedFrame(frame, new JoinReport(frame.RowCount, frame.RowCount, frame.RowCount == 0 ? null : frame.Timestamps[0], []));
        }

        var inputs = new List<(JoinedInput, TimeSeriesFrame)>();
        var missing = new List<string>();
        foreach (var input in config.Inputs)
        {
            if (InputDatasetId(input) is int source && await GetAsync(source, cancellationToken) is { } series)
            {
                inputs.Add((input, series));
            }
            else
            {
                missing.Add(Missing(input));
            }
        }

        return missing.Count > 0 ? throw new JoinException(missing) : AsOfJoin.Join(frame, inputs);
    }

    /// <summary>What is said of an input whose dataset is gone, or is one the person may not read (it looks the same).</summary>
    public static string Missing(JoinedInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return $"Input '{input.Name}' reads dataset {input.Source}, which does not exist.";
    }

    /// <summary>The dataset an input reads (its source is the dataset's id); null when the source is not one.</summary>
    public static int? InputDatasetId(JoinedInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return int.TryParse(input.Source, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id) ? id : null;
    }
}
