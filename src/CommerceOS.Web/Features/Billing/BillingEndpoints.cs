using CommerceOS.Core.Billing;
using CommerceOS.Core.Billing.Payments;
using CommerceOS.Web.Features.Api;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace CommerceOS.Web.Features.Billing;

/// <summary>
/// Plans and payments: <c>GET /api/v1/subscription</c>, <c>POST /api/v1/billing/checkout</c>, <c>GET /api/v1/billing/invoices</c>,
/// and the gateways' <c>POST /webhooks/{gateway}</c>. Nothing here changes a plan directly: a plan changes only when a
/// gateway's verified event is processed. Trials, cancellations and downgrades are the billing page's.
/// </summary>
public static class BillingEndpoints
{
    /// <summary>A webhook body larger than this is refused unread (the gateways' notifications are a few KB).</summary>
    public const int MaxWebhookBytes = 256 * 1024;

    public static RouteGroupBuilder MapBillingApi(this RouteGroupBuilder api)
    {
        api.MapGet("/subscription", SubscriptionAsync).WithTags("Billing");
        var billing = api.MapGroup("/billing").WithTags("Billing");
        billing.MapPost("/checkout", CheckoutAsync);
        billing.MapGet("/invoices", InvoicesAsync);
        return api;
    }

    /// <summary>The gateways' notifications: no session (the signature is the authority), the raw body as sent.</summary>
    public static WebApplication MapPaymentWebhooks(this WebApplication app)
    {
        app.MapPost("/webhooks/{gateway}", WebhookAsync).AllowAnonymous().DisableAntiforgery().WithTags("Billing");
        return app;
    }

    /// <summary>Body of <c>POST /api/v1/billing/checkout</c>.</summary>
    /// <param name="Plan">creator or business (Enterprise is by contact).</param>
    /// <param name="Cycle">monthly or annual (annual = 12 × the monthly price × 0.67).</param>
    /// <param name="Currency">CNY or USD (Alipay and WeChat Pay: CNY).</param>
    /// <param name="Gateway">stripe, alipay, wechatpay, or test (the local test gateway, when enabled).</param>
    public sealed record CheckoutRequest(string? Plan, string? Cycle, string? Currency, string? Gateway);

    private static async Task<Results<Ok<SubscriptionView>, JsonHttpResult<ProblemDetails>>> SubscriptionAsync(
        BillingQueries queries, HttpContext context, CancellationToken cancellationToken)
    {
        var result = await queries.SubscriptionAsync(cancellationToken);
        return result.IsSuccess ? TypedResults.Ok(result.Value) : ApiProblems.From(context, result);
    }

    private static async Task<Results<Ok<CheckoutView>, JsonHttpResult<ProblemDetails>>> CheckoutAsync(
        CheckoutRequest request, StartCheckout handler, HttpContext context, CancellationToken cancellationToken)
    {
        var locale = System.Globalization.CultureInfo.CurrentUICulture.Name.StartsWith("zh", StringComparison.Ordinal) ? "zh-CN" : "en";
        var result = await handler.HandleAsync(new CheckoutInput(request.Plan, request.Cycle, request.Currency, request.Gateway, locale), cancellationToken);
        return result.IsSuccess ? TypedResults.Ok(result.Value) : ApiProblems.From(context, result);
    }

    private static async Task<Results<Ok<IReadOnlyList<InvoiceView>>, JsonHttpResult<ProblemDetails>>> InvoicesAsync(
        BillingQueries queries, HttpContext context, CancellationToken cancellationToken)
    {
        var result = await queries.InvoicesAsync(cancellationToken);
        return result.IsSuccess ? TypedResults.Ok(result.Value) : ApiProblems.From(context, result);
    }

    private static async Task<IResult> WebhookAsync(string gateway, HttpContext context, ReceiveWebhook handler, TimeProvider time, CancellationToken cancellationToken)
    {
        if (context.Request.ContentLength > MaxWebhookBytes)
        {
            return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await context.Request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxWebhookBytes)
            {
                return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
            }

            buffer.Write(chunk, 0, read);
        }

        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var outcome = await handler.HandleAsync(gateway, new WebhookDelivery(buffer.ToArray(), headers, context.Request.ContentType, time.GetUtcNow()), cancellationToken);
        if (outcome is null)
        {
            return Results.NotFound();
        }

        var reply = outcome.Reply;
        return reply.Body is null ? Results.StatusCode(reply.StatusCode) : Results.Text(reply.Body, reply.ContentType ?? "text/plain", System.Text.Encoding.UTF8, reply.StatusCode);
    }
}
