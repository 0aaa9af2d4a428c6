using System.Text.Json;

namespace CommerceOS.Core.Common;

public static class JsonElements
{
    /// <summary>Stored JSON as an element to embed in a response; null when absent or unreadable.</summary>
    public static JsonElement? Parse(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
