using BlazorForecast.Web.Data;
using BlazorForecast.Web.Features.Runs;
using BlazorForecast.Web.Features.Training;
using BlazorForecast.Web.Tests.Components;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorForecast.Web.Tests.Features.Runs;

public sealed class RunsPageTests : AppComponentTestContext
{
    private async Task<int> AddRunAsync(int datasetId, string name, RunStatus status, string model = "Lstm", double? rmse = null, int epochs = 0)
    {
        await using var db = await Services.GetRequiredService<IDbContextFactory<ForecastDbContext>>().CreateDbContextAsync();
        var run = new Run { DatasetId = datasetId, Name = name, ConfigJson = "{}", ModelKind = model, Status = status, TestRmse = rmse, MaxEpochs = 10, EpochsDone = epochs, CreatedAt = DateTime.UtcNow };
        db.Runs.Add(run);
        await db.SaveChangesAsync();
        return run.Id;
    }

    [Fact]
    public async Task Runs_AreListedWithStatusProgressAndRmse()
    {
        var dataset = await ImportAsync("Date,Close\n2024-01-02,1\n2024-01-03,2\n", "Prices");
        await AddRunAsync(dataset.Id, "first", RunStatus.Succeeded, rmse: 1.25, epochs: 10);
        await AddRunAsync(dataset.Id, "second", RunStatus.Running, model: "Gru", epochs: 4);

        var cut = RenderWithProviders<RunsPage>();

        cut.WaitForAssertion(() =>
        {
            var rows = cut.FindAll("[data-testid=runs-table] tbody tr");
            Assert.Equal(2, rows.Count);
            Assert.Contains("second", rows[0].TextContent, StringComparison.Ordinal);
            Assert.Contains("epoch 4 of 10", rows[0].TextContent, StringComparison.Ordinal);
            Assert.Contains("Running", rows[0].TextContent, StringComparison.Ordinal);
            Assert.Contains("1.25", rows[1].TextContent, StringComparison.Ordinal);
            Assert.Contains("Prices", rows[1].TextContent, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task Query_FiltersAndSortsInTheDatabase()
    {
        var dataset = await ImportAsync("Date,Close\n2024-01-02,1\n2024-01-03,2\n");
        await AddRunAsync(dataset.Id, "worse", RunStatus.Succeeded, rmse: 3);
        await AddRunAsync(dataset.Id, "better", RunStatus.Succeeded, rmse: 1);
        await AddRunAsync(dataset.Id, "unscored", RunStatus.Failed, model: "Gru");
        var runs = Services.GetRequiredService<RunService>();

        var byRmse = await runs.QueryAsync(new RunQuery(Sort: RunSort.TestRmse), Admin);
        var failedGru = await runs.QueryAsync(new RunQuery(ModelKind: "Gru", Status: RunStatus.Failed), Admin);
        var page = await runs.QueryAsync(new RunQuery(Skip: 1, Take: 1), Admin);

        Assert.Equal(["better", "worse", "unscored"], byRmse.Items.Select(r => r.Name));
        Assert.Equal("unscored", Assert.Single(failedGru.Items).Name);
        Assert.Equal(3, page.Total);
        Assert.Equal("better", Assert.Single(page.Items).Name);
    }

    [Fact]
    public async Task StatusChange_RefreshesTheListLive()
    {
        var dataset = await ImportAsync("Date,Close\n2024-01-02,1\n2024-01-03,2\n");
        var id = await AddRunAsync(dataset.Id, "live", RunStatus.Running, epochs: 1);
        var cut = RenderWithProviders<RunsPage>();
        cut.WaitForAssertion(() => Assert.Contains("Running", cut.Find("[data-testid=run-status]").TextContent, StringComparison.Ordinal));

        await using (var db = await Services.GetRequiredService<IDbContextFactory<ForecastDbContext>>().CreateDbContextAsync())
        {
            await db.Runs.Where(r => r.Id == id).ExecuteUpdateAsync(set => set.SetProperty(r => r.Status, RunStatus.Succeeded));
        }

        await Services.GetRequiredService<TrainingNotifier>().PublishAsync(new RunStatusChanged(id, RunStatus.Succeeded, null, "cpu", null));

        cut.WaitForAssertion(() => Assert.Contains("Succeeded", cut.Find("[data-testid=run-status]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(3));
    }

    [Fact]
    public void NoRuns_ExplainsHowToQueueOne()
    {
        var cut = RenderWithProviders<RunsPage>();

        cut.WaitForAssertion(() => Assert.Contains("Start one with New run", cut.Find("[data-testid=empty-state]").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public async Task TagInTheAddress_ListsOnlyThatTagsRuns_WithTheirTagChips()
    {
        var dataset = await ImportAsync("Date,Close\n2024-01-02,1\n2024-01-03,2\n", "Prices");
        var runs = Services.GetRequiredService<RunService>();
        var tagged = await AddRunAsync(dataset.Id, "tagged", RunStatus.Succeeded);
        var other = await AddRunAsync(dataset.Id, "other", RunStatus.Succeeded);
        await runs.UpdateAsync(tagged, new RunUpdateRequest(Tags: ["paper", "baseline"]), Admin);
        await runs.UpdateAsync(other, new RunUpdateRequest(Tags: ["scratch"]), Admin);
        Services.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>().NavigateTo("runs?tag=paper");

        var cut = RenderWithProviders<RunsPage>();

        cut.WaitForAssertion(() =>
        {
            var row = Assert.Single(cut.FindAll("[data-testid=runs-table] tbody tr"));
            Assert.Contains("tagged", row.TextContent, StringComparison.Ordinal);
            Assert.Equal(["baseline", "paper"], row.QuerySelectorAll("[data-testid=run-row-tags] .mud-chip").Select(c => c.TextContent.Trim()));
        });
    }
}
