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
}
