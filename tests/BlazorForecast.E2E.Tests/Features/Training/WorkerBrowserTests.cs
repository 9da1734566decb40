using BlazorForecast.E2E.Tests.Infrastructure;
using BlazorForecast.Web.Data;
using Microsoft.Playwright;

namespace BlazorForecast.E2E.Tests.Features.Training;

/// <summary>
/// The scaled-out deployment in Chromium: a web app over PostgreSQL that trains nothing itself, and a real
/// `blazorforecast worker` process. Skipped with the reason where PostgreSQL or the command line is missing.
/// </summary>
public sealed class WorkerBrowserTests
{
    [SkippableFact]
    public async Task ARunOnATrainingWorker_IsFollowedLive_StopFromTheBrowserReachesTheWorker_AndTheFormOffersItsDevice()
    {
        PostgresTestServer.SkipIfUnavailable();
        Skip.If(WorkerProcesses.CommandLine is null, WorkerProcesses.NotBuilt);
        await using var session = await BrowserSession.StartAsync(seedDemo: true, database: DatabaseProvider.PostgreSql,
            settings: new Dictionary<string, string?> { ["BlazorForecast:Training:InProcess"] = "false" });
        await using var workers = new WorkerProcesses();
        var worker = workers.Start(session.App.PostgresConnectionString!, "browser-worker");
        using var client = session.CreateApiClient();
        var id = await TrainingSlot.HoldAsync(client);
        var page = await session.NewPageAsync();

        await BrowserSession.GotoInteractiveAsync(page, $"runs/{id}");
        await Assertions.Expect(page.Locator("[data-testid=run-status]")).ToHaveTextAsync("Running", new() { Timeout = 60_000 });
        var device = page.Locator(".summary-tile", new() { HasText = "Device" });
        await Assertions.Expect(device.Locator(".mud-typography-subtitle1")).ToHaveTextAsync("cpu");
        await Assertions.Expect(device.Locator(".mud-typography-caption").Last).ToHaveTextAsync("on browser-worker");
        await page.WaitForFunctionAsync("() => +document.querySelector('[data-testid=epoch-progress]')?.getAttribute('data-value') > 0", null, new() { Timeout = 60_000 });
        await BrowserSession.ScreenshotAsync(page, "run-on-worker");

        await page.ClickAsync("[data-testid=stop-button]");
        await page.Locator(".mud-dialog").GetByRole(AriaRole.Button, new() { Name = "Stop", Exact = true }).ClickAsync();

        await Assertions.Expect(page.Locator("[data-testid=run-status]")).ToHaveTextAsync("Cancelled", new() { Timeout = 30_000 });
        var epochs = Convert.ToInt32(await session.App.ScalarAsync($"SELECT \"EpochsDone\" FROM \"Runs\" WHERE \"Id\" = {id}"), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(epochs, 1, 999);
        Assert.Equal("browser-worker", await session.App.ScalarAsync($"SELECT \"ClaimedBy\" FROM \"Runs\" WHERE \"Id\" = {id}") as string);
        Assert.False(worker.HasExited, $"The worker stopped the run by exiting:{Environment.NewLine}{workers.Output()}");

        // The new-run form offers the devices of the workers alive, under Advanced.
        await BrowserSession.GotoInteractiveAsync(page, "runs/new");
        await page.GetByText("Advanced", new() { Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByText("Workers: browser-worker (cpu); none has a GPU, so cuda is not offered")).ToBeVisibleAsync();
        await page.WaitForSelectorAsync(".mud-collapse-entered");
        await BrowserSession.ScreenshotAsync(page, "new-run-workers");
    }
}
