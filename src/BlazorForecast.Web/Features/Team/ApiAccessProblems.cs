namespace BlazorForecast.Web.Features.Team;

/// <summary>The 401 and 403 answers of the API and the hub: problem details, never a redirect to the sign-in page.</summary>
public static class ApiAccessProblems
{
    public const string ForbiddenDetail = "Your role does not allow this.";

    /// <summary>Requests that get problem details instead of the sign-in page.</summary>
    public static bool IsApiRequest(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Path.StartsWithSegments("/api") || request.Path.StartsWithSegments(Training.TrainingHub.Path);
    }

    public static async Task WriteAsync(HttpContext context, int status, string detail)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.StatusCode = status;
        var problems = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails =
            {
                Status = status,
                Title = status == StatusCodes.Status401Unauthorized ? "Not signed in" : "Not allowed",
                Detail = detail,
            },
        });
    }
}
