using System.Globalization;
using CommerceOS.Core.Billing;
using CommerceOS.Core.Data;
using CommerceOS.Web.Shared.Localization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace CommerceOS.Web.Features.Public;

public sealed class PricingModel(AppDbContext db, IStringLocalizer localizer) : PageModel
{
    public IReadOnlyList<Plan> Plans { get; private set; } = [];

    [BindProperty(Name = "currency", SupportsGet = true)]
    public string? RequestedCurrency { get; set; }

    public string Currency { get; private set; } = "USD";

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Currency = RequestedCurrency is "USD" or "CNY" ? RequestedCurrency : StringCatalog.IsChinese(CultureInfo.CurrentUICulture) ? "CNY" : "USD";
        Plans = await db.Plans.AsNoTracking().OrderBy(p => p.SortOrder).ToListAsync(cancellationToken);
    }

    public string Name(Plan plan) => StringCatalog.IsChinese(CultureInfo.CurrentUICulture) ? plan.NameZh : plan.NameEn;

    public string Tagline(Plan plan) => StringCatalog.IsChinese(CultureInfo.CurrentUICulture) ? plan.TaglineZh : plan.TaglineEn;

    public string Format(long minor) => Billing.BillingUi.Price(minor, Currency);

    /// <summary>The annual price per month and per year, from the same <see cref="Pricing"/> that checkout charges.</summary>
    public (long PerMonth, long PerYear) Annual(Plan plan) =>
        (Pricing.AnnualMonthlyMinor(plan, Currency), Pricing.PeriodPriceMinor(plan, BillingCycle.Annual, Currency));

    /// <summary>Where a paid plan's button goes: a seller signed in goes to checkout on the billing page, a visitor signs up first.</summary>
    public string CheckoutUrl => User.Identity?.IsAuthenticated == true
        ? $"{Billing.BillingUi.BillingUrl}?currency={Currency}"
        : "/account/register";

    public string Quota(Plan plan, string meter, string key) => plan.LimitFor(meter) is { } limit
        ? localizer[key, limit.ToString("N0", CultureInfo.CurrentCulture)]
        : localizer[key + "_unlimited"];
}
