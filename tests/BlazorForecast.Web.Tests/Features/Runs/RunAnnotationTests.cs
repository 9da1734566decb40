using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BlazorForecast.Web.Features.Runs;
using BlazorForecast.Web.Features.Training;
using BlazorForecast.Web.Tests.Features.Training;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorForecast.Web.Tests.Features.Runs;

public sealed class RunAnnotationTests : IDisposable
{
    private readonly ForecastAppFactory _app = new(seedDemo: true, services: s => s.AddSingleton<ITrainingEngine>(new ScriptedTrainingEngine()));
    private readonly HttpClient _client;

    public RunAnnotationTests() => _client = _app.CreateClient();

    public void Dispose()
    {
        _client.Dispose();
        _app.Dispose();
    }

    private async Task<int> QueueAsync(string name)
    {
        var response = await _client.PostAsJsonAsync("/api/runs", new
        {
            datasetId = 1,
            name,
            config = new { targets = new[] { "Close" }, lookback = 10, horizon = 1, model = new { kind = "Mlp" }, training = new { maxEpochs = 1 } },
        });
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
    }

    [Fact]
    public async Task Patch_RenamesAnnotatesAndTags_AndTheListFiltersByTag()
    {
        var tagged = await QueueAsync("first");
        var other = await QueueAsync("second");

        using var response = await _client.PatchAsJsonAsync($"/api/runs/{tagged}", new { name = " renamed ", notes = "Checked against the paper.", tags = new[] { "paper", " Baseline", "baseline", "" } });
        await _client.PatchAsJsonAsync($"/api/runs/{other}", new { tags = new[] { "scratch" } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var run = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("renamed", run.GetProperty("name").GetString());
        Assert.Equal("Checked against the paper.", run.GetProperty("notes").GetString());
        Assert.Equal(["Baseline", "paper"], run.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        var filtered = await _client.GetFromJsonAsync<JsonElement>("/api/runs?tag=paper");
        Assert.Equal([tagged], filtered.EnumerateArray().Select(r => r.GetProperty("id").GetInt32()));
    }

    [Fact]
    public async Task Patch_WithOnlyNotes_KeepsTheNameAndTags()
    {
        var id = await QueueAsync("kept");
        await _client.PatchAsJsonAsync($"/api/runs/{id}", new { tags = new[] { "keep" } });

        var run = await (await _client.PatchAsJsonAsync($"/api/runs/{id}", new { notes = "only notes" })).Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal("kept", run.GetProperty("name").GetString());
        Assert.Equal(["keep"], run.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
    }

    [Fact]
    public async Task Patch_WithBadTags_IsRefusedWithEveryProblem_AndAnUnknownRunIsNotFound()
    {
        var id = await QueueAsync("strict");

        using var bad = await _client.PatchAsJsonAsync($"/api/runs/{id}", new { name = "", tags = new[] { "<script>", new string('x', 40) } });
        using var missing = await _client.PatchAsJsonAsync("/api/runs/999", new { notes = "x" });

        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var problems = (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("problems").EnumerateArray().Select(p => p.GetString()).ToList();
        Assert.Equal(
        [
            "A run's name needs 1 to 200 characters.",
            $"The tag '{new string('x', 40)}' is longer than 32 characters.",
            "The tag '<script>' may only hold letters, digits, spaces and - _ . /.",
        ], problems);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("strict", (await _app.Services.GetRequiredService<RunService>().GetAsync(id))!.Name);
    }

    [Fact]
    public void Normalize_TrimsDropsEmptiesAndCaseInsensitiveDuplicates_AndCapsTheCount()
    {
        var (tags, problems) = RunTags.Normalize([" a ", "A", "", "b/c", "d.e-f_g h"]);
        Assert.Equal(["a", "b/c", "d.e-f_g h"], tags);
        Assert.Empty(problems);

        var (_, tooMany) = RunTags.Normalize(Enumerable.Range(0, 13).Select(i => $"t{i}"));
        Assert.Equal(["A run takes at most 12 tags; 13 were given."], tooMany);
    }
}
