using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BlazorForecast.Forecasting.Data;
using BlazorForecast.Forecasting.Training;

namespace BlazorForecast.Web.Tests.Features.Results;

public sealed class RunResultEndpointsTests(FinishedRunFixture run) : IClassFixture<FinishedRunFixture>
{
    private HttpClient Client => run.Client;

    private async Task<TimeSeriesFrame> DatasetAsync()
    {
        using var csv = new MemoryStream(await Client.GetByteArrayAsync($"/api/datasets/{run.DatasetId}/csv"));
        return CsvImporter.Import(csv, new CsvImportOptions()).Frame;
    }

    [Fact]
    public async Task Predictions_LineUpEachForecastWithWhatHappened_InsideNestedIntervals()
    {
        var json = await Client.GetFromJsonAsync<JsonElement>($"/api/runs/{run.RunId}/predictions?step=2");
        var frame = await DatasetAsync();
        var close = frame.Find("Close")!.Values;

        var series = Assert.Single(json.GetProperty("series").EnumerateArray());
        Assert.Equal(2, series.GetProperty("step").GetInt32());
        var points = series.GetProperty("points").EnumerateArray().ToList();
        var windows = (await Client.GetFromJsonAsync<JsonElement>($"/api/runs/{run.RunId}/metrics")).GetProperty("folds")[0].GetProperty("windows").GetInt32();
        Assert.Equal(windows, points.Count);
        foreach (var p in points)
        {
            var time = p.GetProperty("time").GetDateTime();
            var origin = p.GetProperty("origin").GetDateTime();
            var row = Array.BinarySearch(frame.Timestamps, time);
            Assert.Equal(close[row], p.GetProperty("actual").GetDouble(), 9);
            Assert.Equal(frame.Timestamps[row - 2], origin);
            var bounds = new[] { "lower95", "lower80", "predicted", "upper80", "upper95" }.Select(n => p.GetProperty(n).GetDouble()).ToArray();
            Assert.Equal(bounds.Order(), bounds);
        }

        Assert.Equal([1, 2, 3], json.GetProperty("storedSteps").EnumerateArray().Select(s => s.GetInt32()));
        var future = json.GetProperty("future").GetProperty("times").EnumerateArray().Select(t => t.GetDateTime()).ToList();
        Assert.Equal(3, future.Count);
        Assert.True(future[0] > frame.Timestamps[^1]);
    }

    [Fact]
    public async Task Predictions_Csv_HasEveryWindowAndStep_AsADownload()
    {
        using var response = await Client.GetAsync($"/api/runs/{run.RunId}/predictions?format=csv");
        var windows = (await Client.GetFromJsonAsync<JsonElement>($"/api/runs/{run.RunId}/metrics")).GetProperty("folds")[0].GetProperty("windows").GetInt32();

        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal($"run-{run.RunId}-predictions.csv", response.Content.Headers.ContentDisposition!.FileNameStar ?? response.Content.Headers.ContentDisposition.FileName);
        var lines = (await response.Content.ReadAsStringAsync()).TrimEnd('\n').Split('\n');
        Assert.Equal("Fold,Segment,Origin,Date,Target,Step,Actual,Predicted,Lower80,Upper80,Lower95,Upper95", lines[0]);
        Assert.Equal((windows * 3) + 1, lines.Length);
        Assert.All(lines.Skip(1), l => Assert.StartsWith("0,Test,", l, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Metrics_HaveTheModelBesideEveryBaseline_AndAVerdictAgainstNaive()
    {
        var json = await Client.GetFromJsonAsync<JsonElement>($"/api/runs/{run.RunId}/metrics");
        var details = await Client.GetFromJsonAsync<JsonElement>($"/api/runs/{run.RunId}");

        var fold = json.GetProperty("folds")[0];
        var methods = fold.GetProperty("methods").EnumerateArray().ToList();
        Assert.Equal(["Model", "Naive", "Drift", "SeasonalNaive", "MovingAverage"], methods.Select(m => m.GetProperty("method").GetString()));
        var model = methods[0].GetProperty("original").GetProperty("overall").GetProperty("rmse").GetDouble();
        var naive = methods[1].GetProperty("original").GetProperty("overall").GetProperty("rmse").GetDouble();
        Assert.Equal(details.GetProperty("run").GetProperty("testRmse").GetDouble(), model, 9);
        // One target, one fold: the standardised RMSE ratio the test reports is the ratio in original units.
        var versusNaive = json.GetProperty("assessment").GetProperty("comparisons").EnumerateArray().Single(c => c.GetProperty("baseline").GetString() == "Naive");
        Assert.Equal((model / naive) - 1, versusNaive.GetProperty("rmseChange").GetDouble(), 9);
        var p = versusNaive.GetProperty("pValue").GetDouble();
        Assert.InRange(p, 0, 1);
        var outcome = versusNaive.GetProperty("outcome").GetString();
        Assert.Equal(p >= 0.05 ? "no-difference" : model < naive ? "better" : "worse", outcome);
        Assert.Equal(outcome, json.GetProperty("outcome").GetString());
        var expected = outcome switch
        {
            "better" => "Beats naive: ",
            "worse" => "Worse than naive: ",
            _ => "No detectable difference from naive (",
        };
        Assert.StartsWith(expected, json.GetProperty("verdict").GetString(), StringComparison.Ordinal);
        Assert.Equal(versusNaive.GetProperty("verdict").GetString() + ".", json.GetProperty("verdict").GetString());
        Assert.Equal(0.05, json.GetProperty("significanceLevel").GetDouble());
        Assert.Contains("Diebold–Mariano", json.GetProperty("testMeaning").GetString(), StringComparison.Ordinal);
        Assert.Equal(3, methods[0].GetProperty("original").GetProperty("perStep").GetArrayLength());
        Assert.Equal([0.8, 0.95], fold.GetProperty("coverage").EnumerateArray().Select(c => c.GetProperty("level").GetDouble()));
    }

    [Fact]
    public async Task Metrics_Csv_HasOverallAndPerStepRowsForEveryMethodAndScale()
    {
        var csv = await Client.GetStringAsync($"/api/runs/{run.RunId}/metrics?format=csv");

        var lines = csv.TrimEnd('\n').Split('\n');
        Assert.Equal("Fold,Method,Scale,Step,MSE,RMSE,MAE,MAPE,sMAPE,R2,MASE,DirectionalAccuracy,UpRate,Count", lines[0]);
        Assert.Equal((5 * 2 * (1 + 3)) + 1, lines.Length);
        Assert.Contains(lines, l => l.StartsWith("0,Model,Original,All,", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("0,Naive,Standardized,3,", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Risk_SummarisesTheTarget_AndBacktestsEveryStrategyOverTheTestSegment()
    {
        var json = await Client.GetFromJsonAsync<JsonElement>($"/api/runs/{run.RunId}/risk?costBps=0");
        var costly = await Client.GetFromJsonAsync<JsonElement>($"/api/runs/{run.RunId}/risk?costBps=100");
        var points = (await Client.GetFromJsonAsync<JsonElement>($"/api/runs/{run.RunId}/predictions?step=1")).GetProperty("series")[0].GetProperty("points").GetArrayLength();

        var risk = json.GetProperty("risk");
        Assert.True(risk.GetProperty("annualizedVolatility").GetDouble() > 0);
        var var95 = risk.GetProperty("valueAtRisk")[0];
        var var99 = risk.GetProperty("valueAtRisk")[1];
        Assert.True(var99.GetProperty("historical").GetDouble() >= var95.GetProperty("historical").GetDouble());
        Assert.True(var95.GetProperty("historicalShortfall").GetDouble() >= var95.GetProperty("historical").GetDouble());
        var backtests = json.GetProperty("backtests").EnumerateArray().ToList();
        Assert.Equal(["LongFlat", "LongShort", "BuyAndHold"], backtests.Select(b => b.GetProperty("strategy").GetString()));
        Assert.Equal(points + 1, json.GetProperty("equityTimes").GetArrayLength());
        Assert.All(backtests, b => Assert.Equal(points + 1, b.GetProperty("equity").GetArrayLength()));
        var free = backtests[1].GetProperty("totalReturn").GetDouble();
        var paid = costly.GetProperty("backtests")[1].GetProperty("totalReturn").GetDouble();
        Assert.True(paid < free, $"Costs must lower the long/short return: {paid} vs {free}.");
    }

    [Fact]
    public async Task Risk_WithANegativeCost_IsABadRequest()
    {
        using var response = await Client.GetAsync($"/api/runs/{run.RunId}/risk?costBps=-5");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("The cost per trade must be between 0 and 10,000 basis points.", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Model_IsTheBundleTheCliReads_AndForecastsWhatTheRunStored()
    {
        var bytes = await Client.GetByteArrayAsync($"/api/runs/{run.RunId}/model");
        var stored = (await Client.GetFromJsonAsync<JsonElement>($"/api/runs/{run.RunId}/predictions?step=1")).GetProperty("future").GetProperty("values");

        var bundle = ModelBundle.Load(new MemoryStream(bytes));
        var forecast = Forecaster.Forecast(bundle, await DatasetAsync());

        Assert.Equal(3, forecast.Values.Length);
        for (var k = 0; k < 3; k++)
        {
            Assert.Equal(stored[k][0].GetDouble(), forecast.Values[k][0], 6);
        }
    }

    [Fact]
    public async Task UnknownRun_IsNotFound_AndARunWithoutResults_IsAConflict()
    {
        using var missing = await Client.GetAsync("/api/runs/9999/metrics");
        var queued = await Client.PostAsJsonAsync("/api/runs", new
        {
            datasetId = run.DatasetId,
            config = new { targets = new[] { "Close" }, lookback = 20, horizon = 1, model = new { kind = "Lstm" }, training = new { maxEpochs = 500 } },
        });
        var id = (await queued.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        using var pending = await Client.GetAsync($"/api/runs/{id}/predictions");
        await Client.PostAsync($"/api/runs/{id}/cancel", null);

        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("There is no run 9999.", (await missing.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.Conflict, pending.StatusCode);
        Assert.StartsWith($"Run {id} has no results yet: it is ", (await pending.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ForecastNow_FromTheRunsDataset_MatchesTheStoredFuture_AsJsonAndCsv()
    {
        var now = await Client.GetFromJsonAsync<JsonElement>($"/api/runs/{run.RunId}/forecast");
        var stored = (await Client.GetFromJsonAsync<JsonElement>($"/api/runs/{run.RunId}/predictions?step=1")).GetProperty("future");
        var csv = (await Client.GetStringAsync($"/api/runs/{run.RunId}/forecast?format=csv")).TrimEnd('\n').Split('\n');

        Assert.Equal(stored.GetProperty("times").GetRawText(), now.GetProperty("times").GetRawText());
        Assert.Equal(stored.GetProperty("values").GetRawText(), now.GetProperty("values").GetRawText());
        Assert.Equal("Date,Target,Forecast,Lower80,Upper80,Lower95,Upper95", csv[0]);
        Assert.Equal(4, csv.Length);
        var first = csv[1].Split(',');
        Assert.Equal("Close", first[1]);
        Assert.Equal(now.GetProperty("values")[0][0].GetDouble(), double.Parse(first[2], CultureInfo.InvariantCulture), 12);
    }

    [Fact]
    public async Task ForecastNow_FromADatasetWithoutTheColumns_ExplainsWhy_AndAnUnknownDatasetIsNotFound()
    {
        using var form = new MultipartFormDataContent
        {
            { new ByteArrayContent("Date,Spread\n2024-01-02,1\n2024-01-03,2\n2024-01-04,3\n"u8.ToArray()), "file", "other.csv" },
        };
        var other = (await (await Client.PostAsync("/api/datasets", form)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();

        using var wrong = await Client.GetAsync($"/api/runs/{run.RunId}/forecast?datasetId={other}");
        using var missing = await Client.GetAsync($"/api/runs/{run.RunId}/forecast?datasetId=4242");

        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Equal("The data has no column 'Close', which this model forecasts.", (await wrong.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    private async Task<HttpResponseMessage> ImportAsync(byte[] file, string fileName, int? datasetId)
    {
        using var form = new MultipartFormDataContent { { new ByteArrayContent(file), "file", fileName } };
        if (datasetId is int id)
        {
            form.Add(new StringContent(id.ToString(CultureInfo.InvariantCulture)), "datasetId");
        }

        return await Client.PostAsync("/api/runs/import", form);
    }

    [Fact]
    public async Task ImportedModel_BecomesAFinishedRun_ThatForecastsLikeTheOriginal_ButHasNoScores()
    {
        var model = await Client.GetByteArrayAsync($"/api/runs/{run.RunId}/model");

        using var response = await ImportAsync(model, "shared.bfmodel", run.DatasetId);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var imported = await response.Content.ReadFromJsonAsync<JsonElement>();
        var id = imported.GetProperty("id").GetInt32();
        Assert.Equal("Succeeded", imported.GetProperty("status").GetString());
        Assert.Equal("Imported shared", imported.GetProperty("name").GetString());
        Assert.Equal(0, imported.GetProperty("maxEpochs").GetInt32());
        var original = await Client.GetFromJsonAsync<JsonElement>($"/api/runs/{run.RunId}/forecast");
        var copy = await Client.GetFromJsonAsync<JsonElement>($"/api/runs/{id}/forecast");
        Assert.Equal(original.GetProperty("values").GetRawText(), copy.GetProperty("values").GetRawText());
        Assert.Equal(model, await Client.GetByteArrayAsync($"/api/runs/{id}/model"));
        using var metrics = await Client.GetAsync($"/api/runs/{id}/metrics");
        Assert.Equal(HttpStatusCode.Conflict, metrics.StatusCode);
        Assert.Equal($"Run {id} is an imported model: it was trained elsewhere and has no test results here.",
            (await metrics.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("not a zip", "notes.bfmodel", true, "notes.bfmodel: Not a BlazorForecast model file.")]
    [InlineData("", "empty.bfmodel", false, "Say which dataset the model forecasts from: 'datasetId'.")]
    public async Task Import_OfABadFileOrWithoutADataset_IsRefusedWithTheReason(string content, string fileName, bool withDataset, string expected)
    {
        using var response = await ImportAsync(System.Text.Encoding.UTF8.GetBytes(content), fileName, withDataset ? run.DatasetId : null);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(expected, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Import_OfAModelAcrossSeries_OrOneReadingOtherDatasets_SaysWhyItCannotBeImportedYet()
    {
        var frame = BlazorForecast.Forecasting.Data.SyntheticMarketData.Generate(300, seed: 2);
        var wide = new BlazorForecast.Forecasting.Data.TimeSeriesFrame(frame.Timestamps,
            [frame.Find("Close")!, frame.Find("Open")! with { Name = "Open" }]);
        var universe = BlazorForecast.Forecasting.Training.UniverseRunner.Run(wide, new BlazorForecast.Forecasting.Training.UniverseConfig
        {
            Series = ["Close", "Open"],
            Template = new BlazorForecast.Forecasting.Training.ForecastConfig
            {
                Transform = BlazorForecast.Forecasting.Data.TargetTransform.LogReturn,
                Lookback = 8,
                Model = new BlazorForecast.Forecasting.Models.ModelOptions { Kind = BlazorForecast.Forecasting.Models.ModelKind.Mlp, HiddenSize = 4, Layers = 1 },
                Training = new BlazorForecast.Forecasting.Training.TrainingOptions { MaxEpochs = 1, Device = BlazorForecast.Forecasting.Training.DeviceChoice.Cpu },
            },
        });
        using var saved = new MemoryStream();
        universe.Model!.Save(saved);
        var reading = BlazorForecast.Forecasting.Training.ModelBundle.Load(new MemoryStream(await Client.GetByteArrayAsync($"/api/runs/{run.RunId}/model")));
        using var withInput = new MemoryStream();
        (reading with { Config = reading.Config with { Inputs = [new BlazorForecast.Forecasting.Data.JoinedInput { Source = "7", Column = "Rate", Name = "Rate" }] } }).Save(withInput);

        using var acrossSeries = await ImportAsync(saved.ToArray(), "universe.bfmodel", run.DatasetId);
        using var joined = await ImportAsync(withInput.ToArray(), "joined.bfmodel", run.DatasetId);

        Assert.Equal(HttpStatusCode.BadRequest, acrossSeries.StatusCode);
        Assert.Equal("universe.bfmodel: It was trained across several series (Close, Open); a run here forecasts one series, so it cannot be imported yet. The command line's forecast --series reads it.",
            (await acrossSeries.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, joined.StatusCode);
        Assert.Equal("joined.bfmodel: It reads other datasets as inputs (Rate), which an imported model cannot be joined to yet. The command line's forecast joins them from their files.",
            (await joined.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }
}
