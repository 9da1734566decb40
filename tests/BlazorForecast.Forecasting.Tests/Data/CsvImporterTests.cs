using System.Text;
using BlazorForecast.Forecasting.Data;

namespace BlazorForecast.Forecasting.Tests.Data;

public class CsvImporterTests
{
    private static ImportedSeries Import(string csv, CsvImportOptions? options = null) =>
        Import(Encoding.UTF8.GetBytes(csv), options);

    private static ImportedSeries Import(byte[] bytes, CsvImportOptions? options = null)
    {
        using var stream = new MemoryStream(bytes);
        return CsvImporter.Import(stream, options ?? new CsvImportOptions());
    }

    private static DatasetImportException Reject(string csv, CsvImportOptions? options = null) =>
        Assert.Throws<DatasetImportException>(() => Import(csv, options));

    private static string Daily(int rows, Func<int, string> row, string header = "Date,Close")
    {
        var sb = new StringBuilder(header).Append('\n');
        for (var i = 0; i < rows; i++)
        {
            sb.Append(row(i)).Append('\n');
        }

        return sb.ToString();
    }

    [Fact]
    public void Import_TabDelimited_ParsesColumns()
    {
        var result = Import("Date\tOpen\tClose\n2024-01-02\t1.5\t1.6\n2024-01-03\t1.6\t1.7\n");

        Assert.Equal("tab", result.Report.Delimiter);
        Assert.Equal([1.6, 1.7], result.Frame.Find(ColumnRole.Close)!.Values);
    }

    [Fact]
    public void Import_QuotedFieldsWithDelimiterInside_Unescapes()
    {
        var result = Import("\"Date\",\"Note\",\"Close\"\n\"2024-01-02\",\"up, strongly\",\"10.5\"\n\"2024-01-03\",\"flat\",\"10.5\"\n");

        Assert.Equal([10.5, 10.5], result.Frame.Find("Close")!.Values);
        Assert.Equal("Note", Assert.Single(result.Report.SkippedColumns).Name);
    }

    [Fact]
    public void Import_DecimalCommaInQuotedCommaSeparatedFile_ParsesValues()
    {
        var result = Import("Date,Close\n2024-01-02,\"1,25\"\n2024-01-03,\"1,50\"\n");

        Assert.Equal([1.25, 1.5], result.Frame.Find("Close")!.Values);
    }

    [Fact]
    public void Import_Utf8Bom_IsIgnoredInTheHeader()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("Date,Close\n2024-01-02,1\n2024-01-03,2\n")).ToArray();

        var result = Import(bytes);

        Assert.Equal("Date", result.DateColumn);
        Assert.Equal("UTF-8 with BOM", result.Report.Encoding);
    }

    [Theory]
    [InlineData("2024-01-31", "2024-02-01", "yyyy-MM-dd")]
    [InlineData("2024-01-31T09:30:00", "2024-01-31T09:31:00", "yyyy-MM-ddTHH:mm:ss")]
    [InlineData("2024-01-31 09:30:00", "2024-01-31 09:31:00", "yyyy-MM-dd HH:mm:ss")]
    [InlineData("01/31/2024", "02/01/2024", "M/d/yyyy")]
    [InlineData("31/01/2024", "01/02/2024", "d/M/yyyy")]
    [InlineData("31.01.2024", "01.02.2024", "d.M.yyyy")]
    [InlineData("1706659200", "1706745600", "Unix seconds")]
    public void Import_CommonDateFormats_AreDetected(string first, string second, string format)
    {
        var result = Import($"Date,Close\n{first},1\n{second},2\n");

        Assert.Equal(format, result.Report.DateFormat);
        Assert.True(result.Frame.Timestamps[1] > result.Frame.Timestamps[0]);
        Assert.Equal(31, result.Frame.Timestamps[0].Day);
        Assert.Equal(1, result.Frame.Timestamps[0].Month);
    }

    [Fact]
    public void Import_IsoTimestampWithOffset_IsConvertedToUtc()
    {
        var result = Import("time,price\n2024-01-31T10:00:00+01:00,1\n2024-01-31T11:00:00+01:00,2\n");

        Assert.Equal(new DateTime(2024, 1, 31, 9, 0, 0, DateTimeKind.Utc), result.Frame.Timestamps[0]);
        Assert.Equal(DateTimeKind.Utc, result.Frame.Timestamps[0].Kind);
    }

    [Fact]
    public void Import_AliasesVolAndPrice_MapToVolumeAndClose()
    {
        var result = Import("Date,Price,Vol.\n2024-01-02,10,100\n2024-01-03,11,200\n");

        Assert.Equal(["Close", "Volume"], result.Frame.Columns.Select(c => c.Name));
        Assert.Equal("Close", result.Target);
    }

    [Fact]
    public void Import_ManyNumericColumns_KeepsAllInOrder()
    {
        var header = "Date," + string.Join(',', Enumerable.Range(1, 30).Select(i => $"s{i}"));
        var csv = Daily(3, r => $"2024-01-0{r + 2}," + string.Join(',', Enumerable.Range(1, 30).Select(i => (i * 10) + r)), header);

        var result = Import(csv);

        Assert.Equal(30, result.Frame.Columns.Count);
        Assert.Equal([300.0, 301, 302], result.Frame.Columns[29].Values);
    }

    [Fact]
    public void Import_DescendingFile_IsReversedAndReported()
    {
        var result = Import("Date,Close\n2024-01-04,3\n2024-01-03,2\n2024-01-02,1\n");

        Assert.Equal([1.0, 2, 3], result.Frame.Find("Close")!.Values);
        Assert.True(result.Report.WasDescending);
        Assert.Contains(result.Report.Findings(), f => f.Title == "Rows were in descending order");
    }

    [Fact]
    public void Import_UnsortedRows_AreSortedAndCounted()
    {
        var result = Import("Date,Close\n2024-01-02,1\n2024-01-04,3\n2024-01-03,2\n2024-01-05,4\n");

        Assert.Equal([1.0, 2, 3, 4], result.Frame.Find("Close")!.Values);
        Assert.Equal(1, result.Report.UnsortedRows);
        Assert.False(result.Report.WasDescending);
    }

    [Fact]
    public void Import_TrailingDelimiter_IsTolerated()
    {
        var result = Import("Date,Close,\n2024-01-02,1,\n2024-01-03,2,\n");

        Assert.Equal(["Close"], result.Frame.Columns.Select(c => c.Name));
    }

    [Fact]
    public void Import_WeekdaySeriesWithMissingWeek_ReportsTheGap()
    {
        // Mondays 2024-01-01 .. Friday 2024-01-05, then the next week is missing, then 2024-01-15.
        var dates = new[] { "2024-01-01", "2024-01-02", "2024-01-03", "2024-01-04", "2024-01-05", "2024-01-15", "2024-01-16" };
        var result = Import(Daily(dates.Length, i => $"{dates[i]},{i + 1}"));

        Assert.Equal(SeriesFrequency.BusinessDays, result.Report.Frequency);
        var gap = Assert.Single(result.Report.LargestGaps);
        Assert.Equal(5, gap.MissingPeriods);
        Assert.Equal(new DateTime(2024, 1, 5), gap.After);
    }

    [Fact]
    public void Import_NonPositivePriceAndOutlierJump_AreReported()
    {
        var values = Enumerable.Range(0, 60).Select(i => 100 + Math.Sin(i) * 0.5).ToArray();
        values[40] = 1000;
        values[50] = -1;
        var start = new DateTime(2024, 1, 1);
        var csv = Daily(values.Length, i => $"{start.AddDays(i):yyyy-MM-dd},{values[i].ToString(System.Globalization.CultureInfo.InvariantCulture)}");

        var result = Import(csv);

        var nonPositive = Assert.Single(result.Report.NonPositivePrices);
        Assert.Equal(start.AddDays(50), nonPositive.Examples[0]);
        Assert.Contains(result.Report.Outliers, o => o.Timestamp == start.AddDays(40) && o.To == 1000);
    }

    [Fact]
    public void Import_ForwardFill_DropsOnlyLeadingIncompleteRows()
    {
        var result = Import("Date,A,B\n2024-01-01,,1\n2024-01-02,5,\n2024-01-03,6,3\n", new CsvImportOptions { MissingValues = MissingValuePolicy.ForwardFill });

        Assert.Equal(2, result.Frame.RowCount);
        Assert.Equal([1.0, 3], result.Frame.Find("B")!.Values);
        Assert.Equal(1, result.Report.RowsDroppedForMissingValues);
        Assert.Equal(1, result.Report.ValuesForwardFilled);
    }

    [Fact]
    public void Import_UserChosenDateColumnAndTarget_AreUsed()
    {
        var result = Import("Created,Traded,Close,Open\n2020-01-01,2024-01-02,1,2\n2020-01-01,2024-01-03,2,3\n",
            new CsvImportOptions { DateColumn = "Traded", Target = "Open" });

        Assert.Equal("Traded", result.DateColumn);
        Assert.Equal("Open", result.Target);
        Assert.Equal(new DateTime(2024, 1, 2), result.Frame.Timestamps[0]);
    }

    [Fact]
    public void Inspect_OffersDateCandidatesAndGuessesTarget()
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes("Date,Open,High,Low,Close,Volume\n2024-01-02,1,2,0.5,1.5,100\n"));

        var inspection = CsvImporter.Inspect(stream);

        Assert.Equal("Date", inspection.GuessedDateColumn);
        Assert.Equal("Close", inspection.GuessedTarget);
        Assert.Equal(["Open", "High", "Low", "Close", "Volume"], inspection.TargetCandidates("Date"));
        Assert.Equal(0, stream.Position);
    }

    [Fact]
    public void Import_EmptyFile_IsRejected() =>
        Assert.Equal("The file is empty.", Reject("").Message);

    [Fact]
    public void Import_WhitespaceOnly_IsRejectedAsEmpty() =>
        Assert.Equal("The file is empty.", Reject("\r\n  \n").Message);

    [Fact]
    public void Import_HeaderOnly_IsRejected()
    {
        var error = Reject("Date,Close\n");

        Assert.Equal("The file has a header but no data rows.", error.Message);
        Assert.Equal(1, error.Line);
    }

    [Fact]
    public void Import_NoDateColumn_NamesTheColumns()
    {
        var error = Reject("Name,Close\nfoo,1\nbar,2\n");

        Assert.StartsWith("No date column", error.Message, StringComparison.Ordinal);
        Assert.Contains("'Name', 'Close'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Import_NoNumericColumn_IsRejected()
    {
        var error = Reject("Date,Name\n2024-01-02,foo\n2024-01-03,bar\n");

        Assert.StartsWith("No numeric column", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Import_OneColumnOnly_SaysWhatIsMissing()
    {
        var error = Reject("Date\n2024-01-02\n2024-01-03\n");

        Assert.StartsWith("Only one column was found", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Import_UnparseableNumberAfterTheSample_NamesLineAndColumn()
    {
        var csv = Daily(700, i => i == 650 ? "2026-01-01,12.3.4" : $"{new DateTime(2020, 1, 1).AddDays(i):yyyy-MM-dd},{i}");

        var error = Reject(csv);

        Assert.Equal("Line 652, column 'Close': '12.3.4' is not a number.", error.Message);
        Assert.Equal(652, error.Line);
        Assert.Equal("Close", error.Column);
    }

    [Fact]
    public void Import_UnparseableDate_NamesLineColumnAndFormat()
    {
        var csv = Daily(40, i => i == 1 ? "2024-13-45,2" : $"{new DateTime(2024, 1, 1).AddDays(i):yyyy-MM-dd},1");

        var error = Reject(csv);

        Assert.Equal("Line 3, column 'Date': '2024-13-45' is not a date in the format yyyy-MM-dd used by the rows above.", error.Message);
        Assert.Equal(3, error.Line);
        Assert.Equal("Date", error.Column);
    }

    [Fact]
    public void Import_RowWithTooFewFields_NamesTheLine()
    {
        var error = Reject("Date,Open,Close\n2024-01-02,1,2\n2024-01-03,1\n");

        Assert.Equal("Line 3 has 2 field(s) but the header has 3.", error.Message);
        Assert.Equal(3, error.Line);
    }

    [Fact]
    public void Import_ZipArchive_IsRejectedAsSpreadsheet()
    {
        var bytes = new byte[] { 0x50, 0x4B, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00 };

        var error = Assert.Throws<DatasetImportException>(() => Import(bytes));

        Assert.Contains("Excel workbook (.xlsx)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Import_BinaryBytes_AreRejected()
    {
        var bytes = Encoding.UTF8.GetBytes("Date,Close\n").Concat(new byte[] { 0, 1, 2, 3, 0, 255 }).ToArray();

        var error = Assert.Throws<DatasetImportException>(() => Import(bytes));

        Assert.StartsWith("This is not a CSV file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Import_TooManyColumns_StatesTheLimit()
    {
        var header = "Date," + string.Join(',', Enumerable.Range(1, 10).Select(i => $"c{i}"));
        var row = "2024-01-02," + string.Join(',', Enumerable.Range(1, 10));

        var error = Reject($"{header}\n{row}\n", new CsvImportOptions { MaxColumns = 8 });

        Assert.Equal("The file has 11 columns; the limit is 8. Remove columns you do not need.", error.Message);
    }

    [Fact]
    public void Import_UnknownTarget_ListsNumericColumns()
    {
        var error = Reject("Date,Close\n2024-01-02,1\n", new CsvImportOptions { Target = "Open" });

        Assert.Contains("Numeric columns: Close", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Import_Latin1File_IsDecoded()
    {
        var bytes = Encoding.Latin1.GetBytes("Datum;Eröffnung;Schluss\n02.01.2024;1,5;1,6\n03.01.2024;1,6;1,7\n");

        var result = Import(bytes);

        Assert.Equal("Eröffnung", result.Frame.Columns[0].SourceName);
        Assert.Equal("Latin-1", result.Report.Encoding);
        Assert.Equal([1.6, 1.7], result.Frame.Find(ColumnRole.Close)!.Values);
    }

    [Fact]
    public void Import_NoLineBreakInTheFirst64KB_IsRefusedWithTheReason()
    {
        var header = "Date," + string.Join(',', Enumerable.Range(1, 20_000).Select(i => $"column{i}"));

        var error = Reject(header + "\n2024-01-02," + string.Join(',', Enumerable.Range(1, 20_000)) + "\n");

        Assert.Equal("The first 64 KB of the file hold no line break. A CSV has one row per line; a header this long would have far more columns than a dataset may have.", error.Message);
        Assert.Equal(1, error.Line);
    }

    [Fact]
    public void Inspect_NoLineBreakInTheFirst64KB_IsRefusedToo()
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(new string('x', 70_000)));

        Assert.Throws<DatasetImportException>(() => CsvImporter.Inspect(stream));
    }

    [Fact]
    public void EstimatedRows_AreCappedWhateverTheFirstRowsSuggest()
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(Daily(50, i => $"2024-01-{i % 28 + 1:00},1")));
        var inspection = CsvImporter.Inspect(stream);

        Assert.Equal(CsvImporter.MaxPresizedRows, CsvImporter.EstimateRows(100L * 1024 * 1024, inspection));
        Assert.InRange(CsvImporter.EstimateRows(2000, inspection), 100, 300);
    }

    [Fact]
    public void Import_AQuoteThatNeverCloses_NamesItsLine()
    {
        var error = Reject("Date,Close\n2024-01-02,1\n\"2024-01-03,2\n2024-01-04,3\n");

        Assert.Equal("Line 3: a quote opens a field that never closes.", error.Message);
        Assert.Equal(3, error.Line);
    }
}
