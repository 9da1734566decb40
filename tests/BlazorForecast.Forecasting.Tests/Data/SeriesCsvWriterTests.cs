using System.Text;
using BlazorForecast.Forecasting.Data;

namespace BlazorForecast.Forecasting.Tests.Data;

public class SeriesCsvWriterTests
{
    [Theory]
    [InlineData("=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\"")]
    [InlineData("+1", "\"'+1\"")]
    [InlineData("-cmd", "\"'-cmd\"")]
    [InlineData("@SUM(A1)", "\"'@SUM(A1)\"")]
    [InlineData("Close", "Close")]
    [InlineData("a,b", "\"a,b\"")]
    public void EscapeText_GuardsFormulasAndQuotes(string text, string expected) =>
        Assert.Equal(expected, SeriesCsvWriter.EscapeText(text));

    [Fact]
    public async Task Write_ThenImport_RoundTripsValuesExactly()
    {
        var frame = SyntheticMarketData.Generate(300, seed: 7);
        var text = new StringWriter();

        await SeriesCsvWriter.WriteAsync(frame, text);
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(text.ToString()));
        var imported = CsvImporter.Import(stream, new CsvImportOptions());

        Assert.Equal(frame.Timestamps, imported.Frame.Timestamps);
        for (var c = 0; c < frame.Columns.Count; c++)
        {
            Assert.Equal(frame.Columns[c].Values, imported.Frame.Columns[c].Values);
        }
    }

    [Fact]
    public async Task Write_FormulaLikeColumnName_IsGuardedInHeader()
    {
        var frame = new TimeSeriesFrame([new DateTime(2024, 1, 2)], [new SeriesColumn("=cmd|' /C calc'!A0", "x", ColumnRole.Other, [1.0])]);
        var text = new StringWriter();

        await SeriesCsvWriter.WriteAsync(frame, text);

        Assert.StartsWith("Date,\"'=cmd", text.ToString(), StringComparison.Ordinal);
    }
}
