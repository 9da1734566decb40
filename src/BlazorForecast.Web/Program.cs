using BlazorForecast.Web.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddBlazorForecast();

var app = builder.Build();
await app.UseBlazorForecastAsync();
await app.RunAsync();

/// <summary>Entry point; public so integration tests can host the app with WebApplicationFactory.</summary>
public partial class Program;
