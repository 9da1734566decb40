using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace BlazorForecast.Web.Data;

/// <summary>
/// Every DateTime the app stores is UTC; SQLite keeps them as text without a zone, so values read back are marked UTC
/// again. Without this they come back Unspecified and serialise without "Z", which clients read as local time. Values
/// written without a kind are UTC too, which PostgreSQL's timestamp with time zone insists on being told.
/// </summary>
public sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
    value => value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : DateTime.SpecifyKind(value, DateTimeKind.Utc),
    value => DateTime.SpecifyKind(value, DateTimeKind.Utc));
