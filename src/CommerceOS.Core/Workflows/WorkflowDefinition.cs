using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace CommerceOS.Core.Workflows;

/// <summary>One step of a template: a skill, the steps it waits for, its parameters and provider.</summary>
/// <param name="Key">Unique in the template: lower-case letters, digits and dashes.</param>
/// <param name="Optional">A failure of an optional step does not fail the run, and the steps after it still run.</param>
/// <param name="Provider">One of the skill's <see cref="SkillDefinition.ProviderChoices"/>, or null for the configured default.</param>
public sealed record WorkflowStepDefinition(
    string Key,
    string Skill,
    IReadOnlyList<string>? DependsOn = null,
    JsonObject? Params = null,
    bool Optional = false,
    string? Provider = null)
{
    public IReadOnlyList<string> Dependencies => DependsOn ?? [];
}

/// <summary>What a run executes: the default marketplaces and the steps. Built-in templates and workspace templates share it.</summary>
public sealed record WorkflowDefinition(IReadOnlyList<string> Marketplaces, IReadOnlyList<WorkflowStepDefinition> Steps)
{
    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault,
    };

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    public static WorkflowDefinition FromJson(string json) =>
        JsonSerializer.Deserialize<WorkflowDefinition>(json, JsonOptions) ?? throw new JsonException("The workflow definition is empty.");
}

/// <summary>A template as lists and runs show it: built-in (string ID) or the workspace's own (GUID).</summary>
public sealed record WorkflowTemplateView(
    string Id,
    bool BuiltIn,
    string Name,
    string? Description,
    string? BasedOn,
    WorkflowDefinition Definition,
    DateTime? UpdatedAt);

public static class WorkflowLimits
{
    public const int MaxSteps = 40;
    public const int MaxMarketplaces = 20;
    public const int MaxNameLength = 100;
    public const int MaxDescriptionLength = 500;
    public const int MaxTemplatesPerWorkspace = 200;

    /// <summary>Products in one batch; a bigger catalogue runs as several batches.</summary>
    public const int MaxBatchProducts = 10_000;
}

/// <summary>The built-in templates, loaded from the embedded <c>templates.json</c>.</summary>
public static class BuiltInTemplates
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    public static IReadOnlyList<BuiltInTemplate> All { get; } = Load();

    public static BuiltInTemplate? Find(string? id) => All.FirstOrDefault(t => string.Equals(t.Id, id, StringComparison.Ordinal));

    private static List<BuiltInTemplate> Load()
    {
        using var stream = typeof(BuiltInTemplates).Assembly.GetManifestResourceStream("CommerceOS.Core.Workflows.templates.json")
            ?? throw new InvalidOperationException("The embedded workflow templates are missing.");
        var document = JsonSerializer.Deserialize<TemplateDocument>(stream, JsonOptions)
            ?? throw new InvalidOperationException("The embedded workflow templates are empty.");
        return [.. document.Templates];
    }

    private sealed record TemplateDocument(
        [property: JsonPropertyName("$comment")] string? Comment,
        IReadOnlyList<BuiltInTemplate> Templates);
}

public sealed record BuiltInTemplate(
    string Id,
    LocalizedText Name,
    LocalizedText Description,
    IReadOnlyList<string> Marketplaces,
    IReadOnlyList<WorkflowStepDefinition> Steps)
{
    public WorkflowDefinition Definition => new(Marketplaces, Steps);
}
