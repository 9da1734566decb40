using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using BlazorForecast.Forecasting.Evaluation;

namespace BlazorForecast.Cli.Commands;

/// <summary>One run of the PyTorch reference: standardised test errors over its windows, and the epochs it ran and kept.</summary>
internal sealed record ReferenceRun(ErrorMetrics Test, int Windows, int BestEpoch, int Epochs);

/// <summary>
/// Runs <c>DLinearReference.py</c> (embedded) with the machine's python3 and PyTorch for <c>bench exchange --reference</c>:
/// the paper's protocol in the paper's framework, so that a gap between our DLinear and the published figure can be
/// told apart from a gap between TorchSharp and PyTorch. Debian's <c>python3-torch</c> is enough.
/// </summary>
internal sealed class DLinearReference(string python)
{
    private static readonly Lazy<string> Script = new(() =>
    {
        using var stream = typeof(DLinearReference).Assembly.GetManifestResourceStream("DLinearReference.py")
            ?? throw new InvalidOperationException("The DLinear reference script is not embedded in this build.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    /// <summary>The python to use: the given one, else Debian's /usr/bin/python3 (where python3-torch installs), else python3.</summary>
    public static DLinearReference For(string? python) =>
        new(python ?? (File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3"));

    /// <summary>The run's errors, or why the reference could not run (python or PyTorch missing, or the script failed).</summary>
    public async Task<(ReferenceRun? Run, string? Problem)> RunAsync(
        string csvPath, int lookback, int horizon, int batchSize, double learningRate, int seed, int epochs, int patience)
    {
        var start = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(Script.Value);
        foreach (var value in new object[] { Path.GetFullPath(csvPath), lookback, horizon, batchSize, learningRate, seed, epochs, patience })
        {
            start.ArgumentList.Add(Convert.ToString(value, CultureInfo.InvariantCulture)!);
        }

        try
        {
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            if (process.ExitCode != 0)
            {
                var lastLine = (await stderr).Trim().Split('\n')[^1];
                return (null, $"{python} could not run it ({lastLine}); on Debian: apt-get install python3-torch");
            }

            return (Parse(await stdout), null);
        }
        catch (Win32Exception)
        {
            return (null, $"{python} not found; on Debian: apt-get install python3-torch");
        }
    }

    private static ReferenceRun Parse(string json)
    {
        using var document = JsonDocument.Parse(json.Trim().Split('\n')[^1]);
        var root = document.RootElement;
        var mse = root.GetProperty("mse").GetDouble();
        var metrics = new ErrorMetrics(mse, Math.Sqrt(mse), root.GetProperty("mae").GetDouble(),
            double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, root.GetProperty("points").GetInt32());
        return new ReferenceRun(metrics, root.GetProperty("windows").GetInt32(), root.GetProperty("best_epoch").GetInt32(),
            root.GetProperty("epochs").GetInt32());
    }
}
