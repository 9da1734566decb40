using System.Security.Cryptography;
using System.Text;

namespace BlazorForecast.Web.Features.Team;

/// <summary>
/// Bearer secrets (API tokens, share links): 256 random bits in URL-safe base64, stored only as SHA-256 hex. A slow
/// password hash buys nothing against secrets this long, and the hash lets a request find its row by index.
/// </summary>
public static class Secrets
{
    public static string New() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string Hash(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
    }
}
