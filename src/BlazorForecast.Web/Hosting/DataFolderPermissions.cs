namespace BlazorForecast.Web.Hosting;

/// <summary>
/// The data folder holds market data, models, password and token hashes and the keys that protect sign-in cookies:
/// on Linux and macOS it is made readable by the app's own user only (folders 0700, files 0600), including what is
/// already there from an older version. Windows keeps the folder's inherited access rules.
/// </summary>
public static class DataFolderPermissions
{
    private const UnixFileMode Folder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode File = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Restricts the folder and everything in it; the paths it could not change (e.g. owned by another user).</summary>
    public static IReadOnlyList<string> Restrict(string dataDirectory)
    {
        if (OperatingSystem.IsWindows() || !Directory.Exists(dataDirectory))
        {
            return [];
        }

        var refused = new List<string>();
        void Set(string path, UnixFileMode mode)
        {
            try
            {
                System.IO.File.SetUnixFileMode(path, mode);
            }
            catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
            {
                refused.Add(path);
            }
        }

        Set(dataDirectory, Folder);
        foreach (var folder in Directory.EnumerateDirectories(dataDirectory, "*", SearchOption.AllDirectories))
        {
            Set(folder, Folder);
        }

        foreach (var file in Directory.EnumerateFiles(dataDirectory, "*", SearchOption.AllDirectories))
        {
            Set(file, File);
        }

        return refused;
    }
}
