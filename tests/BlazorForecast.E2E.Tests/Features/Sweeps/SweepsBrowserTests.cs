using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using BlazorForecast.E2E.Tests.Infrastructure;
using Microsoft.Playwright;

namespace BlazorForecast.E2E.Tests.Features.Sweeps;

public sealed class SweepsBrowserTests
{
    [SkippableFact]
    public async Task SweepFromTheNewRunForm_SearchesLive_ThenShowsItsResultAndEnsembleWithVerdicts()
    {
        await using var session = await BrowserSession.StartAsync(seedDemo: true);
        using var client = session.CreateApiClient();

        // The sweep's first trial waits in the queue while the page is checked.
        var blockerId = await TrainingSlot.HoldAsync(client);
        var page = await session.NewPageAsync();
        await BrowserSession.GotoInteractiveAsync(page, "runs/new?datasetId=1");
        await page.FillAsync("input[data-testid=run-epochs]", "4");

        await page.ClickAsync("[data-testid=sweep-button]");
        var space = page.Locator("textarea[data-testid=sweep-space]");
        await Assertions.Expect(space).ToContainTextAsync("\"hiddenSize\"");
        await space.FillAsync("""{"hiddenSize": [8, 64], "colour": ["red"]}""");
        await page.FillAsync("input[data-testid=sweep-trials]", "3");
        await page.FillAsync("input[data-testid=sweep-name]", "Widths");
        await page.ClickAsync("[data-testid=sweep-start]");
        await Assertions.Expect(page.Locator("[data-testid=sweep-problems]")).ToContainTextAsync("Unknown setting 'colour'.");
        await BrowserSession.ScreenshotAsync(page, "sweep-new");

        // Every trial trains fully and no two share a network (the learning rate is drawn from a range), so the ensemble has three members.
        await page.Locator("[data-testid=sweep-rule]").ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "Never" }).ClickAsync();
        await page.Locator("[data-testid=sweep-ensemble]").ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "Greedy selection (Caruana)" }).ClickAsync();
        await Assertions.Expect(page.Locator("input[data-testid=sweep-ensemble-size]")).ToHaveValueAsync("3");
        await space.FillAsync("""{"model": ["Mlp", "DLinear"], "learningRate": {"logUniform": [0.0005, 0.005]}}""");
        await page.ClickAsync("[data-testid=sweep-start]");

        await Assertions.Expect(page).ToHaveURLAsync(new Regex(@"sweeps/\d+$"), new() { Timeout = 20_000 });
        await Assertions.Expect(page.Locator("[data-testid=sweep-title]")).ToHaveTextAsync("Widths");
        await Assertions.Expect(page.Locator("[data-testid=trials-table] tbody tr")).Not.ToHaveCountAsync(0, new() { Timeout = 20_000 });
        await Assertions.Expect(page.Locator("[data-testid=trial-state]").First).ToHaveTextAsync("queued");
        await Assertions.Expect(page.Locator("[data-testid=trial-test]").First).ToHaveTextAsync("withheld");
        await BrowserSession.ScreenshotAsync(page, "sweep-live");
        await TrainingSlot.ReleaseAsync(client, blockerId);

        await Assertions.Expect(page.Locator("[data-testid=sweep-status]")).ToHaveTextAsync("Finished", new() { Timeout = 120_000 });
        await Assertions.Expect(page.Locator("[data-testid=trials-table] tbody tr")).ToHaveCountAsync(3);
        await Assertions.Expect(page.Locator("[data-testid=sweep-result] [data-testid=verdict-text]"))
            .ToHaveTextAsync(new Regex("^(Beats naive|No detectable difference from naive|Worse than naive)"));
        await Assertions.Expect(page.Locator("[data-testid=trials-table] thead")).ToContainTextAsync("Test RMSE (not used for selection)");
        await Assertions.Expect(page.Locator("[data-testid=sweep-ensemble] [data-testid=verdict-text]"))
            .ToHaveTextAsync(new Regex("^(Beats naive|No detectable difference from naive|Worse than naive)"));
        await Assertions.Expect(page.Locator("[data-testid=ensemble-versus-chosen]"))
            .ToHaveTextAsync(new Regex("^(Beats the chosen trial|No detectable difference from the chosen trial|Worse than the chosen trial|Greedy selection kept the chosen trial alone)"));
        await Assertions.Expect(page.Locator("[data-testid=ensemble-member]")).ToHaveCountAsync(3);
        await Assertions.Expect(page.Locator("[data-testid=ensemble-member]").First).ToHaveTextAsync(new Regex(@"^Trial \d+ · (\d+%|left out)$"));
        await page.WaitForSelectorAsync("[data-testid=sweep-coordinates-chart] .js-plotly-plot .parcoords");
        await page.WaitForSelectorAsync("[data-testid=sweep-progress-chart] .js-plotly-plot .scatterlayer .trace");
        await BrowserSession.ScreenshotAsync(page, "sweep-finished");

        await page.ClickAsync("[data-testid=sweep-result-link]");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex(@"runs/\d+$"), new() { Timeout = 20_000 });
        await Assertions.Expect(page.Locator("[data-testid=run-title]")).ToHaveTextAsync("Widths · result");
        await Assertions.Expect(page.Locator("[data-testid=run-sweep]")).ToContainTextAsync("The result of a sweep");
        await page.GoBackAsync();
        await page.ClickAsync("[data-testid=sweep-ensemble-link]");
        await Assertions.Expect(page.Locator("[data-testid=run-title]")).ToHaveTextAsync("Widths · ensemble", new() { Timeout = 20_000 });
        await page.GetByRole(AriaRole.Tab, new() { Name = "Metrics" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=verdict-text]")).ToHaveTextAsync(new Regex("^(Beats naive|No detectable difference from naive|Worse than naive)"));
        await page.GetByRole(AriaRole.Tab, new() { Name = "Forecast now" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=forecast-problem]")).ToContainTextAsync("is a sweep's ensemble");
        await BrowserSession.ScreenshotAsync(page, "sweep-ensemble-run");

        await BrowserSession.GotoInteractiveAsync(page, "sweeps");
        await Assertions.Expect(page.Locator("[data-testid=sweeps-table]")).ToContainTextAsync("Widths");
        await Assertions.Expect(page.Locator("[data-testid=sweeps-table] [data-testid=sweep-status]")).ToHaveTextAsync("Finished");
        await BrowserSession.ScreenshotAsync(page, "sweeps-list");
    }
}
