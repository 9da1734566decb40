using BlazorForecast.Forecasting.Data;
using BlazorForecast.Web.Features.Datasets;
using BlazorForecast.Web.Tests.Components;
using Bunit;

namespace BlazorForecast.Web.Tests.Features.Datasets;

public sealed class QualityReportViewTests : AppComponentTestContext
{
    [SkippableFact]
    public void DefectiveFile_ListsEachDefectWithItsPolicy()
    {
        using var stream = File.OpenRead(SharedDatasets.PathOf("bad/ORCL_bom_missing_values_duplicate_dates.csv"));
        var report = CsvImporter.Import(stream, new CsvImportOptions { MissingValues = MissingValuePolicy.ForwardFill }).Report;

        var cut = Render<QualityReportView>(p => p.Add(c => c.Report, report));

        var findings = cut.FindAll("[data-testid=finding]").Select(f => f.TextContent).ToList();
        Assert.Contains(findings, f => f.Contains("1 conflicting duplicate date(s)", StringComparison.Ordinal) && f.Contains("2014-12-03", StringComparison.Ordinal));
        Assert.Contains(findings, f => f.Contains("10 missing value(s)", StringComparison.Ordinal) && f.Contains("forward-filled", StringComparison.Ordinal));
        Assert.Contains(findings, f => f.Contains("1 exact duplicate row(s) removed", StringComparison.Ordinal));
        Assert.Contains("UTF-8 with BOM", cut.Markup, StringComparison.Ordinal);
        Assert.Contains("Missing values by column (6)", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void CleanSeries_SaysNoProblemsFound()
    {
        using var stream = new MemoryStream("Date,Close\n2024-01-01,1\n2024-01-02,1.1\n"u8.ToArray());
        var report = CsvImporter.Import(stream, new CsvImportOptions()).Report;

        var cut = Render<QualityReportView>(p => p.Add(c => c.Report, report));

        var finding = Assert.Single(cut.FindAll("[data-testid=finding]"));
        Assert.Contains("No problems found", finding.TextContent, StringComparison.Ordinal);
    }
}
