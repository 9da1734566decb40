using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Serialization;
using BlazorForecast.Forecasting.Data;
using BlazorForecast.Forecasting.Evaluation;
using BlazorForecast.Forecasting.Models;
using static TorchSharp.torch;

namespace BlazorForecast.Forecasting.Training;

/// <summary>
/// A trained model with everything needed to forecast new data exactly as at training time: the config, the
/// training-segment scalers, the interval model and the weights (of one network, or of a seed ensemble's members).
/// Saved as a small zip (bundle.json + weights.bin, TorchSharp's format) that the CLI's forecast command and other
/// instances read. Format 2 added seed ensembles and volatility-scaled intervals; format 1 files still load.
/// </summary>
public sealed record ModelBundle
{
    public const int FormatVersion = 2;
    private const string MetadataEntry = "bundle.json";
    private const string WeightsEntry = "weights.bin";

    public int Version { get; init; } = FormatVersion;

    public required ForecastConfig Config { get; init; }

    public required StandardScaler InputScaler { get; init; }

    public required StandardScaler TargetScaler { get; init; }

    public required IReadOnlyList<string> FeatureNames { get; init; }

    public required IReadOnlyList<int> TargetFeatureIndices { get; init; }

    public ConformalIntervals? Intervals { get; init; }

    /// <summary>How many seeds' networks the weights hold (their mean is the forecast); 1 for a single network.</summary>
    public int Members { get; init; } = 1;

    public required SeriesFrequency Frequency { get; init; }

    public required TimeSpan TypicalStep { get; init; }

    [JsonIgnore]
    public byte[] Weights { get; init; } = [];

    public static ModelBundle From(WindowedProblem problem, nn.Module<Tensor, Tensor> model, ConformalIntervals? intervals, SeriesFrequency frequency, TimeSpan step)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(model);
        return new ModelBundle
        {
            Config = problem.Config,
            InputScaler = problem.InputScaler,
            TargetScaler = problem.TargetScaler,
            FeatureNames = problem.FeatureNames,
            TargetFeatureIndices = problem.TargetFeatureIndices,
            Intervals = intervals,
            Frequency = frequency,
            TypicalStep = step,
            Members = model is SeedEnsemble ensemble ? ensemble.Count : 1,
            Weights = Trainer.Serialize(model),
        };
    }

    public void Save(Stream stream)
    {
        using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
        using (var metadata = zip.CreateEntry(MetadataEntry).Open())
        {
            JsonSerializer.Serialize(metadata, this, ForecastJson.Options);
        }

        using var weights = zip.CreateEntry(WeightsEntry, CompressionLevel.Fastest).Open();
        weights.Write(Weights);
    }

    /// <summary>Reads a saved bundle; a file that is not one gets an <see cref="InvalidDataException"/> saying so.</summary>
    public static ModelBundle Load(Stream stream)
    {
        using var zip = OpenZip(stream);
        var metadataEntry = zip.GetEntry(MetadataEntry) ?? throw new InvalidDataException($"Not a BlazorForecast model: {MetadataEntry} is missing.");
        var weightsEntry = zip.GetEntry(WeightsEntry) ?? throw new InvalidDataException($"Not a BlazorForecast model: {WeightsEntry} is missing.");
        ModelBundle bundle;
        try
        {
            using var metadata = metadataEntry.Open();
            bundle = JsonSerializer.Deserialize<ModelBundle>(metadata, ForecastJson.Options) ?? throw new InvalidDataException("The model description is empty.");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException("Not a BlazorForecast model: its description is unreadable.", ex);
        }

        if (bundle.Version > FormatVersion)
        {
            throw new InvalidDataException($"This model was saved by a newer BlazorForecast (format {bundle.Version}); this one reads format {FormatVersion}.");
        }

        using var weights = weightsEntry.Open();
        using var buffer = new MemoryStream();
        weights.CopyTo(buffer);
        return bundle with { Weights = buffer.ToArray() };
    }

    private static ZipArchive OpenZip(Stream stream)
    {
        try
        {
            return new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException ex)
        {
            throw new InvalidDataException("Not a BlazorForecast model file.", ex);
        }
    }

    /// <summary>A fresh model (or seed ensemble) with the saved weights, in evaluation mode.</summary>
    public nn.Module<Tensor, Tensor> CreateModel()
    {
        var shape = new ModelShape(Config.Lookback, FeatureNames.Count, Config.Horizon, Config.Targets.Count, TargetFeatureIndices);
        var model = Members > 1
            ? new SeedEnsemble(Enumerable.Range(0, Members).Select(_ => ForecastModelFactory.Create(Config.Model, shape)).ToList())
            : ForecastModelFactory.Create(Config.Model, shape);
        Trainer.Deserialize(model, Weights);
        model.eval();
        return model;
    }
}
