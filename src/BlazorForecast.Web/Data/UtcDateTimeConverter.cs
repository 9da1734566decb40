using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace BlazorForecast.Web.Data;

/// <summary>
/// Every DateTime the app stores is UTC; SQLite keeps them as text without a zone, so values read back are marked UTC
/// again. Without this they come back Unspecified and serialise without "Z", which clients read as local time.
/// </summary>
public sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
    value => value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : value,
    value => DateTime.SpecifyKind(value, DateTimeKind.Utc));
