using System.Globalization;
using System.Text;
using System.Text.Json;
using CommerceOS.Core.Llm;

namespace CommerceOS.Connectors.Llm;

/// <summary>
/// Checks a reply against the JSON schema we sent, listing every violation with its path, so one
/// repair round can fix them all (deserialisation alone stops at the first). Covers the keywords
/// <c>AIJsonUtilities.CreateJsonSchema</c> emits for records: type, properties, required,
/// additionalProperties, items, enum, const, min/maxLength, min/maxItems, minimum/maximum, anyOf
/// and local <c>$ref</c>s; other keywords are ignored rather than guessed.
/// </summary>
public static class JsonSchemaCheck
{
    private const int MaxFailures = 20;

    public static List<LlmRuleFailure> Check(JsonElement schema, JsonElement value)
    {
        var failures = new List<LlmRuleFailure>();
        Walk(schema, schema, value, "$", failures);
        return failures;
    }

    private static void Walk(JsonElement root, JsonElement schema, JsonElement value, string path, List<LlmRuleFailure> failures)
    {
        if (failures.Count >= MaxFailures || schema.ValueKind != JsonValueKind.Object)
        {
            // "true"/"{}" schemas accept anything.
            return;
        }

        if (schema.TryGetProperty("$ref", out var reference) && reference.GetString() is { } pointer)
        {
            if (Resolve(root, pointer) is { } target)
            {
                Walk(root, target, value, path, failures);
            }

            return;
        }

        if (schema.TryGetProperty("anyOf", out var anyOf) && anyOf.ValueKind == JsonValueKind.Array)
        {
            var branches = anyOf.EnumerateArray().ToList();
            if (branches.Count > 0 && !branches.Any(branch => Check(root, branch, value).Count == 0))
            {
                Fail(failures, path, "does not match any of the allowed shapes");
                return;
            }
        }

        if (schema.TryGetProperty("type", out var type) && !TypeMatches(type, value))
        {
            Fail(failures, path, $"must be {Describe(type)}, not {Kind(value)}");
            return;
        }

        if (schema.TryGetProperty("enum", out var allowed) && allowed.ValueKind == JsonValueKind.Array
            && !allowed.EnumerateArray().Any(a => JsonElement.DeepEquals(a, value)))
        {
            Fail(failures, path, $"must be one of {string.Join(", ", allowed.EnumerateArray().Select(a => a.GetRawText()))}");
        }

        if (schema.TryGetProperty("const", out var constant) && !JsonElement.DeepEquals(constant, value))
        {
            Fail(failures, path, $"must be {constant.GetRawText()}");
        }

        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                CheckObject(root, schema, value, path, failures);
                break;
            case JsonValueKind.Array:
                CheckArray(root, schema, value, path, failures);
                break;
            case JsonValueKind.String:
                var length = CountRunes(value.GetString()!);
                if (Number(schema, "minLength") is { } minLength && length < minLength)
                {
                    Fail(failures, path, $"must have at least {minLength} characters, has {length}");
                }

                if (Number(schema, "maxLength") is { } maxLength && length > maxLength)
                {
                    Fail(failures, path, $"must have at most {maxLength} characters, has {length}");
                }

                break;
            case JsonValueKind.Number:
                var number = value.GetDouble();
                if (Number(schema, "minimum") is { } minimum && number < minimum)
                {
                    Fail(failures, path, $"must be at least {minimum.ToString(CultureInfo.InvariantCulture)}");
                }

                if (Number(schema, "maximum") is { } maximum && number > maximum)
                {
                    Fail(failures, path, $"must be at most {maximum.ToString(CultureInfo.InvariantCulture)}");
                }

                break;
            default:
                break;
        }
    }

    private static List<LlmRuleFailure> Check(JsonElement root, JsonElement schema, JsonElement value)
    {
        var failures = new List<LlmRuleFailure>();
        Walk(root, schema, value, "$", failures);
        return failures;
    }

    private static void CheckObject(JsonElement root, JsonElement schema, JsonElement value, string path, List<LlmRuleFailure> failures)
    {
        var properties = schema.TryGetProperty("properties", out var p) && p.ValueKind == JsonValueKind.Object ? p : default;
        if (schema.TryGetProperty("required", out var required) && required.ValueKind == JsonValueKind.Array)
        {
            foreach (var name in required.EnumerateArray().Select(r => r.GetString()).OfType<string>())
            {
                if (!value.TryGetProperty(name, out _))
                {
                    Fail(failures, Child(path, name), "is required but missing");
                }
            }
        }

        var additional = schema.TryGetProperty("additionalProperties", out var a) ? a : default;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in value.EnumerateObject())
        {
            var childPath = Child(path, property.Name);
            if (!seen.Add(property.Name))
            {
                Fail(failures, childPath, "appears twice");
                continue;
            }

            if (properties.ValueKind == JsonValueKind.Object && properties.TryGetProperty(property.Name, out var propertySchema))
            {
                Walk(root, propertySchema, property.Value, childPath, failures);
            }
            else if (additional.ValueKind == JsonValueKind.False)
            {
                Fail(failures, childPath, "is not an allowed property (check the spelling and letter case)");
            }
            else if (additional.ValueKind == JsonValueKind.Object)
            {
                Walk(root, additional, property.Value, childPath, failures);
            }
        }
    }

    private static void CheckArray(JsonElement root, JsonElement schema, JsonElement value, string path, List<LlmRuleFailure> failures)
    {
        var count = value.GetArrayLength();
        if (Number(schema, "minItems") is { } minItems && count < minItems)
        {
            Fail(failures, path, $"must have at least {minItems} items, has {count}");
        }

        if (Number(schema, "maxItems") is { } maxItems && count > maxItems)
        {
            Fail(failures, path, $"must have at most {maxItems} items, has {count}");
        }

        if (schema.TryGetProperty("items", out var items))
        {
            var index = 0;
            foreach (var item in value.EnumerateArray())
            {
                Walk(root, items, item, string.Create(CultureInfo.InvariantCulture, $"{path}[{index++}]"), failures);
            }
        }
    }

    private static bool TypeMatches(JsonElement type, JsonElement value) => type.ValueKind switch
    {
        JsonValueKind.String => Is(type.GetString(), value),
        JsonValueKind.Array => type.EnumerateArray().Any(t => Is(t.GetString(), value)),
        _ => true,
    };

    private static bool Is(string? type, JsonElement value) => type switch
    {
        "object" => value.ValueKind == JsonValueKind.Object,
        "array" => value.ValueKind == JsonValueKind.Array,
        "string" => value.ValueKind == JsonValueKind.String,
        "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "null" => value.ValueKind == JsonValueKind.Null,
        "number" => value.ValueKind == JsonValueKind.Number,
        "integer" => value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var d) && decimal.Truncate(d) == d,
        _ => true,
    };

    private static string Describe(JsonElement type) => type.ValueKind == JsonValueKind.Array
        ? string.Join(" or ", type.EnumerateArray().Select(t => t.GetString()))
        : type.GetString() ?? "?";

    private static string Kind(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    private static double? Number(JsonElement schema, string keyword) =>
        schema.TryGetProperty(keyword, out var n) && n.ValueKind == JsonValueKind.Number ? n.GetDouble() : null;

    /// <summary>JSON Schema counts lengths in code points, so a Chinese or emoji character is one.</summary>
    private static int CountRunes(string text)
    {
        var count = 0;
        foreach (var _ in text.EnumerateRunes())
        {
            count++;
        }

        return count;
    }

    /// <summary>A local JSON pointer (<c>#/properties/a/items</c>); anything else is not followed.</summary>
    private static JsonElement? Resolve(JsonElement root, string pointer)
    {
        if (pointer == "#")
        {
            return root;
        }

        if (!pointer.StartsWith("#/", StringComparison.Ordinal))
        {
            return null;
        }

        var current = root;
        foreach (var raw in pointer[2..].Split('/'))
        {
            var segment = Uri.UnescapeDataString(raw).Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            if (current.ValueKind == JsonValueKind.Object && current.TryGetProperty(segment, out var next))
            {
                current = next;
            }
            else if (current.ValueKind == JsonValueKind.Array && int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < current.GetArrayLength())
            {
                current = current[index];
            }
            else
            {
                return null;
            }
        }

        return current;
    }

    private static string Child(string path, string name)
    {
        var simple = name.Length > 0 && (char.IsAsciiLetter(name[0]) || name[0] == '_') && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
        if (simple)
        {
            return path + "." + name;
        }

        var escaped = new StringBuilder(name.Length + 6).Append(path).Append("['");
        escaped.Append(name.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal));
        return escaped.Append("']").ToString();
    }

    private static void Fail(List<LlmRuleFailure> failures, string path, string detail)
    {
        if (failures.Count < MaxFailures)
        {
            failures.Add(new LlmRuleFailure(LlmErrors.SchemaViolation, $"{path} {detail}", path));
        }
    }
}
