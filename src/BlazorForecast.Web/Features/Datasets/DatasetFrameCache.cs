using BlazorForecast.Forecasting.Data;
using Microsoft.Extensions.Caching.Memory;

namespace BlazorForecast.Web.Features.Datasets;

/// <summary>
/// Recently viewed series, bounded by their size in memory (256 MB), so paging a preview or zooming a chart does not
/// re-read BLOBs from SQLite each time. Its own cache, so the bound never applies to anyone else's entries.
/// </summary>
public sealed class DatasetFrameCache : IDisposable
{
    private const long SizeLimitBytes = 256L * 1024 * 1024;

    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = SizeLimitBytes });

    public bool TryGet(int datasetId, out TimeSeriesFrame? frame) => _cache.TryGetValue(datasetId, out frame);

    public void Set(int datasetId, TimeSeriesFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        _cache.Set(datasetId, frame, new MemoryCacheEntryOptions
        {
            Size = Math.Max(1, (long)frame.RowCount * (frame.Columns.Count + 1) * sizeof(double)),
            SlidingExpiration = TimeSpan.FromMinutes(20),
        });
    }

    public void Remove(int datasetId) => _cache.Remove(datasetId);

    public void Dispose() => _cache.Dispose();
}
