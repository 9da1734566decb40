using BlazorForecast.Cli;

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

    [Theory]
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
