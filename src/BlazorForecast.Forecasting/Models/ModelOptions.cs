namespace BlazorForecast.Forecasting.Models;

public enum ModelKind
{
    Lstm,
    Gru,
    Cnn,
    Transformer,
    DLinear,
    Mlp,
}

/// <summary>Architecture settings; each model reads the ones that apply to it.</summary>
public sealed record ModelOptions
{
    public ModelKind Kind { get; init; } = ModelKind.Lstm;

    /// <summary>Hidden units (LSTM/GRU/MLP), channels (CNN) or model width (Transformer).</summary>
    public int HiddenSize { get; init; } = 64;

    /// <summary>Recurrent layers, convolution blocks, encoder layers or hidden layers.</summary>
    public int Layers { get; init; } = 2;

    public double Dropout { get; init; } = 0.1;

    /// <summary>LSTM and GRU only.</summary>
    public bool Bidirectional { get; init; }

    /// <summary>Transformer attention heads; HiddenSize must be a multiple.</summary>
    public int Heads { get; init; } = 4;

    /// <summary>CNN kernel size.</summary>
    public int KernelSize { get; init; } = 3;

    /// <summary>DLinear moving-average kernel for the trend (odd; 25 in the paper).</summary>
    public int TrendKernel { get; init; } = 25;

    /// <summary>
    /// Feed the network each window relative to its last row and predict changes from the targets' last values
    /// (see <see cref="LastValueAnchoredForecaster"/>). Helps on trending, non-stationary levels.
    /// </summary>
    public bool AnchorToLastValue { get; init; }

    /// <summary>
    /// These options with every setting this kind does not read put back to its default (DLinear reads only its trend
    /// kernel; only recurrent models read bidirectional, only the Transformer its heads, only the CNN its kernel), so
    /// two options that build the same network are equal.
    /// </summary>
    public ModelOptions AsRead()
    {
        var defaults = new ModelOptions();
        var linear = Kind == ModelKind.DLinear;
        return this with
        {
            HiddenSize = linear ? defaults.HiddenSize : HiddenSize,
            Layers = linear ? defaults.Layers : Layers,
            Dropout = linear ? defaults.Dropout : Dropout,
            Bidirectional = Kind is ModelKind.Lstm or ModelKind.Gru && Bidirectional,
            Heads = Kind == ModelKind.Transformer ? Heads : defaults.Heads,
            KernelSize = Kind == ModelKind.Cnn ? KernelSize : defaults.KernelSize,
            TrendKernel = linear ? TrendKernel : defaults.TrendKernel,
        };
    }

    /// <summary>Checks that apply before any tensor is made; returns the problem or null.</summary>
    public string? Problem() => this switch
    {
        { HiddenSize: < 1 } => "The hidden size must be at least 1.",
        { Layers: < 1 } => "A model needs at least one layer.",
        { Dropout: < 0 or >= 1 } => "Dropout must be at least 0 and below 1.",
        { Kind: ModelKind.Transformer } when Heads < 1 || HiddenSize % Heads != 0 =>
            $"The Transformer's width ({HiddenSize}) must be a multiple of its heads ({Heads}).",
        { Kind: ModelKind.Cnn, KernelSize: < 2 } => "The CNN kernel size must be at least 2.",
        { Kind: ModelKind.DLinear } when TrendKernel < 1 || TrendKernel % 2 == 0 => "The DLinear trend kernel must be odd.",
        _ => null,
    };
}

/// <summary>The tensors a model maps: [batch, Lookback, Features] to [batch, Horizon, Targets].</summary>
public sealed record ModelShape(int Lookback, int Features, int Horizon, int Targets, IReadOnlyList<int> TargetFeatureIndices);
