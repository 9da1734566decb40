using BlazorForecast.Web.Hosting;

// `BlazorForecast.Web worker` runs a training worker instead of the web app (the container's workers), with settings
// from the environment as `blazorforecast worker` takes them from its options.
if (args is ["worker", ..])
{
    await Host.CreateApplicationBuilder(args[1..]).RunTrainingWorkerAsync();
    return;
}

var builder = WebApplication.CreateBuilder(args);
builder.AddBlazorForecast();

var app = builder.Build();
await app.UseBlazorForecastAsync();
await app.RunAsync();

/// <summary>Entry point; public so integration tests can host the app with WebApplicationFactory.</summary>
public partial class Program;
