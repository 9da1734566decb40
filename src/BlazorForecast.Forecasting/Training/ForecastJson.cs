using System.Text.Json;
using System.Text.Json.Serialization;

namespace BlazorForecast.Forecasting.Training;

/// <summary>The JSON form of configs and results shared by the CLI, the web app and saved models (camelCase, enums as names).</summary>
public static class ForecastJson
{
    /// <summary>For what the app stores and reads back: non-finite numbers round-trip as "NaN" and "Infinity".</summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>For what leaves the app for other programs (the CLI's metrics.json): non-finite numbers as null.</summary>
    public static JsonSerializerOptions Public { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(), new NonFiniteAsNullJsonConverter() },
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
