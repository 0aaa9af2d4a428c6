using System.Text.Json;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CommerceOS.Core.Data;

/// <summary>
/// Stores a value as JSON text. Used instead of provider JSON mapping so that SQLite and
/// PostgreSQL store the same shape and the two migration sets stay alike.
/// </summary>
public static class JsonColumn
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static PropertyBuilder<T> HasJsonConversion<T>(this PropertyBuilder<T> property)
        where T : class, new()
    {
        property.HasConversion(
            value => JsonSerializer.Serialize(value, Options),
            json => string.IsNullOrEmpty(json) ? new T() : JsonSerializer.Deserialize<T>(json, Options) ?? new T(),
            new ValueComparer<T>(
                (a, b) => JsonSerializer.Serialize(a, Options) == JsonSerializer.Serialize(b, Options),
                value => JsonSerializer.Serialize(value, Options).GetHashCode(StringComparison.Ordinal),
                value => JsonSerializer.Deserialize<T>(JsonSerializer.Serialize(value, Options), Options)!));
        property.IsRequired();
        return property;
    }

    public static PropertyBuilder<T> HasJsonConversion<T>(this PropertyBuilder<T> property, Func<T> empty)
        where T : class
    {
        property.HasConversion(
            value => JsonSerializer.Serialize(value, Options),
            json => string.IsNullOrEmpty(json) ? empty() : JsonSerializer.Deserialize<T>(json, Options) ?? empty(),
            new ValueComparer<T>(
                (a, b) => JsonSerializer.Serialize(a, Options) == JsonSerializer.Serialize(b, Options),
                value => JsonSerializer.Serialize(value, Options).GetHashCode(StringComparison.Ordinal),
                value => JsonSerializer.Deserialize<T>(JsonSerializer.Serialize(value, Options), Options)!));
        property.IsRequired();
        return property;
    }
}
