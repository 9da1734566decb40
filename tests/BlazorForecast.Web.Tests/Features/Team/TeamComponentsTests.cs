using BlazorForecast.Web.Data;
using BlazorForecast.Web.Features.Datasets;
using BlazorForecast.Web.Features.Runs;
using BlazorForecast.Web.Features.Team;
using BlazorForecast.Web.Tests.Components;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorForecast.Web.Tests.Features.Team;

/// <summary>The team's pages and what other pages show or hide by role and ownership.</summary>
public sealed class TeamComponentsTests : AppComponentTestContext
{
    private async Task<int> AddRunAsync(Caller owner, Visibility visibility, RunStatus status = RunStatus.Succeeded, string name = "ann's run")
    {
        var dataset = await ImportAsync("Date,Close\n2024-01-02,1\n2024-01-03,2\n");
        await using var db = await Services.GetRequiredService<IDbContextFactory<ForecastDbContext>>().CreateDbContextAsync();
        var run = new Run
        {
            DatasetId = dataset.Id, Name = name, ConfigJson = "{}", ModelKind = "Lstm", Status = status, MaxEpochs = 10,
            CreatedAt = DateTime.UtcNow, OwnerId = owner.UserId, Visibility = visibility,
        };
        db.Runs.Add(run);
        await db.SaveChangesAsync();
        return run.Id;
    }

    [Fact]
    public async Task RunPage_ForAViewer_ShowsTheRunAndItsOwner_WithoutAnythingThatChangesIt()
    {
        var ann = await AddAccountAsync("Ann", TeamRole.Member);
        var id = await AddRunAsync(ann, Visibility.Team, RunStatus.Running);
        SignInAs(await AddAccountAsync("Vic", TeamRole.Viewer));

        var cut = RenderWithProviders<RunPage>((nameof(RunPage.Id), id));

        cut.WaitForAssertion(() => Assert.Equal("ann's run", cut.Find("[data-testid=run-title]").TextContent));
        Assert.Contains("Owned by Ann", cut.Find("[data-testid=run-owner]").TextContent, StringComparison.Ordinal);
        Assert.Contains("visible to the team", cut.Find("[data-testid=run-owner]").TextContent, StringComparison.Ordinal);
        foreach (var button in new[] { "stop-button", "edit-run-button", "clone-button" })
        {
            Assert.Empty(cut.FindAll($"[data-testid={button}]"));
        }
    }

    [Fact]
    public async Task RunPage_ForItsOwner_OffersStopAndEdit()
    {
        var ann = await AddAccountAsync("Ann", TeamRole.Member);
        var id = await AddRunAsync(ann, Visibility.Private, RunStatus.Running);
        SignInAs(ann);

        var cut = RenderWithProviders<RunPage>((nameof(RunPage.Id), id));

        cut.WaitForElement("[data-testid=stop-button]");
        Assert.NotEmpty(cut.FindAll("[data-testid=edit-run-button]"));
        Assert.Contains("private", cut.Find("[data-testid=run-owner]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunPage_SomeoneElsesPrivateRun_LooksMissing()
    {
        var ann = await AddAccountAsync("Ann", TeamRole.Member);
        var id = await AddRunAsync(ann, Visibility.Private);
        SignInAs(await AddAccountAsync("Bob", TeamRole.Member));

        var cut = RenderWithProviders<RunPage>((nameof(RunPage.Id), id));

        cut.WaitForAssertion(() => Assert.Contains($"There is no run {id}.", cut.Markup, StringComparison.Ordinal));
        Assert.DoesNotContain("ann's run", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunsPage_OnlyMine_HidesOtherPeoplesRuns_AndNamesOwners()
    {
        var ann = await AddAccountAsync("Ann", TeamRole.Member);
        await AddRunAsync(ann, Visibility.Team, name: "ann's run");
        await AddRunAsync(Admin, Visibility.Private, name: "admin's run");
        var cut = RenderWithProviders<RunsPage>();
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=run-row-owner]").Count));
        Assert.Equal(["Ada Admin", "Ann"], cut.FindAll("[data-testid=run-row-owner]").Select(c => c.TextContent.Trim()).Order());

        cut.Find("input[data-testid=filter-mine]").Change(true);

        cut.WaitForAssertion(() => Assert.Equal("Ada Admin", Assert.Single(cut.FindAll("[data-testid=run-row-owner]")).TextContent.Trim()));
        Assert.Contains("admin's run", cut.Find("[data-testid=runs-table]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DatasetsPage_ForAViewer_HasNoUploadButton()
    {
        SignInAs(await AddAccountAsync("Vic", TeamRole.Viewer));

        var cut = RenderWithProviders<DatasetsPage>();

        cut.WaitForAssertion(() => Assert.Contains("No datasets yet", cut.Markup, StringComparison.Ordinal));
        Assert.Empty(cut.FindAll("[data-testid=upload-button]"));
        Assert.Empty(cut.FindAll("[data-testid=empty-upload-button]"));
        Assert.DoesNotContain("Upload CSV", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DatasetPage_ForAViewer_OffersReadingOnly()
    {
        var dataset = await ImportAsync("Date,Close\n2024-01-02,1\n2024-01-03,2\n", "shared prices");
        SignInAs(await AddAccountAsync("Vic", TeamRole.Viewer));

        var cut = RenderWithProviders<BlazorForecast.Web.Features.Datasets.DatasetPage>((nameof(BlazorForecast.Web.Features.Datasets.DatasetPage.Id), dataset.Id));

        cut.WaitForElement("[data-testid=download-button]");
        Assert.Empty(cut.FindAll("[data-testid=train-button]"));
        Assert.Empty(cut.FindAll("[data-testid=edit-button]"));
        Assert.Empty(cut.FindAll("[data-testid=delete-button]"));
    }

    [Theory]
    [InlineData(TeamRole.Viewer, false)]
    [InlineData(TeamRole.Member, true)]
    public async Task ForecastNow_OffersAnUpload_OnlyToThoseWhoMayUpload(TeamRole role, bool offered)
    {
        SignInAs(await AddAccountAsync("Someone", role));

        var cut = RenderWithProviders<BlazorForecast.Web.Features.Results.ForecastNowPanel>(
            (nameof(BlazorForecast.Web.Features.Results.ForecastNowPanel.Results), BlazorForecast.Web.Tests.Features.Results.TrainedResults.Chronological));

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=forecast-dataset]")));
        Assert.Equal(offered, cut.FindAll("[data-testid=forecast-upload]").Count == 1);
    }

    [Fact]
    public async Task TeamPage_AddsAMember_AndSaysWhyAShortPasswordFails()
    {
        var cut = RenderWithProviders<TeamPage>();
        cut.WaitForElement("[data-testid=member-table]");

        cut.Find("input[data-testid=member-name]").Change("Carol");
        cut.Find("input[data-testid=member-email]").Change("carol@tests.invalid");
        cut.Find("input[data-testid=member-password]").Change("short");
        cut.Find("[data-testid=member-add]").Click();
        cut.WaitForAssertion(() => Assert.Contains("at least 10 characters", cut.Find("[data-testid=member-error]").TextContent, StringComparison.Ordinal));

        cut.Find("input[data-testid=member-password]").Change("a long enough password");
        cut.Find("[data-testid=member-add]").Click();

        cut.WaitForAssertion(() => Assert.Contains("carol@tests.invalid", cut.Find("[data-testid=member-table]").TextContent, StringComparison.Ordinal));
        var carol = (await Services.GetRequiredService<TeamAccounts>().ListAsync()).Single(m => m.Email == "carol@tests.invalid");
        Assert.Equal(TeamRole.Member, carol.Role);
    }

    [Fact]
    public async Task TokensPage_ShowsANewTokenOnce_AndRevokesIt()
    {
        var cut = RenderWithProviders<TokensPage>();
        cut.WaitForElement("[data-testid=token-table]");

        cut.Find("input[data-testid=token-name]").Change("laptop CLI");
        cut.Find("[data-testid=token-create]").Click();

        cut.WaitForElement("[data-testid=token-created]");
        var secret = cut.Find("input[data-testid=token-secret]").GetAttribute("value")!;
        Assert.StartsWith("bf_", secret, StringComparison.Ordinal);
        Assert.Contains("laptop CLI", cut.Find("[data-testid=token-table]").TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, cut.Find("[data-testid=token-table]").TextContent, StringComparison.Ordinal);
        var tokens = Services.GetRequiredService<ApiTokens>();
        Assert.Equal(Admin.UserId, (await tokens.FindHolderAsync(secret, CancellationToken.None))?.UserId);

        cut.Find("[data-testid=token-revoke]").Click();
        cut.WaitForElement(".mud-message-box");
        cut.FindAll(".mud-message-box button").Single(b => b.TextContent.Contains("Revoke", StringComparison.Ordinal)).Click();

        cut.WaitForAssertion(() => Assert.Contains("revoked", cut.Find("[data-testid=token-table]").TextContent, StringComparison.Ordinal));
        Assert.Null(await tokens.FindHolderAsync(secret, CancellationToken.None));
    }

    [Fact]
    public async Task ActivityPage_ListsWhatPeopleDid()
    {
        await Datasets.ImportAsync(new MemoryStream("Date,Close\n2024-01-02,1\n2024-01-03,2\n"u8.ToArray()), "q3.csv", "Q3 prices", null,
            new BlazorForecast.Forecasting.Data.CsvImportOptions(), Admin, Visibility.Team);

        var cut = RenderWithProviders<ActivityPage>();

        cut.WaitForAssertion(() =>
        {
            var line = System.Text.RegularExpressions.Regex.Replace(cut.Find("[data-testid=activity-feed] .mud-list-item").TextContent, @"\s+", " ");
            Assert.Contains("Ada Admin uploaded dataset", line, StringComparison.Ordinal);
            Assert.Contains("Q3 prices", line, StringComparison.Ordinal);
        });
        Assert.Contains("datasets/", cut.Find("[data-testid=activity-feed] a").GetAttribute("href"), StringComparison.Ordinal);
    }

    [Fact]
    public void SharedRunPage_WithAnUnknownLink_SaysTheLinkDoesNotWork()
    {
        var cut = RenderWithProviders<SharedRunPage>((nameof(SharedRunPage.Secret), "no-such-link"));

        cut.WaitForAssertion(() => Assert.Contains("This link does not work", cut.Markup, StringComparison.Ordinal));
    }
}
