using System.Globalization;
using Plotly.Blazor;
using Plotly.Blazor.LayoutLib;

namespace BlazorForecast.Web.Components;

/// <summary>What the app's Plotly charts share: data arrays in the form Plotly.Blazor sends, and the common look.</summary>
public static class ChartData
{
    public const string GridColor = "rgba(128,128,128,0.15)";

    public static List<object> Dates(IEnumerable<DateTime> time) =>
        time.Select(t => (object)t.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)).ToList();

    /// <summary>Numbers, with gaps (null) where a value is not finite.</summary>
    public static List<object> Values(IEnumerable<double> values) => values.Select(v => double.IsFinite(v) ? (object)v : null!).ToList();

    public static Config Config() => new() { Responsive = true, DisplayLogo = false };

    /// <summary>Transparent background, muted text, light grid and a horizontal legend above the plot.</summary>
    public static Plotly.Blazor.Layout Layout(int height, bool legend = true) => new()
    {
        Height = height,
        Margin = new Margin { L = 56, R = 16, T = legend ? 36 : 16, B = 40 },
        PaperBgColor = "rgba(0,0,0,0)",
        PlotBgColor = "rgba(0,0,0,0)",
        Font = new Font { Color = "#8a94a6" },
        ShowLegend = legend,
        Legend = [new Legend { Orientation = Plotly.Blazor.LayoutLib.LegendLib.OrientationEnum.H, Y = 1.12m, X = 0 }],
        HoverMode = HoverModeEnum.X,
    };

    /// <summary>A <see cref="Layout"/> over dates, with an optional title for the values.</summary>
    public static Plotly.Blazor.Layout TimeLayout(int height, bool legend = true, string? valueTitle = null)
    {
        var layout = Layout(height, legend);
        layout.XAxis = [new XAxis { Type = Plotly.Blazor.LayoutLib.XAxisLib.TypeEnum.Date, GridColor = GridColor }];
        layout.YAxis = [ValueAxis(valueTitle)];
        return layout;
    }

    /// <summary>A <see cref="Layout"/> over training epochs, with an optional title for the values.</summary>
    public static Plotly.Blazor.Layout EpochLayout(int height, string? valueTitle = null)
    {
        var layout = Layout(height);
        layout.XAxis = [new XAxis { Title = new Plotly.Blazor.LayoutLib.XAxisLib.Title { Text = "epoch" }, GridColor = GridColor }];
        layout.YAxis = [ValueAxis(valueTitle)];
        return layout;
    }

    private static YAxis ValueAxis(string? title) => new()
    {
        Title = title is null ? null : new Plotly.Blazor.LayoutLib.YAxisLib.Title { Text = title },
        GridColor = GridColor,
    };
}
