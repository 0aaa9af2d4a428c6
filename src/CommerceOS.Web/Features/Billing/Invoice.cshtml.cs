using System.Net;
using System.Text;
using CommerceOS.Core.Billing;
using CommerceOS.Core.Data;
using CommerceOS.Core.Workspaces;
using CommerceOS.Web.Features.Assets;
using CommerceOS.Web.Shared.Localization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Web.Features.Billing;

/// <summary>
/// <c>/app/billing/invoices/{id}</c>: one receipt as a self-contained, printable HTML file in English and Chinese side by
/// side (a seller's accountant may read either), downloaded rather than shown. Any member; another workspace's id is not found.
/// </summary>
[Authorize(Policy = Accounts.AccountsWebExtensions.MemberPolicy)]
public sealed class InvoiceModel(BillingQueries queries, AppDbContext db, WorkspaceContext workspace, StringCatalog catalog) : PageModel
{
    [FromRoute] public Guid Id { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var found = await queries.InvoiceAsync(Id, cancellationToken);
        if (!found.IsSuccess)
        {
            return NotFound();
        }

        var invoice = found.Value;
        var seller = await db.Workspaces.AsNoTracking().Where(w => w.Id == workspace.RequiredWorkspaceId).Select(w => w.Name).SingleAsync(cancellationToken);
        // A receipt holds the seller's billing details: never kept by a shared cache or the browser's.
        Response.Headers.CacheControl = "no-store";
        Response.Headers.ContentDisposition = AssetsEndpoints.ContentDisposition(true, invoice.Number + ".html");
        return Content(Render(invoice, seller), "text/html; charset=utf-8", Encoding.UTF8);
    }

    /// <summary>The receipt: each label in English and 简体中文, amounts in major units with their currency.</summary>
    public string Render(Invoice invoice, string seller)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        var en = catalog.For(StringCatalog.English);
        var zh = catalog.For(StringCatalog.Chinese);
        string Label(string key) => $"<span lang=\"en\">{Encode(en[key])}</span> <span lang=\"zh-CN\">/ {Encode(zh[key])}</span>";
        string Both(string key) => $"{Encode(en[key])} / {Encode(zh[key])}";
        string Row(string key, string value) => $"<tr><th>{Label(key)}</th><td>{value}</td></tr>";
        var amount = (long minor) => Encode(BillingUi.Amount(minor, invoice.Currency));
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append("<title>").Append(Encode(invoice.Number)).Append(" · CommerceOS</title>")
            .Append("<style>body{font-family:system-ui,\"PingFang SC\",\"Microsoft YaHei\",sans-serif;max-width:760px;margin:32px auto;color:#111}")
            .Append("table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:6px 8px;border-bottom:1px solid #ddd}")
            .Append("th{width:45%;font-weight:600}.total td,.total th{font-size:1.15em;border-top:2px solid #111}")
            .Append(".issuer{margin-top:32px;color:#555;font-size:.9em}@media print{body{margin:0}}</style></head><body>")
            .Append("<h1>").Append(Both("billing_ui.receipt.title")).Append("</h1>")
            .Append("<table>")
            .Append(Row("billing_ui.receipt.number", $"<span id=\"receipt-number\">{Encode(invoice.Number)}</span>"))
            .Append(Row("billing_ui.receipt.issued", Encode(BillingUi.Date(invoice.IssuedAt))))
            .Append(Row("billing_ui.receipt.seller", Encode(seller)))
            .Append(Row("billing_ui.receipt.plan", $"{Encode(en[$"billing_ui.plan.{invoice.PlanCode}"])} / {Encode(zh[$"billing_ui.plan.{invoice.PlanCode}"])}"))
            .Append(Row("billing_ui.receipt.cycle", Both($"billing_ui.cycle.{invoice.Cycle.ToString().ToLowerInvariant()}")))
            .Append(Row("billing_ui.receipt.period", $"{Encode(BillingUi.Date(invoice.PeriodStart))} – {Encode(BillingUi.Date(invoice.PeriodEnd))}"))
            .Append(Row("billing_ui.receipt.subtotal", amount(invoice.SubtotalMinor)))
            .Append(Row("billing_ui.receipt.credit", invoice.CreditMinor > 0 ? "−" + amount(invoice.CreditMinor) : amount(0)))
            .Append("<tr class=\"total\"><th>").Append(Label("billing_ui.receipt.total")).Append("</th><td id=\"receipt-total\">").Append(amount(invoice.TotalMinor)).Append("</td></tr>")
            .Append(Row("billing_ui.receipt.gateway", en.TryGetValue($"billing_ui.gateway.{invoice.Gateway}", out var gateway)
                ? $"{Encode(gateway)} / {Encode(zh[$"billing_ui.gateway.{invoice.Gateway}"])}"
                : Encode(invoice.Gateway)))
            .Append("</table>")
            .Append("<div class=\"issuer\"><strong>CommerceOS</strong><br>").Append(Both("billing_ui.receipt.issuer")).Append("<br>")
            .Append(Both("billing_ui.receipt.minimal")).Append("</div>")
            .Append("</body></html>");
        return html.ToString();
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
