using BlazorForecast.Web.Data;
using BlazorForecast.Web.Features.Runs;
using BlazorForecast.Web.Tests.Components;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorForecast.Web.Tests.Features.Runs;

/// <summary>The new-run form of a web app whose runs are claimed by training workers: its device choice follows the workers alive.</summary>
public sealed class NewRunPageWithWorkersTests() : AppComponentTestContext(trainingWorkers: true)
{
    [Fact]
    public async Task WithoutWorkers_RunsAreSaidToWaitForOne()
    {
        var dataset = (await ImportAsync(TestSeries.SineCsv(), "Sine")).Id;

        var cut = Render(dataset);

        cut.WaitForAssertion(() => Assert.Contains("No training worker is running: runs wait in the queue until one starts.", cut.Markup, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AGpuWorkerAlive_IsNamedWithItsDevice()
    {
        var dataset = (await ImportAsync(TestSeries.SineCsv(), "Sine")).Id;
        await using (var db = await Services.GetRequiredService<IDbContextFactory<ForecastDbContext>>().CreateDbContextAsync())
        {
            db.Workers.Add(new TrainingWorkerHeartbeat { Name = "gpu-box", Device = "cuda:0", StartedAt = DateTime.UtcNow, LastSeenAt = DateTime.UtcNow });
            await db.SaveChangesAsync();
        }

        var cut = Render(dataset);

        cut.WaitForAssertion(() => Assert.Contains("Workers: gpu-box (cuda:0)", cut.Markup, StringComparison.Ordinal));
    }

    private IRenderedComponent<Bunit.Rendering.ContainerFragment> Render(int dataset)
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo($"runs/new?datasetId={dataset}");
        return RenderWithProviders<NewRunPage>();
    }
}
