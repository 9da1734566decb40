using Microsoft.Playwright;

namespace BlazorForecast.E2E.Tests.Infrastructure;

/// <summary>
/// The real app on Kestrel plus Debian's Chromium driven by Playwright (never a downloaded browser). Pages start
/// signed in as the app's configured admin (signed in once through the real sign-in form, its cookie reused) unless a
/// test asks for an anonymous one. Tests skip with the reason when Chromium is not installed (`apt-get install -y
/// chromium`; .ci/run does it).
/// </summary>
public sealed class BrowserSession : IAsyncDisposable
{
    private const string ChromiumPath = "/usr/bin/chromium";

    private static readonly string[] ChromiumArgs =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<IPage, List<string>> Consoles = [];

    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private string? _adminState;

    private BrowserSession(ForecastAppFactory app, Uri baseAddress)
    {
        App = app;
        BaseAddress = baseAddress;
    }

    public ForecastAppFactory App { get; }

    public Uri BaseAddress { get; }

    public IBrowser Browser => _browser!;

    /// <summary>
    /// Starts the app (over SQLite unless a test chooses the <paramref name="database"/>, with its own
    /// <paramref name="settings"/>) and Chromium, and signs the admin in.
    /// </summary>
    public static async Task<BrowserSession> StartAsync(
        bool seedDemo = true, Web.Data.DatabaseProvider? database = null, IReadOnlyDictionary<string, string?>? settings = null)
    {
        Skip.IfNot(File.Exists(ChromiumPath), $"Chromium is not installed at {ChromiumPath} (apt-get install -y chromium).");
        var app = new ForecastAppFactory(seedDemo, database: database, settings: settings);
        var session = new BrowserSession(app, app.StartKestrel());
        session._playwright = await Playwright.CreateAsync();
        session._browser = await session._playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ChromiumArgs,
        });
        var signIn = await session.NewAnonymousPageAsync();
        await SignInAsync(signIn, ForecastAppFactory.AdminEmail, ForecastAppFactory.AdminPassword);
        session._adminState = await signIn.Context.StorageStateAsync();
        await signIn.Context.CloseAsync();
        return session;
    }

    /// <summary>An HTTP client of the running app with the admin's API token, for arranging data through the API.</summary>
    public HttpClient CreateApiClient()
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", App.AdminToken);
        return client;
    }

    /// <summary>A page signed in as the admin, in a fresh context (own storage), 1440×900 like a laptop screen.</summary>
    public Task<IPage> NewPageAsync(int width = 1440, int height = 900) => NewPageAsync(width, height, _adminState);

    /// <summary>A page of a visitor without an account (no cookies at all).</summary>
    public Task<IPage> NewAnonymousPageAsync(int width = 1440, int height = 900) => NewPageAsync(width, height, storageState: null);

    /// <summary>Signs in through the sign-in form and waits for the app to be interactive.</summary>
    public static async Task SignInAsync(IPage page, string email, string password)
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.GotoAsync("account/login");
        await page.FillAsync("[data-testid=login-email]", email);
        await page.FillAsync("[data-testid=login-password]", password);
        await page.ClickAsync("[data-testid=login-submit]");
        await page.WaitForSelectorAsync("body[data-interactive='true']");
    }

    private async Task<IPage> NewPageAsync(int width, int height, string? storageState)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = height },
            AcceptDownloads = true,
            StorageState = storageState,
        });
        context.SetDefaultTimeout(20_000);
        var page = await context.NewPageAsync();
        var console = Consoles.GetOrCreateValue(page);
        page.Console += (_, message) => { lock (console) { console.Add($"{message.Type}: {message.Text}"); } };
        page.PageError += (_, error) => { lock (console) { console.Add($"page error: {error}"); } };
        return page;
    }

    /// <summary>
    /// Waits until a chart's traces are drawn (attached: a flat line or a single point has an empty box, which Playwright
    /// calls invisible). When they are not, the failure says what the chart's container held and what the browser's
    /// console said, and leaves a screenshot named after the chart.
    /// </summary>
    public static async Task WaitForTracesAsync(IPage page, string chartTestId)
    {
        ArgumentNullException.ThrowIfNull(page);
        try
        {
            await page.WaitForSelectorAsync($"[data-testid={chartTestId}] .js-plotly-plot .scatterlayer .trace", new() { State = WaitForSelectorState.Attached });
        }
        catch (TimeoutException ex)
        {
            var container = await page.Locator($"[data-testid={chartTestId}]").EvaluateAllAsync<string>(
                "elements => elements.map(e => `data-points=${e.getAttribute('data-points')}, plot=${!!e.querySelector('.js-plotly-plot')}, svg=${!!e.querySelector('svg')}, html=${e.innerHTML.length} chars`).join('; ')");
            await ScreenshotAsync(page, $"failed-{chartTestId}");
            var console = Consoles.GetOrCreateValue(page);
            string log;
            lock (console)
            {
                log = string.Join(Environment.NewLine, console.TakeLast(30));
            }

            throw new TimeoutException($"The traces of {chartTestId} were not drawn: {container}. Browser console:{Environment.NewLine}{log}", ex);
        }
    }

    /// <summary>Opens a path and waits until the Blazor circuit is up, so clicks reach the server.</summary>
    public static async Task GotoInteractiveAsync(IPage page, string path)
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.GotoAsync(path);
        await page.WaitForSelectorAsync("body[data-interactive='true']");
    }

    public static async Task ScreenshotAsync(IPage page, string name)
    {
        ArgumentNullException.ThrowIfNull(page);
        var folder = Path.Combine(RepositoryRoot(), "artifacts", "screenshots");
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name + ".png"), FullPage = true });
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        await App.DisposeAsync();
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "BlazorForecast.sln")))
            {
                return dir.FullName;
            }
        }

        return Path.GetTempPath();
    }
}
