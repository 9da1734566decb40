using System.Diagnostics;
using System.Globalization;
using BlazorForecast.Forecasting.Data;

namespace BlazorForecast.Cli.Commands;

/// <summary>
/// `bench import`: parses and validates a generated Yahoo-style OHLCV CSV several times and reports the best and
/// median wall time, throughput and memory, beside pandas.read_csv(parse_dates=["Date"]) on the same file.
/// </summary>
public static class ImportBenchmark
{
    private const string PandasScript = """
        import sys, time
        import pandas as pd
        path, runs = sys.argv[1], int(sys.argv[2])
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            frame = pd.read_csv(path, parse_dates=["Date"])
            times.append(time.perf_counter() - start)
        print(" ".join(f"{t:.6f}" for t in times), len(frame), pd.__version__)
        """;

    public static async Task<int> RunAsync(CliArguments args, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        var rows = args.WholeNumber("rows", 1_000_000, 1);
        var runs = args.WholeNumber("runs", 3, 1);
        var path = args.Value("file") ?? Path.Combine(Path.GetTempPath(), $"blazorforecast-bench-ohlcv-{rows}.csv");
        if (!File.Exists(path))
        {
            await output.WriteLineAsync($"Generating {rows:N0} rows into {path} ...");
            SyntheticMarketData.WriteYahooCsv(path, rows, seed: 42);
        }

        var bytes = new FileInfo(path).Length;
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"File: {path} ({bytes / 1e6:F1} MB)"));

        var seconds = new List<double>(runs);
        var importedRows = 0;
        long allocated = 0;
        for (var run = 0; run < runs; run++)
        {
            GC.Collect();
            var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            var watch = Stopwatch.StartNew();
            await using (var stream = File.OpenRead(path))
            {
                importedRows = CsvImporter.Import(stream, new CsvImportOptions()).Frame.RowCount;
            }

            seconds.Add(watch.Elapsed.TotalSeconds);
            allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  BlazorForecast run {run + 1}: {seconds[^1]:F3} s"));
        }

        var best = seconds.Min();
        var median = Median(seconds);
        using var process = Process.GetCurrentProcess();
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"BlazorForecast importer: {importedRows:N0} rows, best {best:F3} s, median {median:F3} s, {importedRows / best / 1e6:F2} M rows/s, {bytes / best / 1e6:F0} MB/s, allocated {allocated / 1e6:F0} MB per import, peak working set {process.PeakWorkingSet64 / 1e6:F0} MB"));

        if (!args.Has("no-pandas"))
        {
            await ComparePandasAsync(path, runs, best, output);
        }

        return 0;
    }

    private static async Task ComparePandasAsync(string path, int runs, double ours, TextWriter output)
    {
        var python = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
        var start = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(PandasScript);
        start.ArgumentList.Add(path);
        start.ArgumentList.Add(runs.ToString(CultureInfo.InvariantCulture));
        try
        {
            using var process = Process.Start(start)!;
            var stdout = await process.StandardOutput.ReadToEndAsync();
            var stderr = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            if (process.ExitCode != 0)
            {
                await output.WriteLineAsync($"pandas: not available ({stderr.Trim().Split('\n')[^1]}); on Debian: apt-get install python3-pandas");
                return;
            }

            var parts = stdout.Trim().Split(' ');
            var times = parts[..runs].Select(t => double.Parse(t, CultureInfo.InvariantCulture)).ToList();
            var best = times.Min();
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"pandas {parts[^1]} read_csv(parse_dates): {parts[^2]} rows, best {best:F3} s, median {Median(times):F3} s"));
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"Speed-up over pandas (best vs best): {best / ours:F2}x"));
        }
        catch (System.ComponentModel.Win32Exception)
        {
            await output.WriteLineAsync("pandas: python3 not found; on Debian: apt-get install python3-pandas");
        }
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        var mid = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
