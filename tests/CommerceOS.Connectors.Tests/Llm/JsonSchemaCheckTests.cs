using System.Text.Json;
using CommerceOS.Connectors.Llm;
using CommerceOS.Core.Llm;

namespace CommerceOS.Connectors.Tests.Llm;

/// <summary>The keywords a hand-written schema may add beyond what records generate.</summary>
public sealed class JsonSchemaCheckTests
{
    private const string Schema = """
        {
          "type": "object",
          "properties": {
            "title": { "type": "string", "minLength": 2, "maxLength": 6 },
            "tags": { "type": "array", "minItems": 1, "maxItems": 2, "items": { "type": "string" } },
            "score": { "type": "integer", "minimum": 0, "maximum": 100 },
            "kind": { "const": "listing" },
            "price": { "anyOf": [ { "type": "number" }, { "type": "null" } ] },
            "extra": { "type": "object", "additionalProperties": { "type": "boolean" } }
          },
          "required": ["title", "tags", "score", "kind"],
          "additionalProperties": false
        }
        """;

    private static List<string> Check(string json)
    {
        using var schema = JsonDocument.Parse(Schema);
        using var value = JsonDocument.Parse(json);
        var failures = JsonSchemaCheck.Check(schema.RootElement, value.RootElement);
        Assert.All(failures, f => Assert.Equal(LlmErrors.SchemaViolation, f.Rule));
        return [.. failures.Select(f => f.Detail)];
    }

    [Fact]
    public void AValidValue_HasNoFailures()
    {
        Assert.Empty(Check("""{"title":"不锈钢保温杯","tags":["a"],"score":100,"kind":"listing","price":null,"extra":{"x":true}}"""));
    }

    [Fact]
    public void Lengths_CountCharacters_NotBytesOrUtf16Units()
    {
        // Six Chinese characters are 18 UTF-8 bytes; an emoji is two UTF-16 units but one character.
        Assert.Empty(Check("""{"title":"不锈钢保温杯","tags":["a"],"score":1,"kind":"listing"}"""));
        Assert.Empty(Check("""{"title":"ab😀","tags":["a"],"score":1,"kind":"listing"}"""));
        Assert.Equal(["$.title must have at most 6 characters, has 7"], Check("""{"title":"不锈钢保温杯子","tags":["a"],"score":1,"kind":"listing"}"""));
    }

    [Fact]
    public void EveryViolation_IsListedWithItsPath()
    {
        var failures = Check("""{"title":"a","tags":[],"score":1.5,"kind":"other","price":"9.99","extra":{"x":1},"Title":"b"}""");

        Assert.Equal(
            [
                "$.title must have at least 2 characters, has 1",
                "$.tags must have at least 1 items, has 0",
                "$.score must be integer, not a number",
                "$.kind must be \"listing\"",
                "$.price does not match any of the allowed shapes",
                "$.extra.x must be boolean, not a number",
                "$.Title is not an allowed property (check the spelling and letter case)",
            ],
            failures);
    }

    [Fact]
    public void RangesAndItemCounts_AreEnforced()
    {
        Assert.Equal(
            ["$.tags must have at most 2 items, has 3", "$.tags[2] must be string, not null", "$.score must be at most 100"],
            Check("""{"title":"ab","tags":["a","b",null],"score":101,"kind":"listing"}"""));
    }
}
