using BlazorForecast.Web.Hosting;
using Microsoft.Extensions.Options;

namespace BlazorForecast.Web.Features.Datasets;

/// <summary>
/// Files being uploaded from the browser are streamed to disk here first (never held whole in memory), inspected,
/// then imported or discarded. Names are random; nothing staged is ever served back.
/// </summary>
public sealed class UploadStaging(IOptions<BlazorForecastOptions> options, TimeProvider time)
{
    private static readonly TimeSpan Abandoned = TimeSpan.FromHours(6);

    public string CreatePath()
    {
        var folder = options.Value.StagingDirectoryPath;
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, $"{Guid.NewGuid():N}.upload");
    }

    public static void Discard(string? path)
    {
        if (path is not null && File.Exists(path))
        {
            File.Delete(path);
        }
    }

    /// <summary>Removes uploads left behind by closed browsers or a stopped server.</summary>
    public void RemoveAbandoned()
    {
        var folder = options.Value.StagingDirectoryPath;
        if (!Directory.Exists(folder))
        {
            return;
        }

        var cutoff = time.GetUtcNow().UtcDateTime - Abandoned;
        foreach (var file in Directory.EnumerateFiles(folder, "*.upload"))
        {
            if (File.GetLastWriteTimeUtc(file) < cutoff)
            {
                File.Delete(file);
            }
        }
    }
}
