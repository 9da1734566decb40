using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using BlazorForecast.Forecasting.Data;
using BlazorForecast.Forecasting.Models;
using BlazorForecast.Forecasting.Training;

namespace BlazorForecast.Web.Tests.Api;

/// <summary>
/// Inputs a careless or hostile user can send, generated here (nothing committed): each is refused with a 4xx and a
/// specific reason, nothing is stored, and the app still answers /healthz.
/// </summary>
public sealed class BadInputCorpusTests : IDisposable
{
    private const long UploadLimit = 8 * 1024 * 1024;
    private readonly ForecastAppFactory _app = new(seedDemo: true, maxUploadBytes: UploadLimit);
    private readonly HttpClient _client;

    public BadInputCorpusTests() => _client = _app.CreateClient();

    public void Dispose()
    {
        _client.Dispose();
        _app.Dispose();
    }

    public static TheoryData<string, string> Csvs() => new()
    {
        { "no line break in 64 KB", "hold no line break" },
        { "100,000 columns", "hold no line break" },
        { "a 5 MB quoted field", "is not a number" },
        { "NUL bytes", "binary data (zero bytes)" },
        { "binary", "looks like" },
        { "unbalanced quotes", "Line 3: a quote opens a field that never closes." },
        { "only a header", "a header but no data rows" },
    };

    private static byte[] Csv(string kind) => kind switch
    {
        "no line break in 64 KB" => Encoding.UTF8.GetBytes(new string('x', 70_000)),
        "100,000 columns" => Encoding.UTF8.GetBytes("Date," + string.Join(',', Enumerable.Range(0, 100_000).Select(i => $"c{i}")) + "\n"),
        "a 5 MB quoted field" => Encoding.UTF8.GetBytes("Date,Close\n2024-01-02,1\n2024-01-03,\"" + new string('9', 5 * 1024 * 1024) + "x\"\n"),
        "NUL bytes" => Encoding.UTF8.GetBytes("Date,Close\n2024-01-02,1\u0000\u0000\n"),
        "binary" => [0x50, 0x4B, 0x03, 0x04, .. Enumerable.Range(0, 4000).Select(i => (byte)(i * 7))],
        "unbalanced quotes" => Encoding.UTF8.GetBytes("Date,Close\n2024-01-02,1\n\"2024-01-03,2\n2024-01-04,3\n"),
        "only a header" => Encoding.UTF8.GetBytes("Date,Close\n"),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    [Theory]
    [MemberData(nameof(Csvs))]
    public async Task BadCsv_IsRefusedWithTheReason_NothingIsStored_AndTheAppStillAnswers(string kind, string reason)
    {
        var before = await _app.CountRowsAsync("Datasets");
        using var form = new MultipartFormDataContent { { new ByteArrayContent(Csv(kind)), "file", "bad.csv" } };

        using var response = await _client.PostAsync("/api/datasets", form);

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{kind}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains(reason, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await _app.CountRowsAsync("Datasets"));
        Assert.Equal("Healthy", await _client.GetStringAsync("/healthz"));
    }

    public static TheoryData<string, string> Models() => new()
    {
        { "a truncated zip", "Not a BlazorForecast model file." },
        { "a zip bomb", "bytes allowed." },
        { "a huge declared model", "The hidden size is 100,000; this server allows at most 1,024." },
        { "scalers that do not fit", "scalers and inputs do not match" },
    };

    [Theory]
    [MemberData(nameof(Models))]
    public async Task BadModelFile_IsRefusedWithTheReason_NothingIsStored(string kind, string reason)
    {
        var before = await _app.CountRowsAsync("Runs");
        using var form = new MultipartFormDataContent { { new ByteArrayContent(await ModelFileAsync(kind)), "file", "bad.bfmodel" }, { new StringContent("1"), "datasetId" } };

        using var response = await _client.PostAsync("/api/runs/import", form);

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{kind}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains(reason, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await _app.CountRowsAsync("Runs"));
        Assert.Equal("Healthy", await _client.GetStringAsync("/healthz"));
    }

    [Fact]
    public async Task AModelFileOverTheUploadLimit_IsA413WithTheLimit()
    {
        var before = await _app.CountRowsAsync("Runs");
        using var form = new MultipartFormDataContent { { new ByteArrayContent(new byte[UploadLimit + (512 * 1024)]), "file", "huge.bfmodel" }, { new StringContent("1"), "datasetId" } };

        using var response = await _client.PostAsync("/api/runs/import", form);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("The upload is larger than the limit of 8 MB.", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        Assert.Equal(before, await _app.CountRowsAsync("Runs"));
        Assert.Equal("Healthy", await _client.GetStringAsync("/healthz"));
    }

    [Fact]
    public async Task AbsurdRunSettings_AreRefusedTogether_AndTheThreadCountIsNeverTheRequests()
    {
        var before = await _app.CountRowsAsync("Runs");

        using var absurd = await _client.PostAsJsonAsync("/api/runs", new
        {
            datasetId = 1,
            name = new string('n', 201),
            notes = new string('x', 4001),
            config = new
            {
                lookback = 1_000_000,
                horizon = 100_000,
                model = new { hiddenSize = 100_000, layers = 50 },
                training = new { maxEpochs = 2_000_000_000, batchSize = 1_000_000, threads = 512, maxWallTime = "30.00:00:00" },
            },
        });

        Assert.Equal(HttpStatusCode.BadRequest, absurd.StatusCode);
        var problems = (await absurd.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("problems").EnumerateArray().Select(p => p.GetString()!).ToList();
        foreach (var expected in new[]
        {
            "A run's name needs 1 to 200 characters.", "Notes are limited to 4,000 characters.",
            "The lookback is 1,000,000; this server allows at most 2,048.", "The horizon is 100,000; this server allows at most 1,024.",
            "The hidden size is 100,000; this server allows at most 1,024.", "The number of layers is 50; this server allows at most 8.",
            "The number of epochs is 2,000,000,000; this server allows at most 1,000.", "The batch size is 1,000,000; this server allows at most 4,096.",
            "The time limit must be above zero and at most 12:00:00 on this server, not 30.00:00:00.",
        })
        {
            Assert.Contains(expected, problems);
        }

        Assert.Equal(before, await _app.CountRowsAsync("Runs"));

        using var threads = await _client.PostAsJsonAsync("/api/runs", new
        {
            datasetId = 1,
            config = new { lookback = 16, horizon = 2, model = new { kind = "Mlp", hiddenSize = 8, layers = 1 }, training = new { maxEpochs = 1, threads = 512 } },
        });
        Assert.Equal(HttpStatusCode.Accepted, threads.StatusCode);
        var id = (await threads.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        var stored = JsonSerializer.Deserialize<ForecastConfig>(await ConfigJsonAsync(id), ForecastJson.Options)!;
        Assert.Null(stored.Training.Threads);
        Assert.Equal(TimeSpan.FromHours(12), stored.Training.MaxWallTime);
    }

    [Fact]
    public async Task AbsurdNumbersInJson_AreA400_NotA500()
    {
        using var content = new StringContent("{\"datasetId\":1,\"config\":{\"lookback\":1e400,\"horizon\":99999999999999999999}}", Encoding.UTF8, "application/json");

        using var response = await _client.PostAsync("/api/runs", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Healthy", await _client.GetStringAsync("/healthz"));
    }

    private static async Task<byte[]> ModelFileAsync(string kind)
    {
        if (kind == "a truncated zip")
        {
            var whole = await RealModelAsync();
            return whole[..(whole.Length / 2)];
        }

        var bundle = ModelBundle.Load(new MemoryStream(await RealModelAsync()));
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            var declared = kind switch
            {
                "a huge declared model" => bundle with { Config = bundle.Config with { Model = bundle.Config.Model with { HiddenSize = 100_000 } } },
                "scalers that do not fit" => bundle with { TargetScaler = new StandardScaler([1, 2, 3], [1, 1, 1]) },
                _ => bundle,
            };
            await using (var metadata = zip.CreateEntry("bundle.json").Open())
            {
                await JsonSerializer.SerializeAsync(metadata, declared, ForecastJson.Options);
            }

            await using var weights = zip.CreateEntry("weights.bin", CompressionLevel.SmallestSize).Open();
            if (kind == "a zip bomb")
            {
                // 64 MB of zeros: a few dozen kilobytes packed, eight times this server's upload limit unpacked.
                var zeros = new byte[1024 * 1024];
                for (var i = 0; i < 64; i++)
                {
                    await weights.WriteAsync(zeros);
                }
            }
            else
            {
                await weights.WriteAsync(bundle.Weights);
            }
        }

        return buffer.ToArray();
    }

    private static async Task<byte[]> RealModelAsync()
    {
        var config = new ForecastConfig
        {
            Lookback = 8,
            Horizon = 2,
            Model = new ModelOptions { Kind = ModelKind.Mlp, HiddenSize = 4, Layers = 1 },
            Training = new TrainingOptions { MaxEpochs = 1, Device = DeviceChoice.Cpu },
        };
        var run = await Task.Run(() => ForecastRunner.Run(SyntheticMarketData.Generate(200, seed: 1), config));
        using var file = new MemoryStream();
        run.Model.Save(file);
        return file.ToArray();
    }

    private async Task<string> ConfigJsonAsync(int runId) =>
        (string)(await _app.ScalarAsync(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"SELECT \"ConfigJson\" FROM \"Runs\" WHERE \"Id\" = {runId}")))!;

    public static TheoryData<string, string, string> JsonBodies()
    {
        var data = new TheoryData<string, string, string>();
        (string Method, string Path)[] endpoints =
        [
            ("POST", "api/runs"), ("PATCH", "api/runs/1"), ("POST", "api/runs/1/share-links"), ("POST", "api/sweeps"), ("POST", "api/sweeps/1/pick"),
            ("PATCH", "api/datasets/1"), ("POST", "api/tokens"), ("POST", "api/account/tokens"), ("POST", "api/users"), ("PATCH", "api/users/nobody"),
        ];
        foreach (var (method, path) in endpoints)
        {
            foreach (var body in new[] { "null", "{}", "[]", "\"text\"", "{\"config\": null, \"definition\": {\"space\": null}, \"name\": 7}" })
            {
                data.Add(method, path, body);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(JsonBodies))]
    public async Task EveryJsonEndpoint_AnswersEmptyNullAndMistypedBodies_WithA4xx(string method, string path, string body)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

        using var response = await _client.SendAsync(request);

        // An empty object is a valid PATCH that changes nothing; everything else here is refused with a reason.
        if (body == "{}" && method == "PATCH")
        {
            Assert.True((int)response.StatusCode < 500, $"{method} {path} answered {(int)response.StatusCode}.");
        }
        else
        {
            Assert.InRange((int)response.StatusCode, 400, 499);
        }

        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync("/healthz")).StatusCode);
    }

    [Fact]
    public async Task QueryStringsOutOfEveryRange_AreAnsweredWithoutA5xx()
    {
        var run = await RunApi.TrainAsync(_client, 1, "Probe");
        string[] paths =
        [
            "api/runs?take=1000000&skip=-5", "api/runs?datasetId=-1&mine=maybe", "api/runs?tag=" + new string('x', 5000),
            $"api/runs/{run}/risk?costBps=NaN", $"api/runs/{run}/risk?costBps=1e308", $"api/runs/{run}/risk?costBps=-5", $"api/runs/{run}/risk?target=Nope",
            $"api/runs/{run}/predictions?step=-1", $"api/runs/{run}/predictions?segment=future", $"api/runs/{run}/predictions?step=99999999999",
            $"api/runs/{run}/forecast?datasetId=999", $"api/runs/{run}/forecast?datasetId=-1&format=xml", $"api/runs/{run}/metrics?format=pdf",
            "api/sweeps?datasetId=-3", "api/activity?take=-1&skip=99999999", "api/datasets/1/csv?from=yesterday",
        ];

        foreach (var path in paths)
        {
            using var response = await _client.GetAsync(path);
            Assert.True((int)response.StatusCode < 500, $"GET {path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        using var notANumber = await _client.GetAsync($"api/runs/{run}/risk?costBps=NaN");
        Assert.Equal(HttpStatusCode.BadRequest, notANumber.StatusCode);
        Assert.Contains("The cost per trade must be between 0 and 10,000 basis points.", await notANumber.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync("/healthz")).StatusCode);
    }
}
