using System.Globalization;
using System.Text.RegularExpressions;
using BlazorForecast.E2E.Tests.Infrastructure;
using Microsoft.Playwright;

namespace BlazorForecast.E2E.Tests.Features.Datasets;

public sealed partial class DatasetBrowserTests
{
    [GeneratedRegex(@"/datasets/(\d+)$")]
    private static partial Regex DatasetUrl();

    [SkippableFact]
    public async Task Upload_RealCsv_ShowsChartReportAndPreview_AndDownloadsItBack()
    {
        var csvPath = SharedDatasets.PathOf("SPY_daily_2007_2017.csv");
        await using var session = await BrowserSession.StartAsync();
        var page = await session.NewPageAsync();

        await BrowserSession.GotoInteractiveAsync(page, "datasets");
        await BrowserSession.ScreenshotAsync(page, "datasets-list");
        await page.ClickAsync("[data-testid=upload-button]");
        await ChooseFileAsync(page, csvPath);
        await page.WaitForSelectorAsync("[data-testid=import-button]");
        await Assertions.Expect(page.Locator("[data-testid=detected-format]")).ToContainTextAsync("comma separated");
        await Assertions.Expect(page.Locator("[data-testid=sample-rows]")).ToContainTextAsync("2007-12-31");
        await BrowserSession.ScreenshotAsync(page, "upload-confirm");
        await page.ClickAsync("[data-testid=import-button]");

        await Assertions.Expect(page).ToHaveURLAsync(DatasetUrl(), new() { Timeout = 20_000 });
        var id = int.Parse(DatasetUrl().Match(page.Url).Groups[1].Value, CultureInfo.InvariantCulture);
        await Assertions.Expect(page.Locator("[data-testid=dataset-title]")).ToHaveTextAsync("SPY_daily_2007_2017");
        var chart = page.Locator("[data-testid=series-chart]");
        await Assertions.Expect(chart).ToHaveAttributeAsync("data-kind", "candlestick");
        await page.WaitForSelectorAsync("[data-testid=series-chart] .js-plotly-plot .cartesianlayer .trace.boxes");
        await BrowserSession.ScreenshotAsync(page, "dataset-chart");

        await page.GetByRole(AriaRole.Tab, new() { Name = "Quality report" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=quality-report]")).ToContainTextAsync("2 OHLC inconsistencies");
        await BrowserSession.ScreenshotAsync(page, "dataset-quality");

        await page.GetByRole(AriaRole.Tab, new() { Name = "Data", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=preview-table]")).ToContainTextAsync("2007-12-31");
        await BrowserSession.ScreenshotAsync(page, "dataset-data");

        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("[data-testid=download-button]"));
        var downloaded = await File.ReadAllLinesAsync((await download.PathAsync())!);
        Assert.Equal($"dataset-{id}.csv", download.SuggestedFilename);
        Assert.Equal("Date,Open,High,Low,Close,Adj Close,Volume", downloaded[0]);
        Assert.Equal("2007-12-31,147.100006,147.610001,146.059998,146.210007,118.624741,108126800", downloaded[1]);
        Assert.Equal(2520, downloaded.Length);
    }

    [SkippableFact]
    public async Task Upload_NotACsv_ShowsTheReasonAndStoresNothing()
    {
        var notCsv = SharedDatasets.PathOf("SOURCES.md");
        await using var session = await BrowserSession.StartAsync(seedDemo: false);
        var page = await session.NewPageAsync();

        await BrowserSession.GotoInteractiveAsync(page, "datasets");
        await page.ClickAsync("[data-testid=upload-button]");
        await ChooseFileAsync(page, notCsv);

        await Assertions.Expect(page.Locator("[data-testid=upload-error]")).ToContainTextAsync("Only one column was found");
        await BrowserSession.ScreenshotAsync(page, "upload-error");
        await page.ClickAsync("text=Cancel");
        await Assertions.Expect(page.Locator("[data-testid=empty-state]")).ToContainTextAsync("No datasets yet");
    }

    [SkippableFact]
    public async Task Upload_OneEndlessLine_ShowsTheReason_AndTheDialogKeepsWorking()
    {
        var endless = Path.Combine(Path.GetTempPath(), $"endless-{Guid.NewGuid():N}.csv");
        var good = Path.Combine(Path.GetTempPath(), $"good-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(endless, "Date," + string.Join(',', Enumerable.Range(0, 20_000).Select(i => $"c{i}")));
        await File.WriteAllTextAsync(good, "Date,Close\n2024-01-02,1\n2024-01-03,2\n");
        try
        {
            await using var session = await BrowserSession.StartAsync(seedDemo: false);
            var page = await session.NewPageAsync();
            await BrowserSession.GotoInteractiveAsync(page, "datasets");
            await page.ClickAsync("[data-testid=upload-button]");

            await ChooseFileAsync(page, endless);

            await Assertions.Expect(page.Locator("[data-testid=upload-error]")).ToContainTextAsync("hold no line break");
            await ChooseFileAsync(page, good);
            await page.WaitForSelectorAsync("[data-testid=import-button]");
        }
        finally
        {
            File.Delete(endless);
            File.Delete(good);
        }
    }

    [SkippableFact]
    public async Task ThemeChoice_IsRememberedAfterReload()
    {
        await using var session = await BrowserSession.StartAsync();
        var page = await session.NewPageAsync();
        await BrowserSession.GotoInteractiveAsync(page, "datasets");
        var before = await ThemeAsync(page);
        var toggled = before == "dark" ? "light" : "dark";

        await page.ClickAsync("[data-testid=theme-toggle]");
        await page.WaitForSelectorAsync($"html[data-theme={toggled}]");
        await BrowserSession.GotoInteractiveAsync(page, "datasets");

        await page.WaitForSelectorAsync($"html[data-theme={toggled}]");
        Assert.Equal(toggled, await page.EvaluateAsync<string>("() => localStorage.getItem('blazorforecast-theme')"));
        await BrowserSession.ScreenshotAsync(page, $"datasets-list-{toggled}");
    }

    // Choose the file the way a person does, through the picker the drop zone opens: the picker opens only once the
    // dialog is interactive, so the file cannot arrive before Blazor listens for it.
    private static async Task ChooseFileAsync(IPage page, string path)
    {
        var chooser = await page.RunAndWaitForFileChooserAsync(() => page.ClickAsync("[data-testid=upload-dialog] .drop-zone"));
        await chooser.SetFilesAsync(path);
    }

    private static async Task<string> ThemeAsync(IPage page)
    {
        await page.WaitForSelectorAsync("html[data-theme]");
        return await page.EvaluateAsync<string>("() => document.documentElement.getAttribute('data-theme')");
    }
}
