using BlazorForecast.Forecasting.Data;

namespace BlazorForecast.Forecasting.Tests.Data;

public class CsvImporterRealFilesTests
{
    private static ImportedSeries ImportFile(string name, CsvImportOptions? options = null)
    {
        using var stream = File.OpenRead(SharedDatasets.PathOf(name));
        return CsvImporter.Import(stream, options ?? new CsvImportOptions());
    }

    [SkippableFact]
    public void Import_YahooDaily_ReadsOhlcvAndBusinessDays()
    {
        var result = ImportFile("AAPL_daily_2004_2018.csv");

        Assert.Equal(3379, result.Frame.RowCount);
        Assert.Equal(["Open", "High", "Low", "Close", "Adj Close", "Volume"], result.Frame.Columns.Select(c => c.Name));
        Assert.Equal(new DateTime(2004, 8, 19), result.Report.First);
        Assert.Equal(new DateTime(2018, 1, 19), result.Report.Last);
        Assert.Equal(SeriesFrequency.BusinessDays, result.Report.Frequency);
        Assert.Equal("Close", result.Target);
        Assert.Equal("Date", result.DateColumn);
        Assert.Equal(2.193571, result.Frame.Find(ColumnRole.Close)!.Values[0]);
        Assert.Equal(97230000, result.Frame.Find(ColumnRole.Volume)!.Values[0]);
        Assert.Equal(0, result.Report.OhlcInconsistencyCount);
        Assert.Empty(result.Report.Duplicates);
        Assert.Equal(0, result.Report.UnsortedRows);
        Assert.True(result.Frame.HasOhlc);
    }

    [SkippableFact]
    public void Import_EthNullRows_DropsThemAndCountsMissingPerColumn()
    {
        var result = ImportFile("ETH-USD_daily_2015_2021.csv");

        Assert.Equal(2302, result.Report.RowsRead);
        Assert.Equal(2298, result.Frame.RowCount);
        Assert.Equal(4, result.Report.RowsDroppedForMissingValues);
        Assert.All(result.Report.MissingValues, m => Assert.Equal(4, m.Count));
        Assert.Equal(6, result.Report.MissingValues.Count);
        Assert.Equal(SeriesFrequency.Daily, result.Report.Frequency);
        Assert.DoesNotContain(new DateTime(2020, 4, 17), result.Frame.Timestamps);
    }

    [SkippableFact]
    public void Import_EthNullRowsWithForwardFill_KeepsEveryDayWithPreviousValues()
    {
        var result = ImportFile("ETH-USD_daily_2015_2021.csv", new CsvImportOptions { MissingValues = MissingValuePolicy.ForwardFill });

        Assert.Equal(2302, result.Frame.RowCount);
        Assert.Equal(24, result.Report.ValuesForwardFilled);
        var close = result.Frame.Find(ColumnRole.Close)!.Values;
        var filledDay = Array.IndexOf(result.Frame.Timestamps, new DateTime(2020, 4, 17));
        Assert.Equal(close[filledDay - 1], close[filledDay]);
    }

    [SkippableFact]
    public void Import_SpyVendorGlitches_ReportsBothOhlcInconsistencies()
    {
        var result = ImportFile("SPY_daily_2007_2017.csv");

        Assert.Equal(2, result.Report.OhlcInconsistencyCount);
        Assert.Equal([new DateTime(2015, 3, 5), new DateTime(2015, 3, 30)], result.Report.OhlcInconsistencies.Select(o => o.Timestamp));
        Assert.Contains("Low", result.Report.OhlcInconsistencies[0].Detail, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void Import_SpyThroughTheCrisis_FlagsTheFlashCrashButNotOrdinaryCrisisDays()
    {
        var result = ImportFile("SPY_daily_2007_2017.csv");

        // 2008's large daily moves came with high volatility around them; the 2010 flash-crash low did not.
        Assert.Contains(result.Report.Outliers, o => o.Column == "Low" && o.Timestamp == new DateTime(2010, 5, 6));
        Assert.DoesNotContain(result.Report.Outliers, o => o.Column == "Close" && o.Timestamp.Year == 2008);
        Assert.True(result.Report.OutlierCount <= 5, $"{result.Report.OutlierCount} outliers");
    }

    [SkippableFact]
    public void Import_OneMinuteBars_DetectsIntradayWithoutGapsAndMapsReorderedColumns()
    {
        var result = ImportFile("SP500_index_1min_2019-11-05_2019-11-08.csv");

        Assert.Equal(1563, result.Frame.RowCount);
        Assert.Equal(SeriesFrequency.Intraday, result.Report.Frequency);
        Assert.Equal(TimeSpan.FromMinutes(1), result.Report.TypicalStep);
        Assert.Equal(0, result.Report.GapCount);
        Assert.DoesNotContain(result.Report.Outliers, o => o.Timestamp.TimeOfDay == new TimeSpan(9, 30, 0));
        Assert.Equal("M/d/yyyy H:mm", result.Report.DateFormat);
        Assert.Equal(new DateTime(2019, 11, 5, 9, 30, 0), result.Report.First);
        Assert.Equal(3080.49, result.Frame.Find(ColumnRole.Close)!.Values[0]);
        Assert.Equal(3081.47, result.Frame.Find(ColumnRole.High)!.Values[0]);
    }

    [SkippableFact]
    public void Import_LowercaseHeaders_MapsAliasesToCanonicalNames()
    {
        var result = ImportFile("SP500_index_daily_2000_2020.csv");

        Assert.Equal(["Open", "High", "Low", "Close", "Adj Close", "Volume"], result.Frame.Columns.Select(c => c.Name));
        Assert.Equal("adjclose", result.Frame.Find(ColumnRole.AdjClose)!.SourceName);
        Assert.Equal(5105, result.Frame.RowCount);
    }

    [SkippableFact]
    public void Import_ExchangeRate_ReadsEightSeriesWithSlashTimestamps()
    {
        var result = ImportFile("exchange_rate.csv");

        Assert.Equal(7588, result.Frame.RowCount);
        Assert.Equal(["0", "1", "2", "3", "4", "5", "6", "OT"], result.Frame.Columns.Select(c => c.Name));
        Assert.Equal("yyyy/M/d H:mm", result.Report.DateFormat);
        Assert.Equal(SeriesFrequency.Daily, result.Report.Frequency);
        Assert.Equal(0, result.Report.GapCount);
        Assert.Equal("OT", result.Target);
        Assert.Equal(0.593, result.Frame.Columns[7].Values[0]);
    }

    [SkippableFact]
    public void Import_QuantmodHeaders_MapsSuffixesAndSkipsTextColumn()
    {
        var result = ImportFile("finance-charts-apple.csv");

        Assert.Equal(506, result.Frame.RowCount);
        Assert.Equal(["Open", "High", "Low", "Close", "Volume", "Adj Close", "dn", "mavg", "up"], result.Frame.Columns.Select(c => c.Name));
        var skipped = Assert.Single(result.Report.SkippedColumns);
        Assert.Equal("direction", skipped.Name);
    }

    [SkippableFact]
    public void Import_WideQuotedHeaderWithDateLast_FindsDateAndAllSeries()
    {
        var result = ImportFile("stockdata_wide_closes_2007_2016.csv");

        Assert.Equal("Date", result.DateColumn);
        Assert.Equal(["MSFT", "IBM", "SBUX", "AAPL", "GSPC"], result.Frame.Columns.Select(c => c.Name));
        Assert.Equal(2306, result.Frame.RowCount);
        Assert.Equal("GSPC", result.Target);
    }

    [SkippableFact]
    public void Import_GermanSemicolonDecimalComma_ParsesPricesVolumesAndDates()
    {
        var result = ImportFile("bad/AAPL_semicolon_decimal_comma.csv");
        var reference = ImportFile("AAPL_daily_2004_2018.csv");

        Assert.Equal("semicolon", result.Report.Delimiter);
        Assert.Equal(',', result.Report.DecimalSeparator);
        Assert.Equal("d.M.yyyy", result.Report.DateFormat);
        Assert.Equal(60, result.Frame.RowCount);
        Assert.Equal(["Open", "High", "Low", "Close", "Adj Close", "Volume"], result.Frame.Columns.Select(c => c.Name));
        Assert.Equal("Eröffnung", result.Frame.Columns[0].SourceName);
        Assert.Equal(reference.Frame.Timestamps.Take(60), result.Frame.Timestamps);
        Assert.Equal(reference.Frame.Find(ColumnRole.Close)!.Values.Take(60), result.Frame.Find(ColumnRole.Close)!.Values);
        Assert.Equal(97230000, result.Frame.Find(ColumnRole.Volume)!.Values[0]);
    }

    [SkippableFact]
    public void Import_OrclDefects_ReportsMissingDuplicatesAndGap()
    {
        var result = ImportFile("bad/ORCL_bom_missing_values_duplicate_dates.csv");
        var report = result.Report;

        Assert.StartsWith("UTF-8 with BOM", report.Encoding, StringComparison.Ordinal);
        Assert.Equal(81, report.RowsRead);
        var missing = report.MissingValues.ToDictionary(m => m.Column, m => m.Count);
        Assert.Equal(2, missing["Open"]);
        Assert.Equal(2, missing["High"]);
        Assert.Equal(1, missing["Low"]);
        Assert.Equal(2, missing["Close"]);
        Assert.Equal(1, missing["Adj Close"]);
        Assert.Equal(2, missing["Volume"]);

        var exact = Assert.Single(report.Duplicates, d => !d.Conflicting);
        Assert.Equal(new DateTime(2014, 10, 14), exact.Timestamp);
        var conflicting = Assert.Single(report.Duplicates, d => d.Conflicting);
        Assert.Equal(new DateTime(2014, 12, 3), conflicting.Timestamp);
        Assert.Contains("Close", conflicting.DifferingColumns);

        Assert.Equal(81 - 2 - 5, result.Frame.RowCount);
        Assert.Contains(report.LargestGaps, g => g.After == new DateTime(2014, 10, 31) && g.Before == new DateTime(2014, 11, 4));
        Assert.Contains(report.Findings(), f => f.Title.Contains("conflicting", StringComparison.Ordinal));
    }

    [SkippableFact]
    public void Import_OrclDuplicateConflict_KeepsTheFirstRow()
    {
        var path = SharedDatasets.PathOf("bad/ORCL_bom_missing_values_duplicate_dates.csv");
        var firstClose = File.ReadLines(path).First(l => l.StartsWith("2014-12-03", StringComparison.Ordinal)).Split(',')[4];

        var result = ImportFile("bad/ORCL_bom_missing_values_duplicate_dates.csv");

        var day = Array.IndexOf(result.Frame.Timestamps, new DateTime(2014, 12, 3));
        Assert.Equal(double.Parse(firstClose, System.Globalization.CultureInfo.InvariantCulture), result.Frame.Find(ColumnRole.Close)!.Values[day]);
    }
}
