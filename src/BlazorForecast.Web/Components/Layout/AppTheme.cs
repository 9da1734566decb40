using MudBlazor;

namespace BlazorForecast.Web.Components.Layout;

/// <summary>The app's palette: calm blues for the chrome, green/red kept for price moves in charts.</summary>
public static class AppTheme
{
    public static MudTheme Theme { get; } = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#1e5aa8",
            Secondary = "#00897b",
            AppbarBackground = "#16324f",
            Background = "#f6f8fb",
            DrawerBackground = "#ffffff",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#6ea8fe",
            Secondary = "#4db6ac",
            AppbarBackground = "#111a26",
            Background = "#0f141b",
            Surface = "#17202b",
            DrawerBackground = "#131b25",
        },
        LayoutProperties = new LayoutProperties { DrawerWidthLeft = "220px" },
    };
}
