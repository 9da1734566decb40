using BlazorForecast.Web.Features.Datasets;
using BlazorForecast.Web.Features.Team;
using BlazorForecast.Web.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BlazorForecast.Web.Data;

/// <summary>
/// Creates or migrates the database at start-up (SQLite in WAL mode), seeds the demo dataset into a new database, and
/// creates the team's roles and the configured admin. On PostgreSQL, nodes started together take turns (an advisory
/// lock), so all of it happens once.
/// </summary>
public sealed partial class DatabaseInitializer(
    IDbContextFactory<ForecastDbContext> dbFactory,
    DemoDatasetSeeder seeder,
    TeamAccounts accounts,
    IOptions<BlazorForecastOptions> options,
    ILogger<DatabaseInitializer> logger)
{
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(options.Value.DataDirectoryPath);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.WhileInitializingAloneAsync(() => InitializeAsync(db, cancellationToken), cancellationToken);
    }

    private async Task InitializeAsync(ForecastDbContext db, CancellationToken cancellationToken)
    {
        var isNew = await db.BringUpToDateAsync(cancellationToken);

        // WAL lets the dashboard read while an import or a training run writes.
        if (db.IsSqlite())
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }

        if (isNew && options.Value.SeedDemoDataset)
        {
            var demoId = (await seeder.SeedAsync(cancellationToken)).Id;
            LogDemoSeeded(logger, demoId);
        }

        await accounts.InitializeAsync();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Seeded the synthetic demo dataset {DatasetId}")]
    private static partial void LogDemoSeeded(ILogger logger, int datasetId);
}
