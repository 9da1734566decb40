using System.ComponentModel.DataAnnotations;

namespace BlazorForecast.Web.Features.Team;

/// <summary>The sign-in form.</summary>
public sealed class SignInInput
{
    [Required(ErrorMessage = "Enter your e-mail address.")]
    public string Email { get; set; } = "";

    [Required(ErrorMessage = "Enter your password.")]
    public string Password { get; set; } = "";
}

/// <summary>The first admin's form, and self-registration's where it is on.</summary>
public sealed class NewAccountInput
{
    [Required(ErrorMessage = "Enter your name as the team should see it.")]
    [StringLength(TeamAccounts.MaxDisplayNameLength, ErrorMessage = "A name has at most 100 characters.")]
    public string DisplayName { get; set; } = "";

    [Required(ErrorMessage = "Enter your e-mail address.")]
    [EmailAddress(ErrorMessage = "That is not an e-mail address.")]
    public string Email { get; set; } = "";

    [Required(ErrorMessage = "Choose a password of at least 10 characters.")]
    public string Password { get; set; } = "";

    [Compare(nameof(Password), ErrorMessage = "The two passwords differ.")]
    public string ConfirmPassword { get; set; } = "";
}

/// <summary>The change-password form.</summary>
public sealed class ChangePasswordInput
{
    [Required(ErrorMessage = "Enter your current password.")]
    public string CurrentPassword { get; set; } = "";

    [Required(ErrorMessage = "Choose a new password of at least 10 characters.")]
    public string NewPassword { get; set; } = "";

    [Compare(nameof(NewPassword), ErrorMessage = "The two new passwords differ.")]
    public string ConfirmPassword { get; set; } = "";
}
