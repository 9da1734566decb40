using Microsoft.AspNetCore.Identity;

namespace BlazorForecast.Web.Data;

/// <summary>A team member's account (ASP.NET Core Identity, same database): the e-mail is the user name.</summary>
public sealed class AppUser : IdentityUser
{
    public required string DisplayName { get; set; }

    public DateTime CreatedAt { get; set; }
}
