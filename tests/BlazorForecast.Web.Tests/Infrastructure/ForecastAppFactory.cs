using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace BlazorForecast.Web.Tests.Infrastructure;

/// <summary>The real app over a real SQLite file in its own folder; settings can be overridden per test.</summary>
public sealed class ForecastAppFactory : WebApplicationFactory<Program>
{
    private readonly TestDataFolder _data = new();
    private readonly Dictionary<string, string?> _settings = new();

    public ForecastAppFactory(bool seedDemo = false, long? maxUploadBytes = null)
    {
        _settings["BlazorForecast:DataDirectory"] = _data.Path;
        _settings["BlazorForecast:SeedDemoDataset"] = seedDemo ? "true" : "false";
        if (maxUploadBytes is not null)
        {
            _settings["BlazorForecast:MaxUploadBytes"] = maxUploadBytes.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    public string DataPath => _data.Path;

    public string DatabasePath => _data.DatabasePath;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.UseEnvironment("Development");
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _data.Dispose();
        }
    }
}
