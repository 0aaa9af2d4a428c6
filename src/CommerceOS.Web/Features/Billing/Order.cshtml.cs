using CommerceOS.Core.Billing;
using CommerceOS.Core.Billing.Payments;
using CommerceOS.Core.Workspaces;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using QRCoder;

namespace CommerceOS.Web.Features.Billing;

/// <summary>
/// One payment's page: where every gateway returns the seller, showing whether the payment has been confirmed. For the
/// local test gateway it is also the payment page, marked as a test on every view: Pay and Cancel walk through the same
/// verified-notification path as a real gateway. A WeChat Pay order arrives with its Native code sealed for this order
/// (<see cref="BillingModel.QrProtector"/>) and shows it as a QR code to scan.
/// </summary>
[Authorize(Policy = Accounts.AccountsWebExtensions.MemberPolicy)]
public sealed class OrderModel(BillingQueries queries, WorkspaceContext workspace, PaymentGatewayRegistry gateways, ReceiveWebhook webhooks, IDataProtectionProvider protection) : PageModel
{
    [FromRoute] public Guid Id { get; set; }

    /// <summary>The gateway's payment code, sealed by the billing page for this order.</summary>
    [FromQuery(Name = "qr")] public string? SealedCode { get; set; }

    public BillingOrder Order { get; private set; } = null!;

    /// <summary>The payment code drawn as an inline SVG QR code, while the order is open.</summary>
    public string? QrSvg { get; private set; }

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
        if (Order.Status == OrderStatus.Open && !string.IsNullOrEmpty(SealedCode))
        {
            QrSvg = Qr(SealedCode);
        }

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

    /// <summary>The code as an SVG, or null when the seal is not this order's (a forged or foreign link shows no code).</summary>
    private string? Qr(string sealedCode)
    {
        string code;
        try
        {
            code = BillingModel.QrProtector(protection, Id).Unprotect(sealedCode);
        }
        catch (CryptographicException)
        {
            return null;
        }

        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(code, QRCodeGenerator.ECCLevel.M);
        return new SvgQRCode(data).GetGraphic(6);
    }
}
