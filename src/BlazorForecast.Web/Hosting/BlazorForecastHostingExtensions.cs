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
using BlazorForecast.Web.Features.Sweeps;
using BlazorForecast.Web.Features.Training;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using Microsoft.EntityFrameworkCore;
using MudBlazor.Services;

namespace BlazorForecast.Web.Hosting;

/// <summary>Every registration and the request pipeline of the app, so Program.cs stays a few lines.</summary>
public static partial class BlazorForecastHostingExtensions
{
    public static WebApplicationBuilder AddBlazorForecast(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var section = builder.Configuration.GetSection(BlazorForecastOptions.Section);
        builder.Services.Configure<BlazorForecastOptions>(section);
        var options = section.Get<BlazorForecastOptions>() ?? new BlazorForecastOptions();

        // Before the server's threads make their malloc arenas, so the cap holds for all of them.
        NativeAllocatorTuning.EnsureApplied();
        var requestLimit = options.MaxUploadRequestBytes;

        // Kestrel allows the largest upload; every request that is not one is held to MaxRequestBodyBytes (UseBodyLimits).
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = requestLimit);
        builder.Services.Configure<FormOptions>(form => form.MultipartBodyLengthLimit = requestLimit);
        builder.Services.Configure<ForwardedHeadersOptions>(forwarded => TrustProxies(forwarded, options));
        var secureCookies = !builder.Environment.IsDevelopment() && !options.AllowCookiesOverHttp;
        builder.Services.AddAntiforgery(antiforgery => antiforgery.Cookie.SecurePolicy = secureCookies ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest);
        builder.Services.ConfigureApplicationCookie(cookie => cookie.Cookie.SecurePolicy = secureCookies ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest);
        builder.Services.AddHsts(hsts => hsts.MaxAge = TimeSpan.FromDays(365));

        var connectionString = builder.Configuration.GetConnectionString("Forecast");
        if (options.Database == DatabaseProvider.PostgreSql && string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException("BlazorForecast:Database is PostgreSql, but ConnectionStrings:Forecast is not set; give it the server's connection string.");
        }

        builder.Services.AddForecastDatabase(options.Database, connectionString ?? $"Data Source={Path.Combine(options.DataDirectoryPath, "blazorforecast.db")}");

        // Sign-in cookies and antiforgery tokens are encrypted with these keys, so they must outlive restarts and container
        // rebuilds: beside the SQLite file, or in PostgreSQL, where every web node reads the same keys.
        var protection = builder.Services.AddDataProtection().SetApplicationName("BlazorForecast");
        if (options.Database == DatabaseProvider.PostgreSql)
        {
            protection.PersistKeysToDbContext<PostgresForecastDbContext>();
        }
        else
        {
            protection.PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(options.DataDirectoryPath, "keys")));
        }
        builder.AddTeamAccess();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<DatasetFrameCache>();
        builder.Services.AddSingleton<DatasetFrames>();
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
        builder.Services.AddSingleton<TrainingNotifier>();
        builder.Services.AddSingleton<RunService>();
        builder.Services.AddSingleton<RunResultsService>();
        builder.Services.AddSingleton<ITrainingEngine, TorchTrainingEngine>();
        builder.Services.AddSingleton<RunTrainer>();
        AddTraining(builder, options.Database);
        AddSweeps(builder, options.Database);
        builder.Services.AddHostedService<StagedUploadSweeper>();
        builder.Services.AddHostedService<UnobservedTaskExceptionLogger>();
        builder.Services.AddApiDescription();
        builder.Services.AddSignalR(hubs => hubs.AddFilter<HubFailureLogging>()).AddJsonProtocol(json =>
        {
            json.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter());
            json.PayloadSerializerOptions.Converters.Add(new NonFiniteAsNullJsonConverter());
        });

        builder.Logging.AddFilter(HubFailureLogging.DispatcherCategory, LogLevel.Critical);
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

    // SQLite: this process queues and trains every run. PostgreSQL: training workers claim runs from the database (this
    // process too when configured to), and their events reach this node's hub through LISTEN.
    private static void AddTraining(WebApplicationBuilder builder, DatabaseProvider database)
    {
        var inProcess = builder.Configuration.GetSection(TrainingQueueOptions.Section).GetValue<bool?>(nameof(TrainingQueueOptions.InProcess));
        if (database == DatabaseProvider.Sqlite)
        {
            if (inProcess == false)
            {
                throw new InvalidOperationException("BlazorForecast:Training:InProcess is false, but training workers need PostgreSQL; set BlazorForecast:Database to PostgreSql, or leave InProcess out.");
            }

            builder.Services.AddSingleton<PendingRuns>();
            builder.Services.AddSingleton(services => new TrainingDevices(
                services.GetRequiredService<IDbContextFactory<ForecastDbContext>>(), services.GetRequiredService<TimeProvider>(), workersClaim: false));
            builder.Services.AddSingleton<IRunEventPublisher>(services => services.GetRequiredService<TrainingNotifier>());
            builder.Services.AddHostedService<TrainingWorker>();
            return;
        }

        builder.Services.AddSingleton(PendingRuns.ForWorkers());
        builder.Services.AddSingleton(services => new TrainingDevices(
            services.GetRequiredService<IDbContextFactory<ForecastDbContext>>(), services.GetRequiredService<TimeProvider>(), workersClaim: true));
        builder.Services.AddSingleton<IRunEventPublisher, PostgresRunEventPublisher>();
        builder.Services.AddHostedService<PostgresRunEventRelay>();
        if (inProcess == true)
        {
            builder.Services.Configure<TrainingWorkerOptions>(builder.Configuration.GetSection(TrainingWorkerOptions.Section));
            builder.Services.AddHostedService<ClaimingTrainingWorker>();
        }
    }

    // One process over SQLite coordinates its sweeps. Over PostgreSQL, the web node holding the coordination lock does,
    // and its changes reach every node's pages through LISTEN.
    private static void AddSweeps(WebApplicationBuilder builder, DatabaseProvider database)
    {
        builder.Services.AddSingleton<SweepNotifier>();
        builder.Services.AddSingleton<SweepCoordinator>();
        builder.Services.AddHostedService(services => services.GetRequiredService<SweepCoordinator>());
        builder.Services.AddSingleton<SweepService>();
        if (database == DatabaseProvider.Sqlite)
        {
            builder.Services.AddSingleton<ISweepLeadership, SingleNodeLeadership>();
            builder.Services.AddSingleton<ISweepChangePublisher>(services => services.GetRequiredService<SweepNotifier>());
            return;
        }

        builder.Services.Configure<SweepCoordinationOptions>(builder.Configuration.GetSection(SweepCoordinationOptions.Section));
        builder.Services.AddSingleton<PostgresSweepLeadership>();
        builder.Services.AddSingleton<ISweepLeadership>(services => services.GetRequiredService<PostgresSweepLeadership>());
        builder.Services.AddSingleton<ISweepChangePublisher, PostgresSweepChangePublisher>();
        builder.Services.AddHostedService<PostgresSweepRelay>();
    }

    // Loopback (the container's own health checks, a proxy on the same host) plus what the operator names.
    private static void TrustProxies(ForwardedHeadersOptions forwarded, BlazorForecastOptions options)
    {
        forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
        foreach (var proxy in options.KnownProxies)
        {
            forwarded.KnownProxies.Add(System.Net.IPAddress.Parse(proxy));
        }

        foreach (var network in options.KnownProxyNetworks)
        {
            forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
        }
    }

    // Share links carry their secret in the path: no page tells another site where it was opened from.
    private static void UseSecurityHeaders(this WebApplication app) => app.Use((context, next) =>
    {
        context.Response.Headers["Referrer-Policy"] = "no-referrer";
        context.Response.Headers.XContentTypeOptions = "nosniff";
        return next(context);
    });

    // Uploads may be as large as the upload limit; every other request only MaxRequestBodyBytes.
    private static void UseBodyLimits(this WebApplication app)
    {
        var limit = app.Services.GetRequiredService<IOptions<BlazorForecastOptions>>().Value.MaxRequestBodyBytes;
        app.Use(async (context, next) =>
        {
            var upload = context.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize;
            var allowed = upload ?? limit;

            // An upload endpoint names its own file limit when the body is too large; everything else is answered here.
            if (upload is null && context.Request.ContentLength > allowed)
            {
                await ApiAccessProblems.WriteAsync(context, StatusCodes.Status413PayloadTooLarge,
                    $"The request body is {ByteSize.Format(context.Request.ContentLength.Value)}; at most {ByteSize.Format(allowed)} are accepted here.");
                return;
            }

            // A body without a declared length is cut off at the limit as it is read.
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } body)
            {
                body.MaxRequestBodySize = allowed;
            }

            await next(context);
        });
    }

    public static async Task<WebApplication> UseBlazorForecastAsync(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        await app.Services.GetRequiredService<DatabaseInitializer>().InitializeAsync();
        foreach (var path in DataFolderPermissions.Restrict(app.Services.GetRequiredService<IOptions<BlazorForecastOptions>>().Value.DataDirectoryPath))
        {
            LogNotRestricted(app.Logger, path);
        }

        app.UseForwardedHeaders();
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/error", createScopeForErrors: true);
            app.UseHsts();
        }

        app.UseSecurityHeaders();
        app.UseBodyLimits();

        app.UseStatusCodePagesWithReExecute("/not-found");
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();

        app.MapStaticAssets();
        app.MapHealthChecks("/healthz");
        var api = app.MapGroup("").DescribeProblems();
        api.MapDatasetEndpoints();
        api.MapRunEndpoints();
        api.MapRunResultEndpoints();
        api.MapSweepEndpoints();
        api.MapAccountEndpoints();
        app.MapApiDescription();
        app.MapHub<TrainingHub>(TrainingHub.Path);
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not make {Path} readable by this user only; check who owns it")]
    private static partial void LogNotRestricted(ILogger logger, string path);
}
