using BlazorForecast.Web.Features.Datasets;
using BlazorForecast.Web.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Options;

namespace BlazorForecast.Web.Data;

/// <summary>Creates or migrates the database at start-up (SQLite in WAL mode), and seeds the demo dataset into a new database.</summary>
public sealed partial class DatabaseInitializer(
    IDbContextFactory<ForecastDbContext> dbFactory,
    DemoDatasetSeeder seeder,
    IOptions<BlazorForecastOptions> options,
    ILogger<DatabaseInitializer> logger)
{
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(options.Value.DataDirectoryPath);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // The history table is made before migrating: EF's migrator reads it first, and PostgreSQL logs reading a table
        // that is not there as an error (efcore#37328), which would alarm whoever reads a new server's log.
        var history = db.GetService<IHistoryRepository>();
        await history.CreateIfNotExistsAsync(cancellationToken);
        var isNew = (await history.GetAppliedMigrationsAsync(cancellationToken)).Count == 0;
        await db.Database.MigrateAsync(cancellationToken);

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
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Seeded the synthetic demo dataset {DatasetId}")]
    private static partial void LogDemoSeeded(ILogger logger, int datasetId);
}
