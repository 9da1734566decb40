using BlazorForecast.Web.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace BlazorForecast.Web.Api;

/// <summary>Marks the endpoints that take a file: only they may receive more than the app's small request limit.</summary>
public static class UploadBodyLimit
{
    public static RouteHandlerBuilder AcceptsUpload(this RouteHandlerBuilder endpoint, IEndpointRouteBuilder routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        var options = routes.ServiceProvider.GetRequiredService<IOptions<BlazorForecastOptions>>().Value;
        return endpoint.DisableAntiforgery().WithMetadata(new RequestSizeLimitAttribute(options.MaxUploadRequestBytes));
    }
}
