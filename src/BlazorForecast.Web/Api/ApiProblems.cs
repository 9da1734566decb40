using BlazorForecast.Web.Hosting;
using BlazorForecast.Web.Features.Team;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BlazorForecast.Web.Api;

/// <summary>Problem details every endpoint group answers alike.</summary>
public static class ApiProblems
{
    public static ProblemHttpResult TooManyRequests(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests");

    /// <summary>
    /// Reads an upload's form; null when the body is larger than the upload limit (the request's limit cuts it off
    /// while it is read, whether or not it declared its length).
    /// </summary>
    public static async Task<IFormCollection?> ReadUploadFormAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            return await request.ReadFormAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is InvalidDataException or BadHttpRequestException)
        {
            return null;
        }
    }

    public static ProblemHttpResult UploadTooLarge(long limit) =>
        TypedResults.Problem($"The upload is larger than the limit of {ByteSize.Format(limit)}.", statusCode: StatusCodes.Status413PayloadTooLarge,
            title: "File too large");

    public static ProblemHttpResult From(RateLimitedException ex)
    {
        ArgumentNullException.ThrowIfNull(ex);
        return TooManyRequests(ex.Message);
    }
}
