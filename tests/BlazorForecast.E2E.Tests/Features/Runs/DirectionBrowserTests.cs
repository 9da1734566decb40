using BlazorForecast.E2E.Tests.Infrastructure;
using Microsoft.Playwright;

namespace BlazorForecast.E2E.Tests.Features.Runs;

public sealed class DirectionBrowserTests
{
    [SkippableFact]
    public async Task ADirectionRun_IsSetUpInTheForm_AndItsCallsAreScoredAgainstTheMajorityRule()
    {
        await using var session = await BrowserSession.StartAsync(seedDemo: true);
        var page = await session.NewPageAsync();
        await BrowserSession.GotoInteractiveAsync(page, "runs/new?datasetId=1");
        await page.FillAsync("input[data-testid=run-epochs]", "3");

        await page.Locator("input[data-testid=run-direction]").CheckAsync();
        await Assertions.Expect(page.Locator("[data-testid=direction-options]")).ToBeVisibleAsync();
        await page.FillAsync("input[data-testid=direction-dead-zone]", "0.05");
        await page.FillAsync("input[data-testid=direction-threshold]", "0.55");
        await Assertions.Expect(page.Locator("[data-testid=sweep-button]")).ToBeDisabledAsync();
        await BrowserSession.ScreenshotAsync(page, "run-new-direction");
        await page.ClickAsync("[data-testid=launch-button]");

        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(@"runs/\d+$"), new() { Timeout = 20_000 });
        await Assertions.Expect(page.Locator("[data-testid=run-status]")).ToHaveTextAsync("Succeeded", new() { Timeout = 90_000 });
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("Lstm Close H5 direction");
        await Assertions.Expect(page.Locator("[data-testid=direction-verdict]")).ToContainTextAsync("always-majority");
        await Assertions.Expect(page.Locator("[data-testid=rule-model]")).ToContainTextAsync("Model");
        await Assertions.Expect(page.Locator("[data-testid=direction-summary]")).ToContainTextAsync("balanced class weights");
        await BrowserSession.WaitForTracesAsync(page, "reliability-chart");
        await BrowserSession.ScreenshotAsync(page, "run-direction");

        await page.GetByRole(AriaRole.Tab, new() { Name = "Risk & backtest" }).ClickAsync();
        await Assertions.Expect(page.Locator("input[data-testid=threshold-input]")).ToHaveValueAsync("0.55");
        await Assertions.Expect(page.Locator("[data-testid=probability-range]")).ToContainTextAsync("a threshold outside that range never trades");
        await BrowserSession.WaitForTracesAsync(page, "equity-chart");
        await BrowserSession.ScreenshotAsync(page, "run-direction-backtest");

        await page.GetByRole(AriaRole.Tab, new() { Name = "Forecast now" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=forecast-table]")).ToContainTextAsync("P(above the last value)");
        await Assertions.Expect(page.Locator("[data-testid=forecast-row]").First).ToContainTextAsync("%");
        await BrowserSession.ScreenshotAsync(page, "run-direction-forecast");
    }
}
