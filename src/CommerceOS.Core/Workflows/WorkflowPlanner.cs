using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CommerceOS.Core.Common;
using CommerceOS.Core.Marketplaces;

namespace CommerceOS.Core.Workflows;

/// <summary>Stable error codes of workflows (texts in Web/Resources/*/Workflows.json).</summary>
public static class WorkflowErrors
{
    public const string TemplateUnknown = "workflows.template_unknown";
    public const string StepsRequired = "workflows.steps_required";
    public const string TooManySteps = "workflows.too_many_steps";
    public const string StepKeyInvalid = "workflows.step_key_invalid";
    public const string StepKeyDuplicate = "workflows.step_key_duplicate";
    public const string SkillUnknown = "workflows.skill_unknown";
    public const string DependencyUnknown = "workflows.dependency_unknown";
    public const string Cycle = "workflows.cycle";
    public const string ParamsInvalid = "workflows.params_invalid";
    public const string ProviderUnknown = "workflows.provider_unknown";
    public const string MarketplacesRequired = "workflows.marketplaces_required";
    public const string TooManyMarketplaces = "workflows.too_many_marketplaces";
    public const string MarketplaceUnknown = "workflows.marketplace_unknown";
    public const string NameRequired = "workflows.name_required";
    public const string NameTooLong = "workflows.name_too_long";
    public const string NameTaken = "workflows.name_taken";
    public const string DescriptionTooLong = "workflows.description_too_long";
    public const string TooManyTemplates = "workflows.too_many_templates";
    public const string ProductsRequired = "workflows.products_required";
    public const string TooManyProducts = "workflows.too_many_products";
    public const string ProductNotFound = "workflows.product_not_found";
    public const string FeatureRequired = "workflows.feature_required";
    public const string QuotaInsufficient = "workflows.quota_insufficient";
    public const string NotApplicable = "workflows.not_applicable";
    public const string DependencyFailed = "workflows.dependency_failed";
    public const string Cancelled = "workflows.cancelled";
    public const string RunFinal = "workflows.run_final";
    public const string RunNotResumable = "workflows.run_not_resumable";
    public const string StepNotRerunnable = "workflows.step_not_rerunnable";
    public const string StepNotAwaitingApproval = "workflows.step_not_awaiting_approval";
    public const string StepUnknown = "workflows.step_unknown";
    public const string JobFailed = "workflows.job_failed";
}

/// <summary>A step of a run before it is stored: the template step expanded for one marketplace (or the product).</summary>
public sealed record PlannedStep(
    string Key,
    string StepKey,
    SkillDefinition Skill,
    string? Marketplace,
    IReadOnlyList<string> DependsOn,
    bool Optional,
    string? Provider,
    JsonObject Parameters,
    int Position,
    bool Applicable);

/// <summary>Validates workflow definitions and expands them into a run's steps.</summary>
public static partial class WorkflowPlanner
{
    /// <summary>Every problem of <paramref name="definition"/>, as field errors under <c>steps[i]</c> and <c>marketplaces[i]</c>.</summary>
    public static List<FieldError> Validate(WorkflowDefinition definition, SkillCatalog skills, IMarketplaceCatalog marketplaces)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(skills);
        var errors = ValidateMarketplaces(definition.Marketplaces, marketplaces);
        var steps = definition.Steps ?? [];
        if (steps.Count == 0)
        {
            errors.Add(new FieldError("steps", WorkflowErrors.StepsRequired));
            return errors;
        }

        if (steps.Count > WorkflowLimits.MaxSteps)
        {
            errors.Add(FieldError.Of("steps", WorkflowErrors.TooManySteps, WorkflowLimits.MaxSteps));
            return errors;
        }

        var keys = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < steps.Count; i++)
        {
            var step = steps[i];
            if (step.Key is null || !StepKey().IsMatch(step.Key))
            {
                errors.Add(new FieldError($"steps[{i}].key", WorkflowErrors.StepKeyInvalid));
            }
            else if (!keys.Add(step.Key))
            {
                errors.Add(new FieldError($"steps[{i}].key", WorkflowErrors.StepKeyDuplicate));
            }
        }

        for (var i = 0; i < steps.Count; i++)
        {
            var step = steps[i];
            var skill = skills.Find(step.Skill);
            if (skill is null)
            {
                errors.Add(new FieldError($"steps[{i}].skill", WorkflowErrors.SkillUnknown));
            }
            else
            {
                foreach (var pointer in skills.Validate(skill, step.Params))
                {
                    errors.Add(FieldError.Of($"steps[{i}].params", WorkflowErrors.ParamsInvalid, pointer.Length == 0 ? "/" : pointer));
                }

                if (step.Provider is not null && !skill.ProviderChoices.Contains(step.Provider, StringComparer.Ordinal))
                {
                    errors.Add(FieldError.Of(
                        $"steps[{i}].provider",
                        WorkflowErrors.ProviderUnknown,
                        skill.ProviderChoices.Count == 0 ? "-" : string.Join(", ", skill.ProviderChoices)));
                }
            }

            var dependencies = step.Dependencies;
            for (var d = 0; d < dependencies.Count; d++)
            {
                if (!keys.Contains(dependencies[d]) || dependencies[d] == step.Key)
                {
                    errors.Add(new FieldError($"steps[{i}].dependsOn[{d}]", WorkflowErrors.DependencyUnknown));
                }
            }
        }

        if (errors.Count == 0 && HasCycle(steps))
        {
            errors.Add(new FieldError("steps", WorkflowErrors.Cycle));
        }

        return errors;
    }

    public static List<FieldError> ValidateMarketplaces(IReadOnlyList<string>? values, IMarketplaceCatalog marketplaces)
    {
        ArgumentNullException.ThrowIfNull(marketplaces);
        var errors = new List<FieldError>();
        if (values is null || values.Count == 0)
        {
            errors.Add(new FieldError("marketplaces", WorkflowErrors.MarketplacesRequired));
            return errors;
        }

        if (values.Count > WorkflowLimits.MaxMarketplaces)
        {
            errors.Add(FieldError.Of("marketplaces", WorkflowErrors.TooManyMarketplaces, WorkflowLimits.MaxMarketplaces));
            return errors;
        }

        for (var i = 0; i < values.Count; i++)
        {
            if (marketplaces.Find(values[i] ?? "") is null)
            {
                errors.Add(new FieldError($"marketplaces[{i}]", WorkflowErrors.MarketplaceUnknown));
            }
        }

        return errors;
    }

    /// <summary>
    /// The steps of a run: a marketplace-scoped step once per marketplace (key <c>step@marketplace</c>), a product-scoped
    /// one once. A marketplace-scoped step waits for the same marketplace's instance of a marketplace-scoped dependency; a
    /// product-scoped step waits for every instance. A skill that does not apply to a marketplace is planned as not
    /// applicable (skipped, never failing the run). Positions follow a topological order.
    /// </summary>
    public static IReadOnlyList<PlannedStep> Plan(WorkflowDefinition definition, IReadOnlyList<string> marketplaces, SkillCatalog skills)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(marketplaces);
        ArgumentNullException.ThrowIfNull(skills);
        var scopes = definition.Steps.ToDictionary(s => s.Key, s => Skill(skills, s).Scope, StringComparer.Ordinal);
        var planned = new List<PlannedStep>();
        var position = 0;
        foreach (var step in TopologicalOrder(definition.Steps))
        {
            var skill = Skill(skills, step);
            var parameters = SkillCatalog.Merge(skill, step.Params);
            var instances = skill.Scope == SkillScopes.Marketplace ? marketplaces.Select(m => (string?)m).ToList() : [null];
            foreach (var marketplace in instances)
            {
                var dependsOn = new List<string>();
                foreach (var dependency in step.Dependencies)
                {
                    if (scopes[dependency] == SkillScopes.Product)
                    {
                        dependsOn.Add(dependency);
                    }
                    else if (marketplace is not null)
                    {
                        dependsOn.Add(InstanceKey(dependency, marketplace));
                    }
                    else
                    {
                        dependsOn.AddRange(marketplaces.Select(m => InstanceKey(dependency, m)));
                    }
                }

                var applicable = marketplace is null || skill.SupportsMarketplace(marketplace);
                planned.Add(new PlannedStep(
                    marketplace is null ? step.Key : InstanceKey(step.Key, marketplace),
                    step.Key,
                    skill,
                    marketplace,
                    dependsOn,
                    step.Optional || !applicable,
                    step.Provider,
                    (JsonObject)parameters.DeepClone(),
                    position++,
                    applicable));
            }
        }

        return planned;
    }

    public static string InstanceKey(string stepKey, string marketplace) => $"{stepKey}@{marketplace}";

    private static SkillDefinition Skill(SkillCatalog skills, WorkflowStepDefinition step) =>
        skills.Find(step.Skill) ?? throw new InvalidOperationException($"Step {step.Key} names the unknown skill {step.Skill}; validate first.");

    private static bool HasCycle(IReadOnlyList<WorkflowStepDefinition> steps) => TopologicalOrder(steps).Count < steps.Count;

    /// <summary>Kahn's algorithm, keeping the template's order among steps that are ready together.</summary>
    private static List<WorkflowStepDefinition> TopologicalOrder(IReadOnlyList<WorkflowStepDefinition> steps)
    {
        var done = new HashSet<string>(StringComparer.Ordinal);
        var order = new List<WorkflowStepDefinition>();
        var progressed = true;
        while (progressed && order.Count < steps.Count)
        {
            progressed = false;
            foreach (var step in steps)
            {
                if (!done.Contains(step.Key) && step.Dependencies.All(done.Contains))
                {
                    done.Add(step.Key);
                    order.Add(step);
                    progressed = true;
                }
            }
        }

        return order;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,39}$", RegexOptions.CultureInvariant)]
    private static partial Regex StepKey();
}
