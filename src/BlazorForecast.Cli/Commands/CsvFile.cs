using BlazorForecast.Forecasting.Data;

namespace BlazorForecast.Cli.Commands;

/// <summary>Reads a dataset CSV for a command, turning import problems into a message for the command line.</summary>
public static class CsvFile
{
    public static async Task<TimeSeriesFrame> ReadAsync(string path, CsvImportOptions? options = null)
    {
        if (!File.Exists(path))
        {
            throw new CliUsageException($"No such file: {path}");
        }

        try
        {
            await using var stream = File.OpenRead(path);
            return CsvImporter.Import(stream, options ?? new CsvImportOptions()).Frame;
        }
        catch (DatasetImportException ex)
        {
            throw new CliUsageException($"{Path.GetFileName(path)}: {ex.Message}");
        }
    }
}
