using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BlazorForecast.Web.Features.Training;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace BlazorForecast.Web.Tests.Features.Team;

/// <summary>What each person sees in lists and on the hub, and what owners, admins and share links can do, on one team.</summary>
public sealed class TeamAccessTests(TeamFixture team) : IClassFixture<TeamFixture>
{
    private static async Task<List<int>> IdsAsync(HttpClient client, string path) =>
        (await client.GetFromJsonAsync<JsonElement>(path)).EnumerateArray().Select(e => e.GetProperty("id").GetInt32()).ToList();

    [Fact]
    public async Task Lists_ShowPrivateWorkToItsOwnerAndAdminsOnly()
    {
        foreach (var actor in new[] { "admin", "ann" })
        {
            Assert.Contains(team.PrivateRun, await IdsAsync(team.As(actor), "/api/runs"));
            Assert.Contains(team.PrivateDataset, await IdsAsync(team.As(actor), "/api/datasets"));
        }

        foreach (var actor in new[] { "bob", "vic" })
        {
            var runs = await IdsAsync(team.As(actor), "/api/runs");
            Assert.Contains(team.TeamRun, runs);
            Assert.DoesNotContain(team.PrivateRun, runs);
            var datasets = await IdsAsync(team.As(actor), "/api/datasets");
            Assert.Contains(team.TeamDataset, datasets);
            Assert.DoesNotContain(team.PrivateDataset, datasets);
        }
    }

    [Fact]
    public async Task RunsList_Mine_KeepsOnlyTheCallersOwnRuns()
    {
        var anns = await team.Ann.GetFromJsonAsync<JsonElement>("/api/runs?mine=true");
        var admins = await team.Admin.GetFromJsonAsync<JsonElement>("/api/runs?mine=true");

        Assert.Equal(new[] { team.PrivateRun, team.TeamRun }.Order(), anns.EnumerateArray().Select(r => r.GetProperty("id").GetInt32()).Order());
        Assert.All(anns.EnumerateArray(), r => Assert.Equal(team.AnnCaller.UserId, r.GetProperty("ownerId").GetString()));
        Assert.DoesNotContain(admins.EnumerateArray(), r => r.GetProperty("ownerId").GetString() == team.AnnCaller.UserId);
    }

    [Fact]
    public async Task Runs_NameTheirOwnerAndVisibility()
    {
        var run = (await team.Bob.GetFromJsonAsync<JsonElement>($"/api/runs/{team.TeamRun}")).GetProperty("run");

        Assert.Equal("Ann", run.GetProperty("ownerName").GetString());
        Assert.Equal(team.AnnCaller.UserId, run.GetProperty("ownerId").GetString());
        Assert.Equal("Team", run.GetProperty("visibility").GetString());
    }

    [Theory]
    [InlineData("admin", "shared", true)]
    [InlineData("admin", "private", true)]
    [InlineData("ann", "shared", true)]
    [InlineData("ann", "private", true)]
    [InlineData("bob", "shared", true)]
    [InlineData("bob", "private", false)]
    [InlineData("vic", "shared", true)]
    [InlineData("vic", "private", false)]
    public async Task Hub_JoinRun_OnlyForRunsTheCallerMayRead(string actor, string resource, bool joins)
    {
        var run = resource == "shared" ? team.TeamRun : team.PrivateRun;
        await using var connection = Connect(team.App.Server.BaseAddress, await TokenAsync(team.As(actor)));
        await connection.StartAsync();

        if (joins)
        {
            Assert.Equal(run, (await connection.InvokeAsync<JsonElement>("JoinRun", run)).GetProperty("runId").GetInt32());
            await connection.InvokeAsync("LeaveRun", run);
        }
        else
        {
            var denied = await Assert.ThrowsAsync<HubException>(() => connection.InvokeAsync<JsonElement>("JoinRun", run));
            Assert.Contains($"There is no run {run}.", denied.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("Ann", "/runs/{P}", "ann private run")]
    [InlineData("Bob", "/runs/{P}", "There is no run {P}.")]
    [InlineData("Bob", "/runs/{S}", "ann shared run")]
    [InlineData("Bob", "/datasets/{PD}", "Dataset not found")]
    [InlineData("Vic", "/runs/new", "Not for your role")]
    [InlineData("Bob", "/team", "Not for your role")]
    [InlineData("Test Admin", "/team", "Add someone")]
    public async Task Pages_RenderOnlyWhatTheSignedInPersonMaySee(string person, string path, string expected)
    {
        var email = person == "Test Admin" ? ForecastAppFactory.AdminEmail : $"{person.ToLowerInvariant()}@tests.invalid";
        var password = person == "Test Admin" ? ForecastAppFactory.AdminPassword : "password for " + person;
        using var browser = await team.App.SignInWithCookieAsync(email, password);
        string Ids(string text) => text.Replace("{PD}", team.PrivateDataset.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{P}", team.PrivateRun.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{S}", team.TeamRun.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);

        var html = await browser.GetStringAsync(Ids(path));

        Assert.Contains(Ids(expected), html, StringComparison.Ordinal);
        if (expected.StartsWith("There is no", StringComparison.Ordinal) || expected.StartsWith("Dataset not found", StringComparison.Ordinal))
        {
            Assert.DoesNotContain("ann private", html, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Hub_WithoutCredentials_RefusesTheConnection()
    {
        await using var anonymous = Connect(team.App.Server.BaseAddress, token: null);

        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => anonymous.StartAsync());

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task ShareLink_OpensTheRunWithoutAnAccount_UntilRevokedOrExpired()
    {
        var created = await (await team.Ann.PostAsJsonAsync($"/api/runs/{team.PrivateRun}/share-links", new { expiresInDays = 7 })).Content.ReadFromJsonAsync<JsonElement>();
        var url = new Uri(created.GetProperty("url").GetString()!);
        var linkId = created.GetProperty("link").GetProperty("id").GetInt32();

        var open = await team.Anonymous.GetStringAsync(url.PathAndQuery);
        Assert.Contains("ann private run", open, StringComparison.Ordinal);
        Assert.DoesNotContain("This link does not work", open, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await team.Anonymous.GetAsync($"/api/runs/{team.PrivateRun}")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await team.Ann.DeleteAsync($"/api/runs/{team.PrivateRun}/share-links/{linkId}")).StatusCode);
        var revoked = await team.Anonymous.GetStringAsync(url.PathAndQuery);
        Assert.Contains("This link does not work", revoked, StringComparison.Ordinal);
        Assert.DoesNotContain("ann private run", revoked, StringComparison.Ordinal);
        var links = await team.Ann.GetFromJsonAsync<JsonElement>($"/api/runs/{team.PrivateRun}/share-links");
        Assert.True(links.EnumerateArray().Single(l => l.GetProperty("id").GetInt32() == linkId).GetProperty("revokedAt").ValueKind == JsonValueKind.String);
    }

    [Fact]
    public async Task ShareLink_PastItsExpiry_NoLongerOpens()
    {
        var created = await (await team.Ann.PostAsJsonAsync($"/api/runs/{team.TeamRun}/share-links", new { expiresInDays = 1 })).Content.ReadFromJsonAsync<JsonElement>();
        var path = new Uri(created.GetProperty("url").GetString()!).PathAndQuery;
        Assert.Contains("ann shared run", await team.Anonymous.GetStringAsync(path), StringComparison.Ordinal);

        await ExecuteAsync($"UPDATE \"RunShareLinks\" SET \"ExpiresAt\" = '2000-01-01 00:00:00' WHERE \"Id\" = {created.GetProperty("link").GetProperty("id").GetInt32()}");

        Assert.Contains("This link does not work", await team.Anonymous.GetStringAsync(path), StringComparison.Ordinal);
        Assert.Contains("This link does not work", await team.Anonymous.GetStringAsync("/share/not-a-real-secret"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ShareLink_OnlyForFinishedRunsWithResults_AndForAtMost90Days()
    {
        var tooLong = await team.Ann.PostAsJsonAsync($"/api/runs/{team.TeamRun}/share-links", new { expiresInDays = 365 });

        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Contains("1 to 90 days", await tooLong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Activity_ListsWhoDidWhat_HidingPrivateWorkFromOthers()
    {
        var ann = await team.Ann.GetFromJsonAsync<JsonElement>("/api/activity?take=200");
        var bob = await team.Bob.GetFromJsonAsync<JsonElement>("/api/activity?take=200");

        Assert.Contains(ann.EnumerateArray(), e => e.GetProperty("actorName").GetString() == "Ann" && e.GetProperty("action").GetString() == "Uploaded"
            && e.GetProperty("subjectName").GetString() == "ann private");
        Assert.Contains(ann.EnumerateArray(), e => e.GetProperty("action").GetString() == "Started" && e.GetProperty("subjectId").GetInt32() == team.PrivateRun);
        Assert.Contains(bob.EnumerateArray(), e => e.GetProperty("action").GetString() == "Started" && e.GetProperty("subjectId").GetInt32() == team.TeamRun);
        Assert.DoesNotContain(bob.EnumerateArray(), e => e.GetProperty("subjectName").GetString() is "ann private" or "ann private run");
    }

    [Fact]
    public async Task CookieRequests_ThatChangeThings_NeedTheAntiforgeryToken()
    {
        using var browser = await team.App.SignInWithCookieAsync();

        var withoutToken = await browser.PatchAsJsonAsync($"/api/runs/{team.TeamRun}", new { notes = "from a foreign page" });
        var read = await browser.GetAsync($"/api/runs/{team.TeamRun}");

        Assert.Equal(HttpStatusCode.BadRequest, withoutToken.StatusCode);
        Assert.Contains("antiforgery token", await withoutToken.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.NotEqual("from a foreign page", (await read.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("run").GetProperty("notes").GetString());
    }

    [Fact]
    public async Task SignInForm_WithoutItsAntiforgeryToken_IsRejected()
    {
        using var client = team.App.CreateAnonymousClient();

        var response = await client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "sign-in",
            ["Input.Email"] = ForecastAppFactory.AdminEmail,
            ["Input.Password"] = ForecastAppFactory.AdminPassword,
        }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/me")).StatusCode);
    }

    [Fact]
    public async Task SignIn_WithAReturnUrlToAnotherSite_LandsOnThisOne()
    {
        using var client = team.App.CreateAnonymousClient();
        var token = await ForecastAppFactory.FormTokenAsync(client, "/account/login?ReturnUrl=%2F%2Fevil.example%2F");

        var response = await client.PostAsync("/account/login?ReturnUrl=%2F%2Fevil.example%2F", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "sign-in",
            ["__RequestVerificationToken"] = token,
            ["Input.Email"] = ForecastAppFactory.AdminEmail,
            ["Input.Password"] = ForecastAppFactory.AdminPassword,
        }));

        Assert.Equal(team.App.Server.BaseAddress.Host, response.RequestMessage!.RequestUri!.Host);
        Assert.DoesNotContain("evil.example", response.RequestMessage.RequestUri.ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/me")).StatusCode);
    }

    [Fact]
    public async Task SignOutForm_WithoutItsAntiforgeryToken_KeepsTheSession()
    {
        using var browser = await team.App.SignInWithCookieAsync();

        var response = await browser.PostAsync("/account/logout", new FormUrlEncodedContent([]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/api/me")).StatusCode);
    }

    [Fact]
    public async Task Pages_WithoutASession_RedirectToSignIn_AndTheApiAnswers401()
    {
        using var client = team.App.CreateAnonymousClient();

        var page = await client.GetAsync("/runs");
        var api = await client.GetAsync("/api/runs");

        Assert.EndsWith("/account/login", page.RequestMessage!.RequestUri!.AbsolutePath, StringComparison.Ordinal);
        Assert.Contains("ReturnUrl=%2Fruns", page.RequestMessage.RequestUri.Query, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
        Assert.Equal("Not signed in", (await api.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());
    }

    private HubConnection Connect(Uri address, string? token) => new HubConnectionBuilder()
        .WithUrl(new Uri(address, TrainingHub.Path), o =>
        {
            o.HttpMessageHandlerFactory = _ => team.App.Server.CreateHandler();
            o.AccessTokenProvider = () => Task.FromResult(token);
        })
        .Build();

    private static async Task<string> TokenAsync(HttpClient client) =>
        (await (await client.PostAsJsonAsync("/api/tokens", new { name = "hub" })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString()!;

    private Task ExecuteAsync(string sql) => team.App.ExecuteSqlAsync(sql);
}
