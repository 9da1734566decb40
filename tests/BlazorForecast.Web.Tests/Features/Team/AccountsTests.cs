using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using BlazorForecast.Web.Data;
using BlazorForecast.Web.Features.Team;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorForecast.Web.Tests.Features.Team;

/// <summary>Accounts, API tokens, lockout, roles and limits, each on a fresh app (they change the team).</summary>
public sealed class AccountsTests : IDisposable
{
    private readonly ForecastAppFactory _app = new(seedDemo: true, settings: new Dictionary<string, string?>
    {
        ["BlazorForecast:Team:UploadsPerMinute"] = "2",
        ["BlazorForecast:Team:RunLaunchesPerMinute"] = "2",
        ["BlazorForecast:Team:PasswordChecksPerMinute"] = "8",
    });

    public void Dispose() => _app.Dispose();

    private Task<object?> ScalarAsync(string sql) => _app.ScalarAsync(sql);

    private static async Task<HttpResponseMessage> ChangePasswordAsync(HttpClient browser, string current, string next) =>
        await browser.PostAsync("/account/password", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "change-password",
            ["__RequestVerificationToken"] = await ForecastAppFactory.FormTokenAsync(browser, "/account/password"),
            ["Input.CurrentPassword"] = current,
            ["Input.NewPassword"] = next,
            ["Input.ConfirmPassword"] = next,
        }));

    private static HttpClient WithToken(HttpClient client, string secret)
    {
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        return client;
    }

    [Fact]
    public async Task Token_FromEmailAndPassword_WorksAsBearer_AndIsStoredOnlyHashed()
    {
        using var anonymous = _app.CreateAnonymousClient();

        var created = await anonymous.PostAsJsonAsync("/api/account/tokens", new { name = "cli", email = ForecastAppFactory.AdminEmail, password = ForecastAppFactory.AdminPassword });
        var secret = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString()!;

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.StartsWith("bf_", secret, StringComparison.Ordinal);
        using var script = WithToken(_app.CreateAnonymousClient(), secret);
        Assert.Equal("Admin", (await script.GetFromJsonAsync<JsonElement>("/api/me")).GetProperty("role").GetString());
        Assert.Equal(0L, await ScalarAsync($"SELECT COUNT(*) FROM \"ApiTokens\" WHERE \"Hash\" = '{secret}' OR \"Prefix\" = '{secret}'"));
        Assert.Equal(1L, await ScalarAsync("SELECT COUNT(*) FROM \"ApiTokens\" WHERE \"Name\" = 'cli' AND \"LastUsedAt\" IS NOT NULL"));
    }

    [Fact]
    public async Task Token_Revoked_IsRefusedWithTheReason()
    {
        using var admin = _app.CreateClient();
        var created = await (await admin.PostAsJsonAsync("/api/tokens", new { name = "to revoke" })).Content.ReadFromJsonAsync<JsonElement>();
        using var script = WithToken(_app.CreateAnonymousClient(), created.GetProperty("secret").GetString()!);
        Assert.Equal(HttpStatusCode.OK, (await script.GetAsync("/api/runs")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/tokens/{created.GetProperty("token").GetProperty("id").GetInt32()}")).StatusCode);
        var refused = await script.GetAsync("/api/runs");

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains("unknown, expired or revoked", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("Bearer", refused.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task Token_PastItsExpiry_IsRefused()
    {
        using var admin = _app.CreateClient();
        var created = await (await admin.PostAsJsonAsync("/api/tokens", new { name = "short", expiresInDays = 1 })).Content.ReadFromJsonAsync<JsonElement>();
        using var script = WithToken(_app.CreateAnonymousClient(), created.GetProperty("secret").GetString()!);
        Assert.Equal(HttpStatusCode.OK, (await script.GetAsync("/api/me")).StatusCode);

        await ScalarAsync($"UPDATE \"ApiTokens\" SET \"ExpiresAt\" = '2000-01-01 00:00:00' WHERE \"Id\" = {created.GetProperty("token").GetProperty("id").GetInt32()}");

        Assert.Equal(HttpStatusCode.Unauthorized, (await script.GetAsync("/api/me")).StatusCode);
    }

    [Fact]
    public async Task RepeatedWrongPasswords_LockPasswordSignIns_ButNotTheOwnersTokens_AndSayNothingAboutTheAccount()
    {
        var (bob, _) = await _app.CreateClientAsAsync(TeamRole.Member, "Bob");
        using var anonymous = _app.CreateAnonymousClient();

        for (var i = 0; i < 5; i++)
        {
            var wrong = await anonymous.PostAsJsonAsync("/api/account/tokens", new { name = "x", email = "bob@tests.invalid", password = "not the password" });
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
            Assert.Equal(AccountLocks.SignInFailed, (await wrong.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        }

        var right = await anonymous.PostAsJsonAsync("/api/account/tokens", new { name = "x", email = "bob@tests.invalid", password = "password for Bob" });
        var nobody = await anonymous.PostAsJsonAsync("/api/account/tokens", new { name = "x", email = "nobody@tests.invalid", password = "anything at all" });

        Assert.Equal(HttpStatusCode.Unauthorized, right.StatusCode);
        Assert.Equal(AccountLocks.SignInFailed, (await right.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        Assert.Equal(AccountLocks.SignInFailed, (await nobody.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        // Someone guessing at Bob's address does not take his scripts down.
        Assert.Equal(HttpStatusCode.OK, (await bob.GetAsync("/api/me")).StatusCode);
        bob.Dispose();
    }

    [Fact]
    public async Task AnOpenBrowserSession_OutlastsAPasswordLockout_ButNotAnAdminsLock()
    {
        var (bob, caller) = await _app.CreateClientAsAsync(TeamRole.Member, "Bob");
        bob.Dispose();
        await using var scope = _app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<AppUser>>();
        var signIn = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.SignInManager<AppUser>>();
        var user = (await users.FindByIdAsync(caller.UserId!))!;
        var state = new Microsoft.AspNetCore.Components.Authorization.AuthenticationState(await signIn.CreateUserPrincipalAsync(user));
        var provider = new RevalidatingTeamAuthenticationStateProvider(
            _app.Services.GetRequiredService<Microsoft.Extensions.Logging.ILoggerFactory>(), _app.Services.GetRequiredService<IServiceScopeFactory>(),
            _app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Identity.IdentityOptions>>());
        var validate = typeof(RevalidatingTeamAuthenticationStateProvider).GetMethod("ValidateAuthenticationStateAsync",
            System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic)!;
        Task<bool> ValidAsync() => (Task<bool>)validate.Invoke(provider, [state, CancellationToken.None])!;

        for (var i = 0; i < 5; i++)
        {
            await users.AccessFailedAsync(user);
        }

        Assert.True(await users.IsLockedOutAsync(user));
        Assert.True(await ValidAsync());
        await _app.Services.GetRequiredService<TeamAccounts>().SetLockedAsync(caller.UserId!, locked: true, _app.AdminCaller);
        Assert.False(await ValidAsync());
    }

    [Fact]
    public async Task TheSignInForm_AnswersEveryFailureAlike()
    {
        await _app.CreateClientAsAsync(TeamRole.Member, "Bob");
        using var browser = _app.CreateAnonymousClient();

        async Task<string> SignInAsync(string email, string password)
        {
            var token = await ForecastAppFactory.FormTokenAsync(browser, "/account/login");
            using var response = await browser.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["_handler"] = "sign-in",
                ["__RequestVerificationToken"] = token,
                ["Input.Email"] = email,
                ["Input.Password"] = password,
            }));
            return System.Net.WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        }

        Assert.Contains(AccountLocks.SignInFailed, await SignInAsync("nobody@tests.invalid", "whatever it is"), StringComparison.Ordinal);
        for (var i = 0; i < 5; i++)
        {
            Assert.Contains(AccountLocks.SignInFailed, await SignInAsync("bob@tests.invalid", "wrong guess"), StringComparison.Ordinal);
        }

        var locked = await SignInAsync("bob@tests.invalid", "password for Bob");
        Assert.Contains(AccountLocks.SignInFailed, locked, StringComparison.Ordinal);
        Assert.DoesNotContain("try again after", locked, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(366)]
    public async Task Tokens_LiveAtMostTheServersLongestLifetime(int days)
    {
        using var admin = _app.CreateClient();

        var refused = await admin.PostAsJsonAsync("/api/tokens", new { name = "forever", expiresInDays = days });
        var unsaid = await (await admin.PostAsJsonAsync("/api/tokens", new { name = "default" })).Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("A token expires after 1 to 365 days; every token expires.", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        var token = unsaid.GetProperty("token");
        Assert.Equal(90, (token.GetProperty("expiresAt").GetDateTime() - token.GetProperty("createdAt").GetDateTime()).TotalDays, 3);
    }

    [Fact]
    public async Task ATokenFromBeforeLifetimes_StopsAfterTheLongestLifetime()
    {
        var (bob, caller) = await _app.CreateClientAsAsync(TeamRole.Member, "Bob");
        Assert.Equal(HttpStatusCode.OK, (await bob.GetAsync("/api/me")).StatusCode);

        await using (var db = await _app.Services.GetRequiredService<IDbContextFactory<ForecastDbContext>>().CreateDbContextAsync())
        {
            await db.ApiTokens.Where(t => t.UserId == caller.UserId).ExecuteUpdateAsync(set => set
                .SetProperty(t => t.ExpiresAt, (DateTime?)null)
                .SetProperty(t => t.CreatedAt, DateTime.UtcNow.AddDays(-400)));
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await bob.GetAsync("/api/me")).StatusCode);
        bob.Dispose();
    }

    [Fact]
    public async Task RoleChange_TakesEffectOnTheNextRequest()
    {
        var (bob, caller) = await _app.CreateClientAsAsync(TeamRole.Member, "Bob");
        using var admin = _app.CreateClient();

        var changed = await admin.PatchAsJsonAsync($"/api/users/{caller.UserId}", new { role = "Viewer" });
        var launch = await bob.PostAsJsonAsync("/api/runs", new { datasetId = 1, config = new { targets = new[] { "Close" } } });

        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Equal("Viewer", (await changed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("role").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, launch.StatusCode);
        bob.Dispose();
    }

    [Fact]
    public async Task LockedAccount_ItsTokensStopWorking_UntilUnlocked()
    {
        var (bob, caller) = await _app.CreateClientAsAsync(TeamRole.Member, "Bob");
        using var admin = _app.CreateClient();

        await admin.PatchAsJsonAsync($"/api/users/{caller.UserId}", new { locked = true });
        var whileLocked = await bob.GetAsync("/api/me");
        await admin.PatchAsJsonAsync($"/api/users/{caller.UserId}", new { locked = false });
        var afterUnlock = await bob.GetAsync("/api/me");

        Assert.Equal(HttpStatusCode.Unauthorized, whileLocked.StatusCode);
        Assert.Equal(HttpStatusCode.OK, afterUnlock.StatusCode);
        bob.Dispose();
    }

    [Fact]
    public async Task TheLastAdmin_CannotBeDemotedOrRemoved()
    {
        using var admin = _app.CreateClient();
        var (other, _) = await _app.CreateClientAsAsync(TeamRole.Admin, "Other Admin");
        var demoteSelf = await admin.PatchAsJsonAsync($"/api/users/{_app.AdminId}", new { role = "Member" });
        Assert.Equal(HttpStatusCode.OK, demoteSelf.StatusCode);

        var removeSelf = await other.DeleteAsync($"/api/users/{(await other.GetFromJsonAsync<JsonElement>("/api/me")).GetProperty("id").GetString()}");
        var demoteLast = await other.PatchAsJsonAsync($"/api/users/{(await other.GetFromJsonAsync<JsonElement>("/api/me")).GetProperty("id").GetString()}", new { role = "Member" });

        Assert.Equal(HttpStatusCode.Conflict, removeSelf.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, demoteLast.StatusCode);
        Assert.Contains("only admin", await demoteLast.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        other.Dispose();
    }

    [Fact]
    public async Task AddMember_WithAShortPassword_SaysWhy()
    {
        using var admin = _app.CreateClient();

        var response = await admin.PostAsJsonAsync("/api/users", new { email = "carol@tests.invalid", displayName = "Carol", role = "Member", password = "short" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("at least 10 characters", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Uploads_OverThePerPersonLimit_Answer429WithWhenToRetry()
    {
        var (bob, _) = await _app.CreateClientAsAsync(TeamRole.Member, "Bob");
        var (carol, _) = await _app.CreateClientAsAsync(TeamRole.Member, "Carol");
        var csv = "Date,Close\n2024-01-02,1\n2024-01-03,2\n2024-01-04,3\n"u8.ToArray();

        await TeamFixture.UploadAsync(bob, csv, "one", "team");
        await TeamFixture.UploadAsync(bob, csv, "two", "team");
        using var third = new MultipartFormDataContent { { new ByteArrayContent(csv), "file", "three.csv" } };
        var limited = await bob.PostAsync("/api/datasets", third);

        Assert.Equal((HttpStatusCode)429, limited.StatusCode);
        Assert.Matches(@"Too many uploads: at most 2 a minute\. Try again in \d+ s\.", (await limited.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        await TeamFixture.UploadAsync(carol, csv, "carol's", "team");
        bob.Dispose();
        carol.Dispose();
    }

    [Fact]
    public async Task RunLaunches_OverThePerPersonLimit_Answer429()
    {
        using var admin = _app.CreateClient();
        var dataset = (await admin.GetFromJsonAsync<JsonElement>("/api/datasets"))[0].GetProperty("id").GetInt32();
        var request = new { datasetId = dataset, config = new { targets = new[] { "Close" }, lookback = 20, horizon = 1, training = new { maxEpochs = 1, device = "Cpu" } } };

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            statuses.Add((await admin.PostAsJsonAsync("/api/runs", request)).StatusCode);
        }

        Assert.Equal([HttpStatusCode.Accepted, HttpStatusCode.Accepted, (HttpStatusCode)429], statuses);
    }

    [Fact]
    public async Task Owner_DeletesTheirRun_AndTheFeedSaysSo()
    {
        var (bob, _) = await _app.CreateClientAsAsync(TeamRole.Member, "Bob");
        using var admin = _app.CreateClient();
        var dataset = (await admin.GetFromJsonAsync<JsonElement>("/api/datasets"))[0].GetProperty("id").GetInt32();
        var run = await RunApi.TrainAsync(bob, dataset, "bob's throwaway");

        var deleted = await bob.DeleteAsync($"/api/runs/{run}");

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await bob.GetAsync($"/api/runs/{run}")).StatusCode);
        var feed = await bob.GetFromJsonAsync<JsonElement>("/api/activity");
        Assert.Equal(["Deleted", "Started"], feed.EnumerateArray().Where(e => e.GetProperty("subjectId").GetInt32() == run && e.GetProperty("subject").GetString() == "Run")
            .Select(e => e.GetProperty("action").GetString()).Take(2));
        bob.Dispose();
    }

    [Fact]
    public async Task Member_CannotDeleteTheirDataset_WhileOtherPeoplesRunsUseIt_ButAnAdminCan()
    {
        var (ann, _) = await _app.CreateClientAsAsync(TeamRole.Member, "Ann");
        var (bob, _) = await _app.CreateClientAsAsync(TeamRole.Member, "Bob");
        using var admin = _app.CreateClient();
        var demo = (await admin.GetFromJsonAsync<JsonElement>("/api/datasets"))[0].GetProperty("id").GetInt32();
        var dataset = await TeamFixture.UploadAsync(ann, await admin.GetByteArrayAsync($"/api/datasets/{demo}/csv"), "ann's", "team");
        await RunApi.TrainAsync(bob, dataset, "bob on ann's data");

        var refused = await ann.DeleteAsync($"/api/datasets/{dataset}");
        var byAdmin = await admin.DeleteAsync($"/api/datasets/{dataset}");

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("1 run by other people use this dataset", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NoContent, byAdmin.StatusCode);
        ann.Dispose();
        bob.Dispose();
    }

    [Fact]
    public async Task Registration_IsOffByDefault()
    {
        using var anonymous = _app.CreateAnonymousClient();

        var page = await anonymous.GetStringAsync("/account/register");

        Assert.Contains("does not let people register themselves", page, StringComparison.Ordinal);
        Assert.DoesNotContain("account-submit", page, StringComparison.Ordinal);
        Assert.Single(await _app.Services.GetRequiredService<TeamAccounts>().ListAsync());
    }

    [Fact]
    public async Task ChangePassword_ThroughTheForm_TheNewOneWorksAndTheOldOneNoLonger()
    {
        await _app.CreateClientAsAsync(TeamRole.Member, "Bob");
        using var browser = await _app.SignInWithCookieAsync("bob@tests.invalid", "password for Bob");

        using var script = WithToken(_app.CreateAnonymousClient(),
            (await (await browser.PostAsJsonAsync("/api/account/tokens", new { name = "script", email = "bob@tests.invalid", password = "password for Bob" }))
                .Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString()!);
        Assert.Equal(HttpStatusCode.OK, (await script.GetAsync("/api/me")).StatusCode);

        var page = await ChangePasswordAsync(browser, "password for Bob", "bob's brand new passphrase");

        var text = System.Net.WebUtility.HtmlDecode(await page.Content.ReadAsStringAsync());
        Assert.Contains("Your password is changed.", text, StringComparison.Ordinal);
        Assert.Contains("your API tokens (2) are revoked", text, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await script.GetAsync("/api/me")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/api/me")).StatusCode);
        using var anonymous = _app.CreateAnonymousClient();
        var old = await anonymous.PostAsJsonAsync("/api/account/tokens", new { name = "x", email = "bob@tests.invalid", password = "password for Bob" });
        var renewed = await anonymous.PostAsJsonAsync("/api/account/tokens", new { name = "x", email = "bob@tests.invalid", password = "bob's brand new passphrase" });
        Assert.Equal(HttpStatusCode.Unauthorized, old.StatusCode);
        Assert.Equal(HttpStatusCode.Created, renewed.StatusCode);
    }

    [Fact]
    public async Task ChangePassword_WithTheWrongCurrentOne_SaysSo()
    {
        using var browser = await _app.SignInWithCookieAsync();

        var page = await ChangePasswordAsync(browser, "not my password", "a perfectly long passphrase");

        Assert.Contains("The current password is wrong.", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Registration_WhenTurnedOn_CreatesAViewer()
    {
        using var app = new ForecastAppFactory(settings: new Dictionary<string, string?> { ["BlazorForecast:Team:AllowRegistration"] = "true" });
        using var visitor = app.CreateAnonymousClient();
        var token = await ForecastAppFactory.FormTokenAsync(visitor, "/account/register");

        await visitor.PostAsync("/account/register", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "new-account",
            ["__RequestVerificationToken"] = token,
            ["Input.DisplayName"] = "Newcomer",
            ["Input.Email"] = "new@tests.invalid",
            ["Input.Password"] = "a newcomer's passphrase",
            ["Input.ConfirmPassword"] = "a newcomer's passphrase",
        }));

        Assert.Equal("Viewer", (await visitor.GetFromJsonAsync<JsonElement>("/api/me")).GetProperty("role").GetString());
    }

    [Fact]
    public async Task SignInCookie_SurvivesARestartOfTheApp()
    {
        using var folder = new TestDataFolder();
        string cookies;
        using (var first = new ForecastAppFactory(dataDirectory: folder.Path))
        {
            using var browser = await first.SignInWithCookieAsync();
            var me = await browser.GetAsync("/api/me");
            Assert.Equal(HttpStatusCode.OK, me.StatusCode);
            cookies = string.Join("; ", me.RequestMessage!.Headers.GetValues("Cookie"));
        }

        using var second = new ForecastAppFactory(dataDirectory: folder.Path);
        using var restarted = second.CreateAnonymousClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/me");
        request.Headers.Add("Cookie", cookies);

        Assert.Equal(HttpStatusCode.OK, (await restarted.SendAsync(request)).StatusCode);

        // The keys live beside the SQLite file, or in PostgreSQL where every web node reads them.
        if (second.Database == DatabaseProvider.PostgreSql)
        {
            Assert.True(await second.CountRowsAsync("DataProtectionKeys") > 0);
            Assert.False(Directory.Exists(Path.Combine(folder.Path, "keys")));
        }
        else
        {
            Assert.True(Directory.EnumerateFiles(Path.Combine(folder.Path, "keys"), "key-*.xml").Any());
        }
    }

    [Fact]
    public async Task PasswordChecks_FromOneAddress_AreLimited_AcrossAccounts()
    {
        using var anonymous = _app.CreateAnonymousClient();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 9; i++)
        {
            var attempt = await anonymous.PostAsJsonAsync("/api/account/tokens", new { name = "x", email = $"guess{i}@tests.invalid", password = "guessing" });
            statuses.Add(attempt.StatusCode);
        }

        Assert.All(statuses.Take(8), s => Assert.Equal(HttpStatusCode.Unauthorized, s));
        Assert.Equal((HttpStatusCode)429, statuses[^1]);
        var form = await ForecastAppFactory.FormTokenAsync(anonymous, "/account/login");
        var page = await anonymous.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "sign-in",
            ["__RequestVerificationToken"] = form,
            ["Input.Email"] = ForecastAppFactory.AdminEmail,
            ["Input.Password"] = ForecastAppFactory.AdminPassword,
        }));
        Assert.Contains("Too many sign-in attempts", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/me")).StatusCode);
    }
}
