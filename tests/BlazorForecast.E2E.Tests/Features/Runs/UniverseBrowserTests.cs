using System.Globalization;
using System.Text;
using BlazorForecast.E2E.Tests.Infrastructure;
using BlazorForecast.Forecasting.Data;
using BlazorForecast.Web.Features.Datasets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace BlazorForecast.E2E.Tests.Features.Runs;

public sealed class UniverseBrowserTests
{
    [SkippableFact]
    public async Task OneModelAcrossSeveralTargets_IsChosenInTheForm_AndEachSeriesAndTheCrossSectionAreScored()
    {
        await using var session = await BrowserSession.StartAsync(seedDemo: false);
        var csv = new StringBuilder("Date,Alpha,Beta,Gamma,Delta\n");
        var random = new Random(4);
        var (a, b, c, d) = (100.0, 40.0, 20.0, 300.0);
        for (var i = 0; i < 400; i++)
        {
            (a, b, c, d) = (a * Math.Exp(0.01 * (random.NextDouble() - 0.5)), b * Math.Exp(0.02 * (random.NextDouble() - 0.5)),
                c * Math.Exp(0.015 * (random.NextDouble() - 0.5)), d * Math.Exp(0.01 * (random.NextDouble() - 0.5)));
            csv.Append(CultureInfo.InvariantCulture, $"{new DateTime(2021, 1, 1).AddDays(i):yyyy-MM-dd},{a},{b},{c},{d}\n");
        }

        int dataset;
        using (var stream = new MemoryStream(Encoding.UTF8.GetBytes(csv.ToString())))
        {
            dataset = (await session.App.Services.GetRequiredService<DatasetService>().ImportAsync(stream, "wide.csv", "Four series", null, new CsvImportOptions(), session.App.AdminCaller)).Id;
        }

        var page = await session.NewPageAsync();
        await BrowserSession.GotoInteractiveAsync(page, $"runs/new?datasetId={dataset}");
        await page.FillAsync("input[data-testid=run-epochs]", "3");
        await page.Locator("[data-testid=run-targets]").ClickAsync();
        foreach (var name in new[] { "Beta", "Gamma" })
        {
            await page.GetByRole(AriaRole.Option, new() { Name = name }).ClickAsync();
        }

        // The choice is made once the caption names it; then the list is closed by the select itself, and must be gone
        // before the switch below it can be clicked.
        await Assertions.Expect(page.Locator("[data-testid=chosen-targets]")).ToContainTextAsync("Gamma");
        await page.Locator("[data-testid=run-targets]").ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Option, new() { Name = "Gamma" })).ToBeHiddenAsync();
        await page.Locator("input[data-testid=run-across]").CheckAsync();
        await Assertions.Expect(page.Locator("[data-testid=across-options]")).ToBeVisibleAsync();
        await BrowserSession.ScreenshotAsync(page, "run-new-across");
        await page.ClickAsync("[data-testid=launch-button]");

        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(@"runs/\d+$"), new() { Timeout = 20_000 });
        await Assertions.Expect(page.Locator("[data-testid=run-status]")).ToHaveTextAsync("Succeeded", new() { Timeout = 90_000 });
        await Assertions.Expect(page.Locator("[data-testid=universe-series-row]")).ToHaveCountAsync(3);
        await Assertions.Expect(page.Locator("[data-testid=rank-ic-test]")).ToContainTextAsync("test dates");
        await BrowserSession.WaitForTracesAsync(page, "rank-ic-chart");
        await BrowserSession.WaitForTracesAsync(page, "long-short-chart");
        await BrowserSession.ScreenshotAsync(page, "run-across");

        await page.GetByRole(AriaRole.Tab, new() { Name = "Forecast now" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=forecast-row]")).ToHaveCountAsync(5);
        // A series the model was trained on: its own intervals in the table.
        await Assertions.Expect(page.Locator("[data-testid=forecast-row]").First.Locator("td").Nth(3)).ToContainTextAsync("–");
        await BrowserSession.ScreenshotAsync(page, "run-across-forecast");
        await page.Locator("[data-testid=forecast-series]").ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "Alpha (zero-shot)" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=forecast-zero-shot]")).ToContainTextAsync("the model never saw Alpha");
        await Assertions.Expect(page.Locator("[data-testid=forecast-row]").First).ToContainTextAsync("Alpha");
        // The chart follows the chosen series: its history becomes Alpha's (around 100), not the first series' (around 300).
        // Redrawing is asynchronous, so wait for the drawn chart's last actual value, failing after ten seconds.
        const string lastActual = "() => { const plot = document.querySelector('[data-testid=forecast-table]')?.closest('.mud-grid')?.querySelector('.js-plotly-plot'); const y = plot?.data?.find(t => t.name === 'Actual')?.y; return y ? y[y.length - 1] : null; }";
        await page.WaitForFunctionAsync($"() => {{ const last = ({lastActual})(); return last !== null && last > 50 && last < 150; }}", null, new() { Timeout = 10_000 });
        Assert.InRange(await page.EvaluateAsync<double>(lastActual), 50, 150);
        await BrowserSession.ScreenshotAsync(page, "run-across-zero-shot");
    }
}
