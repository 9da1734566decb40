using BlazorForecast.Web.Hosting;
using Microsoft.Extensions.Options;

namespace BlazorForecast.Web.Features.Datasets;

/// <summary>
/// Files being uploaded from the browser are streamed to disk here first (never held whole in memory), inspected,
/// then imported or discarded. Names are random; nothing staged is ever served back. The upload dialog discards its
/// file when the import fails, is cancelled or the browser goes away; <see cref="StagedUploadSweeper"/> removes what
/// a crash or a locked file left behind.
/// </summary>
public sealed class UploadStaging(IOptions<BlazorForecastOptions> options, TimeProvider time)
{
    /// <summary>How long a staged file may wait for its import before it counts as abandoned.</summary>
    public static readonly TimeSpan Abandoned = TimeSpan.FromHours(6);

    public string CreatePath()
    {
        var folder = options.Value.StagingDirectoryPath;
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, $"{Guid.NewGuid():N}.upload");
    }

    /// <summary>Deletes a staged file; one that cannot be deleted now (still open elsewhere) is left to the sweeper.</summary>
    public static void Discard(string? path)
    {
        if (path is null)
        {
            return;
        }

        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The sweeper removes it once it is older than Abandoned.
        }
    }

    /// <summary>Removes uploads older than <see cref="Abandoned"/>; how many it removed.</summary>
    public int RemoveAbandoned()
    {
        var folder = options.Value.StagingDirectoryPath;
        if (!Directory.Exists(folder))
        {
            return 0;
        }

        var cutoff = time.GetUtcNow().UtcDateTime - Abandoned;
        var removed = 0;
        foreach (var file in Directory.EnumerateFiles(folder, "*.upload"))
        {
            if (File.GetLastWriteTimeUtc(file) < cutoff)
            {
                Discard(file);
                removed += File.Exists(file) ? 0 : 1;
            }
        }

        return removed;
    }
}
