using BlazorForecast.Web.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace BlazorForecast.Cli.Commands;

/// <summary>
/// `worker`: trains the runs of a web app over PostgreSQL on this machine until stopped (Ctrl+C or SIGTERM, after
/// which the runs it was training go back to the queue to resume elsewhere).
/// </summary>
public static class WorkerCommand
{
    public static async Task<int> RunAsync(CliArguments args, TextWriter output, CancellationToken stop = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        var device = args.Value("device") ?? "cpu";
        if (device != "cpu" && !device.StartsWith("cuda", StringComparison.Ordinal))
        {
            throw new CliUsageException($"--device is cpu, cuda or cuda:N, not '{device}'.");
        }

        var builder = Host.CreateApplicationBuilder([]);
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Forecast"] = args.Value("database") ?? Environment.GetEnvironmentVariable("ConnectionStrings__Forecast"),
            ["BlazorForecast:Worker:Device"] = device,
        };
        if (args.Value("name") is { } name)
        {
            settings["BlazorForecast:Worker:Name"] = name;
        }

        if (args.Value("threads") is { } threads)
        {
            settings["BlazorForecast:Training:Threads"] = threads;
        }

        builder.Configuration.AddInMemoryCollection(settings);
        if (string.IsNullOrWhiteSpace(settings["ConnectionStrings:Forecast"]))
        {
            throw new CliUsageException("worker needs the PostgreSQL database its web app uses: --database \"Host=…;Database=…;Username=…;Password=…\".");
        }

        await output.WriteLineAsync($"Training worker on {device}; Ctrl+C hands its runs back to the queue and stops it.");
        await builder.RunTrainingWorkerAsync(stop);
        return 0;
    }
}
