using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorForecast.Testing;

/// <summary>
/// The real app over a real SQLite file in its own folder (linked into the web and browser test projects).
/// In-memory for HTTP tests; <see cref="StartKestrel"/> serves it on a loopback port for SignalR clients and Chromium.
/// </summary>
public sealed class ForecastAppFactory : WebApplicationFactory<Program>
{
    private readonly TestDataFolder _data = new();
    private readonly Dictionary<string, string?> _settings = new();
    private readonly Action<IServiceCollection>? _services;

    public ForecastAppFactory(bool seedDemo = false, long? maxUploadBytes = null, Action<IServiceCollection>? services = null, string? dataDirectory = null)
    {
        _services = services;
        _settings["BlazorForecast:DataDirectory"] = dataDirectory ?? _data.Path;
        _settings["BlazorForecast:SeedDemoDataset"] = seedDemo ? "true" : "false";
        if (maxUploadBytes is not null)
        {
            _settings["BlazorForecast:MaxUploadBytes"] = maxUploadBytes.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    public string DataPath => _data.Path;

    public string DatabasePath => _data.DatabasePath;

    /// <summary>Starts the app on Kestrel at a free loopback port and returns its base address.</summary>
    public Uri StartKestrel()
    {
        UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new Uri(address.EndsWith('/') ? address : address + "/");
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.UseEnvironment("Development");
        if (_services is not null)
        {
            builder.ConfigureTestServices(_services);
        }
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
