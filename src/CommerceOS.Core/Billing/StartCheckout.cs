using CommerceOS.Core.Accounts;
using CommerceOS.Core.Billing.Payments;
using CommerceOS.Core.Common;
using CommerceOS.Core.Data;
using CommerceOS.Core.Generation;
using CommerceOS.Core.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CommerceOS.Core.Billing;

/// <param name="Plan">A plan sold by checkout (Creator, Business).</param>
/// <param name="Cycle"><c>monthly</c> or <c>annual</c>.</param>
/// <param name="Currency">CNY or USD.</param>
public sealed record CheckoutInput(string? Plan, string? Cycle, string? Currency, string? Gateway, string Locale = "en");

/// <param name="Url">Where to send the seller (or, for <see cref="CheckoutPresentation.QrCode"/>, what to show as a QR code); null when the gateway changes an existing subscription without a page.</param>
public sealed record CheckoutView(Guid OrderId, string Gateway, OrderKind Kind, long AmountMinor, long CreditMinor, string Currency, string? Url, CheckoutPresentation Presentation, bool TestMode);

/// <summary>
/// Starts paying for a plan (Admins and owners). The amount is computed here (<see cref="Pricing"/>): a new plan's full
/// period, the rest of the period for an upgrade less the unused part of the current plan, or the next period of a plan
/// that does not renew by itself. An order is stored first, then the gateway is asked for its page with the order id as
/// its idempotency key. Nothing about the plan changes here: that waits for the gateway's verified event.
/// </summary>
public sealed class StartCheckout(
    AppDbContext db,
    WorkspaceContext workspace,
    UsageLedger ledger,
    PaymentGatewayRegistry gateways,
    AuditLog audit,
    IOptions<BillingOptions> options,
    TimeProvider time)
{
    public async Task<Result<CheckoutView>> HandleAsync(CheckoutInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!workspace.Can(WorkspaceRole.Admin))
        {
            return Result.Forbidden();
        }

        var errors = new List<FieldError>();
        var plans = await db.Plans.AsNoTracking().OrderBy(p => p.SortOrder).ToListAsync(cancellationToken);
        var sold = plans.Where(p => !p.ContactSales && p.MonthlyPriceCny > 0).ToList();
        var plan = sold.FirstOrDefault(p => string.Equals(p.Code, input.Plan?.Trim(), StringComparison.OrdinalIgnoreCase));
        if (plan is null)
        {
            errors.Add(FieldError.Of("plan", BillingErrors.PlanNotSold, string.Join(", ", sold.Select(p => p.Code))));
        }

        BillingCycle? cycle = input.Cycle?.Trim().ToLowerInvariant() switch
        {
            "monthly" => BillingCycle.Monthly,
            "annual" or "yearly" => BillingCycle.Annual,
            _ => null,
        };
        if (cycle is null)
        {
            errors.Add(new FieldError("cycle", BillingErrors.CycleUnknown));
        }

        var gateway = gateways.Find(input.Gateway);
        if (gateway is null)
        {
            errors.Add(FieldError.Of("gateway", BillingErrors.GatewayUnknown, string.Join(", ", gateways.All.Select(g => g.Id).Order(StringComparer.Ordinal))));
        }

        var currency = input.Currency?.Trim().ToUpperInvariant();
        if (gateway is not null && (currency is null || !gateway.Currencies.Contains(currency, StringComparer.Ordinal)))
        {
            errors.Add(FieldError.Of("currency", BillingErrors.CurrencyUnsupported, gateway.Id, string.Join(", ", gateway.Currencies)));
        }

        if (gateway is not null && gateway.Id != PaymentGateways.Test && string.IsNullOrWhiteSpace(options.Value.PublicBaseUrl))
        {
            errors.Add(new FieldError("gateway", BillingErrors.NoPublicUrl));
        }

        if (errors.Count > 0)
        {
            return Result.Invalid(errors);
        }

        var workspaceId = workspace.RequiredWorkspaceId;
        var subscription = await ledger.CurrentSubscriptionAsync(workspaceId, cancellationToken);
        var current = plans.Single(p => p.Code == subscription.PlanCode);
        ArgumentNullException.ThrowIfNull(gateway);
        var quote = Quote(subscription, current, plan!, cycle!.Value, currency!, gateway);
        if (!quote.IsSuccess)
        {
            return quote.WithoutValue();
        }

        var now = time.GetUtcNow().UtcDateTime;
        var (kind, amount, credit, start, end) = quote.Value;
        var selfRenewing = subscription.GatewaySubscriptionId is not null;
        if (subscription.PlanCode != PlanCatalog.Starter && subscription.Status != SubscriptionStatus.Trialing
            && subscription.Gateway is { } billedBy && billedBy != gateway.Id)
        {
            // Paying for one plan through two gateways would bill twice: a change goes through the gateway that bills it.
            return Result.Conflict("gateway", BillingErrors.GatewayMismatch, billedBy);
        }

        var order = new BillingOrder
        {
            WorkspaceId = workspaceId,
            CreatedByUserId = workspace.UserId,
            Kind = kind,
            Gateway = gateway.Id,
            PlanCode = plan!.Code,
            Cycle = cycle.Value,
            Currency = currency!,
            AmountMinor = amount,
            CreditMinor = credit,
            PeriodPriceMinor = Pricing.PeriodPriceMinor(plan, cycle.Value, currency!),
            PeriodStart = start,
            PeriodEnd = end,
            CreatedAt = now,
            ExpiresAt = now + options.Value.CheckoutLifetime,
        };
        db.BillingOrders.Add(order);
        await db.SaveChangesAsync(cancellationToken);

        if (selfRenewing && gateway.Recurring)
        {
            // An existing self-renewing subscription changes at the gateway (prorated there); the plan follows its verified event.
            try
            {
                await gateway.ChangeSubscriptionAsync(
                    new SubscriptionChange(subscription.GatewaySubscriptionId!, plan!.Code, cycle.Value, currency, order.PeriodPriceMinor, null, order.Id), cancellationToken);
            }
            catch (Exception e) when (e is ProviderException or HttpRequestException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                order.Status = OrderStatus.Closed;
                await db.SaveChangesAsync(CancellationToken.None);
                return Result.Conflict("", BillingErrors.GatewayUnavailable);
            }

            audit.Add(BillingAudit.CheckoutStarted, AuditOutcomes.Success, workspace.UserId, workspaceId, $"{gateway.Id}:{order.Id:N}:{plan.Code}:{cycle}");
            await db.SaveChangesAsync(cancellationToken);
            return new CheckoutView(order.Id, gateway.Id, kind, amount, credit, currency!, null, CheckoutPresentation.Redirect, false);
        }

        var email = workspace.UserId is { } userId
            ? await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => u.Email).FirstOrDefaultAsync(cancellationToken)
            : null;
        var baseUrl = (options.Value.PublicBaseUrl ?? "").TrimEnd('/');
        var trialDays = subscription.Status == SubscriptionStatus.Trialing && subscription.TrialEndsAt is { } trialEnd && trialEnd > now
            ? (int)Math.Ceiling((trialEnd - now).TotalDays)
            : 0;
        CheckoutStart started;
        try
        {
            started = await gateway.StartCheckoutAsync(
                new CheckoutRequest(
                    order.Id, workspaceId, plan.Code, cycle.Value, currency!, amount, order.PeriodPriceMinor,
                    $"CommerceOS {plan.NameEn} – {(cycle == BillingCycle.Monthly ? "monthly" : "annual")}",
                    gateway.Recurring ? trialDays : 0,
                    subscription.Gateway == gateway.Id ? subscription.GatewayCustomerId : null,
                    email,
                    $"{baseUrl}/app/billing/orders/{order.Id:N}",
                    $"{baseUrl}/app/billing/orders/{order.Id:N}",
                    $"{baseUrl}/webhooks/{gateway.Id}",
                    input.Locale,
                    new DateTimeOffset(order.ExpiresAt, TimeSpan.Zero)),
                cancellationToken);
        }
        catch (Exception e) when (e is ProviderException or HttpRequestException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            order.Status = OrderStatus.Closed;
            await db.SaveChangesAsync(CancellationToken.None);
            return Result.Conflict("", BillingErrors.GatewayUnavailable);
        }

        order.GatewayReference = started.Reference;
        audit.Add(BillingAudit.CheckoutStarted, AuditOutcomes.Success, workspace.UserId, workspaceId, $"{gateway.Id}:{order.Id:N}:{plan.Code}:{cycle}");
        await db.SaveChangesAsync(cancellationToken);
        return new CheckoutView(order.Id, gateway.Id, kind, amount, credit, currency!, started.Url, started.Presentation, gateway.Id == PaymentGateways.Test);
    }

    /// <summary>What kind of order this is and what it charges, or why it is not a checkout.</summary>
    private Result<(OrderKind Kind, long Amount, long Credit, DateTime Start, DateTime End)> Quote(
        Subscription subscription, Plan current, Plan plan, BillingCycle cycle, string currency, IPaymentGateway gateway)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var price = Pricing.PeriodPriceMinor(plan, cycle, currency);
        var months = BillingPeriods.MonthsPerCycle(cycle);
        var trialing = subscription.Status == SubscriptionStatus.Trialing && subscription.TrialEndsAt > now;
        if (current.Code == PlanCatalog.Starter || trialing)
        {
            // Paying during a trial keeps the trial's days: the paid period starts when the trial ends.
            var start = trialing ? subscription.TrialEndsAt!.Value : now;
            return (OrderKind.Subscribe, price, 0L, start, start.AddMonths(months));
        }

        if (subscription.Currency is { } billed && billed != currency)
        {
            return Result.Invalid("currency", BillingErrors.CurrencyMismatch, billed);
        }

        var higher = plan.SortOrder > current.SortOrder;
        var sameTier = plan.SortOrder == current.SortOrder;
        var next = subscription.PendingPlanCode is { } pending ? (Plan: pending, Cycle: subscription.PendingCycle ?? subscription.Cycle) : (Plan: current.Code, Cycle: subscription.Cycle);
        if (!gateway.Recurring && subscription.GatewaySubscriptionId is null && plan.Code == next.Plan && cycle == next.Cycle && !subscription.CancelAtPeriodEnd)
        {
            // The next period of a plan paid one period at a time: the plan it will be (a pending downgrade included).
            var from = subscription.PaidThrough is { } through && through > now ? through : subscription.CurrentPeriodEnd;
            return (OrderKind.Renew, price, 0L, from, from.AddMonths(months));
        }

        if (sameTier && cycle == subscription.Cycle)
        {
            // Renewed by the gateway itself, or cancelled (resume instead of paying again).
            return Result.Conflict("plan", BillingErrors.AlreadySubscribed);
        }

        if (!higher && !(sameTier && cycle == BillingCycle.Annual))
        {
            return Result.Conflict("plan", BillingErrors.DowngradeAtPeriodEnd);
        }

        var oldPrice = Pricing.PeriodPriceMinor(current, subscription.Cycle, currency);
        var quote = Pricing.Upgrade(oldPrice, subscription.Cycle, subscription.CurrentPeriodStart, subscription.CurrentPeriodEnd, plan, cycle, currency, now);
        return quote.DueMinor <= 0
            ? Result.Conflict("plan", BillingErrors.NothingToCharge)
            : (OrderKind.Upgrade, quote.DueMinor, quote.CreditMinor, quote.PeriodStart, quote.PeriodEnd);
    }
}
