using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using BlazorForecast.Web.Data;
using BlazorForecast.Web.Hosting;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace BlazorForecast.Web.Tests.Api;

/// <summary>What the app does at its edge: headers, body limits, a TLS proxy in front, cookies and the data folder.</summary>
public sealed class HostingSecurityTests
{
    [Fact]
    public async Task EveryAnswer_KeepsItsAddressToItself()
    {
        await using var app = new ForecastAppFactory();
        using var client = app.CreateClient();

        foreach (var path in new[] { "/healthz", "/api/datasets", "/account/login" })
        {
            using var response = await client.GetAsync(path);
            Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        }
    }

    [Fact]
    public async Task OnlyUploads_MayBeLarge()
    {
        await using var app = new ForecastAppFactory(seedDemo: true);
        var address = app.StartKestrel();
        using var anonymous = new HttpClient { BaseAddress = address };
        using var admin = new HttpClient { BaseAddress = address };
        admin.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", app.AdminToken);
        var big = new string('x', 2 * 1024 * 1024);

        using var token = await anonymous.PostAsync("/api/account/tokens", new StringContent($"{{\"name\":\"{big}\"}}", Encoding.UTF8, "application/json"));
        using var run = await admin.PostAsync("/api/runs", new StringContent($"{{\"datasetId\":1,\"name\":\"{big}\"}}", Encoding.UTF8, "application/json"));
        var csv = Encoding.UTF8.GetBytes("Date,Close\n" + string.Concat(Enumerable.Range(0, 80_000).Select(i => $"{new DateTime(1900, 1, 1).AddDays(i):yyyy-MM-dd},{i % 97 + 1}.5\n")));
        Assert.True(csv.Length > new BlazorForecastOptions().MaxRequestBodyBytes, "The upload must be larger than any other request may be.");
        using var upload = new MultipartFormDataContent { { new ByteArrayContent(csv), "file", "long.csv" } };
        using var uploaded = await admin.PostAsync("/api/datasets", upload);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, token.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, run.StatusCode);
        Assert.Equal(HttpStatusCode.Created, uploaded.StatusCode);
    }

    [Fact]
    public async Task BehindATlsProxy_ShareLinksAreHttps()
    {
        await using var app = new ForecastAppFactory(seedDemo: true);
        var address = app.StartKestrel();
        using var admin = new HttpClient { BaseAddress = address };
        admin.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", app.AdminToken);
        var run = await RunApi.TrainAsync(admin, 1, "shared over https");

        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/runs/{run}/share-links") { Content = JsonContent.Create(new { expiresInDays = 1 }) };
        request.Headers.Add("X-Forwarded-Proto", "https");
        using var response = await admin.SendAsync(request);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.StartsWith("https://", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("url").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OutsideDevelopment_CookiesGoOverHttpsOnly_AndHstsIsSent()
    {
        await using var app = new ForecastAppFactory(environment: "Production");
        using var client = app.CreateAnonymousClient();
        client.BaseAddress = new Uri("https://forecast.example/");

        using var login = await client.GetAsync("/account/login");

        var cookie = login.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(".AspNetCore.Antiforgery", StringComparison.Ordinal));
        Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.StartsWith("max-age=31536000", login.Headers.GetValues("Strict-Transport-Security").Single(), StringComparison.Ordinal);
        var auth = app.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(IdentityConstants.ApplicationScheme);
        Assert.Equal(CookieSecurePolicy.Always, auth.Cookie.SecurePolicy);
    }

    [SkippableFact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task TheDataFolder_IsReadableByTheAppsUserOnly()
    {
        Skip.If(OperatingSystem.IsWindows(), "Unix file modes.");
        await using var app = new ForecastAppFactory(database: DatabaseProvider.Sqlite);
        _ = app.Server;
        var data = app.Services.GetRequiredService<IOptions<BlazorForecastOptions>>().Value.DataDirectoryPath;

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(data));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(app.DatabasePath));
    }
}
