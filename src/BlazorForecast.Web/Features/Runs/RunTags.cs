using System.Text.RegularExpressions;

namespace BlazorForecast.Web.Features.Runs;

/// <summary>
/// The rules for run tags: trimmed, at most <see cref="MaxLength"/> characters of letters, digits, spaces and - _ . /,
/// at most <see cref="MaxCount"/> per run, duplicates (ignoring case) dropped, order kept.
/// </summary>
public static partial class RunTags
{
    public const int MaxLength = 32;

    public const int MaxCount = 12;

    /// <summary>The cleaned tags, and every problem in words.</summary>
    public static (IReadOnlyList<string> Tags, IReadOnlyList<string> Problems) Normalize(IEnumerable<string> tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        var cleaned = tags.Select(t => t.Trim()).Where(t => t.Length > 0).DistinctBy(t => t.ToUpperInvariant()).ToList();
        var problems = cleaned.Where(t => t.Length > MaxLength).Select(t => $"The tag '{t}' is longer than {MaxLength} characters.")
            .Concat(cleaned.Where(t => !Allowed().IsMatch(t)).Select(t => $"The tag '{t}' may only hold letters, digits, spaces and - _ . /."))
            .ToList();
        if (cleaned.Count > MaxCount)
        {
            problems.Add($"A run takes at most {MaxCount} tags; {cleaned.Count} were given.");
        }

        return (cleaned, problems);
    }

    /// <summary>Tags typed as one comma-separated line.</summary>
    public static IEnumerable<string> Split(string? line) => (line ?? "").Split(',');

    [GeneratedRegex(@"^[\p{L}\p{N} _./-]+$")]
    private static partial Regex Allowed();
}
