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

// Plotly.Blazor asks for its first charts before plotly.js has loaded and draws them all in one loop once it has. A chart
// that left the page in between (its tab switched while the script loaded) makes Plotly throw "No DOM element", which
// ends that loop and leaves every later chart undrawn. So Plotly's drawing calls, as soon as it defines itself, skip a
// chart whose element is gone, as Plotly.Blazor does for calls made after the script loaded.
(() => {
    const drawing = ["newPlot", "react", "restyle", "relayout", "update", "extendTraces", "prependTraces", "addTraces", "deleteTraces", "purge"];
    let plotly;
    Object.defineProperty(window, "Plotly", {
        configurable: true,
        get: () => plotly,
        set: (value) => {
            for (const name of drawing) {
                const draw = value?.[name];
                if (typeof draw === "function") {
                    value[name] = function (element, ...rest) {
                        return typeof element === "string" && document.getElementById(element) === null
                            ? Promise.resolve()
                            : draw.call(this, element, ...rest);
                    };
                }
            }

            plotly = value;
        },
    });
})();
