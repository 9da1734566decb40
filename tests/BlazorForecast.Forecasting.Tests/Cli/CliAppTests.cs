using System.Runtime.Versioning;
using BlazorForecast.Cli;
using BlazorForecast.Cli.Commands;
using BlazorForecast.Forecasting.Data;
using BlazorForecast.Forecasting.Models;
using BlazorForecast.Forecasting.Training;
using BlazorForecast.Web.Features.Runs;

namespace BlazorForecast.Forecasting.Tests.Cli;

public class CliAppTests
{
    private static async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await CliApp.RunAsync(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    [SkippableFact]
    public async Task Import_RealFile_PrintsTheQualityReportAsJson()
    {
        var path = SharedDatasets.PathOf("SPY_daily_2007_2017.csv");

        var (exit, output, _) = await RunAsync("import", path);

        Assert.Equal(0, exit);
        using var json = System.Text.Json.JsonDocument.Parse(output);
        Assert.Equal(2519, json.RootElement.GetProperty("rows").GetInt32());
        Assert.Equal(2, json.RootElement.GetProperty("qualityReport").GetProperty("ohlcInconsistencyCount").GetInt32());
    }

    [SkippableFact]
    public async Task Import_BadFile_ExplainsAndExitsNonZero()
    {
        var path = SharedDatasets.PathOf("SOURCES.md");

        var (exit, _, error) = await RunAsync("import", path);

        Assert.Equal(2, exit);
        Assert.StartsWith("SOURCES.md: Only one column was found", error, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task BenchWorkers_MeasuresTheScaledOutDeployment_AndDropsItsDatabase()
    {
        PostgresTestServer.SkipIfUnavailable();

        var (exit, output, error) = await RunAsync("bench", "workers", "--database", PostgresTestServer.ServerConnectionString,
            "--runs", "2", "--epochs", "3", "--clients", "5", "--claims", "2");

        Assert.True(exit == 0, error + output);
        Assert.Matches(@"1 worker:  \d+ runs/hour; worker CPU \d+ % of one core", output);
        Assert.Matches(@"2 workers: \d+ runs/hour \(\d+\.\d\d×\)", output);
        Assert.Matches(@"queued → training on an idle worker \(claim, dataset read, start\): median \d+ ms", output);
        Assert.Contains("every epoch and the end at 5/5 clients", output, StringComparison.Ordinal);
        Assert.Matches(@"worker killed mid-run → its run training on the other worker: \d+\.\d s \(lease 15 s, heartbeat 3 s\)", output);
        await using var server = new Npgsql.NpgsqlConnection(PostgresTestServer.ServerConnectionString);
        await server.OpenAsync();
        await using var left = new Npgsql.NpgsqlCommand("SELECT COUNT(*) FROM pg_database WHERE datname LIKE 'blazorforecast_bench_%'", server);
        Assert.Equal(0L, await left.ExecuteScalarAsync());
    }

    [SkippableFact]
    public async Task BenchTrain_OnAGpuTheMachineDoesNotHave_SaysWhyAndExitsNonZero()
    {
        Skip.If(TorchSharp.torch.cuda_is_available(), "This machine has a usable GPU.");

        var (exit, _, error) = await RunAsync("bench", "train", "--device", "cuda");

        Assert.Equal(1, exit);
        Assert.StartsWith("The run asks for a GPU (cuda), but libtorch reports no usable GPU", error, StringComparison.Ordinal);
        Assert.Contains("-p:TorchBackend=cuda", error, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task BenchPage_TimesARunPageInChromium_UntilItsChartIsDrawn()
    {
        Skip.IfNot(File.Exists("/usr/bin/chromium"), "Chromium is not installed at /usr/bin/chromium (apt-get install -y chromium).");

        var (exit, output, _) = await RunAsync("bench", "page", "--rows", "400", "--runs", "2");

        Assert.Equal(0, exit);
        Assert.Matches(@"navigation 1 \(empty cache\): usable after \d+\.\d\d s \(\d+ test points on the chart\)", output);
        Assert.Contains("goal: within 2 s.", output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task BenchRuns_PagesThroughManyRuns_AndTimesTheRunsPage()
    {
        Skip.IfNot(File.Exists("/usr/bin/chromium"), "Chromium is not installed at /usr/bin/chromium (apt-get install -y chromium).");

        var (exit, output, _) = await RunAsync("bench", "runs", "--runs", "300");

        Assert.Equal(0, exit);
        Assert.Contains("300 finished runs in the database", output, StringComparison.Ordinal);
        Assert.Matches(@"GET /api/runs last page \(50 rows\): median \d+\.\d ms", output);
        Assert.Matches(@"Runs page, first 25 rows shown: median \d+\.\d\d s", output);
    }

    [Fact]
    public async Task BenchHub_ServerProcessAndHubClients_EveryClientGetsTheFinalStateAndEveryEpoch()
    {
        var (exit, output, error) = await RunAsync("bench", "hub", "--clients", "4", "--epochs", "3", "--repeats", "1");

        Assert.True(exit == 0, $"exit {exit}{Environment.NewLine}{output}{Environment.NewLine}{error}");
        Assert.Contains("final state and every epoch at every client: 4/4", output, StringComparison.Ordinal);
        Assert.Matches(@"epoch end -> client: median \d+\.\d ms", output);
    }

    [Fact]
    public async Task BenchHonesty_ReportsFalseAlarmsPowerCoverageAndSeedTimes_AgainstTheirGoals()
    {
        var (exit, output, error) = await RunAsync("bench", "honesty", "--walks", "3", "--signals", "2", "--regimes", "1", "--rows", "400",
            "--signal-rows", "400,500", "--epochs", "1", "--model", "mlp", "--seeds", "2");

        Assert.True(exit == 0, error);
        Assert.Matches(@"random walks \(GARCH\(1,1\), Student-t 5 df, nothing to predict\): 3 runs: beats naive \d \(\d+\.\d%\), no detectable difference \d \(\d+\.\d%\), worse \d \(\d+\.\d%\); goal: at most 7% called ""beats naive"": (met|NOT met)", output);
        Assert.Matches(@"AR\(1\) returns, φ 0\.2–0\.3, normal shocks, 400 days \(80 test days\): 2 runs: beats naive \d \(\d+\.\d%\)[^;]*\n", output);
        Assert.Matches(@"AR\(1\) returns, φ 0\.2–0\.3, normal shocks, 500 days \(100 test days\): 2 runs: .*; goal: at least 80% found: (met|NOT met)", output);
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Count(output, @"the true AR\(1\) model, through the same test on the same windows: beats naive in \d of 2"));
        Assert.Matches(@"interval coverage, both, 2 series: adaptive \(default\) 80%: \d+\.\d ?%, 95%: \d+\.\d ?%; split-conformal .*; goal: the default within ±3 points of 80% and 95%: (met|NOT met)", output);
        Assert.Matches(@"seeds: 2 seeds in one run \d+\.\d s, 2 single runs \d+\.\d s \(\d\.\d\d× the time", output);
    }

    [SkippableFact]
    public async Task BenchExchange_SeveralSeeds_ReportsTheirSpreadAndHowManyMatchThePaper()
    {
        var path = SharedDatasets.PathOf("exchange_rate.csv");

        var (exit, output, _) = await RunAsync("bench", "exchange", path, "--lookback", "96", "--horizons", "96", "--seeds", "1,2", "--epochs", "1");

        Assert.Equal(0, exit);
        Assert.Contains("seed 1, lookback 96, horizon 96, DLinear: MSE", output, StringComparison.Ordinal);
        Assert.Contains("seed 2, lookback 96, horizon 96, DLinear: MSE", output, StringComparison.Ordinal);
        Assert.Contains("over seeds 1, 2: mean ± sd [min – max]", output, StringComparison.Ordinal);
        Assert.Matches(@"DLinear\s+\d\.\d{3}±\d\.\d{3} \[\d\.\d{3}–\d\.\d{3}\]", output);
        Assert.Matches(@"DLinear within 5% of paper\s+[0-2]/2", output);
    }

    [SkippableFact]
    public async Task BenchExchange_TwoModelsOneSeed_ReportsRepeatOnceAsASingleRun()
    {
        var path = SharedDatasets.PathOf("exchange_rate.csv");

        var (exit, output, _) = await RunAsync("bench", "exchange", path, "--lookback", "96", "--horizons", "96", "--epochs", "1", "--models", "dlinear,mlp");

        Assert.Equal(0, exit);
        Assert.Matches(@"\nRepeat\s+0\.081 \(\d\.\d{3}\)", output);
        Assert.Matches(@"\nMlp\s+\d\.\d{3} \(\d\.\d{3}\)", output);
    }

    [SkippableFact]
    [UnsupportedOSPlatform("windows")]
    public async Task BenchExchange_Reference_RepeatsEachDLinearRunWithTheSameSettingsAndTabulatesIt()
    {
        Skip.If(OperatingSystem.IsWindows(), "The stand-in for python3 is a shell script.");
        var path = SharedDatasets.PathOf("exchange_rate.csv");
        var folder = Directory.CreateTempSubdirectory("bf-reference-");
        try
        {
            // A stand-in for python3: records its arguments and answers like the reference script, its MSE being the seed / 100.
            var python = Path.Combine(folder.FullName, "python3");
            var calls = Path.Combine(folder.FullName, "calls.txt");
            await File.WriteAllTextAsync(python, $$"""
                #!/bin/sh
                shift 2
                echo "$@" >> '{{calls}}'
                echo '{"mse": 0.0'$6', "mae": 0.25, "best_epoch": 1, "epochs": 2, "windows": 1422, "points": 1092096}'
                """);
            File.SetUnixFileMode(python, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

            var (exit, output, _) = await RunAsync("bench", "exchange", path, "--lookback", "96", "--horizons", "96", "--seeds", "4,8",
                "--epochs", "1", "--reference", "--python", python);

            Assert.Equal(0, exit);
            var arguments = await File.ReadAllLinesAsync(calls);
            Assert.Equal([$"{Path.GetFullPath(path)} 96 96 8 0.0005 4 1 3", $"{Path.GetFullPath(path)} 96 96 8 0.0005 8 1 3"], arguments);
            Assert.Contains("seed 8, lookback 96, horizon 96, DLinear in PyTorch: MSE 0.080 MAE 0.250 over 1422 windows; 2 epochs, best 1", output, StringComparison.Ordinal);
            Assert.Matches(@"DLinear \(PyTorch ref\.\)\s+0\.060±0\.028 \[0\.040–0\.080\]", output);
            Assert.Matches(@"Reference within 5%\s+1/2", output);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [SkippableFact]
    public async Task BenchExchange_ReferenceWithoutPyTorch_SaysWhatToInstallAndStillPrintsOurTable()
    {
        var path = SharedDatasets.PathOf("exchange_rate.csv");
        var missing = Path.Combine(Path.GetTempPath(), $"no-python-{Guid.NewGuid():N}");

        var (exit, output, _) = await RunAsync("bench", "exchange", path, "--lookback", "96", "--horizons", "96", "--epochs", "1",
            "--reference", "--python", missing);

        Assert.Equal(0, exit);
        Assert.Contains($"PyTorch reference: {missing} not found; on Debian: apt-get install python3-torch", output, StringComparison.Ordinal);
        Assert.Single(output.Split('\n'), line => line.StartsWith("PyTorch reference:", StringComparison.Ordinal));
        Assert.Matches(@"DLinear\s+\d\.\d{3} \(\d\.\d{3}\)", output);
        Assert.DoesNotContain("PyTorch ref.)", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PullAndPush_AgainstARunningServer_MoveModelsBothWaysWithAnApiToken()
    {
        await using var server = await AppServerProcess.StartAsync();
        var dataset = await server.FirstDatasetIdAsync();
        var runId = await server.QueueRunAsync(new RunRequest(dataset, new ForecastConfig
        {
            Targets = ["Close"],
            Lookback = 20,
            Horizon = 3,
            Model = new ModelOptions { Kind = ModelKind.Mlp, HiddenSize = 16, Layers = 1 },
            Training = new TrainingOptions { MaxEpochs = 2, Device = DeviceChoice.Cpu },
        }, "trained on the server"));
        await server.WaitForSuccessAsync(runId, TimeSpan.FromMinutes(2));
        var folder = Directory.CreateTempSubdirectory("blazorforecast-cli-");
        var model = Path.Combine(folder.FullName, "pulled.bfmodel");
        var id = runId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        try
        {
            var (pulled, pullOutput, _) = await RunAsync("pull", id, "--server", server.Address.ToString(), "--token", server.ApiToken, "--out", model);
            var (pushed, pushOutput, _) = await RunAsync("push", model, "--server", server.Address.ToString(), "--token", server.ApiToken,
                "--dataset", dataset.ToString(System.Globalization.CultureInfo.InvariantCulture), "--name", "back from the CLI");
            var (refused, _, refusal) = await RunAsync("pull", id, "--server", server.Address.ToString(), "--token", "bf_not-a-token");

            Assert.Equal(0, pulled);
            Assert.Contains($"Saved run {id}'s model", pullOutput, StringComparison.Ordinal);
            await using (var file = File.OpenRead(model))
            {
                Assert.Equal(3, ModelBundle.Load(file).Config.Horizon);
            }

            Assert.Equal(0, pushed);
            Assert.Matches(@"Run \d+ “back from the CLI” on the server: http://127\.0\.0\.1:\d+/runs/\d+", pushOutput);
            Assert.Equal(2, refused);
            Assert.Contains("(401): The API token is unknown, expired or revoked.", refusal, StringComparison.Ordinal);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Pull_WithoutAToken_SaysWhereToGetOne()
    {
        var (exit, _, error) = await RunAsync("pull", "1", "--server", "http://127.0.0.1:1");

        Assert.Equal(2, exit);
        Assert.Contains("Give an API token (account menu → API tokens) with --token or in BLAZORFORECAST_TOKEN.", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BenchSampler_ReportsTrialsToTheTargetForRandomAndTpe_OnEachObjective()
    {
        var (exit, output, _) = await RunAsync("bench", "sampler", "--seeds", "20", "--trials", "150");

        Assert.Contains("over 20 seeds (at most 150 trials", output, StringComparison.Ordinal);
        Assert.Equal(2, output.Split('\n').Count(l => l.StartsWith("  TPE     median ", StringComparison.Ordinal)));
        Assert.Equal(2, output.Split('\n').Count(l => l.StartsWith("  random  median ", StringComparison.Ordinal)));
        Assert.Equal(0, exit);
        Assert.EndsWith("TPE reached every target in fewer trials (median) than random search.", output.TrimEnd(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BenchImport_SmallGeneratedFile_ReportsRowsAndTimes()
    {
        var file = Path.Combine(Path.GetTempPath(), $"bench-{Guid.NewGuid():N}.csv");
        try
        {
            var (exit, output, _) = await RunAsync("bench", "import", "--rows", "2000", "--runs", "2", "--file", file, "--no-pandas");

            Assert.Equal(0, exit);
            Assert.Contains("BlazorForecast importer: 2,000 rows, best", output, StringComparison.Ordinal);
            Assert.Contains("BlazorForecast run 2:", output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [SkippableFact]
    public async Task TrainThenForecast_RealDataset_WritesMetricsModelAndTheNextValues()
    {
        var data = SharedDatasets.PathOf("AAPL_daily_2004_2018.csv");
        var folder = Path.Combine(Path.GetTempPath(), $"cli-run-{Guid.NewGuid():N}");
        try
        {
            var (exit, output, error) = await RunAsync("train", data, "--target", "Close", "--model", "gru", "--lookback", "20",
                "--horizon", "3", "--epochs", "2", "--hidden", "16", "--features", "raw:Close,sma:Close:10,rsi:Close:14", "--out", folder);

            Assert.True(exit == 0, error);
            Assert.Contains("Naive", output, StringComparison.Ordinal);
            using var metrics = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(folder, "metrics.json")));
            var test = metrics.RootElement.GetProperty("folds")[0].GetProperty("test");
            Assert.Equal(5, test.GetProperty("methods").GetArrayLength());
            Assert.True(test.GetProperty("windows").GetInt32() > 600);

            var (forecastExit, forecast, forecastError) = await RunAsync("forecast", Path.Combine(folder, "model.bfmodel"), data);

            Assert.True(forecastExit == 0, forecastError);
            var lines = forecast.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal("Date,Close,Close lower 80%,Close upper 80%,Close lower 95%,Close upper 95%", lines[0].TrimEnd('\r'));
            Assert.Equal(4, lines.Length);
            Assert.StartsWith("2018-01-22,", lines[1], StringComparison.Ordinal);
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    [Fact]
    public async Task Train_WithAnotherSeriesAsAnInput_PrintsTheJoinReport_TrainsOnIt_AndForecastsWithItJoinedAgain()
    {
        var folder = Directory.CreateTempSubdirectory("cli-input-").FullName;
        try
        {
            var data = Path.Combine(folder, "prices.csv");
            var macro = Path.Combine(folder, "macro.csv");
            await File.WriteAllTextAsync(data, await CsvOf(SyntheticMarketData.Generate(300, seed: 8)));
            // A monthly rate dated at each month's start, like FRED's series.
            var months = Enumerable.Range(0, 16).Select(m => new DateTime(2014, 12, 1, 0, 0, 0, DateTimeKind.Utc).AddMonths(m)).ToList();
            await File.WriteAllTextAsync(macro, "Date,Rate\n" + string.Concat(months.Select((m, i) => $"{m:yyyy-MM-dd},{1 + (0.1 * i)}\n")));

            var (exit, output, error) = await RunAsync("train", data, "--transform", "log-return", "--model", "mlp", "--hidden", "8", "--layers", "1",
                "--epochs", "2", "--lookback", "10", "--input", $"{macro}:Rate,name=Rate,delay=15d,dates=start,max-age=62d", "--out", folder);

            Assert.True(exit == 0, error + output);
            Assert.Contains("  Rate: published 15 days after each period ends; carried forward up to 62 days; covers ", output, StringComparison.Ordinal);
            using var metrics = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(folder, "metrics.json")));
            var input = metrics.RootElement.GetProperty("config").GetProperty("inputs")[0];
            Assert.Equal(("Rate", "Rate", 15.0), (input.GetProperty("name").GetString(), input.GetProperty("column").GetString(), TimeSpan.Parse(input.GetProperty("delay").GetString()!, System.Globalization.CultureInfo.InvariantCulture).TotalDays));
            Assert.Contains(metrics.RootElement.GetProperty("folds")[0].GetProperty("importance").EnumerateArray(), i => i.GetProperty("feature").GetString() == "Rate");

            var (forecastExit, forecast, forecastError) = await RunAsync("forecast", Path.Combine(folder, "model.bfmodel"), data);

            Assert.True(forecastExit == 0, forecastError);
            Assert.StartsWith("Date,Close,", forecast, StringComparison.Ordinal);

            var (refusedExit, _, refused) = await RunAsync("train", data, "--input", $"{macro}:Yield", "--out", folder);

            Assert.Equal(2, refusedExit);
            Assert.Contains("The inputs cannot be joined to the data:", refused, StringComparison.Ordinal);
            Assert.Contains("  - Input 'macro Yield': its series has no column 'Yield'. Columns: Rate.", refused, StringComparison.Ordinal);

            var (badExit, _, bad) = await RunAsync("train", data, "--input", $"{macro}:Rate,delay=soon", "--out", folder);

            Assert.Equal(2, badExit);
            Assert.Equal("A duration is written like 15d, 6h, 1d12h or 90m, not 'soon'.", bad.Trim());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }

        static async Task<string> CsvOf(TimeSeriesFrame frame)
        {
            var csv = new StringWriter();
            await SeriesCsvWriter.WriteAsync(frame, csv);
            return csv.ToString();
        }
    }

    [SkippableFact]
    public async Task Train_LookbackLongerThanTheTrainingSegment_IsExplained()
    {
        var data = SharedDatasets.PathOf("bad/AAPL_semicolon_decimal_comma.csv");

        var (exit, _, error) = await RunAsync("train", data, "--target", "Close", "--lookback", "100", "--out", Path.GetTempPath());

        Assert.Equal(2, exit);
        Assert.Contains("the lookback (100) plus horizon (1) is longer than the training segment (42 rows)", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sweep_PrintsEachTrialsValidationLoss_ThenTheChosenConfigsTestScoresAndVerdict()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"cli-sweep-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            var data = Path.Combine(folder, "prices.csv");
            await using (var file = File.CreateText(data))
            {
                await SeriesCsvWriter.WriteAsync(GeneratedPrices.Generate(600, new ReturnProcess(), seed: 5), file);
            }

            var space = Path.Combine(folder, "space.json");
            await File.WriteAllTextAsync(space, """{"model": ["mlp", "dlinear"], "hiddenSize": [4, 8]}""");

            var (exit, output, error) = await RunAsync("sweep", data, "--space", space, "--method", "grid", "--trials", "4", "--early-stopping", "none",
                "--min-epochs", "1", "--transform", "log-return", "--lookback", "16", "--horizon", "2", "--epochs", "3", "--seeds", "2", "--device", "cpu",
                "--ensemble", "greedy", "--ensemble-size", "3");

            Assert.True(exit == 0, error);
            Assert.Equal(4, output.Split('\n').Count(l => l.StartsWith("trial ", StringComparison.Ordinal)));
            // DLinear reads no hidden size: its second trial is the first's network, not trained again.
            Assert.Matches(@"4 trials, \d+ epochs trained; 0 stopped early, saving at most 0 epochs; 1 not trained, being the same network as an earlier trial\.", output);
            Assert.Contains("Not trained: the same network as trial ", output, StringComparison.Ordinal);
            Assert.Matches(@"Chosen on validation: trial \d \(model (mlp|dlinear), hiddenSize (4|8)\), validation loss \d+\.\d{5}\.", output);
            Assert.Contains("Retrained on 2 seed(s) and scored on the test segment once:", output, StringComparison.Ordinal);
            Assert.Matches(@"Verdict: (Beats naive|No detectable difference from naive|Worse than naive)", output);
            Assert.Contains("\"seeds\":2", output, StringComparison.Ordinal);
            Assert.Matches(@"Ensemble \(Greedy over the 3 best trials, weights [0-9.]+, [0-9.]+, [0-9.]+; validation MSE [0-9.]+\), scored on test once: RMSE [0-9.]+ against the single best's [0-9.]+", output);
            Assert.Matches(@"Ensemble verdict: (Beats naive|No detectable difference from naive|Worse than naive)", output);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Train_AConfigFileWithANullSection_SaysWhichPartIsMissing()
    {
        var config = Path.Combine(Path.GetTempPath(), $"config-{Guid.NewGuid():N}.json");
        var data = Path.Combine(Path.GetTempPath(), $"prices-{Guid.NewGuid():N}.csv");
        try
        {
            await File.WriteAllTextAsync(config, """{"model": null, "lookback": 16}""");
            await using (var file = File.CreateText(data))
            {
                await SeriesCsvWriter.WriteAsync(GeneratedPrices.Generate(300, new ReturnProcess(), seed: 1), file);
            }

            var (exit, _, error) = await RunAsync("train", data, "--config", config);

            Assert.Equal(2, exit);
            Assert.Contains("The config has no model; leave a part out for its defaults rather than set it to null.", error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(config);
            File.Delete(data);
        }
    }

    [Fact]
    public async Task Sweep_ABadSpace_ListsEveryProblemWithoutTraining()
    {
        var space = Path.Combine(Path.GetTempPath(), $"space-{Guid.NewGuid():N}.json");
        var data = Path.Combine(Path.GetTempPath(), $"prices-{Guid.NewGuid():N}.csv");
        try
        {
            await File.WriteAllTextAsync(space, """{"dropout": {"uniform": [0.5, 0.1]}, "layers": []}""");
            await using (var file = File.CreateText(data))
            {
                await SeriesCsvWriter.WriteAsync(GeneratedPrices.Generate(300, new ReturnProcess(), seed: 1), file);
            }

            var (exit, output, error) = await RunAsync("sweep", data, "--space", space);

            Assert.Equal(2, exit);
            Assert.DoesNotContain("trial ", output, StringComparison.Ordinal);
            Assert.Contains("The sweep cannot run:", error, StringComparison.Ordinal);
            Assert.Contains("  - 'dropout': [0.5, 0.1] is not a range; its low end must be below its high end.", error, StringComparison.Ordinal);
            Assert.Contains("  - 'layers' has an empty list of choices.", error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(space);
            File.Delete(data);
        }
    }

    [Fact]
    public async Task Train_SeveralSeeds_WritesTheVerdictTestsAndSeedsIntoMetrics_WithNullForWhatIsNotANumber()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"cli-seeds-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            var data = Path.Combine(folder, "prices.csv");
            await using (var file = File.CreateText(data))
            {
                await SeriesCsvWriter.WriteAsync(GeneratedPrices.Generate(700, new ReturnProcess(), seed: 3), file);
            }

            var (exit, output, error) = await RunAsync("train", data, "--transform", "log-return", "--model", "mlp", "--hidden", "8", "--layers", "1",
                "--lookback", "16", "--horizon", "2", "--epochs", "2", "--seeds", "2", "--seed", "11", "--intervals", "split-conformal",
                "--significance", "0.1", "--out", folder);

            Assert.True(exit == 0, error);
            Assert.Matches(@"Verdict: (Beats naive|No detectable difference from naive|Worse than naive)", output);
            Assert.Contains("Fold 1, seed 12:", output, StringComparison.Ordinal);
            using var metrics = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(folder, "metrics.json")));
            var root = metrics.RootElement;
            Assert.Equal(0.1, root.GetProperty("significanceLevel").GetDouble());
            Assert.Equal(root.GetProperty("assessment").GetProperty("comparisons")[0].GetProperty("verdict").GetString() + ".", root.GetProperty("verdict").GetString());
            Assert.Equal([11, 12], root.GetProperty("assessment").GetProperty("seeds").GetProperty("seeds").EnumerateArray().Select(s => s.GetProperty("seed").GetInt32()));
            Assert.Equal("SplitConformal", root.GetProperty("assessment").GetProperty("intervalMethod").GetString());
            Assert.Equal(2, root.GetProperty("folds")[0].GetProperty("seeds").GetArrayLength());
            Assert.Equal(System.Text.Json.JsonValueKind.Null,
                root.GetProperty("folds")[0].GetProperty("test").GetProperty("methods")[0].GetProperty("modelScale").GetProperty("overall").GetProperty("mase").ValueKind);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task TrainDirection_ScoresTheCallsAgainstTheMajorityRule_WritesThemToMetrics_AndForecastsProbabilities()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"cli-direction-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            var data = Path.Combine(folder, "prices.csv");
            await using (var file = File.CreateText(data))
            {
                await SeriesCsvWriter.WriteAsync(GeneratedPrices.Generate(800, new ReturnProcess { Drift = 0.001 }, seed: 3), file);
            }

            var (exit, output, error) = await RunAsync("train", data, "--transform", "log-return", "--model", "mlp", "--hidden", "8", "--layers", "1",
                "--lookback", "8", "--horizon", "2", "--epochs", "3", "--direction", "--dead-zone", "0.05%", "--weighting", "focal", "--gamma", "1",
                "--threshold", "0.55", "--significance", "0.2", "--out", folder);

            Assert.True(exit == 0, error);
            Assert.Matches(@"Direction, next row: \d+ moves scored \([\d.]+ % rises\), \d+ flat left out", output);
            Assert.Matches(@"always-majority +[\d.]+ % +50\.0 %", output);
            Assert.Contains("by step: 1: balanced", output, StringComparison.Ordinal);
            Assert.Contains("backtest LongShort", output, StringComparison.Ordinal);
            Assert.Matches(@"Verdict: (Calls the direction better than|No detectable difference from|Calls the direction worse than) always-majority", output);
            using var metrics = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(folder, "metrics.json")));
            var root = metrics.RootElement;
            var direction = root.GetProperty("config").GetProperty("direction");
            Assert.Equal((0.0005, "Focal", 1.0, 0.55), (direction.GetProperty("deadZone").GetDouble(), direction.GetProperty("weighting").GetString(),
                direction.GetProperty("focalGamma").GetDouble(), direction.GetProperty("threshold").GetDouble()));
            var classification = root.GetProperty("classification");
            Assert.Equal(2, classification.GetProperty("steps").GetArrayLength());

            // Judged at the level asked for: better, worse or no difference by McNemar's p below 20%.
            Assert.Equal(0.2, root.GetProperty("significanceLevel").GetDouble());
            var (better, worse) = (classification.GetProperty("mcNemarP").GetDouble(), classification.GetProperty("worseP").GetDouble());
            Assert.Equal(better < 0.2 ? "better" : worse < 0.2 ? "worse" : "no-difference", root.GetProperty("outcome").GetString());
            Assert.InRange(classification.GetProperty("rocAuc").GetDouble(), 0, 1);
            Assert.Equal(0.55, root.GetProperty("backtest").GetProperty("threshold").GetDouble());

            var (forecastExit, forecast, forecastError) = await RunAsync("forecast", Path.Combine(folder, "model.bfmodel"), data);
            Assert.True(forecastExit == 0, forecastError);
            var lines = forecast.Trim().Split('\n');
            Assert.Equal("Date,Close P(up)", lines[0]);
            Assert.Equal(3, lines.Length);
            Assert.All(lines.Skip(1), l => Assert.InRange(double.Parse(l.Split(',')[1], System.Globalization.CultureInfo.InvariantCulture), 0, 1));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Universe_TrainsOneModelAcrossTheColumns_ScoresEachAndTheCrossSection_AndComparesWithOneModelPerSeries()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"cli-universe-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            var columns = Enumerable.Range(0, 3).Select(i => GeneratedPrices.Generate(500, new ReturnProcess { Phi = 0.2 * i }, seed: 20 + i)).ToList();
            var wide = new TimeSeriesFrame(columns[0].Timestamps, columns.Select((c, i) => new SeriesColumn($"S{i}", $"S{i}", ColumnRole.Other, c.Columns[0].Values)).ToList());
            var data = Path.Combine(folder, "wide.csv");
            await using (var file = File.CreateText(data))
            {
                await SeriesCsvWriter.WriteAsync(wide, file);
            }

            var (exit, output, error) = await RunAsync("universe", data, "--series", "S0,S1,S2", "--transform", "log-return", "--model", "mlp", "--hidden", "8",
                "--layers", "1", "--lookback", "8", "--horizon", "2", "--epochs", "2", "--quantile", "0.34", "--compare", "--out", folder);

            Assert.True(exit == 0, error);
            Assert.Contains("One Mlp across 3 series, each tagged with its code, trained in", output, StringComparison.Ordinal);
            Assert.Contains("One Mlp per series (3), trained in", output, StringComparison.Ordinal);
            Assert.Matches(@"cross-section over \d+ test dates: IC [+-]\d\.\d{4} \(sd \d\.\d{4}, ICIR [+-]?\d\.\d{3}\); Rank IC .*, Newey–West lag \d+\)", output);
            Assert.Contains("long–short 1 vs 1 at 5 bp", output, StringComparison.Ordinal);
            Assert.Matches(@"One model vs one per series: mean standardised MSE \d\.\d{4} vs \d\.\d{4}", output);
            using var metrics = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(folder, "metrics.json")));
            var runs = metrics.RootElement.EnumerateArray().ToList();
            Assert.Equal(["one model across the series", "one model per series"], runs.Select(r => r.GetProperty("model").GetString()));
            Assert.All(runs, r => Assert.Equal(["S0", "S1", "S2"], r.GetProperty("series").EnumerateArray().Select(s => s.GetProperty("series").GetString())));
            Assert.All(runs, r => Assert.InRange(r.GetProperty("ic").GetProperty("rankIcMean").GetDouble(), -1, 1));

            var model = Path.Combine(folder, "model.bfmodel");
            var (knownExit, known, knownError) = await RunAsync("forecast", model, data, "--series", "S1");
            Assert.True(knownExit == 0, knownError);
            // A series it was trained on comes with its own intervals; one it never saw (below) without.
            Assert.StartsWith("Date,S1,S1 lower 80%,S1 upper 80%,S1 lower 95%,S1 upper 95%\n", known.ReplaceLineEndings("\n"), StringComparison.Ordinal);
            var (jsonExit, json, jsonError) = await RunAsync("forecast", model, data, "--series", "S2", "--format", "json");
            Assert.True(jsonExit == 0, jsonError);
            Assert.False(System.Text.Json.JsonDocument.Parse(json).RootElement.GetProperty("zeroShot").GetBoolean());
            var more = Path.Combine(folder, "more.csv");
            await using (var file = File.CreateText(more))
            {
                await SeriesCsvWriter.WriteAsync(new TimeSeriesFrame(wide.Timestamps, [.. wide.Columns, new SeriesColumn("S3", "S3", ColumnRole.Other, wide.Columns[0].Values.Select(v => v * 3).ToArray())]), file);
            }

            var (unseenExit, unseen, unseenError) = await RunAsync("forecast", model, more, "--series", "S3");
            Assert.True(unseenExit == 0, unseenError);
            Assert.StartsWith("Date,S3 (zero-shot)\n", unseen.ReplaceLineEndings("\n"), StringComparison.Ordinal);
            var (noSeriesExit, _, noSeries) = await RunAsync("forecast", model, data);
            Assert.Equal(2, noSeriesExit);
            Assert.Contains("This model was trained across S0, S1, S2: say which column to forecast.", noSeries, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Universe_OfOneSeries_IsExplained()
    {
        var data = Path.Combine(Path.GetTempPath(), $"cli-universe-one-{Guid.NewGuid():N}.csv");
        await using (var file = File.CreateText(data))
        {
            await SeriesCsvWriter.WriteAsync(GeneratedPrices.Generate(300, new ReturnProcess(), seed: 1), file);
        }

        try
        {
            var (exit, output, error) = await RunAsync("universe", data, "--series", "Close", "--out", Path.GetTempPath());

            Assert.Equal(2, exit);
            Assert.Contains("A universe needs at least two series.", error, StringComparison.Ordinal);
            Assert.DoesNotContain("epoch", output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(data);
        }
    }

    [Theory]
    [InlineData("--dead-zone", "0.1%", "--dead-zone applies to a direction target; add --direction.")]
    [InlineData("--weighting", "heavy", "--weighting applies to a direction target; add --direction.")]
    public async Task Train_DirectionOptionsWithoutDirection_AreExplained(string option, string value, string expected)
    {
        var data = Path.Combine(Path.GetTempPath(), $"cli-direction-args-{Guid.NewGuid():N}.csv");
        await using (var file = File.CreateText(data))
        {
            await SeriesCsvWriter.WriteAsync(GeneratedPrices.Generate(300, new ReturnProcess(), seed: 1), file);
        }

        try
        {
            var (exit, output, error) = await RunAsync("train", data, option, value, "--out", Path.GetTempPath());

            Assert.Equal(2, exit);
            Assert.Contains(expected, error, StringComparison.Ordinal);
            Assert.DoesNotContain("epoch", output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(data);
        }
    }

    [Theory]
    [InlineData("--significance", "0.5", "--significance must be a level above 0 and at most 0.2 (e.g. 0.05), not '0.5'.")]
    [InlineData("--intervals", "wide", "--intervals must be adaptive or split-conformal, not 'wide'.")]
    [InlineData("--seeds", "0", "--seeds needs a whole number of at least 1, not '0'.")]
    [InlineData("--seeds", "11", "The config cannot run on this data:")]
    public async Task Train_BadSeedsIntervalsOrLevel_AreExplainedBeforeTraining(string option, string value, string expected)
    {
        var data = Path.Combine(Path.GetTempPath(), $"cli-args-{Guid.NewGuid():N}.csv");
        await using (var file = File.CreateText(data))
        {
            await SeriesCsvWriter.WriteAsync(GeneratedPrices.Generate(300, new ReturnProcess(), seed: 1), file);
        }

        try
        {
            var (exit, output, error) = await RunAsync("train", data, option, value, "--out", Path.GetTempPath());

            Assert.Equal(2, exit);
            Assert.StartsWith(expected, error, StringComparison.Ordinal);
            Assert.DoesNotContain("epoch", output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(data);
        }
    }

    [Theory]
    [InlineData(new[] { "train", "x.csv", "--model", "rnn" }, "No such file: x.csv")]
    [InlineData(new[] { "forecast", "model.bin" }, "forecast needs a saved model and a CSV file.")]
    [InlineData(new[] { "frobnicate" }, "Unknown command: frobnicate")]
    [InlineData(new[] { "bench", "import", "--rows", "many" }, "--rows needs a whole number of at least 1, not 'many'.")]
    [InlineData(new[] { "import" }, "import needs exactly one CSV file.")]
    public async Task BadCommandLine_SaysWhatIsWrong(string[] args, string expected)
    {
        var (exit, _, error) = await RunAsync(args);

        Assert.Equal(2, exit);
        Assert.StartsWith(expected, error, StringComparison.Ordinal);
    }
}
