using System.Text;
using BlazorForecast.Forecasting.Evaluation;
using BlazorForecast.Forecasting.Training;
using BlazorForecast.Web.Features.Results;
using BlazorForecast.Web.Features.Team;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace BlazorForecast.Web.Api;

/// <summary>
/// A finished run's results: /api/runs/{id}/predictions, /metrics (JSON, or CSV with ?format=csv), /direction (a direction
/// run's classification scores), /universe (a run across its targets: each series' scores and the cross-section's), /risk (the target's risk summary and backtests), /model (the bundle the CLI's forecast command reads) and /forecast (the next H values
/// from the latest rows of the run's dataset or of another with the same columns).
/// </summary>
public static class RunResultEndpoints
{
    public static IEndpointRouteBuilder MapRunResultEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/runs/{id:int}").WithTags("Run results").RequireAuthorization().RequireRunAccess().RequireAntiforgeryForCookies();
        group.MapGet("/predictions", PredictionsAsync).Produces<PredictionsResponse>().AlsoAnswersCsv()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet("/metrics", MetricsAsync).Produces<MetricsResponse>().AlsoAnswersCsv()
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet("/direction", DirectionAsync).Produces<DirectionResponse>()
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet("/universe", UniverseAsync).Produces<UniverseResponse>()
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet("/risk", RiskAsync).Produces<RiskReport>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet("/model", ModelAsync).AnswersFile("application/octet-stream", "The run's model bundle (.bfmodel), as the CLI's forecast command reads it.")
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet("/forecast", ForecastAsync).Produces<FutureForecast>().AlsoAnswersCsv()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict);
        return routes;
    }

    private static async Task<IResult> PredictionsAsync(
        int id, RunResultsService service, string? segment, int? step, string? target, string? format, CancellationToken cancellationToken)
    {
        var (results, problem) = await LoadAsync(id, service, cancellationToken);
        if (results is null)
        {
            return problem!;
        }

        if (!Enum.TryParse<PredictionSegment>(segment ?? nameof(PredictionSegment.Test), ignoreCase: true, out var part))
        {
            return BadRequest($"Unknown segment '{segment}'; use test or validation.");
        }

        if (results.Predictions is not { } set)
        {
            return Conflict($"Run {id} finished before predictions were stored; retry it to get them.");
        }

        if (IsCsv(format))
        {
            return Csv(ResultsCsv.Predictions(results, part), $"run-{id}-predictions.csv");
        }

        var targets = target is null ? Enumerable.Range(0, set.Targets.Count).ToList() : [set.Targets.ToList().IndexOf(target)];
        if (targets.Contains(-1))
        {
            return BadRequest($"Run {id} does not forecast '{target}'; it forecasts {string.Join(", ", set.Targets)}.");
        }

        if (step is int k && set.StepIndex(k) < 0)
        {
            return BadRequest($"Step {k} is not stored for run {id}; stored steps are {string.Join(", ", set.Steps)}.");
        }

        var steps = step is int only ? [only] : set.Steps;
        var series = targets.SelectMany(t => steps.Select(k => new PredictionSeriesResponse(
            set.Targets[t], k, PredictionSeries.Build(results, part, k, t)))).ToList();
        return TypedResults.Ok(new PredictionsResponse(id, part, set.Steps, series, set.Future));
    }

    private static async Task<IResult> MetricsAsync(
        int id, RunResultsService service, IOptions<EvaluationOptions> evaluation, string? format, CancellationToken cancellationToken)
    {
        var (results, problem) = await LoadAsync(id, service, cancellationToken);
        if (results is null)
        {
            return problem!;
        }

        return IsCsv(format)
            ? Csv(ResultsCsv.Metrics(results), $"run-{id}-metrics.csv")
            : TypedResults.Ok(MetricsResponse.From(results, evaluation.Value.SignificanceLevel));
    }

    private static async Task<IResult> DirectionAsync(int id, RunResultsService service, IOptions<EvaluationOptions> evaluation, CancellationToken cancellationToken)
    {
        var (results, problem) = await LoadAsync(id, service, cancellationToken, kind: Scores.Direction);
        return results is null
            ? problem!
            : TypedResults.Ok(DirectionResponse.From(id, results.Config.Direction!, results.Direction!, evaluation.Value.SignificanceLevel));
    }

    private static async Task<IResult> UniverseAsync(int id, RunResultsService service, IOptions<EvaluationOptions> evaluation, CancellationToken cancellationToken)
    {
        var (results, problem) = await LoadAsync(id, service, cancellationToken, kind: Scores.Universe);
        return results is null
            ? problem!
            : TypedResults.Ok(UniverseResponse.From(id, results.Config.AcrossTargets!, results.Universe!, evaluation.Value.SignificanceLevel));
    }

    private static async Task<IResult> RiskAsync(int id, RunResultsService service, string? target, double? costBps, double? threshold, CancellationToken cancellationToken)
    {
        var (results, problem) = await LoadAsync(id, service, cancellationToken, kind: Scores.Either);
        if (results is null)
        {
            return problem!;
        }

        var index = target is null ? 0 : results.Config.Targets.ToList().IndexOf(target);
        if (index < 0)
        {
            return BadRequest($"Run {id} does not forecast '{target}'; it forecasts {string.Join(", ", results.Config.Targets)}.");
        }

        if (costBps is { } cost && !(cost is >= 0 and <= 10_000))
        {
            return BadRequest("The cost per trade must be between 0 and 10,000 basis points.");
        }

        if (threshold is { } cut && (results.Direction is null || !(cut is >= 0.5 and < 1)))
        {
            return BadRequest(results.Direction is null
                ? $"Run {id} forecasts values: a probability threshold applies to direction runs only."
                : "The threshold must be a probability of at least 0.5 and below 1.");
        }

        try
        {
            return TypedResults.Ok(RiskReport.Build(results, index, costBps ?? RiskReport.DefaultCostBasisPoints, threshold));
        }
        catch (InvalidOperationException ex)
        {
            return Conflict(ex.Message);
        }
    }

    private static async Task<IResult> ModelAsync(int id, RunResultsService service, CancellationToken cancellationToken)
    {
        var (results, problem) = await LoadAsync(id, service, cancellationToken, needsScores: false);
        if (results is null)
        {
            return problem!;
        }

        var model = await service.ModelAsync(id, cancellationToken);
        return model is null
            ? Conflict(await service.WithoutModelAsync(id, cancellationToken))
            : TypedResults.File(model, "application/octet-stream", $"run-{id}.bfmodel");
    }

    private static async Task<IResult> ForecastAsync(
        int id, HttpContext context, RunResultsService service, int? datasetId, string? series, string? format, CancellationToken cancellationToken)
    {
        var (results, problem) = await LoadAsync(id, service, cancellationToken, needsScores: false);
        if (results is null)
        {
            return problem!;
        }

        var (forecast, reason) = await service.ForecastAsync(id, datasetId ?? results.DatasetId, Caller.From(context.User), series, cancellationToken);
        if (forecast is null)
        {
            return reason!.StartsWith("There is no dataset", StringComparison.Ordinal)
                ? TypedResults.Problem(reason, statusCode: StatusCodes.Status404NotFound, title: "Dataset not found")
                : BadRequest(reason);
        }

        return IsCsv(format) ? Csv(ResultsCsv.Forecast(forecast), $"run-{id}-forecast.csv") : TypedResults.Ok(forecast);
    }

    // Which scores an endpoint reads: those of value forecasts, of direction forecasts, either, those of a run across its
    // targets, or none (the model).
    private enum Scores
    {
        Values,
        Direction,
        Either,
        Universe,
        None,
    }

    // Scores, predictions and risk need a run trained here; an imported model still has its model and forecasts.
    private static async Task<(RunResults? Results, IResult? Problem)> LoadAsync(
        int id, RunResultsService service, CancellationToken cancellationToken, bool needsScores = true, Scores kind = Scores.Values)
    {
        var (results, problem, notFound) = await service.LoadAsync(id, cancellationToken);
        if (results is null)
        {
            return (null, notFound
                ? TypedResults.Problem(problem, statusCode: StatusCodes.Status404NotFound, title: "Run not found")
                : Conflict(problem!));
        }

        kind = needsScores ? kind : Scores.None;
        var refusal = (kind, results) switch
        {
            (Scores.None, _) => null,
            (_, { IsImported: true }) => $"Run {id} is an imported model: it was trained elsewhere and has no test results here.",
            (Scores.Values or Scores.Either, { Universe: not null }) => $"Run {id} trained one model across its targets: its scores are at /api/runs/{id}/universe.",
            (Scores.Values, { Direction: not null }) => $"Run {id} forecasts directions, not values: its scores are at /api/runs/{id}/direction.",
            (Scores.Direction, { Direction: null }) => $"Run {id} forecasts values, not directions: its scores are at /api/runs/{id}/{(results.Universe is null ? "metrics" : "universe")}.",
            (Scores.Universe, { Universe: null }) => $"Run {id} did not train one model across its targets: its scores are at /api/runs/{id}/{(results.Direction is null ? "metrics" : "direction")}.",
            _ => null,
        };
        return refusal is null ? (results, null) : (null, Conflict(refusal));
    }

    private static bool IsCsv(string? format) => string.Equals(format, "csv", StringComparison.OrdinalIgnoreCase);

    private static FileContentHttpResult Csv(string text, string fileName) =>
        TypedResults.File(Encoding.UTF8.GetBytes(text), "text/csv; charset=utf-8", fileName);

    private static ProblemHttpResult BadRequest(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: "Invalid request");

    private static ProblemHttpResult Conflict(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status409Conflict, title: "No results");
}

/// <summary>One target at one horizon step, point by point.</summary>
public sealed record PredictionSeriesResponse(string Target, int Step, IReadOnlyList<PredictionPoint> Points);

/// <summary>GET /api/runs/{id}/predictions.</summary>
public sealed record PredictionsResponse(int RunId, PredictionSegment Segment, int[] StoredSteps, IReadOnlyList<PredictionSeriesResponse> Series, FutureForecast? Future);
