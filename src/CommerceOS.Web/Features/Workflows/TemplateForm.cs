using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CommerceOS.Core.Common;
using CommerceOS.Core.Workflows;

namespace CommerceOS.Web.Features.Workflows;

/// <summary>
/// The template editor's form: the definition as flat, indexed fields a browser posts without script. Parameters the
/// generated controls can express (enum, boolean, integer, number, string, array of enum) are controls; anything else stays
/// in a JSON text area per step.
/// </summary>
public sealed partial class TemplateForm
{
    public const string ParamsJsonInvalid = "workflows_ui.editor.params_json_invalid";

    public string? Name { get; set; }

    public string? Description { get; set; }

    public List<string> Marketplaces { get; set; } = [];

    public List<StepForm> Steps { get; set; } = [];

    /// <summary>The skill the "add step" button adds.</summary>
    public string? NewSkill { get; set; }

    public sealed class StepForm
    {
        public string? Key { get; set; }

        public string? Skill { get; set; }

        public List<string> DependsOn { get; set; } = [];

        public bool Optional { get; set; }

        public string? Provider { get; set; }

        public List<ParamField> Params { get; set; } = [];

        /// <summary>Parameters without a generated control, as a JSON object.</summary>
        public string? ExtraJson { get; set; }
    }

    public sealed class ParamField
    {
        public string? Name { get; set; }

        public List<string> Values { get; set; } = [];
    }

    /// <summary>How a parameter is edited: <c>select</c>, <c>checkbox</c>, <c>integer</c>, <c>number</c>, <c>text</c>, <c>multi</c>, or null (JSON).</summary>
    public static string? Control(JsonObject property)
    {
        var type = WorkflowsUi.Type(property);
        return type switch
        {
            "boolean" => "checkbox",
            "integer" => "integer",
            "number" => "number",
            "string" => WorkflowsUi.Enum(property).Count > 0 ? "select" : "text",
            "array" when property["items"] is JsonObject items && WorkflowsUi.Enum(items).Count > 0 => "multi",
            _ => null,
        };
    }

    public static IEnumerable<(string Name, JsonObject Schema, string Control)> Controls(SkillDefinition skill) =>
        (skill.InputSchema["properties"] as JsonObject ?? [])
            .Where(p => p.Value is JsonObject o && Control(o) is not null)
            .Select(p => (p.Key, (JsonObject)p.Value!, Control((JsonObject)p.Value!)!));

    public static TemplateForm From(string? name, string? description, WorkflowDefinition definition) => new()
    {
        Name = name,
        Description = description,
        Marketplaces = [.. definition.Marketplaces],
        Steps = [.. definition.Steps.Select(FromStep)],
    };

    public static StepForm FromStep(WorkflowStepDefinition step)
    {
        var form = new StepForm { Key = step.Key, Skill = step.Skill, DependsOn = [.. step.Dependencies], Optional = step.Optional, Provider = step.Provider };
        var skill = SkillCatalog.Default.Find(step.Skill);
        var parameters = step.Params ?? [];
        var extra = new JsonObject();
        var controlled = skill is null ? [] : Controls(skill).ToDictionary(c => c.Name, c => c.Control, StringComparer.Ordinal);
        foreach (var (name, control) in controlled)
        {
            // A checkbox shows what the step runs with, the skill's fixed default included, so saving it unchanged keeps it.
            var value = parameters[name] ?? (control == "checkbox" ? skill!.Defaults[name] : null);
            form.Params.Add(new ParamField { Name = name, Values = Strings(value) });
        }

        foreach (var (name, value) in parameters.Where(p => !controlled.ContainsKey(p.Key)))
        {
            extra[name] = value?.DeepClone();
        }

        form.ExtraJson = extra.Count == 0 ? null : extra.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
        return form;
    }

    /// <summary>The definition the form describes, or the form's own errors (unparseable JSON) under <c>steps[i].params</c>.</summary>
    public (WorkflowDefinition Definition, List<FieldError> Errors) ToDefinition()
    {
        var errors = new List<FieldError>();
        var steps = new List<WorkflowStepDefinition>();
        for (var i = 0; i < Steps.Count; i++)
        {
            var step = Steps[i];
            var skill = SkillCatalog.Default.Find(step.Skill);
            var parameters = new JsonObject();
            if (!string.IsNullOrWhiteSpace(step.ExtraJson))
            {
                try
                {
                    if (JsonNode.Parse(step.ExtraJson) is JsonObject extra)
                    {
                        foreach (var (name, value) in extra)
                        {
                            parameters[name] = value?.DeepClone();
                        }
                    }
                    else
                    {
                        errors.Add(new FieldError($"steps[{i}].params", ParamsJsonInvalid));
                    }
                }
                catch (JsonException)
                {
                    errors.Add(new FieldError($"steps[{i}].params", ParamsJsonInvalid));
                }
            }

            if (skill is not null)
            {
                var controls = Controls(skill).ToDictionary(c => c.Name, c => c.Control, StringComparer.Ordinal);
                foreach (var field in step.Params)
                {
                    // Fields of a skill the step no longer uses (the seller switched skills) are left behind.
                    if (field.Name is null || !controls.TryGetValue(field.Name, out var control))
                    {
                        continue;
                    }

                    if (Value(control, field.Values.Where(v => v is not null).ToList()) is { } value)
                    {
                        parameters[field.Name] = value;
                    }
                }
            }

            steps.Add(new WorkflowStepDefinition(
                step.Key?.Trim() ?? "",
                step.Skill ?? "",
                step.DependsOn.Count == 0 ? null : [.. step.DependsOn.Where(d => !string.IsNullOrEmpty(d)).Distinct(StringComparer.Ordinal)],
                parameters.Count == 0 ? null : parameters,
                step.Optional,
                string.IsNullOrEmpty(step.Provider) ? null : step.Provider));
        }

        return (new WorkflowDefinition([.. Marketplaces.Where(m => !string.IsNullOrEmpty(m))], steps), errors);
    }

    /// <summary>A control's posted values as JSON: empty means "the skill's default" (omitted), except a checkbox.</summary>
    internal static JsonNode? Value(string control, IReadOnlyList<string> values)
    {
        var first = values.FirstOrDefault(v => v.Length > 0)?.Trim();
        switch (control)
        {
            case "checkbox":
                return JsonValue.Create(values.Contains("true", StringComparer.Ordinal));
            case "multi":
                var items = values.Where(v => v.Length > 0).Distinct(StringComparer.Ordinal).ToList();
                return items.Count == 0 ? null : new JsonArray([.. items.Select(v => (JsonNode)JsonValue.Create(v))]);
            case "integer" when first is not null:
                // Not a number stays text: the skill's schema refuses it with the parameter's name.
                return long.TryParse(first, NumberStyles.Integer, CultureInfo.InvariantCulture, out var integer) ? JsonValue.Create(integer) : JsonValue.Create(first);
            case "number" when first is not null:
                return double.TryParse(first, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? JsonValue.Create(number) : JsonValue.Create(first);
            default:
                return first is null ? null : JsonValue.Create(first);
        }
    }

    private static List<string> Strings(JsonNode? value) => value switch
    {
        null => [],
        JsonArray array => [.. array.Select(v => v?.ToString() ?? "")],
        JsonValue v when v.TryGetValue<bool>(out var b) => [b ? "true" : "false"],
        _ => [value.ToString()],
    };

    /// <summary>A key for a new step: the skill's ID, numbered when taken.</summary>
    public string NewKey(string skill)
    {
        var taken = Steps.Select(s => s.Key).ToHashSet(StringComparer.Ordinal);
        var stem = KeyChars().Replace(skill.ToLowerInvariant(), "-").Trim('-');
        stem = stem.Length == 0 ? "step" : stem[..Math.Min(stem.Length, 36)];
        if (!taken.Contains(stem))
        {
            return stem;
        }

        var n = 2;
        while (taken.Contains($"{stem}-{n}"))
        {
            n++;
        }

        return $"{stem}-{n}";
    }

    /// <summary>
    /// Adds an approval gate before the exports: it waits for every other step, and every export step waits for it, so
    /// nothing leaves the workspace before a member approved.
    /// </summary>
    public void AddGate()
    {
        var key = NewKey("approval");
        var exports = Steps.Where(s => SkillCatalog.Default.Find(s.Skill)?.Operation == SkillOperations.Export).ToList();
        var gate = new StepForm
        {
            Key = key,
            Skill = "approval-gate",
            DependsOn = [.. Steps.Except(exports).Select(s => s.Key).OfType<string>().Where(k => k.Length > 0)],
        };
        foreach (var export in exports)
        {
            export.DependsOn.Add(key);
        }

        var at = exports.Count == 0 ? Steps.Count : Steps.IndexOf(exports[0]);
        Steps.Insert(at, gate);
    }

    public void Add(string? skillId)
    {
        if (SkillCatalog.Default.Find(skillId) is not { } skill)
        {
            return;
        }

        Steps.Add(FromStep(new WorkflowStepDefinition(NewKey(skill.Id), skill.Id)));
    }

    public void Remove(int index)
    {
        if (index < 0 || index >= Steps.Count)
        {
            return;
        }

        var key = Steps[index].Key;
        Steps.RemoveAt(index);
        foreach (var step in Steps)
        {
            step.DependsOn.RemoveAll(d => d == key);
        }
    }

    public void Move(int index, int by)
    {
        var to = index + by;
        if (index < 0 || index >= Steps.Count || to < 0 || to >= Steps.Count)
        {
            return;
        }

        (Steps[index], Steps[to]) = (Steps[to], Steps[index]);
    }

    /// <summary>After a skill change: the controls of the new skill, values of same-named parameters kept.</summary>
    public void Refresh()
    {
        for (var i = 0; i < Steps.Count; i++)
        {
            var step = Steps[i];
            if (SkillCatalog.Default.Find(step.Skill) is not { } skill)
            {
                continue;
            }

            var old = step.Params.Where(p => p.Name is not null).GroupBy(p => p.Name!).ToDictionary(g => g.Key, g => g.First().Values, StringComparer.Ordinal);
            step.Params = [.. Controls(skill).Select(c => new ParamField
            {
                Name = c.Name,
                Values = old.TryGetValue(c.Name, out var values) ? values : c.Control == "checkbox" ? Strings(skill.Defaults[c.Name]) : [],
            })];
            if (step.Provider is not null && !skill.ProviderChoices.Contains(step.Provider, StringComparer.Ordinal))
            {
                step.Provider = null;
            }
        }
    }

    [GeneratedRegex("[^a-z0-9-]+", RegexOptions.CultureInvariant)]
    private static partial Regex KeyChars();
}
