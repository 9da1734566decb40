using System.Text.Json;
using System.Text.Json.Serialization;
using BlazorForecast.Forecasting.Data;
using BlazorForecast.Web.Data;
using BlazorForecast.Web.Features.Team;
using BlazorForecast.Web.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BlazorForecast.Web.Features.Datasets;

/// <summary>
/// Imports, lists, edits and deletes datasets. An import is parsed completely before anything is written, then the
/// dataset, its columns and its timeline are saved in one transaction, so a failure leaves nothing behind.
/// </summary>
public sealed class DatasetService(
    IDbContextFactory<ForecastDbContext> dbFactory,
    IOptions<BlazorForecastOptions> options,
    DatasetFrameCache cache,
    DatasetFrames frames,
    TeamRateLimits limits,
    ActivityLog activity,
    TimeProvider time)
{
    public const int MaxNameLength = 200;
    public const int MaxDescriptionLength = 4000;

    internal static readonly JsonSerializerOptions ReportJson = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    private readonly BlazorForecastOptions _options = options.Value;

    /// <summary>Reads the first rows of a staged file for the user to confirm the date column and target.</summary>
    public Task<CsvInspection> InspectAsync(string path, CancellationToken cancellationToken = default) =>
        Task.Run(() =>
        {
            using var file = File.OpenRead(path);
            return CsvImporter.Inspect(file, _options.MaxColumns);
        }, cancellationToken);

    /// <summary>
    /// Parses and stores a CSV as the uploader's, visible as given (default: to the team); throws
    /// <see cref="DatasetImportException"/> with a message for the user, <see cref="DatasetValidationException"/> when
    /// the uploader may not upload (a viewer), or <see cref="RateLimitedException"/> when they upload too often.
    /// </summary>
    public async Task<DatasetDetails> ImportAsync(
        Stream csv, string fileName, string? name, string? description, CsvImportOptions importOptions,
        Caller uploader, Visibility? visibility = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(csv);
        ArgumentNullException.ThrowIfNull(importOptions);
        ArgumentNullException.ThrowIfNull(uploader);
        if (!uploader.CanCreate)
        {
            throw new DatasetValidationException("Viewers cannot upload datasets; ask an admin for the member role.");
        }

        RateLimitedException.ThrowIfLimited(limits, LimitedAction.Upload, uploader.UserId);
        var datasetName = ValidateName(string.IsNullOrWhiteSpace(name) ? Path.GetFileNameWithoutExtension(fileName) : name);
        var datasetDescription = ValidateDescription(description);
        var imported = await Task.Run(() => CsvImporter.Import(csv, importOptions with { MaxColumns = _options.MaxColumns }), cancellationToken);
        return await SaveAsync(imported, datasetName, datasetDescription, Path.GetFileName(fileName), isSynthetic: false,
            uploader, visibility ?? Visibility.Team, cancellationToken);
    }

    internal async Task<DatasetDetails> SaveAsync(
        ImportedSeries imported, string name, string? description, string fileName, bool isSynthetic, Caller? uploader, Visibility visibility,
        CancellationToken cancellationToken)
    {
        var frame = imported.Frame;
        var dataset = new Dataset
        {
            Name = name,
            Description = description,
            OriginalFileName = fileName.Length > 260 ? fileName[..260] : fileName,
            UploadedAt = time.GetUtcNow().UtcDateTime,
            RowCount = frame.RowCount,
            FirstTimestamp = imported.Report.First,
            LastTimestamp = imported.Report.Last,
            Frequency = imported.Report.FrequencyLabel,
            DateColumn = imported.DateColumn,
            DefaultTarget = imported.Target,
            IsSynthetic = isSynthetic,
            OwnerId = uploader?.UserId,
            Visibility = visibility,
            QualityReportJson = JsonSerializer.Serialize(imported.Report, ReportJson),
            Columns = frame.Columns.Select((c, i) => new DatasetColumn
            {
                Ordinal = i,
                Name = c.Name,
                SourceName = c.SourceName,
                Role = c.Role,
                Values = SeriesBlob.FromDoubles(c.Values),
            }).ToList(),
            Timeline = new DatasetTimeline { Ticks = SeriesBlob.FromTimestamps(frame.Timestamps) },
        };

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            db.Datasets.Add(dataset);
            await db.SaveChangesAsync(cancellationToken);
            if (uploader is { IsSignedIn: true })
            {
                activity.Add(db, uploader, ActivityAction.Uploaded, dataset);
                await db.SaveChangesAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }

        cache.Set(dataset.Id, frame);
        var ownerName = dataset.OwnerId is null ? null : await db.Users.Where(u => u.Id == dataset.OwnerId).Select(u => u.DisplayName).FirstOrDefaultAsync(cancellationToken);
        return ToDetails(dataset, imported.Report, ownerName);
    }

    /// <summary>The datasets the caller may read, newest first.</summary>
    public async Task<IReadOnlyList<DatasetSummary>> ListAsync(Caller caller, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Datasets.AsNoTracking()
            .VisibleTo(caller)
            .OrderByDescending(d => d.UploadedAt)
            .Select(d => new DatasetSummary(d.Id, d.Name, d.Description, d.RowCount, d.Columns.Count, d.FirstTimestamp,
                d.LastTimestamp, d.Frequency, d.UploadedAt, d.IsSynthetic, d.OwnerId,
                db.Users.Where(u => u.Id == d.OwnerId).Select(u => u.DisplayName).FirstOrDefault(), d.Visibility))
            .ToListAsync(cancellationToken);
    }

    /// <summary>Who owns a dataset and who may see it; null when it does not exist.</summary>
    public async Task<Ownership?> OwnershipAsync(int id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Datasets.AsNoTracking().Where(d => d.Id == id).Select(d => new Ownership(d.OwnerId, d.Visibility)).FirstOrDefaultAsync(cancellationToken);
    }

    public async Task<DatasetDetails?> GetAsync(int id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var dataset = await db.Datasets.AsNoTracking().Where(d => d.Id == id)
            .Select(d => new
            {
                Dataset = d,
                OwnerName = db.Users.Where(u => u.Id == d.OwnerId).Select(u => u.DisplayName).FirstOrDefault(),
                Columns = d.Columns.OrderBy(c => c.Ordinal).Select(c => new DatasetColumnInfo(c.Name, c.SourceName, c.Role)).ToList(),
            })
            .FirstOrDefaultAsync(cancellationToken);
        if (dataset is null)
        {
            return null;
        }

        var report = JsonSerializer.Deserialize<QualityReport>(dataset.Dataset.QualityReportJson, ReportJson)!;
        return new DatasetDetails(Summarize(dataset.Dataset, dataset.Columns.Count, dataset.OwnerName), dataset.Dataset.OriginalFileName,
            dataset.Dataset.DateColumn, dataset.Dataset.DefaultTarget, dataset.Columns, report);
    }

    /// <summary>The dataset's values; recently used series stay in a size-bounded cache.</summary>
    public Task<TimeSeriesFrame?> GetFrameAsync(int id, CancellationToken cancellationToken = default) => frames.GetAsync(id, cancellationToken);

    /// <summary>
    /// The series a new run (or sweep) with this config trains on, for the person starting it: the dataset's, with the
    /// config's inputs joined, each from a dataset they may read (one they may not looks like one that does not exist).
    /// The reasons in words when an input cannot be read or the join cannot be made; the join's report otherwise.
    /// </summary>
    public async Task<(JoinedFrame? Joined, IReadOnlyList<string> Problems)> TrainingFrameAsync(
        int id, Forecasting.Training.ForecastConfig config, Caller caller, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(caller);
        var unreadable = new List<string>();
        foreach (var input in config.Inputs)
        {
            if (DatasetFrames.InputDatasetId(input) is not int source || !caller.CanRead(await OwnershipAsync(source, cancellationToken)))
            {
                unreadable.Add(DatasetFrames.Missing(input));
            }
        }

        if (unreadable.Count > 0)
        {
            return (null, unreadable);
        }

        try
        {
            return (await frames.ForConfigAsync(id, config, cancellationToken), []);
        }
        catch (JoinException ex)
        {
            return (null, ex.Problems);
        }
    }

    /// <summary>
    /// Renames and describes a dataset, and shares or hides it (null keeps it); false when it does not exist or the
    /// caller may not see it, a <see cref="DatasetValidationException"/> when they may see it but not change it.
    /// </summary>
    public async Task<bool> UpdateAsync(int id, Caller by, string name, string? description, Visibility? visibility = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(by);
        var ownership = await OwnershipAsync(id, cancellationToken);
        if (!by.CanRead(ownership))
        {
            return false;
        }

        if (!by.CanEdit(ownership))
        {
            throw new DatasetValidationException("Only the dataset's owner or an admin can change it.");
        }

        var validName = ValidateName(name);
        var validDescription = ValidateDescription(description);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var changed = await db.Datasets.Where(d => d.Id == id).ExecuteUpdateAsync(set => set
            .SetProperty(d => d.Name, validName)
            .SetProperty(d => d.Description, validDescription)
            .SetProperty(d => d.Visibility, d => visibility ?? d.Visibility), cancellationToken);
        return changed == 1;
    }

    /// <summary>
    /// Why the caller may not delete a dataset, or null: only its owner (a member) or an admin may; nobody while runs
    /// on it are queued or training (they would fail on a missing dataset); and a member cannot take other people's
    /// runs down with their dataset (deleting cascades to its runs), where an admin can.
    /// </summary>
    public async Task<string?> DeletionBlockerAsync(int id, Caller caller, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var ownership = await OwnershipAsync(id, cancellationToken);
        if (!caller.CanRead(ownership))
        {
            return $"There is no dataset {id}.";
        }

        if (!caller.CanEdit(ownership))
        {
            return "Only the dataset's owner or an admin can delete it.";
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var busy = await db.Runs.CountAsync(r => r.DatasetId == id && (r.Status == RunStatus.Queued || r.Status == RunStatus.Running), cancellationToken);
        if (busy > 0)
        {
            return $"{busy} {(busy == 1 ? "run on this dataset is" : "runs on this dataset are")} queued or training; stop {(busy == 1 ? "it" : "them")} first.";
        }

        // Runs on other datasets that read this one as an input would lose their data: they go first, whoever asks.
        var readers = await RunsReadingAsync(db, id, cancellationToken);
        if (readers.Count > 0)
        {
            return $"{readers.Count} {(readers.Count == 1 ? "run reads" : "runs read")} this dataset as an input ({string.Join(", ", readers.Take(3).Select(n => $"'{n}'"))}{(readers.Count > 3 ? ", …" : "")}); delete {(readers.Count == 1 ? "it" : "them")} first.";
        }

        if (caller.IsAdmin)
        {
            return null;
        }

        var others = await db.Runs.CountAsync(r => r.DatasetId == id && (r.OwnerId == null || r.OwnerId != caller.UserId), cancellationToken);
        return others == 0 ? null : $"{others} {(others == 1 ? "run" : "runs")} by other people use this dataset; ask an admin to delete it.";
    }

    // The names of runs on other datasets whose config joins this dataset as an input (the JSON is narrowed in the
    // database, then read).
    private static async Task<List<string>> RunsReadingAsync(ForecastDbContext db, int id, CancellationToken cancellationToken)
    {
        var source = id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var candidates = await db.Runs.AsNoTracking().Where(r => r.DatasetId != id && r.ConfigJson.Contains("\"source\""))
            .Select(r => new { r.Name, r.ConfigJson }).ToListAsync(cancellationToken);
        return candidates
            .Where(r => JsonSerializer.Deserialize<Forecasting.Training.ForecastConfig>(r.ConfigJson, Forecasting.Training.ForecastJson.Options)!.Inputs.Any(i => i.Source == source))
            .Select(r => r.Name).ToList();
    }

    /// <summary>Deletes a dataset with its runs; the reason (from <see cref="DeletionBlockerAsync"/>) when it may not, null when deleted.</summary>
    public async Task<string?> DeleteAsync(int id, Caller by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(by);
        if (await DeletionBlockerAsync(id, by, cancellationToken) is { } blocker)
        {
            return blocker;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var dataset = await db.Datasets.FirstOrDefaultAsync(d => d.Id == id, cancellationToken);
        if (dataset is null)
        {
            return $"There is no dataset {id}.";
        }

        // Cascades to columns, timeline and runs; the feed's line goes in the same SaveChanges (one transaction).
        db.Datasets.Remove(dataset);
        activity.Add(db, by, ActivityAction.Deleted, dataset);
        await db.SaveChangesAsync(cancellationToken);
        cache.Remove(id);
        return null;
    }

    public static string ValidateName(string? name)
    {
        var trimmed = name?.Trim() ?? "";
        if (trimmed.Length == 0)
        {
            throw new DatasetValidationException("The name cannot be empty.");
        }

        return trimmed.Length > MaxNameLength
            ? throw new DatasetValidationException($"The name is {trimmed.Length} characters long; at most {MaxNameLength} are allowed.")
            : trimmed;
    }

    public static string? ValidateDescription(string? description)
    {
        var trimmed = description?.Trim();
        return trimmed?.Length > MaxDescriptionLength
            ? throw new DatasetValidationException($"The description is {trimmed.Length} characters long; at most {MaxDescriptionLength} are allowed.")
            : string.IsNullOrEmpty(trimmed) ? null : trimmed;
    }

    private static DatasetSummary Summarize(Dataset d, int columns, string? ownerName) =>
        new(d.Id, d.Name, d.Description, d.RowCount, columns, d.FirstTimestamp, d.LastTimestamp, d.Frequency, d.UploadedAt, d.IsSynthetic,
            d.OwnerId, ownerName, d.Visibility);

    private static DatasetDetails ToDetails(Dataset d, QualityReport report, string? ownerName) => new(
        Summarize(d, d.Columns.Count, ownerName), d.OriginalFileName, d.DateColumn, d.DefaultTarget,
        d.Columns.Select(c => new DatasetColumnInfo(c.Name, c.SourceName, c.Role)).ToList(), report);
}
