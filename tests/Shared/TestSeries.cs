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
}
