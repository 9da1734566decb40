using System.Globalization;
using System.Text.Json;
using BlazorForecast.Forecasting.Data;
using BlazorForecast.Forecasting.Training;

namespace BlazorForecast.Cli.Commands;

/// <summary>
/// `forecast`: saved model + CSV → the next H values with 80%/95% intervals, as CSV or JSON; from a direction model, the
/// probability that each target is above its last value after each step (columns "TARGET P(up)"); from a universe model,
/// the column named by --series (headed "NAME (zero-shot)" when the model never saw it).
/// </summary>
public static class ForecastCommand
{
    public static async Task<int> RunAsync(CliArguments args, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        if (args.Positional.Count != 2)
        {
            throw new CliUsageException("forecast needs a saved model and a CSV file.");
        }

        ModelBundle bundle;
        try
        {
            await using var file = File.OpenRead(args.Positional[0]);
            bundle = ModelBundle.Load(file);
        }
        catch (Exception ex) when (ex is InvalidDataException or FileNotFoundException)
        {
            throw new CliUsageException($"{args.Positional[0]}: {ex.Message}");
        }

        // A model that reads other series joins them again, from where it was trained (the report is not printed: the
        // forecast is the output).
        var frame = await InputArguments.JoinAsync(await CsvFile.ReadAsync(args.Positional[1]), bundle.Config, TextWriter.Null);
        FutureForecast forecast;
        try
        {
            forecast = args.Value("series") is string series ? Forecaster.ForecastSeries(bundle, frame, series) : Forecaster.Forecast(bundle, frame);
        }
        catch (ForecastConfigException ex)
        {
            throw new CliUsageException(ex.Message);
        }

        if (args.Value("format") is "json")
        {
            await output.WriteLineAsync(JsonSerializer.Serialize(forecast, ForecastJson.Options));
            return 0;
        }

        var header = new List<string> { "Date" };
        foreach (var target in forecast.Targets)
        {
            header.Add(SeriesCsvWriter.EscapeText(forecast.IsDirection ? $"{target} P(up)" : forecast.ZeroShot ? $"{target} (zero-shot)" : target));
            foreach (var interval in forecast.Intervals)
            {
                var level = (interval.Level * 100).ToString("0", CultureInfo.InvariantCulture);
                header.Add(SeriesCsvWriter.EscapeText($"{target} lower {level}%"));
                header.Add(SeriesCsvWriter.EscapeText($"{target} upper {level}%"));
            }
        }

        await output.WriteLineAsync(string.Join(',', header));
        for (var k = 0; k < forecast.Times.Length; k++)
        {
            var cells = new List<string> { forecast.Times[k].ToString(forecast.Times[k].TimeOfDay == TimeSpan.Zero ? "yyyy-MM-dd" : "yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture) };
            for (var j = 0; j < forecast.Targets.Count; j++)
            {
                cells.Add(forecast.Values[k][j].ToString("R", CultureInfo.InvariantCulture));
                foreach (var interval in forecast.Intervals)
                {
                    cells.Add(interval.Lower[k][j].ToString("R", CultureInfo.InvariantCulture));
                    cells.Add(interval.Upper[k][j].ToString("R", CultureInfo.InvariantCulture));
                }
            }

            await output.WriteLineAsync(string.Join(',', cells));
        }

        return 0;
    }
}
