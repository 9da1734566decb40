using System.Text.Json;
using BlazorForecast.Forecasting.Data;
using BlazorForecast.Forecasting.Evaluation;
using BlazorForecast.Forecasting.Training;
using BlazorForecast.Web.Data;
using BlazorForecast.Web.Features.Datasets;
using BlazorForecast.Web.Features.Sweeps;
using BlazorForecast.Web.Features.Team;
using Microsoft.EntityFrameworkCore;

namespace BlazorForecast.Web.Features.Results;

/// <summary>Reads a finished run's stored results, predictions, model and dataset for the results pages and the API.</summary>
public sealed class RunResultsService(IDbContextFactory<ForecastDbContext> dbFactory, DatasetService datasets, DatasetFrames frames)
{
    /// <summary>The results, or null with the reason: no such run, or one without results yet.</summary>
    public async Task<(RunResults? Results, string? Problem, bool NotFound)> LoadAsync(int runId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var run = await db.Runs.AsNoTracking()
            .Where(r => r.Id == runId)
            .Select(r => new { r.Id, r.Name, r.DatasetId, r.Status, r.ConfigJson, r.ResultJson, r.AssessmentJson, r.SweepId, r.SweepRole, r.TrialNumber })
            .FirstOrDefaultAsync(cancellationToken);
        if (run is null)
        {
            return (null, $"There is no run {runId}.", true);
        }

        if (await SweepTrials.TestScoresWithheldAsync(db, run.SweepRole, run.SweepId, cancellationToken))
        {
            return (null, WithheldWhileSearching(run.TrialNumber ?? 0), false);
        }

        if (run.ResultJson is null)
        {
            return (null, $"Run {runId} has no results yet: it is {run.Status.ToString().ToLowerInvariant()}.", false);
        }

        var predictions = await db.RunArtifacts.AsNoTracking().Where(a => a.RunId == runId).Select(a => a.Predictions).FirstOrDefaultAsync(cancellationToken);
        var datasetName = await db.Datasets.AsNoTracking().Where(d => d.Id == run.DatasetId).Select(d => d.Name).FirstAsync(cancellationToken);
        var config = JsonSerializer.Deserialize<ForecastConfig>(run.ConfigJson, ForecastJson.Options)!;
        TimeSeriesFrame frame;
        try
        {
            frame = (await frames.ForConfigAsync(run.DatasetId, config, cancellationToken))?.Frame
                ?? throw new InvalidOperationException($"The dataset of run {runId} has no series.");
        }
        catch (JoinException ex)
        {
            return (null, $"The results of run {runId} cannot be shown: its inputs cannot be joined any more. {string.Join(" ", ex.Problems)}", false);
        }

        var stored = StoredResults.Read(config, run.ResultJson);
        return (new RunResults(
            run.Id,
            run.Name,
            run.DatasetId,
            datasetName,
            config,
            stored.Folds,
            predictions is null ? null : PredictionSet.FromBytes(predictions),
            frame,
            run.AssessmentJson is null ? null : JsonSerializer.Deserialize<Assessment>(run.AssessmentJson, ForecastJson.Options))
        {
            Direction = stored.Direction,
            Universe = stored.Universe,
        }, null, false);
    }

    /// <summary>The result JSON of an imported model: no folds, as it was scored elsewhere.</summary>
    public const string ImportedModelResults = "[]";

    /// <summary>
    /// Why a trial's test scores are not shown: a sweep compares trials on validation loss only, and its test segment is
    /// looked at once, for the configuration it chose.
    /// </summary>
    public static string WithheldWhileSearching(int trialNumber) =>
        $"Test scores of trial {trialNumber + 1} are withheld until its sweep has its result: trials are compared on validation loss only, and the test segment is scored once, for the chosen configuration.";

    /// <summary>
    /// The run's model applied to the latest rows of a dataset (the run's own by default, or any with the columns the
    /// model reads): the next H values with intervals. Returns the problem in words when it cannot.
    /// </summary>
    /// <param name="series">For a model trained across several series, the column to forecast (a series it never saw is
    /// forecast zero-shot); its first series when not given. Ignored by other models.</param>
    public async Task<(FutureForecast? Forecast, string? Problem)> ForecastAsync(
        int runId, int datasetId, Caller caller, string? series = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var model = await ModelAsync(runId, cancellationToken);
        if (model is null)
        {
            return (null, await WithoutModelAsync(runId, cancellationToken));
        }

        // The run's own dataset comes with the run (a shared run may forecast from its owner's private data); any
        // other must be one the caller may read, and one they may not looks like one that does not exist.
        if (!await IsRunDatasetAsync(runId, datasetId, cancellationToken)
            && !caller.CanRead(await datasets.OwnershipAsync(datasetId, cancellationToken)))
        {
            return (null, $"There is no dataset {datasetId}.");
        }

        var bundle = ModelBundle.Load(new MemoryStream(model));
        TimeSeriesFrame? frame;
        try
        {
            // A model that reads other series forecasts from the dataset with them joined, as it was trained.
            frame = (await frames.ForConfigAsync(datasetId, bundle.Config, cancellationToken))?.Frame;
        }
        catch (JoinException ex)
        {
            return (null, $"The model's inputs cannot be joined to dataset {datasetId}: {string.Join(" ", ex.Problems)}");
        }

        if (frame is null)
        {
            return (null, $"There is no dataset {datasetId}.");
        }

        try
        {
            // Inference is short, but it is TorchSharp work: keep it off the request's synchronisation context.
            return (await Task.Run(() => bundle.Universe is { } universe
                ? Forecaster.ForecastSeries(bundle, frame, series ?? universe.Series[0])
                : Forecaster.Forecast(bundle, frame), cancellationToken), null);
        }
        catch (ForecastConfigException ex)
        {
            return (null, ex.Message);
        }
    }

    private async Task<bool> IsRunDatasetAsync(int runId, int datasetId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Runs.AnyAsync(r => r.Id == runId && r.DatasetId == datasetId, cancellationToken);
    }

    /// <summary>Why a run has no model to forecast with or download, in words.</summary>
    public async Task<string> WithoutModelAsync(int runId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var role = await db.Runs.AsNoTracking().Where(r => r.Id == runId).Select(r => r.SweepRole).FirstOrDefaultAsync(cancellationToken);
        return role == SweepRole.Ensemble
            ? $"Run {runId} is a sweep's ensemble: it blends its members' forecasts and has no single model to forecast with or download. Use the sweep's result run, or its member trials."
            : $"Run {runId} has no trained model.";
    }

    /// <summary>The trained model bundle (the file the CLI's forecast command reads), or null.</summary>
    public async Task<byte[]?> ModelAsync(int runId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.RunArtifacts.AsNoTracking().Where(a => a.RunId == runId).Select(a => a.Model).FirstOrDefaultAsync(cancellationToken);
    }
}
