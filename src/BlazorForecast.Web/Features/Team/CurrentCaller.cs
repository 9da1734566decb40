using Microsoft.AspNetCore.Components.Authorization;

namespace BlazorForecast.Web.Features.Team;

/// <summary>The <see cref="Caller"/> of a Blazor circuit, read from its authentication state when a component needs it.</summary>
public sealed class CurrentCaller(AuthenticationStateProvider authentication)
{
    public async Task<Caller> GetAsync() => Caller.From((await authentication.GetAuthenticationStateAsync()).User);
}
