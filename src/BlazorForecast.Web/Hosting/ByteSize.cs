using System.Globalization;

namespace BlazorForecast.Web.Hosting;

/// <summary>File sizes for people: "512 KB", "1.5 MB".</summary>
public static class ByteSize
{
    public static string Format(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} bytes",
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.#} KB"),
        < 1024L * 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):0.##} MB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024 * 1024):0.##} GB"),
    };

    public static string TooLarge(long bytes, long limit) =>
        $"The file is {Format(bytes)}; the limit is {Format(limit)}.";
}
