using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using BlazorForecast.Forecasting.Data;
using BlazorForecast.Web.Features.Datasets;
using BlazorForecast.Web.Features.Team;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorForecast.Web.Tests.Features.Runs;

/// <summary>Runs that read another dataset's column, joined as of each date, over HTTP with the real engine.</summary>
public sealed class RunInputsApiTests : IDisposable
{
    private readonly ForecastAppFactory _app = new();
    private readonly HttpClient _client;

    public RunInputsApiTests() => _client = _app.CreateClient();

    public void Dispose()
    {
        _client.Dispose();
        _app.Dispose();
    }

    private async Task<int> DatasetAsync(string csv, string name, Caller? owner = null, Web.Data.Visibility? visibility = null)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(csv));
        return (await _app.Services.GetRequiredService<DatasetService>().ImportAsync(stream, name, null, null, new CsvImportOptions(), owner ?? _app.AdminCaller, visibility)).Id;
    }

    // Weekly values (Mondays) of a slow wave, from the sine's first week to after its last.
    private static string WeeklyCsv()
    {
        var csv = new StringBuilder("Date,Rate\n");
        for (var week = 0; week < 48; week++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{new DateTime(2019, 12, 30).AddDays(7 * week):yyyy-MM-dd},{2 + Math.Cos(week / 3.0)}\n");
        }

        return csv.ToString();
    }

    private static object Run(int dataset, object input) => new
    {
        datasetId = dataset,
        name = "with a weekly rate",
        config = new
        {
            targets = new[] { "Close" },
            transform = "LogReturn",
            lookback = 14,
            horizon = 2,
            inputs = new[] { input },
            model = new { kind = "Mlp", hiddenSize = 8, layers = 1 },
            training = new { maxEpochs = 3, device = "Cpu", seed = 2 },
        },
    };

    [Fact]
    public async Task ARunReadingAWeeklyRate_TrainsOnTheJoinedSeries_ScoresItsImportance_AndForecastsWithItJoined()
    {
        var prices = await DatasetAsync(TestSeries.SineCsv(), "sine.csv");
        var rate = await DatasetAsync(WeeklyCsv(), "rate.csv");

        var (id, details) = await RunApi.TrainAsync(_client, Run(prices, new { source = $"{rate}", column = "Rate", name = "Weekly rate", delay = "9.00:00:00", maxAge = "10.00:00:00" }));

        using var stored = JsonDocument.Parse((string)(await _app.ScalarAsync($"SELECT \"ConfigJson\" FROM \"Runs\" WHERE \"Id\" = {id}"))!);
        var input = stored.RootElement.GetProperty("inputs")[0];
        Assert.Equal(("Weekly rate", $"{rate}", "9.00:00:00"), (input.GetProperty("name").GetString(), input.GetProperty("source").GetString(), input.GetProperty("delay").GetString()));
        Assert.Contains(details.GetProperty("results")[0].GetProperty("importance").EnumerateArray(), i => i.GetProperty("feature").GetString() == "Weekly rate");
        // The first Monday's rate is out at the end of the ninth day after, so the first seven rows have none and are
        // dropped: every prediction's actual value is still the sine's on its own date.
        var predictions = await _client.GetFromJsonAsync<JsonElement>($"api/runs/{id}/predictions?segment=test");
        var points = predictions.GetProperty("series")[0].GetProperty("points").EnumerateArray().ToList();
        Assert.NotEmpty(points);
        Assert.All(points, p => Assert.Equal(100 + Math.Sin((p.GetProperty("time").GetDateTime() - new DateTime(2020, 1, 1)).Days / 5.0), p.GetProperty("actual").GetDouble(), 9));
        var last = predictions.GetProperty("series").EnumerateArray().SelectMany(s => s.GetProperty("points").EnumerateArray()).Max(p => p.GetProperty("time").GetDateTime());
        Assert.Equal(new DateTime(2020, 1, 1).AddDays(299), last);
        var forecast = await _client.GetAsync($"api/runs/{id}/forecast");
        Assert.Equal(HttpStatusCode.OK, forecast.StatusCode);

        // The rate's dataset cannot go while the run reads it; once the run is deleted, it can.
        var refused = await _client.DeleteAsync($"api/datasets/{rate}");
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("1 run reads this dataset as an input ('with a weekly rate'); delete it first.", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NoContent, (await _client.DeleteAsync($"api/runs/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await _client.DeleteAsync($"api/datasets/{rate}")).StatusCode);
    }

    [Fact]
    public async Task InputsThatCannotBeRead_OrJoined_AreRefusedWithEveryReason_AndNothingIsQueued()
    {
        var prices = await DatasetAsync(TestSeries.SineCsv(), "sine.csv");
        // A member's private dataset: the admin reads it, so a member starts these runs.
        var (client, _) = await _app.CreateClientAsAsync(TeamRole.Member, "Starter");
        var (other, member) = await _app.CreateClientAsAsync(TeamRole.Member, "Other Member");
        other.Dispose();
        var theirs = await DatasetAsync(WeeklyCsv(), "private.csv", member, Web.Data.Visibility.Private);

        var rate = await DatasetAsync(WeeklyCsv(), "rate.csv");

        using var starter = client;
        var privateInput = await starter.PostAsJsonAsync("api/runs", Run(prices, new { source = $"{theirs}", column = "Rate", name = "Theirs" }));
        var badInputs = await starter.PostAsJsonAsync("api/runs", Run(prices, new { source = $"{rate}", column = "Yield", name = "Yield", delay = "-1.00:00:00" }));

        Assert.Equal(HttpStatusCode.BadRequest, privateInput.StatusCode);
        Assert.Contains($"Input 'Theirs' reads dataset {theirs}, which does not exist.", await privateInput.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, badInputs.StatusCode);
        var problems = (await badInputs.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("problems").EnumerateArray().Select(p => p.GetString()).ToList();
        Assert.Contains("Input 'Yield' has a negative lag: it would read values before they were published.", problems);
        Assert.Contains("Input 'Yield': its series has no column 'Yield'. Columns: Rate.", problems);
        Assert.Equal(0L, await _app.CountRowsAsync("Runs"));
    }
}
