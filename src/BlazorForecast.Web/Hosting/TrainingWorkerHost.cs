using BlazorForecast.Forecasting.Training;
using BlazorForecast.Web.Data;
using BlazorForecast.Web.Features.Datasets;
using BlazorForecast.Web.Features.Training;
using Microsoft.EntityFrameworkCore;

namespace BlazorForecast.Web.Hosting;

/// <summary>
/// What a training worker on its own machine runs (`blazorforecast worker`, the container's gpu target): no web server,
/// only the shared PostgreSQL database, the engine, the <see cref="RunTrainer"/> and the <see cref="ClaimingTrainingWorker"/>.
/// Settings as for the web app: ConnectionStrings:Forecast, BlazorForecast:Worker (name, device, lease) and
/// BlazorForecast:Training (threads, trainings at once).
/// </summary>
public static class TrainingWorkerHost
{
    public static HostApplicationBuilder AddTrainingWorker(this HostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var connectionString = builder.Configuration.GetConnectionString("Forecast");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException("A training worker needs the PostgreSQL database its web app uses: give its connection string (--database \"Host=…;Database=…;Username=…;Password=…\").");
        }

        NativeAllocatorTuning.EnsureApplied();
        builder.Logging.AddFilter("Microsoft.EntityFrameworkCore.Database.Command", LogLevel.Warning);
        builder.Services.AddForecastDatabase(DatabaseProvider.PostgreSql, connectionString);
        builder.Services.Configure<TrainingWorkerOptions>(builder.Configuration.GetSection(TrainingWorkerOptions.Section));
        builder.Services.Configure<TrainingQueueOptions>(builder.Configuration.GetSection(TrainingQueueOptions.Section));
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<DatasetFrameCache>();
        builder.Services.AddSingleton<DatasetFrames>();
        builder.Services.AddSingleton<ITrainingEngine, TorchTrainingEngine>();
        builder.Services.AddSingleton<IRunEventPublisher, PostgresRunEventPublisher>();
        builder.Services.AddSingleton<RunTrainer>();
        builder.Services.AddHostedService<ClaimingTrainingWorker>();
        return builder;
    }

    /// <summary>
    /// Builds the worker, brings the database's schema up to date (as the web app does at start-up, so a worker may
    /// start first) and trains until stopped.
    /// </summary>
    public static async Task RunTrainingWorkerAsync(this HostApplicationBuilder builder, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(builder);
        using var host = builder.AddTrainingWorker().Build();
        await using (var db = await host.Services.GetRequiredService<IDbContextFactory<ForecastDbContext>>().CreateDbContextAsync(cancellationToken))
        {
            await db.WhileInitializingAloneAsync(() => db.BringUpToDateAsync(cancellationToken), cancellationToken);
        }

        await host.RunAsync(cancellationToken);
    }
}
