using System.Globalization;
using CommerceOS.Core.Common;
using CommerceOS.Core.Publishing;
using CommerceOS.Web.Features.Workflows;
using Microsoft.Extensions.Localization;

namespace CommerceOS.Web.Features.Publishing;

/// <summary>Shared pieces of the Publish Center pages: status texts and badges, issue texts with their fixes, refusals in words.</summary>
public static class PublishingUi
{
    public const string CenterUrl = "/app/publish";

    /// <summary>Statuses a publication can still leave: the live partials poll while one is shown.</summary>
    public static bool IsActive(PublicationStatus status) =>
        status is PublicationStatus.Scheduled or PublicationStatus.Queued or PublicationStatus.Running or PublicationStatus.Pending;

    public static string ProductUrl(Guid productId, Guid? connectionId = null) =>
        connectionId is { } store ? $"{CenterUrl}/products/{productId}?store={store}" : $"{CenterUrl}/products/{productId}";

    public static string Status(IStringLocalizer l, PublicationStatus status) => l[$"publishing.status.{WorkflowsUi.Camel(status)}"];

    public static string Status(IStringLocalizer l, ListingStatus status) => l[$"publishing.listing_status.{WorkflowsUi.Camel(status)}"];

    public static string Status(IStringLocalizer l, ConnectionStatus status) => l[$"publishing.connection_status.{WorkflowsUi.Camel(status)}"];

    public static string Action(IStringLocalizer l, PublicationAction action) => l[$"publishing.action.{WorkflowsUi.Camel(action)}"];

    public static string Badge(PublicationStatus status) => status switch
    {
        PublicationStatus.Succeeded => "badge-ok",
        PublicationStatus.Failed or PublicationStatus.Blocked => "badge-bad",
        PublicationStatus.Cancelled => "badge-muted",
        PublicationStatus.Pending or PublicationStatus.Scheduled => "badge-warn",
        _ => "badge-brand",
    };

    public static string Badge(ListingStatus status) => status switch
    {
        ListingStatus.Live => "badge-ok",
        ListingStatus.Failed => "badge-bad",
        ListingStatus.Pending => "badge-warn",
        ListingStatus.Publishing => "badge-brand",
        _ => "badge-muted",
    };

    public static string Badge(ConnectionStatus status) => status switch
    {
        ConnectionStatus.Active => "badge-ok",
        ConnectionStatus.Failing => "badge-bad",
        _ => "badge-muted",
    };

    /// <summary>A platform's link to a listing, when it is a web address (anything else is not made a link).</summary>
    public static string? ExternalLink(string? url) =>
        url is not null && (url.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("http://", StringComparison.OrdinalIgnoreCase)) ? url : null;

    /// <summary>The listing field an issue or refusal concerns, as a label ("Title").</summary>
    public static string FieldLabel(IStringLocalizer l, string field) =>
        l[$"publishing_ui.field.{field}"] is { ResourceNotFound: false } label ? label.Value : field;

    /// <summary>An issue in the seller's language; arguments that are resource keys themselves (a field) are shown in words.</summary>
    public static string Text(IStringLocalizer l, ListingIssue issue) => Localize(l, issue.Code, issue.Args);

    /// <summary>The fix: the code's own <c>.fix</c> text, else the platform field's.</summary>
    public static string Fix(IStringLocalizer l, ListingIssue issue) =>
        l[issue.Code + ".fix"] is { ResourceNotFound: false } fix ? fix.Value
        : l[$"publishing.platform.{issue.Field}.fix"] is { ResourceNotFound: false } fallback ? fallback.Value
        : "";

    /// <summary>A refusal of a use case in words (its arguments localized when they are keys).</summary>
    public static string Error(IStringLocalizer l, FieldError error) => Localize(l, error.Code, error.Args);

    /// <summary>The HTTP status a refused POST answers with: a plan without the Publish Center is 402, like the other plan refusals.</summary>
    public static int StatusCode(ResultStatus status, IReadOnlyList<FieldError> errors) => status switch
    {
        ResultStatus.NotFound => StatusCodes.Status404NotFound,
        ResultStatus.Forbidden => StatusCodes.Status403Forbidden,
        ResultStatus.Conflict when errors.Any(e => e.Code == PublishingErrors.FeatureRequired) => StatusCodes.Status402PaymentRequired,
        ResultStatus.Conflict => StatusCodes.Status409Conflict,
        _ => StatusCodes.Status400BadRequest,
    };

    public static string When(DateTime? utc) =>
        utc is { } at ? at.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) : "";

    private static string Localize(IStringLocalizer l, string code, IReadOnlyList<string> args) =>
        l[code, [.. args.Select(a => l[a] is { ResourceNotFound: false } text ? (object)text.Value : a)]];
}
