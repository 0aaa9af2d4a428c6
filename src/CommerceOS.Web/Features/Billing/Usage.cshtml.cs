using System.Globalization;
using System.Text;
using CommerceOS.Core.Billing;
using CommerceOS.Core.Workspaces;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CommerceOS.Web.Features.Billing;

/// <summary>
/// <c>/app/usage</c>: each meter's use against the plan's limit this period, the days until the quotas reset, and a chart
/// of the last periods per meter (inline SVG: no script, nothing the CSP blocks). Any member.
/// </summary>
[Authorize(Policy = Accounts.AccountsWebExtensions.MemberPolicy)]
public sealed class UsageModel(WorkspaceContext workspace, UsageLedger ledger, BillingQueries queries, TimeProvider time) : PageModel
{
    /// <summary>Periods the history chart shows.</summary>
    public const int HistoryPeriods = 12;

    private const int ChartWidth = 360;

    private const int ChartHeight = 96;

    public IReadOnlyList<MeterUsage> Meters { get; private set; } = [];

    public IReadOnlyList<UsagePeriod> History { get; private set; } = [];

    public SubscriptionView Subscription { get; private set; } = null!;

    public int DaysUntilReset { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var usage = await ledger.GetUsageAsync(workspace.RequiredWorkspaceId, cancellationToken);
        Meters = [.. Core.Billing.Meters.All.Select(m => usage.FirstOrDefault(u => u.Meter == m) ?? new MeterUsage(m, 0, null, null))];
        var history = await queries.UsageHistoryAsync(HistoryPeriods, cancellationToken);
        History = history.IsSuccess ? history.Value : [];
        Subscription = (await queries.SubscriptionAsync(cancellationToken)).Value;
        DaysUntilReset = BillingUi.DaysUntil(Subscription.CurrentPeriodEnd, time.GetUtcNow().UtcDateTime);
    }

    /// <summary>Percent of the limit used (0 when unlimited), capped at 100 for the bar.</summary>
    public static long Percent(MeterUsage meter) => meter.Limit is > 0 ? Math.Min(100, meter.Used * 100 / meter.Limit.Value) : 0;

    /// <summary>
    /// One bar per period, scaled to the largest use or limit shown, each with its period and numbers as a tooltip; the
    /// limit of the newest period is drawn as a line so an over-limit month stands out.
    /// </summary>
    public string Chart(string meter, string label)
    {
        var points = History.Select(p => (p.Start, p.End, Use: p.Meters.TryGetValue(meter, out var use) ? use : new MeterUse(0, null))).ToList();
        var max = Math.Max(1, points.Select(p => Math.Max(p.Use.Used, p.Use.Limit ?? 0)).DefaultIfEmpty(0).Max());
        var slot = ChartWidth / (double)HistoryPeriods;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg class=\"usage-chart\" viewBox=\"0 0 {ChartWidth} {ChartHeight + 14}\" width=\"{ChartWidth}\" height=\"{ChartHeight + 14}\" role=\"img\" aria-label=\"{Encode(label)}\" data-chart=\"{meter}\">");
        for (var i = 0; i < points.Count; i++)
        {
            var (start, end, use) = points[i];
            var height = Math.Max(use.Used > 0 ? 1 : 0, (int)Math.Round(ChartHeight * (double)use.Used / max));
            var x = (i * slot) + 2;
            var over = use.Limit is { } limit && use.Used >= limit;
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x:0.#}\" y=\"{ChartHeight - height}\" width=\"{slot - 4:0.#}\" height=\"{height}\" fill=\"{(over ? "#dc2626" : "#6366f1")}\" data-period=\"{BillingUi.Date(start)}\" data-used=\"{use.Used}\">")
                .Append(CultureInfo.InvariantCulture, $"<title>{BillingUi.Date(start)} – {BillingUi.Date(end)}: {use.Used}{(use.Limit is { } l ? $" / {l}" : "")}</title></rect>")
                .Append(CultureInfo.InvariantCulture, $"<text x=\"{x + ((slot - 4) / 2):0.#}\" y=\"{ChartHeight + 12}\" font-size=\"9\" text-anchor=\"middle\" fill=\"#6b7280\">{start:MM}</text>");
        }

        if (points.Count > 0 && points[^1].Use.Limit is { } current)
        {
            var y = ChartHeight - (int)Math.Round(ChartHeight * (double)current / max);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"0\" x2=\"{ChartWidth}\" y1=\"{y}\" y2=\"{y}\" stroke=\"#9ca3af\" stroke-dasharray=\"4 3\" data-limit=\"{current}\"/>");
        }

        svg.Append("<line x1=\"0\" x2=\"").Append(ChartWidth).Append("\" y1=\"").Append(ChartHeight).Append("\" y2=\"").Append(ChartHeight).Append("\" stroke=\"#d1d5db\"/></svg>");
        return svg.ToString();
    }

    private static string Encode(string text) => System.Net.WebUtility.HtmlEncode(text);
}
