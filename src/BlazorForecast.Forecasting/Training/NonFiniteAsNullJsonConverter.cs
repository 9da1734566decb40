using System.Text.Json;
using System.Text.Json.Serialization;

namespace BlazorForecast.Forecasting.Training;

/// <summary>
/// Writes NaN and infinities as JSON null, which every client parses (JSON has no non-finite numbers), and reads null
/// back as NaN. Used where results leave the app (the API, the CLI's metrics.json); stored results keep NaN exactly.
/// </summary>
public sealed class NonFiniteAsNullJsonConverter : JsonConverter<double>
{
    public override bool HandleNull => true;

    public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.Null => double.NaN,
        JsonTokenType.String when double.TryParse(reader.GetString(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value) => value,
        _ => reader.GetDouble(),
    };

    public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (double.IsFinite(value))
        {
            writer.WriteNumberValue(value);
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}
