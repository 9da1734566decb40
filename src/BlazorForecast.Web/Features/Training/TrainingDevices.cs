using BlazorForecast.Forecasting.Training;
using BlazorForecast.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace BlazorForecast.Web.Features.Training;

/// <summary>Where a new run could train: whether a GPU can be had, and the devices in words for the new-run form.</summary>
public sealed record DeviceAvailability(bool CudaAvailable, string Summary);

/// <summary>
/// The devices runs can train on: this server's own (SQLite, training in-process), or, where training workers claim
/// runs, those of the workers alive now (seen within <see cref="Alive"/>), with a plain word when none is.
/// </summary>
public sealed class TrainingDevices(IDbContextFactory<ForecastDbContext> dbFactory, TimeProvider time, bool workersClaim)
{
    /// <summary>A worker not seen for this long is taken for gone (a few of its heartbeats, past its lease).</summary>
    public static readonly TimeSpan Alive = TimeSpan.FromSeconds(30);

    public async Task<DeviceAvailability> DescribeAsync(CancellationToken cancellationToken = default)
    {
        if (!workersClaim)
        {
            var devices = ComputeDevices.Probe();
            return new DeviceAvailability(devices.CudaAvailable, $"This server: {devices.Summary}");
        }

        var since = time.GetUtcNow().UtcDateTime - Alive;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var workers = await db.Workers.AsNoTracking().Where(w => w.LastSeenAt >= since).OrderBy(w => w.Name).ToListAsync(cancellationToken);
        if (workers.Count == 0)
        {
            return new DeviceAvailability(false, "No training worker is running: runs wait in the queue until one starts.");
        }

        var gpu = workers.Any(w => w.Device.StartsWith("cuda", StringComparison.OrdinalIgnoreCase));
        return new DeviceAvailability(gpu, $"Workers: {string.Join(", ", workers.Select(w => $"{w.Name} ({w.Device})"))}"
            + (gpu ? "" : "; none has a GPU, so cuda is not offered"));
    }
}
