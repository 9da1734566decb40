using System.Diagnostics;

namespace BlazorForecast.Testing;

/// <summary>
/// Real `blazorforecast worker` processes (the command line built beside the tests, in the same configuration) for
/// tests of training workers on other machines; none outlives its test. Each keeps what it printed, for a failure's message.
/// </summary>
public sealed class WorkerProcesses : IAsyncDisposable
{
    private readonly List<(Process Process, System.Text.StringBuilder Output)> _workers = [];

    /// <summary>Where the command line is, or null where it is not built (tests that need it are skipped with <see cref="NotBuilt"/>).</summary>
    public static string? CommandLine { get; } = FindCommandLine();

    public const string NotBuilt = "The command line (src/BlazorForecast.Cli) is not built beside the tests.";

    /// <summary>
    /// Starts a worker on the database, on one thread (so its kernels sum as a single-threaded run's do), with a lease of
    /// three seconds so a killed worker's run is taken up again quickly.
    /// </summary>
    public Process Start(string database, string name)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { CommandLine ?? throw new InvalidOperationException(NotBuilt), "worker", "--database", database, "--name", name, "--threads", "1" })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["BlazorForecast__Worker__Lease"] = "00:00:03";
        start.Environment["BlazorForecast__Worker__Heartbeat"] = "00:00:00.500";
        var process = Process.Start(start)!;
        var output = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, line) => { lock (output) { output.AppendLine(line.Data); } };
        process.ErrorDataReceived += (_, line) => { lock (output) { output.AppendLine(line.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _workers.Add((process, output));
        return process;
    }

    /// <summary>What the workers printed so far, each under its process id.</summary>
    public string Output()
    {
        var text = new System.Text.StringBuilder();
        foreach (var (process, output) in _workers)
        {
            lock (output)
            {
                text.Append("worker ").Append(process.Id).AppendLine(":").Append(output);
            }
        }

        return text.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (process, _) in _workers)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }

            process.Dispose();
        }
    }

    private static string? FindCommandLine()
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "BlazorForecast.sln")))
            {
                var cli = Path.Combine(dir.FullName, "src", "BlazorForecast.Cli", "bin", configuration, "net10.0", "blazorforecast.dll");
                return File.Exists(cli) ? cli : null;
            }
        }

        return null;
    }
}
