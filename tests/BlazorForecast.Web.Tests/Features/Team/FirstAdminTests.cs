using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BlazorForecast.Web.Features.Team;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorForecast.Web.Tests.Features.Team;

/// <summary>A new instance without an admin in its configuration: its first visitor creates the admin account.</summary>
public sealed class FirstAdminTests : IDisposable
{
    private readonly ForecastAppFactory _app = new(settings: new Dictionary<string, string?>
    {
        ["BlazorForecast:Team:AdminEmail"] = "",
        ["BlazorForecast:Team:AdminPassword"] = "",
    });

    public void Dispose() => _app.Dispose();

    private static FormUrlEncodedContent SetupForm(string token, string email, string password, string confirm) => new(new Dictionary<string, string>
    {
        ["_handler"] = "new-account",
        ["__RequestVerificationToken"] = token,
        ["Input.DisplayName"] = "First Person",
        ["Input.Email"] = email,
        ["Input.Password"] = password,
        ["Input.ConfirmPassword"] = confirm,
    });

    [Fact]
    public async Task FirstVisitor_IsSentToSetUp_AndTheirAccountBecomesAdmin()
    {
        using var first = _app.CreateAnonymousClient();

        var login = await first.GetAsync("/account/login");
        Assert.EndsWith("/account/setup", login.RequestMessage!.RequestUri!.AbsolutePath, StringComparison.Ordinal);
        var token = await ForecastAppFactory.FormTokenAsync(first, "/account/setup");
        var created = await first.PostAsync("/account/setup", SetupForm(token, "first@tests.invalid", "a long first password", "a long first password"));

        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        var me = await first.GetFromJsonAsync<JsonElement>("/api/me");
        Assert.Equal("Admin", me.GetProperty("role").GetString());
        Assert.Equal("First Person", me.GetProperty("name").GetString());
    }

    [Fact]
    public async Task SetUp_OnceAnAccountExists_CreatesNoSecondAdmin()
    {
        await _app.Services.GetRequiredService<TeamAccounts>().CreateFirstAdminAsync("first@tests.invalid", "First", "a long first password");
        using var latecomer = _app.CreateAnonymousClient();

        var token = await ForecastAppFactory.FormTokenAsync(latecomer, "/account/login");
        var page = await latecomer.PostAsync("/account/setup", SetupForm(token, "late@tests.invalid", "another long password", "another long password"));

        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("This instance already has its admin", html, StringComparison.Ordinal);
        Assert.DoesNotContain("account-submit", html, StringComparison.Ordinal);
        Assert.Single(await _app.Services.GetRequiredService<TeamAccounts>().ListAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, (await latecomer.GetAsync("/api/me")).StatusCode);
    }

    [Fact]
    public async Task SetUp_WithMismatchedPasswords_SaysSoAndCreatesNothing()
    {
        using var first = _app.CreateAnonymousClient();
        var token = await ForecastAppFactory.FormTokenAsync(first, "/account/setup");

        var page = await (await first.PostAsync("/account/setup", SetupForm(token, "first@tests.invalid", "a long first password", "a different password"))).Content.ReadAsStringAsync();

        Assert.Contains("The two passwords differ.", page, StringComparison.Ordinal);
        Assert.Empty(await _app.Services.GetRequiredService<TeamAccounts>().ListAsync());
    }
}
