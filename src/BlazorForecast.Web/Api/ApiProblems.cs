using BlazorForecast.Web.Features.Team;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BlazorForecast.Web.Api;

/// <summary>Problem details every endpoint group answers alike.</summary>
public static class ApiProblems
{
    public static ProblemHttpResult TooManyRequests(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests");

    public static ProblemHttpResult From(RateLimitedException ex)
    {
        ArgumentNullException.ThrowIfNull(ex);
        return TooManyRequests(ex.Message);
    }
}
