using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using BlazorForecast.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace BlazorForecast.Cli.Commands;

/// <summary>
/// `bench runs`: whether the runs list stays fast with thousands of runs. Starts the web app as its own process, adds
/// N finished runs straight into its SQLite file, then times `GET /api/runs` pages (first, middle, last) and the Runs
/// page in headless Chromium until its first page of rows is shown.
/// </summary>
public static class RunsListBenchmark
{
    private const string Usable = "document.body?.dataset.interactive === 'true' && document.querySelectorAll('[data-testid=runs-table] tbody tr').length >= 25";

    public static async Task<int> RunAsync(CliArguments args, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        var count = args.WholeNumber("runs", 5000, 100);
        var chromium = args.Value("chromium") ?? ChromiumPage.DefaultPath;

        await using var server = await AppServerProcess.StartAsync("Development");
        var datasetId = await server.FirstDatasetIdAsync();
        await AddRunsAsync(server.DatabasePath, datasetId, count);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{count:N0} finished runs in the database of {server.Address}"));

        foreach (var (label, skip) in new[] { ("first page", 0), ("middle page", count / 2), ("last page", count - 50) })
        {
            var times = new List<double>();
            for (var i = 0; i < 7; i++)
            {
                var clock = Stopwatch.StartNew();
                var page = await server.Http.GetFromJsonAsync<JsonElement>($"/api/runs?skip={skip}&take=50");
                clock.Stop();
                if (page.GetArrayLength() != 50)
                {
                    throw new InvalidOperationException($"Expected 50 runs on the {label}, got {page.GetArrayLength()}.");
                }

                times.Add(clock.Elapsed.TotalMilliseconds);
            }

            times.Sort();
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"  GET /api/runs {label} (50 rows): median {times[times.Count / 2]:F1} ms, max {times[^1]:F1} ms"));
        }

        await using var browser = await ChromiumPage.StartAsync(chromium);
        await server.SignInAsync(browser);
        var runsPage = new Uri(server.Address, "runs");
        await browser.TimeNavigationAsync(runsPage, Usable, TimeSpan.FromSeconds(120));
        var visits = new List<double>();
        for (var i = 0; i < 3; i++)
        {
            visits.Add((await browser.TimeNavigationAsync(runsPage, Usable, TimeSpan.FromSeconds(60))).TotalSeconds);
        }

        visits.Sort();
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"  Runs page, first 25 rows shown: median {visits[1]:F2} s (after a warm-up visit; {string.Join(", ", visits.Select(v => v.ToString("F2", CultureInfo.InvariantCulture)))} s)"));
        return 0;
    }

    // Finished runs with spread-out times and scores, written in one transaction as the worker would leave them.
    private static async Task AddRunsAsync(string database, int datasetId, int count)
    {
        var options = new DbContextOptionsBuilder<ForecastDbContext>().UseSqlite($"Data Source={database}").Options;
        await using var db = new ForecastDbContext(options);
        await using var transaction = await db.Database.BeginTransactionAsync();
        var random = new Random(3);
        var kinds = new[] { "Lstm", "Gru", "Cnn", "Transformer", "DLinear", "Mlp" };
        var start = DateTime.UtcNow.AddDays(-count / 24.0);
        for (var i = 0; i < count; i++)
        {
            var created = start.AddHours(i);
            db.Runs.Add(new Run
            {
                DatasetId = datasetId,
                Name = string.Create(CultureInfo.InvariantCulture, $"benchmark run {i + 1}"),
                ConfigJson = "{}",
                ModelKind = kinds[i % kinds.Length],
                Status = RunStatus.Succeeded,
                CreatedAt = created,
                StartedAt = created,
                FinishedAt = created.AddMinutes(5),
                Device = "cpu",
                EpochsDone = 20,
                MaxEpochs = 20,
                BestValidationLoss = random.NextDouble(),
                TestRmse = 1 + random.NextDouble(),
                StatusDetail = "Ran all 20 epochs.",
            });
        }

        await db.SaveChangesAsync();
        await transaction.CommitAsync();
    }
}
