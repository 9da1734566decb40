using System.Net;
using System.Net.Http.Headers;
using BlazorForecast.Web.Data;
using BlazorForecast.Web.Features.Team;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorForecast.Testing;

/// <summary>
/// The real app over a real SQLite file in its own folder (linked into the web and browser test projects), or over a
/// database of its own on the test PostgreSQL cluster (<see cref="PostgresTestServer"/>; skips the test where there is none).
/// The provider is the test's choice, else SQLite, or PostgreSQL in the suites compiled again for it (POSTGRES_SUITE).
/// In-memory for HTTP tests; <see cref="StartKestrel"/> serves it on a loopback port for SignalR clients and Chromium.
/// The app starts with an admin account from configuration (as a deployment would, unless a test clears it);
/// <see cref="CreateClient()"/> clients carry an API token of that admin, <see cref="CreateClientAsAsync"/> makes
/// other people.
/// </summary>
public sealed class ForecastAppFactory : WebApplicationFactory<Program>
{
    public const string AdminEmail = "admin@tests.invalid";
    public const string AdminPassword = "admin password for tests";

    private readonly TestDataFolder _data = new();
    private string? _adminToken;
    private string? _adminId;
    private readonly Dictionary<string, string?> _settings = new();
    private readonly Action<IServiceCollection>? _services;
    private readonly string _environment;

    public ForecastAppFactory(
        bool seedDemo = false, long? maxUploadBytes = null, Action<IServiceCollection>? services = null, string? dataDirectory = null,
        IReadOnlyDictionary<string, string?>? settings = null, string environment = "Development", DatabaseProvider? database = null)
    {
        _services = services;
        _environment = environment;
        Database = database ?? DefaultDatabase;
        if (Database == DatabaseProvider.PostgreSql)
        {
            PostgresTestServer.SkipIfUnavailable();
            PostgresConnectionString = PostgresTestServer.DatabaseOfFolderAsync(dataDirectory ?? _data.Path).GetAwaiter().GetResult();
            _settings["BlazorForecast:Database"] = "PostgreSql";
            _settings["ConnectionStrings:Forecast"] = PostgresConnectionString;

            // The app claims its runs from the database as a training worker would, with a short heartbeat for tests.
            _settings["BlazorForecast:Training:InProcess"] = "true";
            _settings["BlazorForecast:Worker:Name"] = $"test-worker-{Guid.NewGuid():N}"[..24];
            _settings["BlazorForecast:Worker:Heartbeat"] = "00:00:00.200";
            _settings["BlazorForecast:Worker:Poll"] = "00:00:00.050";
        }

        _settings["BlazorForecast:DataDirectory"] = dataDirectory ?? _data.Path;
        _settings["BlazorForecast:SeedDemoDataset"] = seedDemo ? "true" : "false";
        _settings["BlazorForecast:Team:AdminEmail"] = AdminEmail;
        _settings["BlazorForecast:Team:AdminPassword"] = AdminPassword;
        _settings["BlazorForecast:Team:AdminName"] = "Test Admin";
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }

        if (maxUploadBytes is not null)
        {
            _settings["BlazorForecast:MaxUploadBytes"] = maxUploadBytes.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    public string DataPath => _data.Path;

    public string DatabasePath => _data.DatabasePath;

    public DatabaseProvider Database { get; }

    /// <summary>The provider of apps whose test does not choose one.</summary>
#if POSTGRES_SUITE
    public const DatabaseProvider DefaultDatabase = DatabaseProvider.PostgreSql;
#else
    public const DatabaseProvider DefaultDatabase = DatabaseProvider.Sqlite;
#endif

    /// <summary>The app's own database on the test cluster, when it runs on PostgreSQL.</summary>
    public string? PostgresConnectionString { get; }

    /// <summary>
    /// The first value of a query against the app's database, read beside the app (as an operator would). Quote table
    /// and column names ("Runs"), as PostgreSQL needs and SQLite accepts.
    /// </summary>
    public async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = Connect();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }

    public async Task<long> CountRowsAsync(string table) => Convert.ToInt64(await ScalarAsync($"SELECT COUNT(*) FROM \"{table}\""), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Changes the app's database behind its back (to set up states the app itself never writes).</summary>
    public async Task ExecuteSqlAsync(string sql)
    {
        await using var connection = Connect();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private System.Data.Common.DbConnection Connect() => Database == DatabaseProvider.PostgreSql
        ? new Npgsql.NpgsqlConnection(PostgresConnectionString)
        : new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={DatabasePath}");

    /// <summary>An API token of the configured admin (for SignalR clients and raw requests).</summary>
    public string AdminToken => _adminToken ??= CreateTokenAsync(AdminId).GetAwaiter().GetResult();

    public string AdminId => _adminId ??= Services.GetRequiredService<TeamAccounts>().ListAsync().GetAwaiter().GetResult().Single(m => m.Email == AdminEmail).Id;

    /// <summary>The configured admin as services see a signed-in caller.</summary>
    public Caller AdminCaller => new(AdminId, "Test Admin", TeamRole.Admin);

    /// <summary>A new account with the role and a client carrying its API token.</summary>
    public async Task<(HttpClient Client, Caller Caller)> CreateClientAsAsync(TeamRole role, string name)
    {
        var email = $"{name.ToLowerInvariant().Replace(' ', '.')}@tests.invalid";
        var created = await Services.GetRequiredService<TeamAccounts>().CreateAsync(email, name, "password for " + name, role);
        Assert.True(created.Succeeded, string.Join(" ", created.Problems));
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await CreateTokenAsync(created.UserId!));
        return (client, new Caller(created.UserId, name, role));
    }

    /// <summary>
    /// A client signed in like a browser: through the sign-in form (with its antiforgery token), holding the cookie.
    /// </summary>
    public async Task<HttpClient> SignInWithCookieAsync(string email = AdminEmail, string password = AdminPassword)
    {
        var client = CreateAnonymousClient();
        var form = await FormTokenAsync(client, "/account/login");
        using var response = await client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "sign-in",
            ["__RequestVerificationToken"] = form,
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        }));
        Assert.DoesNotContain("/account/login", response.RequestMessage!.RequestUri!.AbsolutePath, StringComparison.Ordinal);
        return client;
    }

    /// <summary>The antiforgery token of the form on a page (the client keeps the matching cookie).</summary>
    public static async Task<string> FormTokenAsync(HttpClient client, string path)
    {
        ArgumentNullException.ThrowIfNull(client);
        var html = await client.GetStringAsync(path);
        var match = System.Text.RegularExpressions.Regex.Match(html, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"");
        Assert.True(match.Success, $"{path} has no antiforgery token.");
        return match.Groups[1].Value;
    }

    /// <summary>A client with no credentials at all.</summary>
    public HttpClient CreateAnonymousClient()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = null;
        return client;
    }

    /// <summary>Starts the app on Kestrel at a free loopback port and returns its base address.</summary>
    public Uri StartKestrel()
    {
        UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new Uri(address.EndsWith('/') ? address : address + "/");
    }

    protected override void ConfigureClient(HttpClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        base.ConfigureClient(client);
        if (!string.IsNullOrEmpty(_settings["BlazorForecast:Team:AdminEmail"]))
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.UseEnvironment(_environment);
        if (_services is not null)
        {
            builder.ConfigureTestServices(_services);
        }
    }

    private async Task<string> CreateTokenAsync(string userId)
    {
        var (token, problem) = await Services.GetRequiredService<ApiTokens>().CreateAsync(userId, "tests", null);
        return token?.Secret ?? throw new InvalidOperationException(problem);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _data.Dispose();
            if (PostgresConnectionString is not null)
            {
                // An app's idle connections would otherwise stay open for minutes, and hundreds of apps exhaust the server.
                using var connection = new Npgsql.NpgsqlConnection(PostgresConnectionString);
                Npgsql.NpgsqlConnection.ClearPool(connection);
            }
        }
    }
}
