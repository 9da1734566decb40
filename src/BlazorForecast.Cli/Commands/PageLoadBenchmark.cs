using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using BlazorForecast.Forecasting.Data;
using BlazorForecast.Forecasting.Models;
using BlazorForecast.Forecasting.Training;
using BlazorForecast.Web.Features.Runs;

namespace BlazorForecast.Cli.Commands;

/// <summary>
/// `bench page`: how long a finished run's page takes to become usable in Chromium — the Blazor circuit up and the
/// prediction chart drawn — for a dataset of 10,000 rows. Starts the web app as its own process, uploads a generated
/// OHLCV series, trains a small model, opens the run page once to warm the server, then times it repeatedly (the first
/// time with an empty browser cache). The app
/// runs as under `dotnet run` (Development, static files from the build), so published deployments load faster.
/// </summary>
public static class PageLoadBenchmark
{
    private const string Usable =
        "document.body?.dataset.interactive === 'true' && !!document.querySelector('[data-testid=prediction-chart] .js-plotly-plot .scatterlayer .trace')";

    public static async Task<int> RunAsync(CliArguments args, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        var rows = args.WholeNumber("rows", 10_000, 200);
        var runs = args.WholeNumber("runs", 5, 1);
        var chromium = args.Value("chromium") ?? ChromiumPage.DefaultPath;

        await using var server = await AppServerProcess.StartAsync("Development");
        var runId = await TrainedRunAsync(server, rows);
        await using var browser = await ChromiumPage.StartAsync(chromium);
        await server.SignInAsync(browser);
        var page = new Uri(server.Address, $"runs/{runId}");
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Run page of a {rows:N0}-row dataset (MLP, horizon 5) at {page}; usable = Blazor interactive and the prediction chart drawn."));

        // The first visit also warms the server (JIT, first render of the components): reported, not counted.
        var first = await browser.TimeNavigationAsync(page, Usable, TimeSpan.FromSeconds(120));
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  first visit after start-up (server warming up): {first.TotalSeconds:F2} s"));

        var times = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            if (i == 0)
            {
                await browser.ClearCacheAsync();
            }

            var elapsed = await browser.TimeNavigationAsync(page, Usable, TimeSpan.FromSeconds(60));
            times.Add(elapsed.TotalSeconds);
            var points = (await browser.EvaluateAsync("document.querySelector('[data-testid=prediction-chart]').dataset.points"))?.GetValue<string>();
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"  navigation {i + 1}{(i == 0 ? " (empty cache)" : "")}: usable after {elapsed.TotalSeconds:F2} s ({points} test points on the chart)"));
        }

        var warm = times.Skip(1).Order().ToList();
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Usable in {times[0]:F2} s with an empty cache{(warm.Count == 0 ? "" : $", median {warm[warm.Count / 2]:F2} s after (max {warm[^1]:F2} s)")}; goal: within 2 s."));
        return 0;
    }

    private static async Task<int> TrainedRunAsync(AppServerProcess server, int rows)
    {
        var csv = new StringBuilder();
        await SeriesCsvWriter.WriteAsync(SyntheticMarketData.Generate(rows, seed: 9), new StringWriter(csv, CultureInfo.InvariantCulture));
        using var form = new MultipartFormDataContent { { new ByteArrayContent(Encoding.UTF8.GetBytes(csv.ToString())), "file", "bench.csv" } };
        using var upload = await server.Http.PostAsync(new Uri("/api/datasets", UriKind.Relative), form);
        upload.EnsureSuccessStatusCode();
        var datasetId = (await upload.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();

        var config = new ForecastConfig
        {
            Targets = ["Close"],
            Lookback = 32,
            Horizon = 5,
            Model = new ModelOptions { Kind = ModelKind.Mlp, HiddenSize = 32, Layers = 1 },
            Training = new TrainingOptions { MaxEpochs = 3, Device = DeviceChoice.Cpu, Seed = 1 },
        };
        var runId = await server.QueueRunAsync(new RunRequest(datasetId, config, "page benchmark"));
        await server.WaitForSuccessAsync(runId, TimeSpan.FromMinutes(5));
        return runId;
    }
}
