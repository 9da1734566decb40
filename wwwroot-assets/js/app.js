// Small browser helpers called from Blazor through JS interop.
window.blazorForecast = {
    getTheme: () => {
        try {
            return localStorage.getItem("blazorforecast-theme");
        } catch {
            return null;
        }
    },
    setTheme: (value) => {
        try {
            localStorage.setItem("blazorforecast-theme", value);
        } catch {
            // Private windows may refuse storage; the choice then lasts for this page only.
        }
    },
    // Marks the page's theme on <html data-theme>, for stylesheet tweaks and for browser tests.
    showTheme: (value) => document.documentElement.setAttribute("data-theme", value),
    markInteractive: () => document.body.setAttribute("data-interactive", "true"),
};
