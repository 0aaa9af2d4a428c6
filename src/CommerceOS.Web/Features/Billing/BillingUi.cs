using System.Globalization;
using CommerceOS.Core.Billing;
using CommerceOS.Core.Common;
using Microsoft.Extensions.Localization;

namespace CommerceOS.Web.Features.Billing;

/// <summary>A feature gate's explanation (<c>*.feature_required</c> code) and the element id of its notice.</summary>
public sealed record UpgradeNotice(string Code, string Id);

/// <summary>Shared pieces of the billing pages: addresses, prices as a seller reads them, refusals in words.</summary>
public static class BillingUi
{
    public const string BillingUrl = "/app/billing";

    public const string UsageUrl = "/app/usage";

    /// <summary>Enterprise is arranged by people, not by checkout.</summary>
    public const string SalesMail = "mailto:hello@commerceos.ai?subject=CommerceOS%20Enterprise";

    public static string OrderUrl(Guid orderId) => $"{BillingUrl}/orders/{orderId:N}";

    public static string InvoiceUrl(Guid invoiceId) => $"{BillingUrl}/invoices/{invoiceId}";

    /// <summary>A list price as on the pricing page ("¥40", "$9", "$8.04"): whole units without decimals.</summary>
    public static string Price(long minor, string currency) =>
        (currency == "USD" ? "$" : "¥") + (minor / 100m).ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>An amount charged, with the currency's decimals and code ("59.00 CNY").</summary>
    public static string Amount(long minor, string currency) => $"{Currencies.FormatMajor(minor, currency)} {currency}";

    public static string Date(DateTime utc) => utc.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Whole days from <paramref name="now"/> until <paramref name="end"/>, never negative.</summary>
    public static int DaysUntil(DateTime end, DateTime now) => Math.Max(0, (int)Math.Ceiling((end - now).TotalDays));

    public static string PlanName(IStringLocalizer l, string plan) => l[$"billing_ui.plan.{plan}"];

    public static string CycleName(IStringLocalizer l, BillingCycle cycle) => l[$"billing_ui.cycle.{cycle.ToString().ToLowerInvariant()}"];

    public static string GatewayName(IStringLocalizer l, string gateway) =>
        l[$"billing_ui.gateway.{gateway}"] is { ResourceNotFound: false } name ? name.Value : gateway;

    public static string StatusName(IStringLocalizer l, SubscriptionStatus status) => l[$"billing_ui.status.{status.ToString().ToLowerInvariant()}"];

    public static string StatusBadge(SubscriptionStatus status) => status switch
    {
        SubscriptionStatus.Active => "badge-ok",
        SubscriptionStatus.Trialing => "badge-brand",
        SubscriptionStatus.PastDue => "badge-bad",
        _ => "badge-muted",
    };

    /// <summary>A refusal in the seller's language (its arguments are gateway or plan codes, shown as they are).</summary>
    public static string Error(IStringLocalizer l, FieldError error) =>
        error.Code == CommonErrors.Forbidden ? l["billing_ui.admins_only"] : l[error.Code, [.. error.Args]];

    /// <summary>The HTTP status a refused form answers with, so scripts and tests see the refusal too.</summary>
    public static int StatusCode(ResultStatus status) => status switch
    {
        ResultStatus.NotFound => StatusCodes.Status404NotFound,
        ResultStatus.Forbidden => StatusCodes.Status403Forbidden,
        ResultStatus.Conflict => StatusCodes.Status409Conflict,
        _ => StatusCodes.Status400BadRequest,
    };
}
