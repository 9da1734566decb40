using System.Text.Json.Nodes;

namespace BlazorForecast.Forecasting.Sweeps;

/// <summary>What values a searchable setting takes: whole numbers, real numbers, or named choices only.</summary>
public enum SweepValueKind
{
    WholeNumber,
    RealNumber,
    Choice,
}

/// <summary>
/// One setting a sweep may vary, by the name the space's JSON uses and where it sits in a run's config. What a value
/// may be is checked by the config itself (and the server's run limits) once applied, so bounds live in one place.
/// Targets, horizon, transform and split are deliberately absent: they define the problem and the units of the
/// validation loss, so trials that changed them could not be ranked against each other.
/// </summary>
public sealed record SweepSetting(string Name, string[] Path, SweepValueKind Kind, string Meaning)
{
    public static IReadOnlyList<SweepSetting> All { get; } =
    [
        new("model", ["model", "kind"], SweepValueKind.Choice, "model kind: Lstm, Gru, Cnn, Transformer, DLinear, Mlp"),
        new("lookback", ["lookback"], SweepValueKind.WholeNumber, "rows of history each forecast reads"),
        new("hiddenSize", ["model", "hiddenSize"], SweepValueKind.WholeNumber, "hidden units, channels or model width"),
        new("layers", ["model", "layers"], SweepValueKind.WholeNumber, "layers or blocks"),
        new("dropout", ["model", "dropout"], SweepValueKind.RealNumber, "dropout rate, at least 0 and below 1"),
        new("heads", ["model", "heads"], SweepValueKind.WholeNumber, "Transformer attention heads"),
        new("kernelSize", ["model", "kernelSize"], SweepValueKind.WholeNumber, "CNN kernel size"),
        new("trendKernel", ["model", "trendKernel"], SweepValueKind.WholeNumber, "DLinear moving-average kernel (odd)"),
        new("bidirectional", ["model", "bidirectional"], SweepValueKind.Choice, "LSTM and GRU read both ways: true or false"),
        new("anchorToLastValue", ["model", "anchorToLastValue"], SweepValueKind.Choice, "predict changes from the last value: true or false"),
        new("learningRate", ["training", "learningRate"], SweepValueKind.RealNumber, "AdamW learning rate"),
        new("weightDecay", ["training", "weightDecay"], SweepValueKind.RealNumber, "AdamW weight decay"),
        new("batchSize", ["training", "batchSize"], SweepValueKind.WholeNumber, "windows per batch"),
        new("features", ["features"], SweepValueKind.Choice, "input feature sets, each a list like a run's features"),
    ];

    public static SweepSetting? Find(string name) => All.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.Ordinal));

    /// <summary>Puts a value into a config's JSON form at this setting's place.</summary>
    internal void Write(JsonObject config, JsonNode? value)
    {
        var node = config;
        foreach (var step in Path[..^1])
        {
            if (node[step] is not JsonObject child)
            {
                child = [];
                node[step] = child;
            }

            node = child;
        }

        node[Path[^1]] = value?.DeepClone();
    }
}
