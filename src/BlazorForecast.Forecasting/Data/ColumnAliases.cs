namespace BlazorForecast.Forecasting.Data;

/// <summary>Recognises market-data headers in the usual spellings and languages (Yahoo, quantmod, Excel exports).</summary>
public static class ColumnAliases
{
    private static readonly Dictionary<string, ColumnRole> Roles = new(StringComparer.OrdinalIgnoreCase)
    {
        ["open"] = ColumnRole.Open,
        ["opening"] = ColumnRole.Open,
        ["open price"] = ColumnRole.Open,
        ["eröffnung"] = ColumnRole.Open,
        ["eroeffnung"] = ColumnRole.Open,
        ["erster"] = ColumnRole.Open,
        ["ouverture"] = ColumnRole.Open,
        ["high"] = ColumnRole.High,
        ["high price"] = ColumnRole.High,
        ["hoch"] = ColumnRole.High,
        ["plus haut"] = ColumnRole.High,
        ["low"] = ColumnRole.Low,
        ["low price"] = ColumnRole.Low,
        ["tief"] = ColumnRole.Low,
        ["plus bas"] = ColumnRole.Low,
        ["close"] = ColumnRole.Close,
        ["close price"] = ColumnRole.Close,
        ["closing price"] = ColumnRole.Close,
        ["close/last"] = ColumnRole.Close,
        ["last"] = ColumnRole.Close,
        ["last price"] = ColumnRole.Close,
        ["price"] = ColumnRole.Close,
        ["schluss"] = ColumnRole.Close,
        ["schlusskurs"] = ColumnRole.Close,
        ["kurs"] = ColumnRole.Close,
        ["zuletzt"] = ColumnRole.Close,
        ["clôture"] = ColumnRole.Close,
        ["dernier"] = ColumnRole.Close,
        ["adj close"] = ColumnRole.AdjClose,
        ["adj. close"] = ColumnRole.AdjClose,
        ["adjclose"] = ColumnRole.AdjClose,
        ["adjusted close"] = ColumnRole.AdjClose,
        ["adjusted"] = ColumnRole.AdjClose,
        ["adj. schluss"] = ColumnRole.AdjClose,
        ["volume"] = ColumnRole.Volume,
        ["vol"] = ColumnRole.Volume,
        ["vol."] = ColumnRole.Volume,
        ["volumen"] = ColumnRole.Volume,
        ["umsatz"] = ColumnRole.Volume,
        ["stücke"] = ColumnRole.Volume,
        ["shares"] = ColumnRole.Volume,
    };

    private static readonly HashSet<string> DateNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "date", "datum", "time", "timestamp", "datetime", "date time", "day", "dt", "fecha", "data", "zeit", "period",
        "unix", "unix time", "epoch", "open time", "date/time",
    };

    /// <summary>The role a header stands for; quantmod style "AAPL.Close" and "AAPL Close" count by their suffix.</summary>
    public static ColumnRole RoleOf(string header)
    {
        var name = Normalize(header);
        if (Roles.TryGetValue(name, out var role))
        {
            return role;
        }

        var dot = name.LastIndexOf('.');
        if (dot > 0 && dot < name.Length - 1 && Roles.TryGetValue(name[(dot + 1)..], out role))
        {
            return role;
        }

        var space = name.LastIndexOf(' ');
        return space > 0 && Roles.TryGetValue(name[(space + 1)..], out role) && role != ColumnRole.AdjClose
            ? role
            : ColumnRole.Other;
    }

    public static bool IsDateName(string header) => DateNames.Contains(Normalize(header));

    /// <summary>Display name: the canonical English name for a recognised role, the header itself otherwise.</summary>
    public static string CanonicalName(ColumnRole role, string header) => role switch
    {
        ColumnRole.Open => "Open",
        ColumnRole.High => "High",
        ColumnRole.Low => "Low",
        ColumnRole.Close => "Close",
        ColumnRole.AdjClose => "Adj Close",
        ColumnRole.Volume => "Volume",
        _ => header,
    };

    private static string Normalize(string header) => header.Trim().Trim('"').Replace('_', ' ').Trim();
}
