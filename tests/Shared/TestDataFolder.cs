namespace BlazorForecast.Testing;

/// <summary>Linked into the web and browser test projects. A fresh folder for one test's SQLite file and staging area, deleted afterwards.</summary>
public sealed class TestDataFolder : IDisposable
{
    public TestDataFolder() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "blazorforecast-tests", Guid.NewGuid().ToString("N"));

    public string DatabasePath => System.IO.Path.Combine(Path, "blazorforecast.db");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}
