using System.Globalization;
using System.Text.Json.Nodes;
using CommerceOS.Core.Common;
using CommerceOS.Core.Jobs;
using CommerceOS.Core.Workflows;
using Microsoft.Extensions.Localization;

namespace CommerceOS.Web.Features.Workflows;

/// <summary>Shared pieces of the workflow pages: status texts and badges, localized errors, the UI culture.</summary>
public static class WorkflowsUi
{
    /// <summary>Where a plan refusal sends the seller: the billing page, where the plans can be bought or tried.</summary>
    public const string PlansUrl = Billing.BillingUi.BillingUrl;

    public static string Culture => CultureInfo.CurrentUICulture.Name.StartsWith("zh", StringComparison.OrdinalIgnoreCase) ? "zh-CN" : "en";

    /// <summary>The enum's resource suffix: camelCase, as Workflows.json spells it.</summary>
    public static string Camel<T>(T value)
        where T : struct, Enum
    {
        var name = value.ToString();
        return char.ToLowerInvariant(name[0]) + name[1..];
    }

    public static string RunStatus(IStringLocalizer l, WorkflowRunStatus status) => l[$"workflows.status.{Camel(status)}"];

    public static string StepStatus(IStringLocalizer l, WorkflowStepStatus status) => l[$"workflows.step_status.{Camel(status)}"];

    public static string RunBadge(WorkflowRunStatus status) => status switch
    {
        WorkflowRunStatus.Succeeded => "badge-ok",
        WorkflowRunStatus.Failed => "badge-bad",
        WorkflowRunStatus.Cancelled => "badge-muted",
        WorkflowRunStatus.AwaitingApproval => "badge-warn",
        _ => "badge-brand",
    };

    public static string StepBadge(WorkflowStepStatus status) => status switch
    {
        WorkflowStepStatus.Succeeded => "badge-ok",
        WorkflowStepStatus.Failed => "badge-bad",
        WorkflowStepStatus.Skipped or WorkflowStepStatus.Cancelled => "badge-muted",
        WorkflowStepStatus.AwaitingApproval => "badge-warn",
        WorkflowStepStatus.Active or WorkflowStepStatus.Ready => "badge-brand",
        _ => "",
    };

    /// <summary>A stored error: a resource key with its arguments; a job's raw error keeps only its code.</summary>
    public static string Error(IStringLocalizer l, string? code, IReadOnlyList<string>? args = null)
    {
        if (string.IsNullOrEmpty(code))
        {
            return "";
        }

        var key = ErrorCodes.Of(code) ?? code;
        // An argument may itself be a code (the job's own error inside workflows.job_failed): shown in words when it has some.
        return l[key, [.. (args ?? []).Select(a => l[a] is { ResourceNotFound: false } text ? (object)text.Value : a)]];
    }

    public static string Field(IStringLocalizer l, FieldError error) => l[error.Code, [.. error.Args]];

    public static string Marketplace(IStringLocalizer l, string? id) => id is null ? "" : l[$"marketplace.{id}"];

    public static string SkillName(string skillId) => SkillCatalog.Default.Find(skillId)?.Name.For(Culture) ?? skillId;

    public static int Percent(double progress) => (int)Math.Round(Math.Clamp(progress, 0, 1) * 100);

    public static string Duration(long? milliseconds) => milliseconds is { } ms
        ? (ms / 1000d).ToString("0.0", CultureInfo.CurrentCulture) + " s"
        : "";

    /// <summary>A schema's <c>type</c> (the first when it lists several).</summary>
    public static string? Type(JsonObject schema) => schema["type"] switch
    {
        JsonValue value => value.GetValue<string>(),
        JsonArray array => array.FirstOrDefault()?.GetValue<string>(),
        _ => null,
    };

    public static IReadOnlyList<string> Enum(JsonObject? schema) =>
        schema?["enum"] is JsonArray values ? [.. values.Select(v => v?.ToString() ?? "")] : [];
}
