using System.Text.Json.Serialization;
using BlazorForecast.Forecasting.Training;
using BlazorForecast.Web.Api;
using BlazorForecast.Web.Components;
using BlazorForecast.Web.Components.Layout;
using BlazorForecast.Web.Data;
using BlazorForecast.Web.Features.Datasets;
using BlazorForecast.Web.Features.Results;
using BlazorForecast.Web.Features.Runs;
using BlazorForecast.Web.Features.Team;
using BlazorForecast.Web.Features.Training;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.EntityFrameworkCore;
using MudBlazor.Services;

namespace BlazorForecast.Web.Hosting;

/// <summary>Every registration and the request pipeline of the app, so Program.cs stays a few lines.</summary>
public static class BlazorForecastHostingExtensions
{
    // Multipart framing and the other form fields around the file.
    private const long UploadOverheadBytes = 64 * 1024;

    public static WebApplicationBuilder AddBlazorForecast(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var section = builder.Configuration.GetSection(BlazorForecastOptions.Section);
        builder.Services.Configure<BlazorForecastOptions>(section);
        var options = section.Get<BlazorForecastOptions>() ?? new BlazorForecastOptions();
        var requestLimit = options.MaxUploadBytes + UploadOverheadBytes;

        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = requestLimit);
        builder.Services.Configure<FormOptions>(form => form.MultipartBodyLengthLimit = requestLimit);

        var connectionString = builder.Configuration.GetConnectionString("Forecast")
            ?? $"Data Source={Path.Combine(options.DataDirectoryPath, "blazorforecast.db")}";
        builder.Services.AddDbContextFactory<ForecastDbContext>(db => db.UseSqlite(connectionString));

        // Sign-in cookies and antiforgery tokens are encrypted with these keys: kept beside the database, they survive
        // restarts and container rebuilds, so nobody is signed out by an upgrade.
        builder.Services.AddDataProtection()
            .SetApplicationName("BlazorForecast")
            .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(options.DataDirectoryPath, "keys")));
        builder.AddTeamAccess();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<DatasetFrameCache>();
        builder.Services.AddSingleton<DatasetService>();
        builder.Services.AddSingleton<DemoDatasetSeeder>();
        builder.Services.AddSingleton<DatabaseInitializer>();
        builder.Services.AddSingleton<UploadStaging>();
        builder.Services.AddScoped<ThemePreference>();
        builder.Services.AddScoped<CurrentCaller>();

        builder.Services.Configure<TrainingQueueOptions>(builder.Configuration.GetSection(TrainingQueueOptions.Section));
        builder.Services.AddOptions<EvaluationOptions>()
            .Bind(builder.Configuration.GetSection(EvaluationOptions.Section))
            .Validate(e => e.SignificanceLevel is > 0 and <= 0.2, "BlazorForecast:Evaluation:SignificanceLevel must be above 0 and at most 0.2 (0.05 is usual).")
            .ValidateOnStart();
        builder.Services.AddSingleton<PendingRuns>();
        builder.Services.AddSingleton<TrainingNotifier>();
        builder.Services.AddSingleton<RunService>();
        builder.Services.AddSingleton<RunResultsService>();
        builder.Services.AddSingleton<ITrainingEngine, TorchTrainingEngine>();
        builder.Services.AddHostedService<TrainingWorker>();
        builder.Services.AddSignalR().AddJsonProtocol(json =>
        {
            json.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter());
            json.PayloadSerializerOptions.Converters.Add(new NonFiniteAsNullJsonConverter());
        });

        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");
        builder.Services.AddProblemDetails();
        // JSON has no NaN or infinity: the API writes them as null (e.g. R² of a series that does not vary), where the
        // default would fail mid-answer.
        builder.Services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
            json.SerializerOptions.Converters.Add(new NonFiniteAsNullJsonConverter());
        });

        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddMudServices();
        return builder;
    }

    public static async Task<WebApplication> UseBlazorForecastAsync(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        await app.Services.GetRequiredService<DatabaseInitializer>().InitializeAsync();
        await app.Services.GetRequiredService<TeamAccounts>().InitializeAsync();
        app.Services.GetRequiredService<UploadStaging>().RemoveAbandoned();

        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/error", createScopeForErrors: true);
        }

        app.UseStatusCodePagesWithReExecute("/not-found");
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();

        app.MapStaticAssets();
        app.MapHealthChecks("/healthz");
        app.MapDatasetEndpoints();
        app.MapRunEndpoints();
        app.MapRunResultEndpoints();
        app.MapAccountEndpoints();
        app.MapHub<TrainingHub>(TrainingHub.Path);
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
