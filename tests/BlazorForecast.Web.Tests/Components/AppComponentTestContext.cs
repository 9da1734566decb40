using System.Security.Claims;
using BlazorForecast.Web.Data;
using BlazorForecast.Web.Features.Datasets;
using BlazorForecast.Web.Features.Results;
using BlazorForecast.Web.Features.Runs;
using BlazorForecast.Web.Features.Sweeps;
using BlazorForecast.Web.Features.Team;
using BlazorForecast.Web.Features.Training;
using BlazorForecast.Web.Hosting;
using Bunit;
using Bunit.Rendering;
using Bunit.TestDoubles;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace BlazorForecast.Web.Tests.Components;

/// <summary>
/// bUnit context for the app's components: MudBlazor with loose JS interop, the real services over a real SQLite file
/// with real accounts (Identity), signed in as an admin unless a test signs in as someone else, and Plotly's
/// JavaScript answered by loose interop (the browser tests draw it for real).
/// </summary>
public abstract class AppComponentTestContext : BunitContext, IAsyncLifetime
{
    private readonly TestDataFolder _data = new();

    /// <param name="trainingWorkers">Runs are claimed by training workers (as on PostgreSQL), not trained by this server.</param>
    protected AppComponentTestContext(bool trainingWorkers = false)
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.Configure<BlazorForecastOptions>(o =>
        {
            o.DataDirectory = _data.Path;
            o.MaxUploadBytes = 1024 * 1024;
        });
        Services.AddDbContextFactory<ForecastDbContext>(db => db.UseSqlite($"Data Source={_data.DatabasePath}"));
        Services.AddSingleton<DatasetFrames>();
        Services.AddSingleton(TimeProvider.System);
        Services.AddSingleton<DatasetFrameCache>();
        Services.AddSingleton<DatasetService>();
        Services.AddSingleton<UploadStaging>();
        Services.AddLogging();
        Services.AddSignalR();
        Services.AddSingleton<PendingRuns>();
        Services.AddSingleton<TrainingNotifier>();
        Services.AddSingleton<IRunEventPublisher>(s => s.GetRequiredService<TrainingNotifier>());
        Services.AddSingleton(s => new TrainingDevices(s.GetRequiredService<IDbContextFactory<ForecastDbContext>>(), TimeProvider.System, workersClaim: trainingWorkers));
        Services.AddSingleton<RunService>();
        Services.AddSingleton<RunResultsService>();
        Services.AddSingleton<SweepNotifier>();
        Services.AddSingleton<ISweepChangePublisher>(s => s.GetRequiredService<SweepNotifier>());
        Services.AddSingleton<ISweepLeadership, SingleNodeLeadership>();
        Services.AddSingleton<SweepCoordinator>();
        Services.AddSingleton<SweepService>();
        Services.AddOptions<TrainingQueueOptions>();
        Services.AddIdentityCore<AppUser>(o => TeamAccessRegistration.ConfigureIdentity(o, new TeamOptions())).AddRoles<IdentityRole>().AddEntityFrameworkStores<ForecastDbContext>();
        Services.AddSingleton<TeamAccounts>();
        Services.AddSingleton<TeamRateLimits>();
        Services.AddSingleton<ActivityLog>();
        Services.AddSingleton<ApiTokens>();
        Services.AddSingleton<RunShareLinks>();
        Services.AddScoped<CurrentCaller>();
        Services.AddOptions<TeamOptions>();
        Services.AddOptions<EvaluationOptions>();
        Authorization = AddAuthorization();

        using (var db = Services.GetRequiredService<IDbContextFactory<ForecastDbContext>>().CreateDbContext())
        {
            db.Database.Migrate();
        }

        var accounts = Services.GetRequiredService<TeamAccounts>();
        accounts.InitializeAsync().GetAwaiter().GetResult();
        Admin = AddAccountAsync("Ada Admin", TeamRole.Admin).GetAwaiter().GetResult();
        SignInAs(Admin);
    }

    /// <summary>The admin the components see unless a test signs in as someone else.</summary>
    protected Caller Admin { get; }

    protected BunitAuthorizationContext Authorization { get; }

    protected DatasetService Datasets => Services.GetRequiredService<DatasetService>();

    /// <summary>A real account with the role, as services see it signed in.</summary>
    protected async Task<Caller> AddAccountAsync(string name, TeamRole role)
    {
        var created = await Services.GetRequiredService<TeamAccounts>().CreateAsync(
            $"{name.ToLowerInvariant().Replace(' ', '.')}@tests.invalid", name, "password for " + name, role);
        Assert.True(created.Succeeded, string.Join(" ", created.Problems));
        return new Caller(created.UserId, name, role);
    }

    /// <summary>What the rendered components see as the signed-in person (claims as the app's cookie carries them).</summary>
    protected void SignInAs(Caller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        Authorization.SetAuthorized(caller.Name);
        Authorization.SetRoles(caller.Role!.Value.ToString());
        Authorization.SetClaims(new Claim(ClaimTypes.NameIdentifier, caller.UserId!), new Claim(TeamClaims.DisplayName, caller.Name));
    }

    protected string DataPath => _data.Path;

    /// <summary>Renders a page inside the MudBlazor providers its dialogs, popovers and snackbars need.</summary>
    protected IRenderedComponent<ContainerFragment> RenderWithProviders<TComponent>(params (string Name, object? Value)[] parameters)
        where TComponent : IComponent => Render(builder =>
        {
            builder.OpenComponent<MudPopoverProvider>(0);
            builder.CloseComponent();
            builder.OpenComponent<MudDialogProvider>(1);
            builder.CloseComponent();
            builder.OpenComponent<MudSnackbarProvider>(2);
            builder.CloseComponent();
            builder.OpenComponent<TComponent>(3);
            foreach (var (name, value) in parameters)
            {
                builder.AddAttribute(4, name, value);
            }

            builder.CloseComponent();
        });

    protected async Task<DatasetDetails> ImportAsync(string csv, string name = "prices")
    {
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(csv));
        return await Datasets.ImportAsync(stream, name + ".csv", name, null, new BlazorForecast.Forecasting.Data.CsvImportOptions(), Admin);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    // MudBlazor's services are async-disposable only, so the container must be disposed asynchronously.
    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        _data.Dispose();
    }
}
