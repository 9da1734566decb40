using System.Net;
using System.Net.Http.Json;
using BlazorForecast.E2E.Tests.Infrastructure;
using Microsoft.Playwright;

namespace BlazorForecast.E2E.Tests.Features.Runs;

public sealed class RunsBrowserTests
{
    [SkippableFact]
    public async Task QueuedRealRun_AppearsInTheListAndFinishesLive()
    {
        await using var session = await BrowserSession.StartAsync(seedDemo: true);
        var page = await session.NewPageAsync();
        await BrowserSession.GotoInteractiveAsync(page, "runs");
        await Assertions.Expect(page.Locator("[data-testid=empty-state]")).ToContainTextAsync("Start one with New run");

        using var client = session.CreateApiClient();
        var response = await client.PostAsJsonAsync("api/runs", new
        {
            datasetId = 1,
            name = "Demo MLP",
            config = new
            {
                targets = new[] { "Close" },
                lookback = 16,
                horizon = 2,
                model = new { kind = "Mlp", hiddenSize = 16, layers = 1 },
                training = new { maxEpochs = 3, device = "Cpu" },
            },
        });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);

        var status = page.Locator("[data-testid=run-status]");
        await Assertions.Expect(status).ToHaveTextAsync("Succeeded", new() { Timeout = 60_000 });
        await Assertions.Expect(page.Locator("[data-testid=runs-table]")).ToContainTextAsync("epoch 3 of 3");
        await Assertions.Expect(page.Locator("[data-testid=runs-table]")).ToContainTextAsync("Demo MLP");
        await BrowserSession.ScreenshotAsync(page, "runs-list");
    }

    [SkippableFact]
    public async Task RunPage_ShowsProgressAndTheLossChartMove_UntilTheRunFinishes()
    {
        await using var session = await BrowserSession.StartAsync(seedDemo: true);
        using var client = session.CreateApiClient();

        // A long run holds the training slot until the page is open, so the page follows the LSTM from its first
        // epoch however fast the machine trains (on a fast CI machine 40 epochs ended before the page was interactive).
        var blockerId = await TrainingSlot.HoldAsync(client);
        var response = await client.PostAsJsonAsync("api/runs", new
        {
            datasetId = 1,
            name = "Live LSTM",
            config = new
            {
                targets = new[] { "Close" },
                transform = "LogReturn",
                lookback = 32,
                horizon = 3,
                model = new { kind = "Lstm", hiddenSize = 32, layers = 2 },
                training = new { maxEpochs = 40, patience = 50, device = "Cpu" },
            },
        });
        var id = (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetInt32();
        var page = await session.NewPageAsync();

        await BrowserSession.GotoInteractiveAsync(page, $"runs/{id}");
        await Assertions.Expect(page.Locator("[data-testid=run-title]")).ToHaveTextAsync("Live LSTM");
        await Assertions.Expect(page.Locator("[data-testid=run-status]")).ToHaveTextAsync("Queued");
        await TrainingSlot.ReleaseAsync(client, blockerId);
        await page.WaitForFunctionAsync("() => { const v = +document.querySelector('[data-testid=epoch-progress]')?.getAttribute('data-value'); return v > 0 && v < 100; }",
            null, new() { Timeout = 60_000 });
        // Drawn, not necessarily visible: after one epoch each curve is a single point, whose box Playwright calls empty.
        await BrowserSession.WaitForTracesAsync(page, "loss-chart");
        await Assertions.Expect(page.Locator(".summary-tile", new() { HasText = "Device" })).ToContainTextAsync("cpu");
        await BrowserSession.ScreenshotAsync(page, "run-live");

        await Assertions.Expect(page.Locator("[data-testid=run-status]")).ToHaveTextAsync("Succeeded", new() { Timeout = 90_000 });

        // Once finished, the results take the page and the training view moves to its own tab.
        await page.GetByRole(AriaRole.Tab, new() { Name = "Training" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=loss-chart]")).ToHaveAttributeAsync("data-points", "40");
        await Assertions.Expect(page.Locator("[data-testid=loss-chart] .scatterlayer .trace")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("[data-testid=event-log]")).ToContainTextAsync("Epoch 40:");
        await BrowserSession.ScreenshotAsync(page, "run-finished");
    }

    [SkippableFact]
    public async Task TrainFromADataset_TheFormLaunchesARunThatFinishes()
    {
        await using var session = await BrowserSession.StartAsync(seedDemo: true);
        var page = await session.NewPageAsync();
        await BrowserSession.GotoInteractiveAsync(page, "datasets/1");

        await page.ClickAsync("[data-testid=train-button]");
        // Blazor navigates with history.pushState: poll the address rather than wait for a navigation event. On clean CI
        // clones WaitForURL timed out after the launch click, while the same page checked 8 s after it was on the run.
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("runs/new"), new() { Timeout = 20_000 });
        await page.WaitForSelectorAsync("body[data-interactive='true']");
        await Assertions.Expect(page.Locator("[data-testid=chosen-targets]")).ToContainTextAsync("Forecasting Close");
        await page.FillAsync("input[data-testid=run-epochs]", "3");
        await page.FillAsync("input[data-testid=run-name]", "From the form");
        await page.Locator("input[data-testid=run-name]").BlurAsync();
        await BrowserSession.ScreenshotAsync(page, "run-new");
        await page.ClickAsync("[data-testid=launch-button]");

        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(@"runs/\d+$"), new() { Timeout = 20_000 });
        await Assertions.Expect(page.Locator("[data-testid=run-title]")).ToHaveTextAsync("From the form");
        await Assertions.Expect(page.Locator("[data-testid=run-status]")).ToHaveTextAsync("Succeeded", new() { Timeout = 90_000 });
        await page.GetByRole(AriaRole.Tab, new() { Name = "Training" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=loss-chart]")).ToHaveAttributeAsync("data-points", "3");
    }

    [SkippableFact]
    public async Task TagsEditedOnARunPage_FilterTheRunsList()
    {
        await using var session = await BrowserSession.StartAsync(seedDemo: true);
        using var client = session.CreateApiClient();
        var tagged = await RunApi.TrainAsync(client, 1, "Tagged MLP");
        await RunApi.TrainAsync(client, 1, "Untagged MLP", seed: 4);
        var page = await session.NewPageAsync();
        await BrowserSession.GotoInteractiveAsync(page, $"runs/{tagged}");

        await page.Locator("[data-testid=edit-run-button]").ClickAsync();
        await page.Locator("input[data-testid=edit-run-tags]").FillAsync("baseline, paper check");
        await page.Locator("textarea[data-testid=edit-run-notes]").FillAsync("Kept as the reference for the demo data.");
        await page.Locator("[data-testid=edit-run-save]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=run-notes]")).ToHaveTextAsync("Kept as the reference for the demo data.");
        await page.Locator("[data-testid=run-tags]").GetByText("paper check").ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("runs\\?tag=paper(%20|\\+)check$"));
        await Assertions.Expect(page.Locator("[data-testid=runs-table] tbody tr")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("[data-testid=runs-table]")).ToContainTextAsync("Tagged MLP");
        await BrowserSession.ScreenshotAsync(page, "runs-tagged");
    }
}
