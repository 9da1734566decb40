using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace BlazorForecast.Web.Data;

/// <summary>Lets `dotnet ef migrations` build the model without starting the app (which would migrate and seed).</summary>
public sealed class ForecastDbContextDesignFactory : IDesignTimeDbContextFactory<ForecastDbContext>
{
    public ForecastDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<ForecastDbContext>().UseSqlite("Data Source=design-time.db").Options);
}
