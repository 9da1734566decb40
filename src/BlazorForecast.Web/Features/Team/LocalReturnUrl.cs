namespace BlazorForecast.Web.Features.Team;

/// <summary>Where to go after signing in: only a path on this site, never another host ("//evil", "/\evil", "https://…").</summary>
public static class LocalReturnUrl
{
    public static string Resolve(string? returnUrl) =>
        returnUrl is { Length: > 0 } url && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\')) && !url.Contains("://", StringComparison.Ordinal)
            ? url
            : "/";
}
