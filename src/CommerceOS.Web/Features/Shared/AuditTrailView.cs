using CommerceOS.Core.Accounts;
using CommerceOS.Core.Privacy;
using Microsoft.Extensions.Localization;

namespace CommerceOS.Web.Features.Shared;

/// <summary>
/// One page of audit events for <c>_AuditTrail</c>: the seller's own security log and the administrators' view share it.
/// <paramref name="UserEmails"/> is set only for administrators (a column per event's user).
/// </summary>
public sealed record AuditTrailView(IReadOnlyList<AuditEvent> Events, int Page, bool HasMore, Func<int, string> PageUrl, IReadOnlyDictionary<Guid, string>? UserEmails = null)
{
    public const int PageSize = 50;

    /// <summary>The localized name of an action; an action without a label (a new one) shows its stable name.</summary>
    public static string ActionLabel(IStringLocalizer localizer, string action) =>
        localizer[$"audit.action.{action}"] is { ResourceNotFound: false } label ? label.Value : action;

    /// <summary>"Firefox · linux · desktop": the kinds only, the same reduction analytics uses.</summary>
    public static string Device(string? userAgent)
    {
        if (string.IsNullOrWhiteSpace(userAgent))
        {
            return "";
        }

        var (browser, system, device) = AnalyticsRedaction.Describe(userAgent);
        return $"{browser} · {system} · {device}";
    }
}
