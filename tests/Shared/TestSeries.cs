using System.Globalization;
using System.Text;

namespace BlazorForecast;

/// <summary>Small CSV series for tests that need a dataset and do not care what is in it.</summary>
public static class TestSeries
{
    /// <summary>Daily Date,Close rows from 2020-01-01: a sine around 100 with a period of about 31 days.</summary>
    public static string SineCsv(int rows = 300)
    {
        var csv = new StringBuilder("Date,Close\n");
        for (var i = 0; i < rows; i++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{new DateTime(2020, 1, 1).AddDays(i):yyyy-MM-dd},{100 + Math.Sin(i / 5.0)}\n");
        }

        return csv.ToString();
    }

    /// <summary>Daily Date,A,B,C,D rows from 2020-01-01: four waves at levels 100, 50, 20 and 500, each of its own period.</summary>
    public static string WideCsv(int rows = 300)
    {
        var csv = new StringBuilder("Date,A,B,C,D\n");
        for (var i = 0; i < rows; i++)
        {
            csv.Append(CultureInfo.InvariantCulture,
                $"{new DateTime(2020, 1, 1).AddDays(i):yyyy-MM-dd},{100 + Math.Sin(i / 5.0)},{50 + (3 * Math.Cos(i / 7.0))},{20 + Math.Sin(i / 3.0)},{500 + (10 * Math.Sin(i / 4.0))}\n");
        }

        return csv.ToString();
    }
}
