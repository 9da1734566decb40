using System.Globalization;
using System.Text;
using BlazorForecast.E2E.Tests.Infrastructure;
using BlazorForecast.Forecasting.Data;
using BlazorForecast.Web.Features.Datasets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace BlazorForecast.E2E.Tests.Features.Runs;

public sealed class RunInputsBrowserTests
{
    [SkippableFact]
    public async Task AnInputFromAnotherDataset_IsAddedInTheForm_ItsJoinReportShown_AndTheRunTrainsOnIt()
    {
        await using var session = await BrowserSession.StartAsync(seedDemo: true);
        var datasets = session.App.Services.GetRequiredService<DatasetService>();
        var demo = (await datasets.GetFrameAsync(1))!;
        // A weekly rate over the demo's dates, each value out two days after its Monday.
        var csv = new StringBuilder("Date,Rate\n");
        for (var monday = demo.Timestamps[0].AddDays(-(int)demo.Timestamps[0].DayOfWeek + 1); monday <= demo.Timestamps[^1]; monday = monday.AddDays(7))
        {
            csv.Append(CultureInfo.InvariantCulture, $"{monday:yyyy-MM-dd},{2 + Math.Cos(monday.DayOfYear / 20.0)}\n");
        }

        using (var stream = new MemoryStream(Encoding.UTF8.GetBytes(csv.ToString())))
        {
            await datasets.ImportAsync(stream, "rates.csv", "Weekly rate", null, new CsvImportOptions(), session.App.AdminCaller);
        }

        var page = await session.NewPageAsync();
        await BrowserSession.GotoInteractiveAsync(page, "runs/new?datasetId=1");
        await page.FillAsync("input[data-testid=run-epochs]", "3");

        await page.ClickAsync("[data-testid=add-input]");
        await page.Locator("[data-testid=input-dataset]").ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "Weekly rate" }).ClickAsync();
        await Assertions.Expect(page.Locator("input[data-testid=input-name]")).ToHaveValueAsync("Weekly rate Rate");
        await page.FillAsync("input[data-testid=input-delay]", "2");
        await Assertions.Expect(page.Locator("[data-testid=input-add]")).ToBeEnabledAsync();
        await BrowserSession.ScreenshotAsync(page, "run-add-input");
        await page.ClickAsync("[data-testid=input-add]");

        await Assertions.Expect(page.Locator("[data-testid=run-inputs] .mud-chip")).ToHaveTextAsync("Weekly rate Rate · log return · +2 days");
        var report = page.Locator("[data-testid=join-report]");
        await Assertions.Expect(report).ToContainTextAsync("Weekly rate Rate: published 2 days after each date ends; carried forward; covers");
        await Assertions.Expect(report).ToContainTextAsync("rows kept");
        await BrowserSession.ScreenshotAsync(page, "run-new-inputs");
        await page.ClickAsync("[data-testid=launch-button]");

        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(@"runs/\d+$"), new() { Timeout = 20_000 });
        await Assertions.Expect(page.Locator("[data-testid=run-status]")).ToHaveTextAsync("Succeeded", new() { Timeout = 90_000 });
        await page.GetByRole(AriaRole.Tab, new() { Name = "Importance" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=importance-table]")).ToContainTextAsync("Weekly rate Rate log return");
        await BrowserSession.ScreenshotAsync(page, "run-inputs-importance");
    }
}
