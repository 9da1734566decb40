using System.Net;
using System.Text.Json;
using BlazorForecast.Web.Data;
using BlazorForecast.Web.Features.Datasets;

namespace BlazorForecast.Web.Tests.Api;

public class StartupTests
{
    [Fact]
    public async Task FirstStart_CreatesDatabaseFileAndSeedsLabelledSyntheticDemo()
    {
        using var app = new ForecastAppFactory(seedDemo: true, database: DatabaseProvider.Sqlite);
        using var client = app.CreateClient();

        var list = JsonDocument.Parse(await client.GetStringAsync("/api/datasets")).RootElement;

        Assert.True(File.Exists(app.DatabasePath));
        var demo = Assert.Single(list.EnumerateArray());
        Assert.Equal(DemoDatasetSeeder.DemoName, demo.GetProperty("name").GetString());
        Assert.True(demo.GetProperty("isSynthetic").GetBoolean());
        Assert.Equal(DemoDatasetSeeder.DemoRows, demo.GetProperty("rows").GetInt32());
    }

    [Fact]
    public async Task UnknownPage_ShowsFriendlyNotFound()
    {
        using var app = new ForecastAppFactory();
        using var client = app.CreateClient();

        var response = await client.GetAsync("/no-such-page");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("This page does not exist", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DatasetsPage_RendersWithTitle()
    {
        using var app = new ForecastAppFactory(seedDemo: true);
        using var client = app.CreateClient();

        var html = await client.GetStringAsync("/datasets");

        Assert.Contains("<title>Datasets · BlazorForecast</title>", html, StringComparison.Ordinal);
        Assert.Contains(DemoDatasetSeeder.DemoName, html, StringComparison.Ordinal);
    }
}
