using System.Globalization;
using CommerceOS.Core.Billing;
using CommerceOS.Core.Billing.Payments;
using CommerceOS.Core.Common;
using CommerceOS.Core.Data;
using CommerceOS.Core.Workspaces;
using CommerceOS.Web.Shared.Localization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace CommerceOS.Web.Features.Billing;

/// <summary>
/// <c>/app/billing</c>: the workspace's plan, the plans it can buy (checkout through a configured gateway), the free trial,
/// cancel / resume / downgrade at the period end, and its invoices. The Core use cases decide and compute every amount;
/// this page shows their answers. Everyone in the workspace sees it; only Admins and owners can act.
/// </summary>
[Authorize(Policy = Accounts.AccountsWebExtensions.MemberPolicy)]
public sealed class BillingModel(
    AppDbContext db,
    WorkspaceContext workspace,
    BillingQueries queries,
    StartCheckout checkout,
    StartTrial trial,
    ChangePlan change,
    IDataProtectionProvider protection,
    IStringLocalizer localizer,
    TimeProvider time) : PageModel
{
    public sealed class CheckoutForm
    {
        public string? Plan { get; set; }

        public string? Cycle { get; set; }

        public string? Currency { get; set; }

        public string? Gateway { get; set; }
    }

    public sealed class DowngradeForm
    {
        public string? Plan { get; set; }

        public string? Cycle { get; set; }
    }

    [BindProperty]
    public CheckoutForm Checkout { get; set; } = new();

    [BindProperty]
    public DowngradeForm Downgrade { get; set; } = new();

    /// <summary>The currency the plans are priced in (CNY or USD).</summary>
    [BindProperty(SupportsGet = true, Name = "currency")]
    public string? RequestedCurrency { get; set; }

    /// <summary>The cycle the checkout forms start with (monthly or annual).</summary>
    [BindProperty(SupportsGet = true, Name = "cycle")]
    public string? RequestedCycle { get; set; }

    /// <summary>What the last POST did (PRG notice): trial, canceled, resumed, downgraded.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Done { get; set; }

    public SubscriptionView Subscription { get; private set; } = null!;

    public IReadOnlyList<Plan> Plans { get; private set; } = [];

    public IReadOnlyList<InvoiceView> Invoices { get; private set; } = [];

    public string Currency { get; private set; } = "USD";

    public BillingCycle Cycle { get; private set; }

    public DateTime Now { get; private set; }

    public bool CanAdmin => workspace.Can(WorkspaceRole.Admin);

    public List<string> Errors { get; } = [];

    public Plan Current => Plans.Single(p => p.Code == Subscription.Plan);

    /// <summary>Plans sold by checkout (Creator, Business).</summary>
    public IEnumerable<Plan> Sold => Plans.Where(p => !p.ContactSales && p.MonthlyPriceCny > 0);

    /// <summary>Sold plans below the current one, and the current one when a shorter cycle is a downgrade too.</summary>
    public IEnumerable<Plan> DowngradeTargets => Sold.Where(p => p.SortOrder < Current.SortOrder
        || (p.SortOrder == Current.SortOrder && Subscription.Cycle == BillingCycle.Annual));

    public string PlanName(Plan plan) => StringCatalog.IsChinese(CultureInfo.CurrentUICulture) ? plan.NameZh : plan.NameEn;

    public string Tagline(Plan plan) => StringCatalog.IsChinese(CultureInfo.CurrentUICulture) ? plan.TaglineZh : plan.TaglineEn;

    public string Quota(Plan plan, string meter) => plan.LimitFor(meter) is { } limit
        ? localizer[$"billing_ui.quota.{meter}", limit.ToString("N0", CultureInfo.CurrentCulture)]
        : localizer[$"billing_ui.quota.{meter}_unlimited"];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostCheckoutAsync(CancellationToken cancellationToken)
    {
        var locale = StringCatalog.IsChinese(CultureInfo.CurrentUICulture) ? StringCatalog.Chinese : StringCatalog.English;
        var result = await checkout.HandleAsync(new CheckoutInput(Checkout.Plan, Checkout.Cycle, Checkout.Currency, Checkout.Gateway, locale), cancellationToken);
        if (!result.IsSuccess)
        {
            return await RefusedAsync(result.Status, result.Errors, cancellationToken);
        }

        var view = result.Value;
        if (view.Url is null)
        {
            // A self-renewing subscription changed at its gateway: the order page shows when its event confirms it.
            return LocalRedirect(BillingUi.OrderUrl(view.OrderId));
        }

        if (view.Presentation == CheckoutPresentation.QrCode)
        {
            // The code goes to the order page sealed for that order, so nobody can make the page show another code.
            var sealedCode = QrProtector(protection, view.OrderId).Protect(view.Url);
            return LocalRedirect($"{BillingUi.OrderUrl(view.OrderId)}?qr={Uri.EscapeDataString(sealedCode)}");
        }

        return Redirect(view.Url);
    }

    public async Task<IActionResult> OnPostTrialAsync(string? plan, CancellationToken cancellationToken)
    {
        var result = await trial.HandleAsync(plan, cancellationToken);
        return result.IsSuccess ? LocalRedirect($"{BillingUi.BillingUrl}?done=trial") : await RefusedAsync(result.Status, result.Errors, cancellationToken);
    }

    public Task<IActionResult> OnPostCancelAsync(CancellationToken cancellationToken) => ChangeAsync(PlanChangeAction.Cancel, null, null, "canceled", cancellationToken);

    public Task<IActionResult> OnPostResumeAsync(CancellationToken cancellationToken) => ChangeAsync(PlanChangeAction.Resume, null, null, "resumed", cancellationToken);

    public Task<IActionResult> OnPostDowngradeAsync(CancellationToken cancellationToken)
    {
        BillingCycle? cycle = Downgrade.Cycle switch
        {
            "monthly" => BillingCycle.Monthly,
            "annual" => BillingCycle.Annual,
            _ => null,
        };
        return ChangeAsync(PlanChangeAction.Downgrade, Downgrade.Plan, cycle, "downgraded", cancellationToken);
    }

    /// <summary>The protector that seals a WeChat Pay code for one order's page.</summary>
    public static IDataProtector QrProtector(IDataProtectionProvider protection, Guid orderId) =>
        protection.CreateProtector("CommerceOS.Billing.WeChatPayCode", orderId.ToString("N"));

    private async Task<IActionResult> ChangeAsync(PlanChangeAction action, string? plan, BillingCycle? cycle, string done, CancellationToken cancellationToken)
    {
        var result = await change.HandleAsync(action, plan, cycle, cancellationToken);
        if (!result.IsSuccess)
        {
            return await RefusedAsync(result.Status, result.Errors, cancellationToken);
        }

        // A self-renewing gateway's downgrade happens on its own billing page (Stripe Customer Portal).
        return result.Value.PortalUrl is { } portal ? Redirect(portal) : LocalRedirect($"{BillingUi.BillingUrl}?done={done}");
    }

    private async Task<IActionResult> RefusedAsync(ResultStatus status, IReadOnlyList<FieldError> errors, CancellationToken cancellationToken)
    {
        Errors.AddRange(errors.Select(e => BillingUi.Error(localizer, e)).Distinct());
        Response.StatusCode = BillingUi.StatusCode(status);
        await LoadAsync(cancellationToken);
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Now = time.GetUtcNow().UtcDateTime;
        Subscription = (await queries.SubscriptionAsync(cancellationToken)).Value;
        Plans = await db.Plans.AsNoTracking().OrderBy(p => p.SortOrder).ToListAsync(cancellationToken);
        var invoices = await queries.InvoicesAsync(cancellationToken);
        Invoices = invoices.IsSuccess ? invoices.Value : [];
        var requested = (Checkout.Currency ?? RequestedCurrency)?.Trim().ToUpperInvariant();
        Currency = Pricing.IsBillingCurrency(requested) ? requested!
            : Subscription.Currency is { } billed && Pricing.IsBillingCurrency(billed) ? billed
            : StringCatalog.IsChinese(CultureInfo.CurrentUICulture) ? "CNY" : "USD";
        Cycle = (Checkout.Cycle ?? RequestedCycle) == "annual" ? BillingCycle.Annual : BillingCycle.Monthly;
    }
}
