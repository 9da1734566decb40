using System.Globalization;
using System.Text.RegularExpressions;
using BlazorForecast.Forecasting.Data;
using BlazorForecast.Forecasting.Training;

namespace BlazorForecast.Cli.Commands;

/// <summary>
/// `--input "FILE:COLUMN[,key=value...][;FILE:COLUMN...]"`: columns of other CSV files joined to the data's dates as of
/// each date, and the series a command trains on once they are joined (the join report printed first).
/// </summary>
public static partial class InputArguments
{
    public const string Help = """
          --input "FILE:COLUMN[,name=N][,delay=15d][,rows=1][,dates=start][,fill=drop|max-age=45d][,as=log-return][;...]"
                                another series' column as an input, as of each date: published delay after its date
                                (with dates=start, after its period ends), used rows later; carried forward (up to
                                max-age) or rows without a new value dropped; read as its value, return or log-return
        """;

    public static IReadOnlyList<JoinedInput> Parse(string? text) => text is null
        ? []
        : text.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(ParseOne).ToList();

    /// <summary>The data with the config's inputs joined (their report written first), or the data as it is without inputs.</summary>
    public static async Task<TimeSeriesFrame> JoinAsync(TimeSeriesFrame frame, ForecastConfig config, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(output);
        if (config.Inputs.Count == 0)
        {
            return frame;
        }

        var series = new List<(JoinedInput, TimeSeriesFrame)>();
        foreach (var input in config.Inputs)
        {
            series.Add((input, await CsvFile.ReadAsync(input.Source)));
        }

        try
        {
            var joined = AsOfJoin.Join(frame, series);
            await output.WriteLineAsync(joined.Report.Describe());
            return joined.Frame;
        }
        catch (JoinException ex)
        {
            throw new CliUsageException("The inputs cannot be joined to the data:" + Environment.NewLine + string.Join(Environment.NewLine, ex.Problems.Select(p => "  - " + p)));
        }
    }

    private static JoinedInput ParseOne(string spec)
    {
        var parts = spec.Split(',', StringSplitOptions.TrimEntries);
        var split = parts[0].LastIndexOf(':');
        if (split <= 0 || split == parts[0].Length - 1)
        {
            throw new CliUsageException($"--input needs FILE:COLUMN, not '{parts[0]}'.");
        }

        var (file, column) = (parts[0][..split], parts[0][(split + 1)..]);
        var input = new JoinedInput { Source = file, Column = column, Name = $"{Path.GetFileNameWithoutExtension(file)} {column}" };
        foreach (var option in parts.Skip(1))
        {
            var pair = option.Split('=', 2, StringSplitOptions.TrimEntries);
            var value = pair.Length == 2 ? pair[1] : throw new CliUsageException($"--input option '{option}' needs key=value.");
            input = pair[0] switch
            {
                "name" => input with { Name = value },
                "delay" => input with { Delay = Duration(value) },
                "rows" => input with { Rows = int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var rows) ? rows : throw new CliUsageException($"--input rows is a whole number, not '{value}'.") },
                "dates" => input with { Dates = value switch { "end" => InputDates.PeriodEnd, "start" => InputDates.PeriodStart, _ => throw new CliUsageException($"--input dates is end or start, not '{value}'.") } },
                "fill" => input with { Fill = value switch { "carry" => InputGapFill.CarryForward, "drop" => InputGapFill.Drop, _ => throw new CliUsageException($"--input fill is carry or drop, not '{value}'.") } },
                "max-age" => input with { MaxAge = Duration(value) },
                "as" => input with { As = value switch { "value" => FeatureKind.Raw, "return" => FeatureKind.Return, "log-return" => FeatureKind.LogReturn, _ => throw new CliUsageException($"--input as is value, return or log-return, not '{value}'.") } },
                _ => throw new CliUsageException($"Unknown --input option '{pair[0]}'; use name, delay, rows, dates, fill, max-age or as."),
            };
        }

        return input;
    }

    // "15d", "6h", "1d12h", "90m".
    private static TimeSpan Duration(string text)
    {
        var match = DurationPattern().Match(text);
        if (!match.Success || match.Length == 0)
        {
            throw new CliUsageException($"A duration is written like 15d, 6h, 1d12h or 90m, not '{text}'.");
        }

        int Part(string name) => match.Groups[name].Success ? int.Parse(match.Groups[name].Value, CultureInfo.InvariantCulture) : 0;
        return new TimeSpan(Part("d"), Part("h"), Part("m"), 0);
    }

    [GeneratedRegex(@"^(?:(?<d>\d+)d)?(?:(?<h>\d+)h)?(?:(?<m>\d+)m)?$")]
    private static partial Regex DurationPattern();
}
