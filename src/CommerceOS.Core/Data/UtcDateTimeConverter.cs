using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace CommerceOS.Core.Data;

/// <summary>All times are UTC; SQLite hands them back unspecified, so mark them UTC on read.</summary>
public sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
    value => value.Kind == DateTimeKind.Utc ? value : DateTime.SpecifyKind(value, DateTimeKind.Utc),
    value => DateTime.SpecifyKind(value, DateTimeKind.Utc));
