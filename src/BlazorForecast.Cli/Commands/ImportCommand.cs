using System.Text.Json;
using System.Text.Json.Serialization;
using BlazorForecast.Forecasting.Data;

namespace BlazorForecast.Cli.Commands;

/// <summary>`import`: the web app's import of one CSV, with its quality report printed as JSON.</summary>
public static class ImportCommand
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };

    public static async Task<int> RunAsync(CliArguments args, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        if (args.Positional.Count != 1)
        {
            throw new CliUsageException("import needs exactly one CSV file.");
        }

        var path = args.Positional[0];
        if (!File.Exists(path))
        {
            throw new CliUsageException($"No such file: {path}");
        }

        var options = new CsvImportOptions
        {
            DateColumn = args.Value("date-column"),
            Target = args.Value("target"),
            MissingValues = args.Value("missing") switch
            {
                null or "drop" => MissingValuePolicy.DropRows,
                "forward-fill" => MissingValuePolicy.ForwardFill,
                var other => throw new CliUsageException($"--missing must be 'drop' or 'forward-fill', not '{other}'."),
            },
        };

        ImportedSeries imported;
        try
        {
            await using var stream = File.OpenRead(path);
            imported = CsvImporter.Import(stream, options);
        }
        catch (DatasetImportException ex)
        {
            throw new CliUsageException($"{Path.GetFileName(path)}: {ex.Message}");
        }

        var summary = new
        {
            rows = imported.Frame.RowCount,
            columns = imported.Frame.Columns.Select(c => new { c.Name, c.SourceName, c.Role }),
            imported.DateColumn,
            imported.Target,
            qualityReport = imported.Report,
            findings = imported.Report.Findings(),
        };
        await output.WriteLineAsync(JsonSerializer.Serialize(summary, Json));
        return 0;
    }
}
