using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace BlazorForecast.Web.Data;

/// <summary>Where the app keeps everything: one SQLite file beside the app (the default), or a PostgreSQL server shared by many machines.</summary>
public enum DatabaseProvider
{
    Sqlite,
    PostgreSql,
}

/// <summary>
/// Registers the database for a provider. Every part of the app asks for <see cref="IDbContextFactory{ForecastDbContext}"/>;
/// on PostgreSQL that factory hands out <see cref="PostgresForecastDbContext"/>s, whose migrations are PostgreSQL's own.
/// </summary>
public static class ForecastDatabase
{
    /// <summary>
    /// The most connections one process (a web node or a worker) opens to PostgreSQL for queries, unless its connection
    /// string says otherwise; each also holds one or two for listening, and the sweeps' coordinator one more. Npgsql's
    /// own default (100) lets a burst of requests on one node take every connection the server allows (100 by
    /// default), and the server then refuses the others; a smaller pool makes the burst wait its turn instead.
    /// </summary>
    public const int DefaultMaxPoolSize = 20;

    public static IServiceCollection AddForecastDatabase(this IServiceCollection services, DatabaseProvider provider, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(services);
        switch (provider)
        {
            case DatabaseProvider.PostgreSql:
                var pooled = WithDefaultPoolSize(connectionString);
                services.AddDbContextFactory<PostgresForecastDbContext>(db => db.UseNpgsql(pooled));
                services.AddSingleton<IDbContextFactory<ForecastDbContext>, PostgresContexts>();

                // Identity's stores take the context itself, one per request.
                services.AddScoped<ForecastDbContext>(scope => scope.GetRequiredService<PostgresForecastDbContext>());
                break;
            default:
                services.AddDbContextFactory<ForecastDbContext>(db => db.UseSqlite(connectionString));
                break;
        }

        return services;
    }

    /// <summary>The connection string with <see cref="DefaultMaxPoolSize"/> as its pool's limit, unless it names one.</summary>
    public static string WithDefaultPoolSize(string connectionString)
    {
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        string[] names = ["Maximum Pool Size", "MaxPoolSize"];
        return names.Any(given.ContainsKey)
            ? connectionString
            : new Npgsql.NpgsqlConnectionStringBuilder(connectionString) { MaxPoolSize = DefaultMaxPoolSize }.ConnectionString;
    }

    /// <summary>
    /// Applies the migrations this database lacks; true when it was new (none applied before). The history table is
    /// made first: EF's migrator reads it before anything else, and PostgreSQL logs reading a table that is not there
    /// as an error (efcore#37328), which would alarm whoever reads a new server's log.
    /// </summary>
    public static async Task<bool> BringUpToDateAsync(this ForecastDbContext db, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var history = db.GetService<IHistoryRepository>();
        await history.CreateIfNotExistsAsync(cancellationToken);
        var isNew = (await history.GetAppliedMigrationsAsync(cancellationToken)).Count == 0;
        await db.Database.MigrateAsync(cancellationToken);
        return isNew;
    }

    /// <summary>
    /// Runs a start-up step (migrating, seeding) while no other process sharing a PostgreSQL database runs one: web nodes
    /// and workers started together take turns. On SQLite only one process uses the file, and the step simply runs.
    /// </summary>
    public static async Task WhileInitializingAloneAsync(this ForecastDbContext db, Func<Task> step, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(step);
        if (db.IsSqlite())
        {
            await step();
            return;
        }

        // The context keeps the connection it opened here, so the lock and its release are on one session.
        await db.Database.OpenConnectionAsync(cancellationToken);
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_lock({PostgresAdvisoryLocks.Initialization})", cancellationToken);
        try
        {
            await step();
        }
        finally
        {
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_unlock({PostgresAdvisoryLocks.Initialization})", CancellationToken.None);
        }
    }

    public static bool IsSqlite(this ForecastDbContext db)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.Database.IsSqlite();
    }

    private sealed class PostgresContexts(IDbContextFactory<PostgresForecastDbContext> postgres) : IDbContextFactory<ForecastDbContext>
    {
        public ForecastDbContext CreateDbContext() => postgres.CreateDbContext();

        public async Task<ForecastDbContext> CreateDbContextAsync(CancellationToken cancellationToken = default) =>
            await postgres.CreateDbContextAsync(cancellationToken);
    }
}

/// <summary>Lets `dotnet ef migrations … --context PostgresForecastDbContext` build the model without a server.</summary>
public sealed class PostgresForecastDbContextDesignFactory : IDesignTimeDbContextFactory<PostgresForecastDbContext>
{
    public PostgresForecastDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresForecastDbContext>().UseNpgsql("Host=localhost;Database=design_time").Options);
}
