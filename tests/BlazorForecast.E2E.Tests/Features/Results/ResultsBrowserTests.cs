using BlazorForecast.E2E.Tests.Infrastructure;
using Microsoft.Playwright;

namespace BlazorForecast.E2E.Tests.Features.Results;

public sealed class ResultsBrowserTests
{
    [SkippableFact]
    public async Task FinishedRun_ItsTabsShowPredictionsMetricsRiskAndImportance_AndThePredictionsDownload()
    {
        await using var session = await BrowserSession.StartAsync(seedDemo: true);
        using var client = session.CreateApiClient();
        var id = await RunApi.TrainAsync(client, 1, "Results MLP", "Mlp", seed: 3);
        var other = await RunApi.TrainAsync(client, 1, "Results CNN", "Cnn", seed: 4);
        var page = await session.NewPageAsync();

        await BrowserSession.GotoInteractiveAsync(page, $"runs/{id}");
        var chart = page.Locator("[data-testid=prediction-chart]");
        await Assertions.Expect(chart).ToHaveAttributeAsync("data-segment", "test");
        await page.WaitForSelectorAsync("[data-testid=prediction-chart] .js-plotly-plot .scatterlayer .trace");
        var testPoints = int.Parse(await chart.GetAttributeAsync("data-points") ?? "0", System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(testPoints > 100, $"Expected every test window on the chart, got {testPoints}.");
        await Assertions.Expect(page.Locator("[data-testid=coverage]")).ToContainTextAsync("95% interval:");
        await BrowserSession.ScreenshotAsync(page, "results-predictions");

        await page.Locator("[data-testid=prediction-step]").ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "3" }).ClickAsync();
        await Assertions.Expect(chart).ToHaveAttributeAsync("data-step", "3");
        await page.Locator("[data-testid=validation-toggle]").CheckAsync();
        await Assertions.Expect(chart).ToHaveAttributeAsync("data-segment", "validation");

        await page.GetByRole(AriaRole.Tab, new() { Name = "Metrics" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=metrics-row]")).ToHaveCountAsync(5);
        await Assertions.Expect(page.Locator("[data-testid=verdict]")).ToContainTextAsync("naive");
        await Assertions.Expect(page.Locator("[data-testid=per-step-table] tbody tr")).ToHaveCountAsync(3);
        await BrowserSession.ScreenshotAsync(page, "results-metrics");

        await page.GetByRole(AriaRole.Tab, new() { Name = "Risk & backtest" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=backtest-row]")).ToHaveCountAsync(3);
        await page.WaitForSelectorAsync("[data-testid=equity-chart] .js-plotly-plot .scatterlayer .trace");
        await Assertions.Expect(page.Locator("[data-testid=var-table] tbody tr")).ToHaveCountAsync(2);
        await BrowserSession.ScreenshotAsync(page, "results-risk");

        await page.GetByRole(AriaRole.Tab, new() { Name = "Importance" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=importance-table] tbody tr")).ToHaveCountAsync(1);
        await BrowserSession.ScreenshotAsync(page, "results-importance");

        await page.GetByRole(AriaRole.Tab, new() { Name = "Forecast now" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=forecast-row]")).ToHaveCountAsync(3);
        await page.WaitForSelectorAsync("#" + await page.Locator("[data-testid=forecast-table]").EvaluateAsync<string>("t => t.closest('.mud-grid').querySelector('.js-plotly-plot').id"));
        await BrowserSession.ScreenshotAsync(page, "results-forecast-now");

        await page.Locator("[data-testid=export-menu]").ClickAsync();
        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("[data-testid=export-predictions-csv]").ClickAsync());
        Assert.Equal($"run-{id}-predictions.csv", download.SuggestedFilename);
        var csv = await File.ReadAllLinesAsync((await download.PathAsync())!);
        Assert.Equal("Fold,Segment,Origin,Date,Target,Step,Actual,Predicted,Lower80,Upper80,Lower95,Upper95", csv[0]);
        Assert.Equal((testPoints * 3) + 1, csv.Length);
    

        // Compare the two runs from the run page's Compare button.
        await page.Locator("[data-testid=compare-button]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=leaderboard-row]")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("[data-testid=compare-hint]")).ToBeVisibleAsync();
        await page.Locator($"[data-testid=compare-select-{other}]").CheckAsync();
        await Assertions.Expect(page.Locator("[data-testid=compare-metric-row]")).ToHaveCountAsync(7);
        await Assertions.Expect(page.Locator("[data-testid=config-difference][data-setting='model.kind']")).ToContainTextAsync("Cnn");
        await Assertions.Expect(page.Locator("[data-testid=config-difference][data-setting='training.seed']")).ToBeVisibleAsync();
        await page.WaitForSelectorAsync("[data-testid=compare-predictions] .js-plotly-plot .scatterlayer .trace");
        Assert.Equal(3, await page.Locator("[data-testid=compare-predictions] .scatterlayer .trace").CountAsync());
        Assert.Equal(2, await page.Locator("[data-testid=compare-curves] .scatterlayer .trace").CountAsync());
        Assert.Contains($"runs={id}%2C{other}", page.Url, StringComparison.Ordinal);
        await BrowserSession.ScreenshotAsync(page, "compare");

        // The results read as well in the dark theme.
        await page.GotoAsync($"runs/{id}");
        await page.WaitForSelectorAsync("body[data-interactive='true']");
        if (await page.EvaluateAsync<string>("() => document.documentElement.dataset.theme") != "dark")
        {
            await page.ClickAsync("[data-testid=theme-toggle]");
        }

        await page.WaitForSelectorAsync("html[data-theme=dark]");
        await page.GetByRole(AriaRole.Tab, new() { Name = "Metrics" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=metrics-row]")).ToHaveCountAsync(5);
        await BrowserSession.ScreenshotAsync(page, "results-metrics-dark");
    }

    [SkippableFact]
    public async Task ChartsWaitingForPlotlyToLoad_AreAllDrawn_WhenAnEarlierOneHasLeftThePage()
    {
        await using var session = await BrowserSession.StartAsync(seedDemo: true);
        using var client = session.CreateApiClient();
        var id = await RunApi.TrainAsync(client, 1, "Slow script", "Mlp", seed: 3);
        var page = await session.NewPageAsync();
        var release = new TaskCompletionSource();
        await page.RouteAsync("**/plotly-3.7.0.min.js", async route =>
        {
            await release.Task;
            await route.ContinueAsync();
        });

        // The predictions chart asks to be drawn while plotly.js is still loading, then leaves the page with its tab.
        await BrowserSession.GotoInteractiveAsync(page, $"runs/{id}");
        await page.WaitForSelectorAsync("[data-testid=prediction-chart]");
        await page.GetByRole(AriaRole.Tab, new() { Name = "Metrics" }).ClickAsync();
        await page.WaitForSelectorAsync("[data-testid=coverage-over-time]");
        release.SetResult();

        await BrowserSession.WaitForTracesAsync(page, "coverage-over-time");
        Assert.Equal(0, await page.Locator("[data-testid=prediction-chart]").CountAsync());
    }

    [SkippableFact]
    public async Task ThreeSeedRun_ItsPageShowsEachSeedTheEnsembleAndTheTests()
    {
        await using var session = await BrowserSession.StartAsync(seedDemo: true);
        using var client = session.CreateApiClient();
        var id = await RunApi.TrainAsync(client, 1, "Three seeds", "Mlp", seed: 3, seeds: 3);
        var page = await session.NewPageAsync();

        await BrowserSession.GotoInteractiveAsync(page, $"runs/{id}");
        await page.GetByRole(AriaRole.Tab, new() { Name = "Metrics" }).ClickAsync();

        await Assertions.Expect(page.Locator("[data-testid=seed-row]")).ToHaveCountAsync(3);
        await Assertions.Expect(page.Locator("[data-testid=seed-row]").First).ToHaveAttributeAsync("data-seed", "3");
        await Assertions.Expect(page.Locator("[data-testid=seed-ensemble]")).ToContainTextAsync("Ensemble (mean forecast)");
        await Assertions.Expect(page.Locator("[data-testid=verdict-text]")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(
            @"^(Beats naive: RMSE \d+\.\d% lower, p|No detectable difference from naive \(RMSE \d+\.\d% (lower|higher), p|Worse than naive: RMSE \d+\.\d% higher, p)"));
        await Assertions.Expect(page.Locator("[data-testid=verdict-context]")).ToContainTextAsync("the model is the mean forecast of 3 seeds");
        await Assertions.Expect(page.Locator("[data-testid=p-value]")).ToHaveCountAsync(4);
        await Assertions.Expect(page.Locator("[data-testid=interval-row]")).ToHaveCountAsync(4);
        // Drawn, not necessarily visible: a level covered in every window is a flat line, whose box Playwright calls empty.
        await BrowserSession.WaitForTracesAsync(page, "coverage-over-time");
        await BrowserSession.ScreenshotAsync(page, "results-seeds");

        await page.GetByRole(AriaRole.Tab, new() { Name = "Training" }).ClickAsync();
        await page.WaitForSelectorAsync("[data-testid=loss-chart] .js-plotly-plot .scatterlayer .trace");
        Assert.Equal(6, await page.Locator("[data-testid=loss-chart] .scatterlayer .trace").CountAsync());
        await Assertions.Expect(page.Locator("[data-testid=loss-chart] .legend")).ToContainTextAsync("seed 5");
        await Assertions.Expect(page.Locator("[data-testid=training-progress-title]")).ToHaveTextAsync("Trainings: 3 of 3 done");
        await BrowserSession.ScreenshotAsync(page, "run-seeds-training");
    }

    [SkippableFact]
    public async Task ExportedModel_ImportedThroughTheRunsPage_ForecastsOnItsOwnPage()
    {
        await using var session = await BrowserSession.StartAsync(seedDemo: true);
        using var client = session.CreateApiClient();
        var id = await RunApi.TrainAsync(client, 1, "Exported MLP", "Mlp", seed: 5);
        var page = await session.NewPageAsync();
        await BrowserSession.GotoInteractiveAsync(page, $"runs/{id}");
        await page.Locator("[data-testid=export-menu]").ClickAsync();
        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("[data-testid=export-model]").ClickAsync());
        Assert.Equal($"run-{id}.bfmodel", download.SuggestedFilename);
        var file = Path.Combine(Path.GetTempPath(), $"e2e-{Guid.NewGuid():N}.bfmodel");
        await download.SaveAsAsync(file);
        try
        {
            await BrowserSession.GotoInteractiveAsync(page, "runs");
            await page.Locator("[data-testid=import-model-button]").ClickAsync();
            var chooser = await page.RunAndWaitForFileChooserAsync(() => page.Locator("[data-testid=import-choose]").ClickAsync());
            await chooser.SetFilesAsync(file);
            await page.Locator("[data-testid=import-submit]").ClickAsync();

            await Assertions.Expect(page.Locator("[data-testid=forecast-row]")).ToHaveCountAsync(3);
            await Assertions.Expect(page.Locator("[data-testid=run-detail]")).ToContainTextAsync("Imported from");
            await BrowserSession.ScreenshotAsync(page, "imported-model");
        }
        finally
        {
            File.Delete(file);
        }
    }
}
