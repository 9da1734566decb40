namespace BlazorForecast.Testing;

/// <summary>
/// Linked into every test project. Locates the real market data in ../shared/datasets beside the repository (or BLAZORFORECAST_DATASETS).
/// Tests that need it call <see cref="PathOf"/>, which skips them with the reason when the folder is absent.
/// </summary>
public static class SharedDatasets
{
    public static string? Folder { get; } = Locate();

    public static string PathOf(string fileName)
    {
        Skip.If(Folder is null, "../shared/datasets is not present next to the repository (set BLAZORFORECAST_DATASETS to its path).");
        var path = Path.Combine(Folder!, fileName);
        Skip.IfNot(File.Exists(path), $"{fileName} is not in {Folder}.");
        return path;
    }

    private static string? Locate()
    {
        var configured = Environment.GetEnvironmentVariable("BLAZORFORECAST_DATASETS");
        if (!string.IsNullOrEmpty(configured))
        {
            return Directory.Exists(configured) ? configured : null;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "BlazorForecast.sln")))
            {
                var shared = Path.Combine(dir.FullName, "..", "shared", "datasets");
                return Directory.Exists(shared) ? Path.GetFullPath(shared) : null;
            }
        }

        return null;
    }
}
