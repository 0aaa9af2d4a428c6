using CommerceOS.Core.Billing;
using CommerceOS.Core.Billing.Payments;
using CommerceOS.Core.Workspaces;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CommerceOS.Web.Features.Billing;

/// <summary>
/// One payment's page: where every gateway returns the seller, showing whether the payment has been confirmed. For the
/// local test gateway it is also the payment page, marked as a test on every view: Pay and Cancel walk through the same
/// verified-notification path as a real gateway.
/// </summary>
[Authorize(Policy = Accounts.AccountsWebExtensions.MemberPolicy)]
public sealed class OrderModel(BillingQueries queries, WorkspaceContext workspace, PaymentGatewayRegistry gateways, ReceiveWebhook webhooks) : PageModel
{
    [FromRoute] public Guid Id { get; set; }

    public BillingOrder Order { get; private set; } = null!;

    public bool CanPay => workspace.Can(WorkspaceRole.Admin);

    public bool TestMode => Order.Gateway == PaymentGateways.Test;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var found = await queries.OrderAsync(Id, cancellationToken);
        if (!found.IsSuccess)
        {
            return NotFound();
        }

        Order = found.Value;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string? decision, CancellationToken cancellationToken)
    {
        var found = await queries.OrderAsync(Id, cancellationToken);
        if (!found.IsSuccess)
        {
            return NotFound();
        }

        if (!CanPay)
        {
            return Forbid();
        }

        if (found.Value.Gateway == PaymentGateways.Test && gateways.Find(PaymentGateways.Test) is TestPaymentGateway test
            && await test.CompleteAsync(Id, decision == "pay", cancellationToken) is { } delivery)
        {
            // The same path as a real notification: verified, stored once, processed in the background.
            await webhooks.HandleAsync(PaymentGateways.Test, delivery, cancellationToken);
        }

        return LocalRedirect($"/app/billing/orders/{Id:N}");
    }
}
