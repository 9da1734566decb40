using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace BlazorForecast.Testing;

/// <summary>
/// Linked into the test projects. One throwaway PostgreSQL cluster per test process, made from
/// Debian's packages (initdb, pg_ctl) in a temporary folder, listening on a free loopback port with fsync off, and
/// stopped with its folder removed when the process exits. As root it runs as the postgres user, which initdb insists
/// on. Each app's data folder has a database of its own. Where PostgreSQL is not installed, <see cref="Unavailable"/> says so and
/// tests that need it are skipped with that reason.
/// </summary>
public static class PostgresTestServer
{
    private static readonly Lazy<(string? ConnectionString, string? Problem)> Cluster = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Why there is no server (PostgreSQL is not installed, or its cluster would not start); null when there is one.</summary>
    public static string? Unavailable => Cluster.Value.Problem;

    /// <summary>The cluster's own connection string (its postgres database), for a client that makes databases of its own.</summary>
    public static string ServerConnectionString => Cluster.Value.ConnectionString ?? throw new InvalidOperationException(Unavailable);

    /// <summary>
    /// The database that belongs to an app's data folder, empty the first time it is asked for: an app started again on
    /// the same folder (a restart) finds what the first one stored, as it would its SQLite file.
    /// </summary>
    public static async Task<string> DatabaseOfFolderAsync(string folder)
    {
        var name = "test_" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(folder)))[..32];
        var server = Cluster.Value.ConnectionString ?? throw new InvalidOperationException(Unavailable);
        await using (var connection = new NpgsqlConnection(server))
        {
            await connection.OpenAsync();
            await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection);
            exists.Parameters.AddWithValue("name", name);
            if (await exists.ExecuteScalarAsync() is null)
            {
                await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
                await create.ExecuteNonQueryAsync();
            }
        }

        return new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
    }

    /// <summary>Skips the calling test, with the reason, where there is no PostgreSQL to test against.</summary>
    public static void SkipIfUnavailable() => Skip.If(Unavailable is not null, Unavailable);

    private static (string?, string?) Start()
    {
        var bin = Environment.GetEnvironmentVariable("BLAZORFORECAST_POSTGRES_BIN") ?? FindBin();
        if (bin is null || !File.Exists(Path.Combine(bin, "initdb")))
        {
            return (null, "PostgreSQL is not installed (no initdb under /usr/lib/postgresql/*/bin; apt-get install -y postgresql, or set BLAZORFORECAST_POSTGRES_BIN).");
        }

        var root = Path.Combine(Path.GetTempPath(), "blazorforecast-postgres");
        RemoveStaleClusters(root);
        var folder = Path.Combine(root, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var asRoot = Environment.UserName == "root";
        if (asRoot)
        {
            Run("chown", ["-R", "postgres", Path.GetDirectoryName(folder)!]);
        }

        var port = FreePort();
        var data = Path.Combine(folder, "data");
        var init = Postgres(bin, asRoot, "initdb", "-D", data, "-A", "trust", "-U", "postgres", "--no-sync");
        if (init is not null)
        {
            return (null, $"PostgreSQL's initdb failed: {init}");
        }

        var start = Postgres(bin, asRoot, "pg_ctl", "-D", data, "-l", Path.Combine(folder, "server.log"), "-w", "start",
            "-o", $"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=1000");
        if (start is not null)
        {
            return (null, $"PostgreSQL would not start: {start}");
        }

        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            Postgres(bin, asRoot, "pg_ctl", "-D", data, "-m", "immediate", "-w", "stop");
            Directory.Delete(folder, recursive: true);
        };
        return ($"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Include Error Detail=true;Maximum Pool Size=20", null);
    }

    // One of PostgreSQL's programs; as root, run as the postgres user (initdb refuses root). Its output when it fails, else null.
    private static string? Postgres(string bin, bool asRoot, string program, params string[] arguments) => asRoot
        ? Run("runuser", ["-u", "postgres", "--", Path.Combine(bin, program), .. arguments])
        : Run(Path.Combine(bin, program), arguments);

    // Clusters of earlier test processes that were killed before they could remove their own (a test host is often
    // ended without its exit handlers running): older than a few minutes, with no server running. The PostgreSQL suite's
    // cluster alone grows to a few gigabytes, so left behind they fill the disk.
    private static void RemoveStaleClusters(string root)
    {
        if (!Directory.Exists(root))
        {
            return;
        }

        foreach (var cluster in Directory.GetDirectories(root).Where(d => Directory.GetCreationTimeUtc(d) < DateTime.UtcNow.AddMinutes(-10)))
        {
            var pidFile = Path.Combine(cluster, "data", "postmaster.pid");
            if (File.Exists(pidFile) && int.TryParse(File.ReadLines(pidFile).FirstOrDefault(), out var pid) && IsRunning(pid))
            {
                continue;
            }

            try
            {
                Directory.Delete(cluster, recursive: true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Another user's, or still being removed: left as it is.
            }
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static string? FindBin() => Directory.Exists("/usr/lib/postgresql")
        ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(Directory.Exists)
            .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var version) ? version : 0).FirstOrDefault()
        : null;

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    // The command's output when it fails, else null.
    private static string? Run(string file, IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? null : $"{error}{output.Result}".Trim();
    }
}
