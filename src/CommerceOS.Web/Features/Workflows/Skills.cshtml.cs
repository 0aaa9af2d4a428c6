using System.Text.Json.Nodes;
using CommerceOS.Core.Workflows;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CommerceOS.Web.Features.Workflows;

/// <summary>
/// <c>/app/skills</c>: the skill catalogue by category with counts, a search over names and descriptions in both
/// languages, and one skill's parameters (from its input schema) and outputs. Read-only, members and above.
/// </summary>
[Authorize(Policy = Accounts.AccountsWebExtensions.MemberPolicy)]
public sealed class SkillsModel : PageModel
{
    public const int MaxQueryLength = 100;

    /// <summary>One parameter of a skill as the detail view lists it.</summary>
    public sealed record Parameter(string Name, string Type, IReadOnlyList<string> Allowed, string? Minimum, string? Maximum, bool Required, string? Default, string? Note);

    [BindProperty(SupportsGet = true)]
    public string? Category { get; set; }

    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Query { get; set; }

    [BindProperty(SupportsGet = true, Name = "skill")]
    public string? SkillId { get; set; }

    public IReadOnlyList<SkillDefinition> Matching { get; private set; } = [];

    /// <summary>Skills matching the search, per category (before the category filter), for the tab counts.</summary>
    public IReadOnlyDictionary<string, int> Counts { get; private set; } = new Dictionary<string, int>();

    public SkillDefinition? Selected { get; private set; }

    public IReadOnlyList<Parameter> Parameters { get; private set; } = [];

    public IReadOnlyList<Parameter> Outputs { get; private set; } = [];

    public string Culture { get; } = WorkflowsUi.Culture;

    public IActionResult OnGet()
    {
        var query = (Query ?? "").Trim();
        if (query.Length > MaxQueryLength)
        {
            query = query[..MaxQueryLength];
        }

        var found = SkillCatalog.Default.All.Where(s => Matches(s, query)).ToList();
        Counts = SkillCatalog.Categories.ToDictionary(c => c, c => found.Count(s => s.Category == c), StringComparer.Ordinal);
        if (Category is not null && !SkillCatalog.Categories.Contains(Category, StringComparer.Ordinal))
        {
            Category = null;
        }

        Matching = Category is null ? found : found.Where(s => s.Category == Category).ToList();
        if (SkillId is not null)
        {
            Selected = SkillCatalog.Default.Find(SkillId);
            if (Selected is null)
            {
                return NotFound();
            }

            Parameters = Describe(Selected.InputSchema, Selected.Defaults);
            Outputs = Describe(Selected.OutputSchema, null);
        }

        return Page();
    }

    public string Link(string? category, string? skill = null)
    {
        var parts = new List<string>();
        if (category is not null)
        {
            parts.Add("category=" + Uri.EscapeDataString(category));
        }

        if (!string.IsNullOrWhiteSpace(Query))
        {
            parts.Add("q=" + Uri.EscapeDataString(Query.Trim()));
        }

        if (skill is not null)
        {
            parts.Add("skill=" + Uri.EscapeDataString(skill));
        }

        return "/app/skills" + (parts.Count > 0 ? "?" + string.Join("&", parts) : "") + (skill is null ? "" : "#skill-detail");
    }

    /// <summary>Case-insensitive in the name, description or ID, in English and in Chinese.</summary>
    internal static bool Matches(SkillDefinition skill, string query) =>
        query.Length == 0
        || skill.Id.Contains(query, StringComparison.OrdinalIgnoreCase)
        || skill.Name.En.Contains(query, StringComparison.OrdinalIgnoreCase)
        || skill.Name.Zh.Contains(query, StringComparison.OrdinalIgnoreCase)
        || skill.Description.En.Contains(query, StringComparison.OrdinalIgnoreCase)
        || skill.Description.Zh.Contains(query, StringComparison.OrdinalIgnoreCase);

    /// <summary>The schema's properties: type (array of X for arrays), allowed values, bounds, required, and the fixed default.</summary>
    internal static IReadOnlyList<Parameter> Describe(JsonObject schema, JsonObject? defaults)
    {
        var required = schema["required"] is JsonArray names ? names.Select(n => n?.ToString()).ToHashSet(StringComparer.Ordinal) : [];
        if (schema["properties"] is not JsonObject properties)
        {
            return [];
        }

        return [.. properties.Select(p =>
        {
            var property = p.Value as JsonObject ?? [];
            var type = WorkflowsUi.Type(property) ?? "any";
            var allowed = WorkflowsUi.Enum(property);
            string? min = property["minimum"]?.ToString() ?? property["minItems"]?.ToString() ?? property["minLength"]?.ToString();
            string? max = property["maximum"]?.ToString() ?? property["maxItems"]?.ToString() ?? property["maxLength"]?.ToString();
            if (type == "array" && property["items"] is JsonObject items)
            {
                type = $"array<{WorkflowsUi.Type(items) ?? "any"}>";
                if (allowed.Count == 0)
                {
                    allowed = WorkflowsUi.Enum(items);
                }
            }

            return new Parameter(p.Key, type, allowed, min, max, required.Contains(p.Key), defaults?[p.Key]?.ToJsonString(), property["description"]?.ToString());
        })];
    }
}
