using System.Text.Json;
using System.Text.Json.Serialization;
using CommerceOS.Core.Assets;
using CommerceOS.Core.Marketplaces;

namespace CommerceOS.Core.Generation;

/// <summary>The one JSON shape of job inputs, provenance and compliance reports (web casing, enums as names).</summary>
public static class GenerationJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static ImageProvenance? Provenance(Asset asset) => Read<ImageProvenance>(asset.ProvenanceJson);

    public static ComplianceReport? Compliance(Asset asset) => Read<ComplianceReport>(asset.ComplianceJson);

    private static T? Read<T>(string? json)
        where T : class
    {
        if (string.IsNullOrEmpty(json))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<T>(json, Options);
        }
        catch (JsonException)
        {
            // A row written by an older shape shows without the detail rather than failing the page.
            return null;
        }
    }
}

/// <summary>What the studio recorded about a generated image.</summary>
public sealed record GeneratedImageInfo(
    Guid? ProductId,
    Guid? SourceAssetId,
    string? Skill,
    string? Marketplace,
    string? OutputKey,
    ImageProvenance? Provenance,
    ComplianceReport? Compliance)
{
    public static GeneratedImageInfo? Of(Asset asset) =>
        asset.Skill is null
            ? null
            : new GeneratedImageInfo(asset.ProductId, asset.SourceAssetId, asset.Skill, asset.Marketplace, asset.OutputKey, GenerationJson.Provenance(asset), GenerationJson.Compliance(asset));
}
