using Microsoft.JSInterop;

namespace BlazorForecast.Web.Components.Layout;

/// <summary>The light/dark choice, remembered per browser in localStorage (wwwroot-assets/js/app.js).</summary>
public sealed class ThemePreference(IJSRuntime js)
{
    /// <summary>True for dark, false for light, null when this browser never chose.</summary>
    public async Task<bool?> GetDarkModeAsync()
    {
        var stored = await js.InvokeAsync<string?>("blazorForecast.getTheme");
        return stored switch
        {
            "dark" => true,
            "light" => false,
            _ => null,
        };
    }

    public async Task SetDarkModeAsync(bool dark)
    {
        await js.InvokeVoidAsync("blazorForecast.setTheme", Name(dark));
        await ShowAsync(dark);
    }

    /// <summary>Marks the theme in use on the document without storing a choice.</summary>
    public async Task ShowAsync(bool dark) => await js.InvokeVoidAsync("blazorForecast.showTheme", Name(dark));

    private static string Name(bool dark) => dark ? "dark" : "light";
}
