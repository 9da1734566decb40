using BlazorForecast.Web.Data;
using Npgsql;

namespace BlazorForecast.Web.Tests.Hosting;

public sealed class ForecastDatabaseTests
{
    [Fact]
    public void APostgresConnectionString_WithoutAPoolLimit_GetsTheAppsDefault()
    {
        var pooled = new NpgsqlConnectionStringBuilder(ForecastDatabase.WithDefaultPoolSize("Host=db;Database=forecast;Username=app"));

        Assert.Equal(ForecastDatabase.DefaultMaxPoolSize, pooled.MaxPoolSize);
        Assert.Equal(("db", "forecast", "app"), (pooled.Host, pooled.Database, pooled.Username));
    }

    [Theory]
    [InlineData("Host=db;Maximum Pool Size=50")]
    [InlineData("Host=db;maximum pool size=50")]
    [InlineData("Host=db;MaxPoolSize=50")]
    public void APoolLimitTheOperatorGave_IsKept(string connectionString)
    {
        Assert.Equal(connectionString, ForecastDatabase.WithDefaultPoolSize(connectionString));
        Assert.Equal(50, new NpgsqlConnectionStringBuilder(connectionString).MaxPoolSize);
    }
}
