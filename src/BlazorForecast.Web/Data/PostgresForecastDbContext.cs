using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace BlazorForecast.Web.Data;

/// <summary>
/// The app's model on PostgreSQL, for a web tier and training workers on several machines: its own migrations
/// (Data/Migrations/PostgreSql), and the data-protection keys, so a cookie or antiforgery token made on one web node
/// is read on any other.
/// </summary>
public sealed class PostgresForecastDbContext(DbContextOptions<PostgresForecastDbContext> options) : ForecastDbContext(options), IDataProtectionKeyContext
{
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
}
