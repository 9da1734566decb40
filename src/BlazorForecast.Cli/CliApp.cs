using BlazorForecast.Cli.Commands;

namespace BlazorForecast.Cli;

/// <summary>Dispatches `blazorforecast &lt;command&gt;`; every command writes results to stdout and problems to stderr.</summary>
public static class CliApp
{
    public static readonly string Usage = """
        BlazorForecast command line

        Usage:
          blazorforecast import <file.csv> [--date-column NAME] [--target NAME] [--missing drop|forward-fill]
              Reads a CSV as the web app would and prints its quality report as JSON.
          blazorforecast train <data.csv> [--out FOLDER] [--significance 0.05] [options]
              Trains and evaluates a model (metrics.json and model.bfmodel in FOLDER, default ./run): every baseline
              beside it with a Diebold-Mariano p-value, and a verdict that only calls a significant win a win.
          blazorforecast sweep <data.csv> --space space.json [--method tpe|random|grid] [--trials 20] [sweep and training options]
              Searches the space around the base config (the training options), ranking trials by validation loss only,
              then retrains the best on --seeds and scores it on test once, with its verdict.
          blazorforecast universe <wide.csv> [--series A,B,...] [--no-embedding] [--quantile 0.2] [--cost-bps 5] [--compare] [--out FOLDER] [options]
              One model across several columns (each its own series, scaled on its own training part): every series
              scored against naive, the cross-section's IC and Rank IC (mean, sd, ICIR) and a long–short backtest of the
              top against the bottom quantile; --compare trains one model per series with the same config beside it.
              A series of another file joins with --input "FILE:COLUMN,name=NAME" (read as its value) and --series …,NAME.
          blazorforecast forecast <model.bfmodel> <data.csv> [--format csv|json] [--series NAME]
              The next H values after the data's last row, with 80% and 95% intervals. A universe model forecasts the
              column --series names: one it was trained on (with its own intervals), or any other zero-shot (labelled so, without).
          blazorforecast pull <runId> --server URL [--token TOKEN] [--out FILE]
              Downloads a finished run's model from a BlazorForecast server (for forecast on this machine).
          blazorforecast push <model.bfmodel> --server URL --dataset ID [--name NAME] [--token TOKEN]
              Adds a model trained here to a server as a run that forecasts from the server's dataset ID.
              Both take an API token (account menu → API tokens) from --token or BLAZORFORECAST_TOKEN.
          blazorforecast worker --database "Host=…;Database=…;Username=…;Password=…" [--device cpu|cuda|cuda:N] [--name NAME] [--threads N]
              Trains the runs of a web app over PostgreSQL on this machine, beside any other workers, until stopped;
              its runs go back to the queue when it stops, and to another worker should it die.
          blazorforecast bench import [--rows N] [--runs N] [--file PATH] [--no-pandas]
              Times the importer on a generated OHLCV CSV (1,000,000 rows by default) against pandas.read_csv.
          blazorforecast bench exchange [exchange_rate.csv] [--lookback 336] [--models dlinear,lstm,...] [--horizons 96,192,336,720] [--seed N | --seeds A,B,...] [--batch-size N] [--learning-rate X] [--reference [--python PATH]]
              The Exchange-Rate long-horizon table under the DLinear paper's protocol, beside the published figures
              (with --seeds: mean, spread and range over the seeds, and how many land within 5% of the paper;
              with --reference: each DLinear run repeated in PyTorch, python3 with torch, e.g. Debian's python3-torch).
          blazorforecast bench train [--windows N] [--epochs N] [--trainings N] [--threads N] [--device cpu|cuda]
              Seconds per epoch of every model, the trainer's overhead over a bare loop, memory over repeated trainings.
          blazorforecast bench hub [--clients 100] [--epochs 12] [--repeats 2]
              Starts the web app, trains with and without N hub clients on the run: the server's extra CPU, the delay
              from an epoch's end to the clients, and whether every client got the final state.
          blazorforecast bench page [--rows 10000] [--runs 5] [--chromium /usr/bin/chromium]
              Starts the web app, trains on a generated series and times a finished run's page in headless Chromium
              until it is interactive with its prediction chart drawn.
          blazorforecast bench runs [--runs 5000] [--chromium /usr/bin/chromium]
              Starts the web app with N finished runs and times the runs API's pages and the Runs page in Chromium.
          blazorforecast bench honesty [--walks 200] [--signals 100] [--regimes 20] [--rows 3000] [--signal-rows 3000,15000] [--epochs 15] [--model lstm] [--seeds 5]
              On generated series with known truth and the form's defaults: how often a random walk is called "beats
              naive" (goal at most 7% at the 5% level), how often AR(1) returns are found at each length (goal at least
              80% at the longest; the true AR(1) model's rate beside), interval coverage when volatility shifts between
              validation and test, and N seeds in one run against N runs.
          blazorforecast bench soak [--minutes 30] [--clients 4] [--chromium /usr/bin/chromium]
              Starts the web app and sends it mixed traffic for N minutes (uploads, runs started and stopped, results,
              hub joins, bad input, a viewer, a browser tab on live run pages); fails on any 5xx, unexpected answer,
              error or unobserved task exception in the log, growing memory or handles, or a run left unfinished.
          blazorforecast bench sweep [exchange_rate.csv] [--horizons 96,336] [--trials 20] [--models dlinear,mlp,cnn] [--compare-full]
              A sweep on Exchange-Rate under the DLinear paper's protocol: the configuration chosen on validation, its test
              MSE beside the paper config's and the published figure; with --compare-full, the trial-epochs successive
              halving saved against training every trial fully.
          blazorforecast bench direction [SERIES.csv ...] [--series 5] [--rows 3000] [--phi 0.1] [--lookback 32] [--horizon 5] [--epochs 30] [--model lstm]
              Direction models on generated series with 55% rises and a weak signal: plain cross-entropy, balanced class
              weights, focal loss and oversampling by balanced accuracy, MCC and ROC AUC; then each CSV given against
              always-majority.
          blazorforecast bench sampler [--seeds 100] [--trials 200]
              Trials random search and TPE need to reach a target on objectives that cost nothing to evaluate, over
              many seeds (no training).
          blazorforecast bench workers --database "Host=…;Username=…;Password=…" [--runs 8] [--epochs 40] [--clients 100] [--claims 10]
              The web app over PostgreSQL (a database of its own on that server, dropped after) with `worker` processes:
              runs/hour with 1 and 2 workers, queued → training latency, epoch end → 100 hub clients, a killed worker's
              run training again on the other.
          blazorforecast help

        Training options:
        """ + ConfigFromArguments.Help + """

        Sweep options:
        """ + SweepCommand.Help;

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        try
        {
            return args switch
            {
                ["import", ..] => await ImportCommand.RunAsync(CliArguments.Parse(args[1..]), output),
                ["train", ..] => await TrainCommand.RunAsync(CliArguments.Parse(args[1..]), output),
                ["sweep", ..] => await SweepCommand.RunAsync(CliArguments.Parse(args[1..]), output),
                ["forecast", ..] => await ForecastCommand.RunAsync(CliArguments.Parse(args[1..]), output),
                ["universe", ..] => await UniverseCommand.RunAsync(CliArguments.Parse(args[1..]), output),
                ["pull", ..] => await ServerCommands.PullAsync(CliArguments.Parse(args[1..]), output),
                ["worker", ..] => await WorkerCommand.RunAsync(CliArguments.Parse(args[1..]), output),
                ["push", ..] => await ServerCommands.PushAsync(CliArguments.Parse(args[1..]), output),
                ["bench", "exchange", ..] => await ExchangeRateBenchmark.RunAsync(CliArguments.Parse(args[2..]), output),
                ["bench", "train", ..] => await TrainingBenchmark.RunAsync(CliArguments.Parse(args[2..]), output),
                ["bench", "runs", ..] => await RunsListBenchmark.RunAsync(CliArguments.Parse(args[2..]), output),
                ["bench", "page", ..] => await PageLoadBenchmark.RunAsync(CliArguments.Parse(args[2..]), output),
                ["bench", "hub", ..] => await HubLoadBenchmark.RunAsync(CliArguments.Parse(args[2..]), output),
                ["bench", "import", ..] => await ImportBenchmark.RunAsync(CliArguments.Parse(args[2..]), output),
                ["bench", "direction", ..] => await DirectionBenchmark.RunAsync(CliArguments.Parse(args[2..]), output),
                ["bench", "honesty", ..] => await HonestyBenchmark.RunAsync(CliArguments.Parse(args[2..]), output),
                ["bench", "soak", ..] => await SoakBenchmark.RunAsync(CliArguments.Parse(args[2..]), output),
                ["bench", "sampler", ..] => await SamplerBenchmark.RunAsync(CliArguments.Parse(args[2..]), output),
                ["bench", "sweep", ..] => await SweepBenchmark.RunAsync(CliArguments.Parse(args[2..]), output),
                ["bench", "workers", ..] => await WorkersBenchmark.RunAsync(CliArguments.Parse(args[2..]), output),
                [] or ["help"] or ["--help"] or ["-h"] => await WriteUsageAsync(output, 0),
                _ => await WriteUsageAsync(error, 2, $"Unknown command: {string.Join(' ', args)}"),
            };
        }
        catch (CliUsageException ex)
        {
            await error.WriteLineAsync(ex.Message);
            return 2;
        }
        catch (Forecasting.Training.DeviceUnavailableException ex)
        {
            await error.WriteLineAsync($"{ex.Message} A GPU needs a build with -p:TorchBackend=cuda on a machine whose driver libtorch can use.");
            return 1;
        }
    }

    private static async Task<int> WriteUsageAsync(TextWriter writer, int exitCode, string? problem = null)
    {
        if (problem is not null)
        {
            await writer.WriteLineAsync(problem);
        }

        await writer.WriteLineAsync(Usage);
        return exitCode;
    }
}
