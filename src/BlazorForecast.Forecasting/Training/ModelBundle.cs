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
    private const long MaxMetadataBytes = 1024 * 1024;

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

    /// <summary>For a model trained across several series: each one's scalers and code; null for one series' model.</summary>
    public UniverseMembers? Universe { get; init; }

    /// <summary>How many inputs the network reads per row: the features, then any series code.</summary>
    public int InputWidth => FeatureNames.Count + (Universe?.CodeWidth ?? 0);

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

    /// <summary>
    /// Reads a saved bundle; a file that is not one gets an <see cref="InvalidDataException"/> saying so. No entry is
    /// read past <paramref name="maxEntryBytes"/> uncompressed (the description past 1 MB), whatever the archive declares,
    /// so a zip bomb stops at the cap.
    /// </summary>
    public static ModelBundle Load(Stream stream, long maxEntryBytes = long.MaxValue)
    {
        using var zip = OpenZip(stream);
        var metadataEntry = zip.GetEntry(MetadataEntry) ?? throw new InvalidDataException($"Not a BlazorForecast model: {MetadataEntry} is missing.");
        var weightsEntry = zip.GetEntry(WeightsEntry) ?? throw new InvalidDataException($"Not a BlazorForecast model: {WeightsEntry} is missing.");
        ModelBundle bundle;
        try
        {
            var metadata = ReadEntry(metadataEntry, Math.Min(maxEntryBytes, MaxMetadataBytes));
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

        return bundle with { Weights = ReadEntry(weightsEntry, maxEntryBytes) };
    }

    /// <summary>
    /// What does not hold together in a loaded bundle's description — scalers and names that do not fit the config, a
    /// model or training setting out of range — in words; empty when it can be built.
    /// </summary>
    public IReadOnlyList<string> Problems()
    {
        if (Config is null)
        {
            return ["The model file holds no config."];
        }

        if (Config.MissingParts() is { } missing)
        {
            return [missing];
        }

        var problems = new List<string>();
        void Add(string? problem)
        {
            if (problem is not null)
            {
                problems.Add(problem);
            }
        }

        Add(Config.Model.Problem());
        Add(Config.Training.Problem());
        if (Config.Targets.Count == 0 || Config.Lookback < 1 || Config.Horizon < 1)
        {
            problems.Add("The model declares no target, lookback or horizon.");
        }

        if (Members < 1 || Members > TrainingOptions.MaxSeeds)
        {
            problems.Add($"The model declares {Members} seeds' networks; a model holds 1 to {TrainingOptions.MaxSeeds}.");
        }

        if (FeatureNames.Count == 0 || InputScaler.Means.Length != FeatureNames.Count || InputScaler.Deviations.Length != FeatureNames.Count
            || TargetScaler.Means.Length != Config.Targets.Count || TargetScaler.Deviations.Length != Config.Targets.Count
            || TargetFeatureIndices.Any(i => i < 0 || i >= FeatureNames.Count))
        {
            problems.Add("The model's scalers and inputs do not match its targets and features.");
        }

        if (Universe is { } universe && (universe.Series.Count < 2 || universe.InputScalers.Count != universe.Series.Count || universe.TargetScalers.Count != universe.Series.Count
            || universe.InputScalers.Any(s => s.Means.Length != FeatureNames.Count) || universe.TargetScalers.Any(s => s.Means.Length != Config.Targets.Count)
            || (universe.Intervals.Count > 0 && universe.Intervals.Count != universe.Series.Count)))
        {
            problems.Add("The model's series and their scalers do not match.");
        }

        return problems;
    }

    // Reads an entry into memory, refusing at the cap rather than trusting the size the archive declares.
    private static byte[] ReadEntry(ZipArchiveEntry entry, long maxBytes)
    {
        if (entry.Length > maxBytes)
        {
            throw new InvalidDataException($"Not a model this server reads: {entry.Name} unpacks to {entry.Length:N0} bytes, more than the {maxBytes:N0} bytes allowed.");
        }

        using var content = entry.Open();
        using var buffer = new MemoryStream();
        var chunk = new byte[81_920];
        int read;
        while ((read = content.Read(chunk)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                throw new InvalidDataException($"Not a model this server reads: {entry.Name} unpacks to more than the {maxBytes:N0} bytes allowed.");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
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
        var shape = new ModelShape(Config.Lookback, InputWidth, Config.Horizon, Config.Targets.Count, TargetFeatureIndices);
        var model = Members > 1
            ? new SeedEnsemble(Enumerable.Range(0, Members).Select(_ => ForecastModelFactory.Create(Config.Model, shape)).ToList())
            : ForecastModelFactory.Create(Config.Model, shape);
        Trainer.Deserialize(model, Weights);
        model.eval();
        return model;
    }
}

/// <summary>
/// The series a universe model was trained on, in the order of their codes, with each one's scalers (fit on its own
/// training part) and intervals (calibrated on its own validation part); whether every input row carries the series'
/// one-hot code.
/// </summary>
public sealed record UniverseMembers(IReadOnlyList<string> Series, IReadOnlyList<StandardScaler> InputScalers, IReadOnlyList<StandardScaler> TargetScalers, bool Embedding)
{
    public int CodeWidth => Embedding ? Series.Count : 0;

    /// <summary>Each series' intervals, in the order of <see cref="Series"/>; empty in models saved before they were kept.</summary>
    public IReadOnlyList<ConformalIntervals> Intervals { get; init; } = [];

    /// <summary>Where a series is among them (by name, ignoring case); −1 for one the model never saw.</summary>
    public int IndexOf(string series) => Series.ToList().FindIndex(s => string.Equals(s, series, StringComparison.OrdinalIgnoreCase));
}
