using BlazorForecast.E2E.Tests.Infrastructure;
using Microsoft.Playwright;

namespace BlazorForecast.E2E.Tests.Features.Team;

public sealed class TeamBrowserTests
{
    [SkippableFact]
    public async Task SignIn_ShareARun_TheLinkOpensInAFreshBrowser_UntilRevoked()
    {
        await using var session = await BrowserSession.StartAsync(seedDemo: true);
        using var client = session.CreateApiClient();
        var id = await RunApi.TrainAsync(client, 1, "Shared MLP", "Mlp", seed: 3);

        // A fresh browser asking for the run is sent to sign in, then back to the run.
        var page = await session.NewAnonymousPageAsync();
        await page.GotoAsync($"runs/{id}");
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/account/login\\?ReturnUrl=%2Fruns%2F"));
        await page.FillAsync("[data-testid=login-email]", ForecastAppFactory.AdminEmail);
        await page.FillAsync("[data-testid=login-password]", "wrong password");
        await page.ClickAsync("[data-testid=login-submit]");
        await Assertions.Expect(page.Locator("[data-testid=login-error]")).ToHaveTextAsync(BlazorForecast.Web.Features.Team.AccountLocks.SignInFailed);
        await BrowserSession.ScreenshotAsync(page, "team-sign-in");
        await page.FillAsync("[data-testid=login-password]", ForecastAppFactory.AdminPassword);
        await page.ClickAsync("[data-testid=login-submit]");
        await page.WaitForSelectorAsync("body[data-interactive='true']");
        await Assertions.Expect(page.Locator("[data-testid=run-title]")).ToHaveTextAsync("Shared MLP");
        await Assertions.Expect(page.Locator("[data-testid=account-role]")).ToHaveTextAsync("admin");

        await page.ClickAsync("[data-testid=share-button]");
        await page.ClickAsync("[data-testid=share-create]");
        var url = await page.Locator("input[data-testid=share-url]").InputValueAsync();
        Assert.Contains("/share/", url, StringComparison.Ordinal);
        await Assertions.Expect(page.Locator("[data-testid=share-links] tbody tr")).ToHaveCountAsync(1);
        await BrowserSession.ScreenshotAsync(page, "team-share-dialog");

        var visitor = await session.NewAnonymousPageAsync();
        await BrowserSession.GotoInteractiveAsync(visitor, url);
        await Assertions.Expect(visitor.Locator("[data-testid=shared-run-title]")).ToHaveTextAsync("Shared MLP");
        await visitor.WaitForSelectorAsync("[data-testid=prediction-chart] .js-plotly-plot .scatterlayer .trace");
        await visitor.GetByRole(AriaRole.Tab, new() { Name = "Metrics" }).ClickAsync();
        await Assertions.Expect(visitor.Locator("[data-testid=metrics-row]")).ToHaveCountAsync(5);
        await Assertions.Expect(visitor.GetByRole(AriaRole.Link, new() { Name = "Runs" })).ToHaveCountAsync(0);
        await Assertions.Expect(visitor.Locator("[data-testid=account-button]")).ToHaveCountAsync(0);
        await BrowserSession.ScreenshotAsync(visitor, "team-shared-run");

        await page.ClickAsync("[data-testid=share-revoke]");
        await Assertions.Expect(page.Locator("[data-testid=share-links] tbody tr td").Nth(2)).ToHaveTextAsync("revoked");
        await BrowserSession.GotoInteractiveAsync(visitor, url);
        await Assertions.Expect(visitor.GetByText("This link does not work")).ToBeVisibleAsync();
    }

    [SkippableFact]
    public async Task Admin_AddsAMember_WhoSeesOnlyWhatTheirRoleAllows()
    {
        await using var session = await BrowserSession.StartAsync(seedDemo: true);
        var admin = await session.NewPageAsync();

        await BrowserSession.GotoInteractiveAsync(admin, "team");
        await admin.FillAsync("input[data-testid=member-name]", "Vic Viewer");
        await admin.FillAsync("input[data-testid=member-email]", "vic@tests.invalid");
        await admin.Locator("[data-testid=member-role]").ClickAsync();
        await admin.GetByRole(AriaRole.Option, new() { Name = "Viewer" }).ClickAsync();
        await admin.FillAsync("input[data-testid=member-password]", "vic's first password");
        await admin.ClickAsync("[data-testid=member-add]");
        await Assertions.Expect(admin.Locator("[data-testid=member-table]")).ToContainTextAsync("vic@tests.invalid");
        await BrowserSession.ScreenshotAsync(admin, "team-members");

        var vic = await session.NewAnonymousPageAsync();
        await BrowserSession.SignInAsync(vic, "vic@tests.invalid", "vic's first password");
        await BrowserSession.GotoInteractiveAsync(vic, "datasets");
        await Assertions.Expect(vic.Locator("[data-testid=dataset-grid]")).ToContainTextAsync("Demo");
        await Assertions.Expect(vic.Locator("[data-testid=upload-button]")).ToHaveCountAsync(0);
        await Assertions.Expect(vic.Locator("[data-testid=account-role]")).ToHaveTextAsync("viewer");

        await BrowserSession.GotoInteractiveAsync(vic, "account/tokens");
        await vic.FillAsync("input[data-testid=token-name]", "vic's script");
        await vic.ClickAsync("[data-testid=token-create]");
        await Assertions.Expect(vic.Locator("input[data-testid=token-secret]")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("^bf_"));
        await BrowserSession.ScreenshotAsync(vic, "team-tokens");

        await vic.ClickAsync("[data-testid=account-button] button");
        await vic.ClickAsync("[data-testid=sign-out]");
        await Assertions.Expect(vic).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/account/login$"));
    }
}
