namespace BlazorForecast.Web.Hosting;

/// <summary>Settings under "BlazorForecast" in configuration (appsettings, environment BlazorForecast__..., command line).</summary>
public sealed class BlazorForecastOptions
{
    public const string Section = "BlazorForecast";

    /// <summary>Folder for the SQLite file and upload staging, relative to the working directory.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>Largest CSV accepted, in bytes (100 MB by default).</summary>
    public long MaxUploadBytes { get; set; } = 100L * 1024 * 1024;

    /// <summary>Most columns a CSV may have.</summary>
    public int MaxColumns { get; set; } = 64;

    /// <summary>Seed the synthetic demo dataset when the database is created.</summary>
    public bool SeedDemoDataset { get; set; } = true;

    public string DataDirectoryPath => Path.GetFullPath(DataDirectory);

    public string StagingDirectoryPath => Path.Combine(DataDirectoryPath, "staging");
}
