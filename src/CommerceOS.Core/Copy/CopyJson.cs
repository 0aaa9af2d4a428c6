using System.Text.Json;
using System.Text.Json.Serialization;

namespace CommerceOS.Core.Copy;

/// <summary>The one JSON shape of stored copy, traces, issues and job inputs (web casing, enums as names).</summary>
public static class CopyJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static string Write<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T Read<T>(string? json, T fallback)
    {
        if (string.IsNullOrEmpty(json))
        {
            return fallback;
        }

        try
        {
            return JsonSerializer.Deserialize<T>(json, Options) ?? fallback;
        }
        catch (JsonException)
        {
            // A row in an older shape shows without the detail rather than failing the page.
            return fallback;
        }
    }

    public static ListingText Text(ListingCopyVersion version) => Read(version.TextJson, new ListingText());

    public static IReadOnlyList<CopyIssue> Issues(string? json) => Read<List<CopyIssue>>(json, []);

    public static IReadOnlyList<CopyTrace> Traces(ListingCopyVersion version) => Read<List<CopyTrace>>(version.TracesJson, []);

    public static IReadOnlyList<ItemTranslation> Translation(ListingCopyVersion version) => Read<List<ItemTranslation>>(version.TranslationJson, []);
}
