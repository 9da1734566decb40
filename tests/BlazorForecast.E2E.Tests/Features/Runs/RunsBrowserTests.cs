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
        await Assertions.Expect(page.Locator("[data-testid=empty-state]")).ToContainTextAsync("POST /api/runs");

        using var client = new HttpClient { BaseAddress = session.BaseAddress };
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
}
