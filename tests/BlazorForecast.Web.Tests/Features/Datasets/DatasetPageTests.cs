using BlazorForecast.Web.Features.Datasets;
using BlazorForecast.Web.Tests.Components;
using Bunit;
using Bunit.Rendering;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace BlazorForecast.Web.Tests.Features.Datasets;

public sealed class DatasetPageTests : AppComponentTestContext
{
    private const string Ohlc = "Date,Open,High,Low,Close,Volume\n2024-01-02,10,11,9,10.5,100\n2024-01-03,10.5,10,9.5,9.8,200\n2024-01-04,9.8,10.2,9.7,10.1,150\n";

    private IRenderedComponent<ContainerFragment> RenderPage(int id) => RenderWithProviders<DatasetPage>((nameof(DatasetPage.Id), id));

    [Fact]
    public async Task ExistingDataset_ShowsTitleSummaryChartAndQualityFindings()
    {
        var dataset = await ImportAsync(Ohlc, "Sample OHLC");

        var cut = RenderPage(dataset.Id);

        cut.WaitForAssertion(() => Assert.Equal("Sample OHLC", cut.Find("[data-testid=dataset-title]").TextContent));
        Assert.Contains("1 warning", cut.Markup, StringComparison.Ordinal);
        var chart = cut.FindComponent<SeriesChart>();
        Assert.True(chart.Instance.IsCandlestick);
        Assert.Contains(cut.FindAll("[data-testid=finding]"), f => f.TextContent.Contains("1 OHLC inconsistency", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DataTab_PagesThroughStoredValuesAsWritten()
    {
        var dataset = await ImportAsync(Ohlc);

        var cut = RenderPage(dataset.Id);

        cut.WaitForAssertion(() =>
        {
            var rows = cut.FindAll("[data-testid=preview-table] tbody tr");
            Assert.Equal(3, rows.Count);
            Assert.Contains("2024-01-03", rows[1].TextContent, StringComparison.Ordinal);
            Assert.Contains("9.8", rows[1].TextContent, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void UnknownDataset_ShowsNotFound()
    {
        var cut = RenderPage(4242);

        cut.WaitForAssertion(() => Assert.Contains("There is no dataset 4242", cut.Find("[data-testid=empty-state]").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Delete_AfterConfirmation_RemovesAndReturnsToList()
    {
        var dataset = await ImportAsync(Ohlc);
        var cut = RenderPage(dataset.Id);
        cut.WaitForElement("[data-testid=delete-button]").Click();

        cut.WaitForElement(".mud-message-box");
        cut.FindAll(".mud-message-box button").Single(b => b.TextContent.Contains("Delete", StringComparison.Ordinal)).Click();

        cut.WaitForAssertion(() => Assert.EndsWith("/datasets", Services.GetRequiredService<NavigationManager>().Uri, StringComparison.Ordinal));
        Assert.Null(await Datasets.GetAsync(dataset.Id));
    }

    [Fact]
    public async Task Delete_Cancelled_KeepsTheDataset()
    {
        var dataset = await ImportAsync(Ohlc);
        var cut = RenderPage(dataset.Id);
        cut.WaitForElement("[data-testid=delete-button]").Click();

        cut.WaitForElement(".mud-message-box");
        cut.FindAll(".mud-message-box button").Single(b => b.TextContent.Contains("Cancel", StringComparison.Ordinal)).Click();

        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll(".mud-message-box")));
        Assert.NotNull(await Datasets.GetAsync(dataset.Id));
    }

    [Fact]
    public async Task Edit_RenamesAndShowsTheNewNameAndDescription()
    {
        var dataset = await ImportAsync(Ohlc, "Old name");
        var cut = RenderPage(dataset.Id);
        cut.WaitForElement("[data-testid=edit-button]").Click();

        cut.WaitForElement("input[data-testid=edit-name]").Change("New name");
        cut.Find("textarea[data-testid=edit-description]").Change("Daily bars, cleaned");
        cut.Find("[data-testid=edit-save]").Click();

        cut.WaitForAssertion(() =>
        {
            Assert.Equal("New name", cut.Find("[data-testid=dataset-title]").TextContent);
            Assert.Equal("Daily bars, cleaned", cut.Find("[data-testid=dataset-description]").TextContent);
        });
    }

    [Fact]
    public async Task Edit_EmptyName_ShowsTheReasonAndKeepsTheDialog()
    {
        var dataset = await ImportAsync(Ohlc, "Keep me");
        var cut = RenderPage(dataset.Id);
        cut.WaitForElement("[data-testid=edit-button]").Click();

        cut.WaitForElement("input[data-testid=edit-name]").Change("   ");
        cut.Find("[data-testid=edit-save]").Click();

        cut.WaitForAssertion(() => Assert.Equal("The name cannot be empty.", cut.Find("[data-testid=edit-error]").TextContent));
        Assert.Equal("Keep me", (await Datasets.GetAsync(dataset.Id))!.Name);
    }
}
