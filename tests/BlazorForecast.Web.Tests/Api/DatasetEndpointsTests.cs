using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace BlazorForecast.Web.Tests.Api;

public sealed class DatasetEndpointsTests : IDisposable
{
    private readonly ForecastAppFactory _app = new(maxUploadBytes: 1024 * 1024);
    private readonly HttpClient _client;

    public DatasetEndpointsTests() => _client = _app.CreateClient();

    public void Dispose()
    {
        _client.Dispose();
        _app.Dispose();
    }

    private static MultipartFormDataContent Form(byte[] file, string fileName = "prices.csv", params (string Name, string Value)[] fields)
    {
        var form = new MultipartFormDataContent();
        var content = new ByteArrayContent(file);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(content, "file", fileName);
        foreach (var (name, value) in fields)
        {
            form.Add(new StringContent(value), name);
        }

        return form;
    }

    private static MultipartFormDataContent Form(string csv, string fileName = "prices.csv", params (string Name, string Value)[] fields) =>
        Form(Encoding.UTF8.GetBytes(csv), fileName, fields);

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    [Fact]
    public async Task Healthz_WithDatabase_Returns200()
    {
        var response = await _client.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [SkippableFact]
    public async Task Post_RealYahooFile_Returns201WithRowsColumnsAndReport()
    {
        var bytes = await File.ReadAllBytesAsync(SharedDatasets.PathOf("SPY_daily_2007_2017.csv"));

        var response = await _client.PostAsync("/api/datasets", Form(bytes, "SPY_daily_2007_2017.csv", ("name", "SPY daily")));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await JsonAsync(response);
        var id = body.GetProperty("id").GetInt32();
        Assert.Equal($"/api/datasets/{id}", response.Headers.Location!.OriginalString);
        Assert.Equal("SPY daily", body.GetProperty("name").GetString());
        Assert.Equal(2519, body.GetProperty("rows").GetInt32());
        Assert.Equal(["Open", "High", "Low", "Close", "Adj Close", "Volume"],
            body.GetProperty("columns").EnumerateArray().Select(c => c.GetProperty("name").GetString()));
        var report = body.GetProperty("qualityReport");
        Assert.Equal(2, report.GetProperty("ohlcInconsistencyCount").GetInt32());
        Assert.Equal("BusinessDays", report.GetProperty("frequency").GetString());
        Assert.Contains(body.GetProperty("findings").EnumerateArray(), f => f.GetProperty("title").GetString()!.Contains("OHLC", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Post_ThenGetAndList_ReturnTheStoredDataset()
    {
        var created = await JsonAsync(await _client.PostAsync("/api/datasets",
            Form("Date,Close\n2024-01-02,1\n2024-01-03,2\n", "tiny.csv", ("description", "two days"))));
        var id = created.GetProperty("id").GetInt32();

        var details = await JsonAsync(await _client.GetAsync($"/api/datasets/{id}"));
        var list = await JsonAsync(await _client.GetAsync("/api/datasets"));

        Assert.Equal("tiny", details.GetProperty("name").GetString());
        Assert.Equal("two days", details.GetProperty("description").GetString());
        Assert.Equal("Close", details.GetProperty("target").GetString());
        var listed = Assert.Single(list.EnumerateArray());
        Assert.Equal(id, listed.GetProperty("id").GetInt32());
        Assert.Equal(2, listed.GetProperty("rows").GetInt32());
    }

    [SkippableFact]
    public async Task GetCsv_RoundTripsTheImportedValues()
    {
        var bytes = await File.ReadAllBytesAsync(SharedDatasets.PathOf("bad/AAPL_semicolon_decimal_comma.csv"));
        var id = (await JsonAsync(await _client.PostAsync("/api/datasets", Form(bytes, "german.csv")))).GetProperty("id").GetInt32();

        var response = await _client.GetAsync($"/api/datasets/{id}/csv");
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal("text/csv; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        Assert.Equal($"dataset-{id}.csv", response.Content.Headers.ContentDisposition!.FileName!.Trim('"'));
        Assert.Equal("Date,Open,High,Low,Close,Adj Close,Volume", lines[0].TrimEnd('\r'));
        Assert.Equal("2004-08-19,2.250714,2.275714,2.168571,2.193571,1.966391,97230000", lines[1].TrimEnd('\r'));
        Assert.Equal(61, lines.Length);
    }

    [Fact]
    public async Task GetCsv_FormulaLikeHeader_IsGuarded()
    {
        var id = (await JsonAsync(await _client.PostAsync("/api/datasets",
            Form("Date,=HYPERLINK(\"http://x\")\n2024-01-02,1\n2024-01-03,2\n")))).GetProperty("id").GetInt32();

        var csv = await _client.GetStringAsync($"/api/datasets/{id}/csv");

        Assert.StartsWith("Date,\"'=HYPERLINK(\"\"http://x\"\")\"", csv, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_UnparseableValue_Returns400ProblemWithLineAndColumn_AndStoresNothing()
    {
        var response = await _client.PostAsync("/api/datasets", Form("Date,Close\n2024-01-02,1\n2024-01-03,abc\n"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var problem = await JsonAsync(response);
        Assert.Equal("The file could not be imported", problem.GetProperty("title").GetString());
        Assert.Equal("Line 3, column 'Close': 'abc' is not a number.", problem.GetProperty("detail").GetString());
        Assert.Equal(3, problem.GetProperty("line").GetInt32());
        Assert.Equal("Close", problem.GetProperty("column").GetString());
        Assert.Equal(0, await _app.CountRowsAsync("Datasets"));
        Assert.Equal(0, await _app.CountRowsAsync("DatasetColumns"));
        Assert.Equal(0, await _app.CountRowsAsync("DatasetTimelines"));
    }

    [Theory]
    [InlineData("", "The file is empty.")]
    [InlineData("Date,Close\n", "The file has a header but no data rows.")]
    [InlineData("Name,Close\nfoo,1\n", "No date column")]
    [InlineData("Date,Name\n2024-01-02,foo\n", "No numeric column")]
    public async Task Post_BadFile_Returns400WithSpecificMessage(string csv, string expected)
    {
        var response = await _client.PostAsync("/api/datasets", Form(csv));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith(expected, (await JsonAsync(response)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, await _app.CountRowsAsync("Datasets"));
    }

    [Fact]
    public async Task Post_BinaryFile_Returns400()
    {
        var response = await _client.PostAsync("/api/datasets", Form([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0], "chart.png"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("This is not a CSV file: it looks like a PNG image.", (await JsonAsync(response)).GetProperty("detail").GetString());
    }

    private static string DailyCsv(int approximateBytes)
    {
        var csv = new StringBuilder("Date,Close\n");
        var day = new DateTime(1900, 1, 1);
        while (csv.Length < approximateBytes)
        {
            csv.Append(day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)).Append(",1.5\n");
            day = day.AddDays(1);
        }

        return csv.ToString();
    }

    [Fact]
    public async Task Post_FileJustOverTheSizeLimit_Returns413WithBothSizes()
    {
        var response = await _client.PostAsync("/api/datasets", Form(DailyCsv(1050 * 1024)));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("The file is 1.03 MB; the limit is 1 MB.", (await JsonAsync(response)).GetProperty("detail").GetString());
        Assert.Equal(0, await _app.CountRowsAsync("Datasets"));
    }

    [Fact]
    public async Task Post_BodyFarOverTheSizeLimit_Returns413()
    {
        var response = await _client.PostAsync("/api/datasets", Form(DailyCsv(3 * 1024 * 1024)));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("The upload is larger than the limit of 1 MB.", (await JsonAsync(response)).GetProperty("detail").GetString());
        Assert.Equal(0, await _app.CountRowsAsync("Datasets"));
    }

    [Fact]
    public async Task Post_WithoutFile_Returns400()
    {
        var form = new MultipartFormDataContent { { new StringContent("x"), "name" } };

        var response = await _client.PostAsync("/api/datasets", form);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Send the CSV in a multipart field named 'file'.", (await JsonAsync(response)).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Post_InvalidMissingValuePolicy_Returns400()
    {
        var response = await _client.PostAsync("/api/datasets", Form("Date,Close\n2024-01-02,1\n", fields: ("missingValues", "guess")));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("'drop' or 'forward-fill'", (await JsonAsync(response)).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_ChosenTargetAndForwardFill_AreApplied()
    {
        var response = await _client.PostAsync("/api/datasets",
            Form("Date,Open,Close\n2024-01-02,1,\n2024-01-03,2,3\n2024-01-04,3,\n", fields: [("target", "Open"), ("missingValues", "forward-fill")]));

        var body = await JsonAsync(response);
        Assert.Equal("Open", body.GetProperty("target").GetString());
        Assert.Equal(2, body.GetProperty("rows").GetInt32());
        Assert.Equal(1, body.GetProperty("qualityReport").GetProperty("valuesForwardFilled").GetInt32());
    }

    [Fact]
    public async Task Patch_RenamesAndDescribes()
    {
        var id = (await JsonAsync(await _client.PostAsync("/api/datasets", Form("Date,Close\n2024-01-02,1\n")))).GetProperty("id").GetInt32();

        var response = await _client.PatchAsJsonAsync($"/api/datasets/{id}", new { name = "  Renamed  ", description = "Notes" });

        var body = await JsonAsync(response);
        Assert.Equal("Renamed", body.GetProperty("name").GetString());
        Assert.Equal("Notes", body.GetProperty("description").GetString());
    }

    [Fact]
    public async Task Patch_EmptyName_Returns400()
    {
        var id = (await JsonAsync(await _client.PostAsync("/api/datasets", Form("Date,Close\n2024-01-02,1\n")))).GetProperty("id").GetInt32();

        var response = await _client.PatchAsJsonAsync($"/api/datasets/{id}", new { name = " " });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("The name cannot be empty.", (await JsonAsync(response)).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Delete_RemovesDatasetColumnsAndTimeline()
    {
        var id = (await JsonAsync(await _client.PostAsync("/api/datasets", Form("Date,Open,Close\n2024-01-02,1,2\n")))).GetProperty("id").GetInt32();

        var deleted = await _client.DeleteAsync($"/api/datasets/{id}");
        var after = await _client.GetAsync($"/api/datasets/{id}");

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, after.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync($"/api/datasets/{id}/csv")).StatusCode);
        Assert.Equal(0, await _app.CountRowsAsync("DatasetColumns"));
        Assert.Equal(0, await _app.CountRowsAsync("DatasetTimelines"));
    }

    [Fact]
    public async Task UnknownDataset_Returns404Problem()
    {
        var response = await _client.GetAsync("/api/datasets/999");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("There is no dataset 999.", (await JsonAsync(response)).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await _client.DeleteAsync("/api/datasets/999")).StatusCode);
    }
}
