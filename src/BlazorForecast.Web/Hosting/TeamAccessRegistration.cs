using BlazorForecast.Web.Data;
using BlazorForecast.Web.Features.Team;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;

namespace BlazorForecast.Web.Hosting;

/// <summary>
/// Accounts and who may do what: Identity over the app's database, a cookie for browsers and bearer API tokens for
/// scripts (chosen per request by whether it carries a token), roles as authorization policies.
/// </summary>
public static class TeamAccessRegistration
{
    /// <summary>The scheme every request authenticates with; it forwards to the cookie or to the token handler.</summary>
    public const string Scheme = "BlazorForecast";

    /// <summary>Policy: members and admins (creating datasets and runs).</summary>
    public const string CanCreate = "CanCreate";

    /// <summary>Policy: admins only (the team's accounts).</summary>
    public const string AdminOnly = "AdminOnly";

    public static WebApplicationBuilder AddTeamAccess(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var section = builder.Configuration.GetSection(TeamOptions.Section);
        builder.Services.Configure<TeamOptions>(section);
        var team = section.Get<TeamOptions>() ?? new TeamOptions();

        builder.Services.AddAuthentication(options =>
            {
                options.DefaultScheme = Scheme;
                options.DefaultSignInScheme = IdentityConstants.ApplicationScheme;
            })
            .AddPolicyScheme(Scheme, "Cookie or API token", policy => policy.ForwardDefaultSelector = context =>
                ApiTokenAuthenticationHandler.ReadSecret(context.Request) is null ? IdentityConstants.ApplicationScheme : ApiTokenAuthenticationHandler.SchemeName)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, ApiTokenAuthenticationHandler>(ApiTokenAuthenticationHandler.SchemeName, null)
            .AddIdentityCookies();

        builder.Services.AddIdentityCore<AppUser>(identity => ConfigureIdentity(identity, team))
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<ForecastDbContext>()
            .AddSignInManager()
            .AddDefaultTokenProviders()
            .AddClaimsPrincipalFactory<TeamClaimsPrincipalFactory>();

        // Role changes and locks renew the security stamp; a minute later every cookie session has noticed.
        builder.Services.Configure<SecurityStampValidatorOptions>(stamp => stamp.ValidationInterval = TimeSpan.FromMinutes(1));
        builder.Services.ConfigureApplicationCookie(cookie =>
        {
            cookie.Cookie.Name = "BlazorForecast.Auth";
            cookie.LoginPath = "/account/login";
            cookie.AccessDeniedPath = "/account/denied";
            cookie.SlidingExpiration = true;
            cookie.ExpireTimeSpan = TimeSpan.FromDays(14);
            cookie.Events.OnRedirectToLogin = context => ApiAccessProblems.IsApiRequest(context.Request)
                ? ApiAccessProblems.WriteAsync(context.HttpContext, StatusCodes.Status401Unauthorized, "Sign in, or send an API token as \"Authorization: Bearer …\".")
                : RedirectAsync(context);
            cookie.Events.OnRedirectToAccessDenied = context => ApiAccessProblems.IsApiRequest(context.Request)
                ? ApiAccessProblems.WriteAsync(context.HttpContext, StatusCodes.Status403Forbidden, ApiAccessProblems.ForbiddenDetail)
                : RedirectAsync(context);
        });

        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(CanCreate, policy => policy.RequireRole(nameof(TeamRole.Member), nameof(TeamRole.Admin)))
            .AddPolicy(AdminOnly, policy => policy.RequireRole(nameof(TeamRole.Admin)));
        builder.Services.AddCascadingAuthenticationState();
        builder.Services.AddScoped<AuthenticationStateProvider, RevalidatingTeamAuthenticationStateProvider>();

        builder.Services.AddSingleton<TeamAccounts>();
        builder.Services.AddSingleton<ApiTokens>();
        builder.Services.AddSingleton<TeamRateLimits>();
        builder.Services.AddSingleton<ActivityLog>();
        builder.Services.AddSingleton<RunShareLinks>();
        return builder;
    }

    /// <summary>The account rules: unique e-mails, passphrase-friendly passwords, lockout after repeated failures.</summary>
    public static void ConfigureIdentity(IdentityOptions identity, TeamOptions team)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(team);
        identity.User.RequireUniqueEmail = true;

        // Length over composition rules (NIST SP 800-63B): a passphrase is fine, "Passw0rd!" is short.
        identity.Password.RequiredLength = 10;
        identity.Password.RequireDigit = false;
        identity.Password.RequireLowercase = false;
        identity.Password.RequireUppercase = false;
        identity.Password.RequireNonAlphanumeric = false;
        identity.Lockout.MaxFailedAccessAttempts = team.MaxFailedSignIns;
        identity.Lockout.DefaultLockoutTimeSpan = team.LockoutDuration;
        identity.Lockout.AllowedForNewUsers = true;
    }

    private static Task RedirectAsync(Microsoft.AspNetCore.Authentication.RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> context)
    {
        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }
}
