using System.Globalization;
using System.Text.Json;
using BlazorForecast.Forecasting.Training;

namespace BlazorForecast.Web.Features.Compare;

/// <summary>One config setting that differs between compared runs, with each run's value.</summary>
public sealed record ConfigDifference(string Setting, IReadOnlyList<string> Values);

/// <summary>The settings (as JSON paths, e.g. "model.hiddenSize") whose values are not the same in every config.</summary>
public static class ConfigDifferences
{
    public static IReadOnlyList<ConfigDifference> Between(IReadOnlyList<ForecastConfig> configs)
    {
        ArgumentNullException.ThrowIfNull(configs);
        var flat = configs.Select(c => Flatten(JsonSerializer.SerializeToElement(c, ForecastJson.Options))).ToList();
        return flat.SelectMany(f => f.Keys).Distinct()
            .Select(key => new ConfigDifference(key, flat.Select(f => f.GetValueOrDefault(key, "—")).ToList()))
            .Where(d => d.Values.Distinct().Count() > 1)
            .ToList();
    }

    private static Dictionary<string, string> Flatten(JsonElement element)
    {
        var values = new Dictionary<string, string>();
        Walk(element, "", values);
        return values;
    }

    // Objects become dotted paths; arrays of plain values become one comma-separated value, arrays of objects are indexed.
    private static void Walk(JsonElement element, string path, Dictionary<string, string> values)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    Walk(property.Value, path.Length == 0 ? property.Name : $"{path}.{property.Name}", values);
                }

                break;
            case JsonValueKind.Array when element.EnumerateArray().All(e => e.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array)):
                values[path] = string.Join(", ", element.EnumerateArray().Select(Text));
                break;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in element.EnumerateArray())
                {
                    Walk(item, string.Create(CultureInfo.InvariantCulture, $"{path}[{i++}]"), values);
                }

                break;
            default:
                values[path] = Text(element);
                break;
        }
    }

    private static string Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Null => "—",
        _ => value.GetRawText(),
    };
}
