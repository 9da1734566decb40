using System.Text.Json;
using System.Text.Json.Serialization;

namespace BlazorForecast.Forecasting.Training;

/// <summary>The JSON form of configs and results shared by the CLI, the web app and saved models (camelCase, enums as names).</summary>
public static class ForecastJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>Reads a config; unknown or malformed JSON gets a message naming the problem.</summary>
    public static ForecastConfig ReadConfig(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<ForecastConfig>(json, Options) ?? throw new ForecastConfigException(["The config is empty."]);
        }
        catch (JsonException ex)
        {
            throw new ForecastConfigException([$"The config is not valid JSON for a forecast ({ex.Message})"]);
        }
    }
}
