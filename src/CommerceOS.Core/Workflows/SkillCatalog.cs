using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Json.Schema;

namespace CommerceOS.Core.Workflows;

/// <summary>Which engine runs a skill; one <see cref="ISkillLauncher"/> per operation.</summary>
public static class SkillOperations
{
    public const string Images = "images";
    public const string Video = "video";
    public const string Copy = "copy";
    public const string Translate = "translate";
    public const string Seo = "seo";
    public const string Compliance = "compliance";
    public const string Export = "export";
    public const string Approval = "approval";
}

/// <summary>How many steps a skill makes in a run: one per run marketplace, or one for the product.</summary>
public static class SkillScopes
{
    public const string Marketplace = "marketplace";
    public const string Product = "product";
}

/// <summary>An English and a Chinese text, as the catalogue data carries them.</summary>
public sealed record LocalizedText(
    [property: JsonPropertyName("en")] string En,
    [property: JsonPropertyName("zh-CN")] string Zh)
{
    public string For(string? culture) =>
        culture is not null && culture.StartsWith("zh", StringComparison.OrdinalIgnoreCase) ? Zh : En;
}

/// <summary>
/// One skill of the catalogue (product-scope.md A7): a declarative record the Skills page shows and the workflow
/// engine runs. <see cref="Defaults"/> are fixed parameters merged under a step's own; <see cref="InputSchema"/>
/// validates the parameters a seller sets on a step.
/// </summary>
public sealed record SkillDefinition(
    string Id,
    string Category,
    string Operation,
    string Scope,
    LocalizedText Name,
    LocalizedText Description,
    JsonObject Defaults,
    JsonObject InputSchema,
    JsonObject OutputSchema,
    int EstimatedSeconds,
    string? Meter = null,
    IReadOnlyList<string>? Providers = null,
    IReadOnlyList<string>? Marketplaces = null)
{
    /// <summary>Providers a step may choose; empty when the engine is set by configuration only.</summary>
    public IReadOnlyList<string> ProviderChoices => Providers ?? [];

    /// <summary>True when the skill runs on every marketplace (no list), else only on those listed.</summary>
    public bool SupportsMarketplace(string marketplace) => Marketplaces is null || Marketplaces.Contains(marketplace, StringComparer.Ordinal);
}

/// <summary>The skill catalogue, loaded from the embedded <c>skills.json</c>: data, so skills are added without code.</summary>
public sealed class SkillCatalog
{
    public static readonly IReadOnlyList<string> Categories = ["image", "video", "copywriting", "translation", "seo", "compliance", "export", "control"];

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    private readonly Dictionary<string, SkillDefinition> _byId;
    private readonly Dictionary<string, JsonSchema> _schemas;

    public SkillCatalog(IReadOnlyList<SkillDefinition> skills)
    {
        ArgumentNullException.ThrowIfNull(skills);
        All = skills;
        _byId = skills.ToDictionary(s => s.Id, StringComparer.Ordinal);
        _schemas = skills.ToDictionary(s => s.Id, s => JsonSchema.FromText(s.InputSchema.ToJsonString()), StringComparer.Ordinal);
        foreach (var skill in skills)
        {
            if (!Categories.Contains(skill.Category, StringComparer.Ordinal))
            {
                throw new InvalidOperationException($"Skill {skill.Id} has the unknown category '{skill.Category}'.");
            }

            if (skill.Scope is not (SkillScopes.Marketplace or SkillScopes.Product))
            {
                throw new InvalidOperationException($"Skill {skill.Id} has the unknown scope '{skill.Scope}'.");
            }
        }
    }

    public static SkillCatalog Default { get; } = Load();

    public IReadOnlyList<SkillDefinition> All { get; }

    public SkillDefinition? Find(string? id) => id is not null && _byId.TryGetValue(id, out var skill) ? skill : null;

    /// <summary>Checks a step's parameters against the skill's input schema; returns the failing JSON pointers, empty when valid.</summary>
    public IReadOnlyList<string> Validate(SkillDefinition skill, JsonObject? parameters)
    {
        ArgumentNullException.ThrowIfNull(skill);
        var result = _schemas[skill.Id].Evaluate(
            JsonDocument.Parse((parameters ?? []).ToJsonString()).RootElement,
            new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (result.IsValid)
        {
            return [];
        }

        var pointers = (result.Details ?? [])
            .Where(d => !d.IsValid && d.Errors is { Count: > 0 })
            .Select(d => d.InstanceLocation.ToString())
            .Distinct(StringComparer.Ordinal)
            .ToList();
        return pointers.Count > 0 ? pointers : [""];
    }

    /// <summary>The parameters a step runs with: the skill's fixed defaults, overlaid by the step's own.</summary>
    public static JsonObject Merge(SkillDefinition skill, JsonObject? parameters)
    {
        ArgumentNullException.ThrowIfNull(skill);
        var merged = (JsonObject)skill.Defaults.DeepClone();
        foreach (var (name, value) in parameters ?? [])
        {
            merged[name] = value?.DeepClone();
        }

        return merged;
    }

    private static SkillCatalog Load()
    {
        using var stream = typeof(SkillCatalog).Assembly.GetManifestResourceStream("CommerceOS.Core.Workflows.skills.json")
            ?? throw new InvalidOperationException("The embedded skill catalogue is missing.");
        var document = JsonSerializer.Deserialize<SkillDocument>(stream, JsonOptions)
            ?? throw new InvalidOperationException("The embedded skill catalogue is empty.");
        return new SkillCatalog(document.Skills);
    }

    private sealed record SkillDocument(
        [property: JsonPropertyName("$comment")] string? Comment,
        IReadOnlyList<SkillDefinition> Skills);
}
