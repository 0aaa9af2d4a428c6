using CommerceOS.Core.Accounts;
using CommerceOS.Core.Common;
using CommerceOS.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Core.Billing;

/// <param name="Limits">Per meter: a limit, or null for unlimited; a meter left out keeps the Enterprise plan's quota.</param>
/// <param name="Enterprise">True: Enterprise with these limits until an administrator changes it; false: back to Starter now.</param>
/// <param name="Grants">Features granted on top of the plan (<see cref="PlanFeatures"/> ids, replacing those granted before); null leaves them.</param>
public sealed record EnterpriseTerms(Guid WorkspaceId, bool Enterprise, IReadOnlyDictionary<string, long?> Limits, IReadOnlyCollection<string>? Grants = null);

/// <summary>
/// Enterprise is sold by contact (product-scope.md A3): a system administrator sets it on a workspace with the limits the
/// contract names, or takes it back to Starter, and grants features a contract adds to any plan (API access on Business). Only a user whose account is an administrator can (checked here, not only
/// by the page's policy); the change is audited and the limits apply at once.
/// </summary>
public sealed class SetEnterprisePlan(AppDbContext db, UsageLedger ledger, AuditLog audit, TimeProvider time)
{
    public const long MaxLimit = 1_000_000_000;

    public async Task<Result> HandleAsync(Guid adminUserId, EnterpriseTerms terms, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(terms);
        if (!await db.Users.AnyAsync(u => u.Id == adminUserId && u.IsAdmin, cancellationToken))
        {
            return Result.Forbidden();
        }

        var errors = new List<FieldError>();
        foreach (var (meter, limit) in terms.Limits)
        {
            if (!Meters.IsKnown(meter))
            {
                errors.Add(FieldError.Of($"limits.{meter}", BillingErrors.MeterUnknown, string.Join(", ", Meters.All)));
            }
            else if (limit is < 0 or > MaxLimit)
            {
                errors.Add(FieldError.Of($"limits.{meter}", BillingErrors.LimitOutOfRange, MaxLimit));
            }
        }

        foreach (var feature in terms.Grants ?? [])
        {
            if (!PlanFeatures.IsKnown(feature))
            {
                errors.Add(FieldError.Of("grants", BillingErrors.FeatureUnknown, string.Join(", ", PlanFeatures.All)));
            }
        }

        if (errors.Count > 0)
        {
            return Result.Invalid(errors);
        }

        await ledger.CurrentSubscriptionAsync(terms.WorkspaceId, cancellationToken);
#pragma warning disable RS0030 // A system administrator acts on the workspace named, not on their own.
        var subscription = await db.Subscriptions.IgnoreQueryFilters().FirstOrDefaultAsync(s => s.WorkspaceId == terms.WorkspaceId, cancellationToken);
#pragma warning restore RS0030
        if (subscription is null)
        {
            return Result.NotFound();
        }

        if (terms.Enterprise)
        {
            SubscriptionTerms.ToStarter(subscription);
            subscription.PlanCode = PlanCatalog.Enterprise;
            // No gateway: an admin-set plan continues from period to period (SubscriptionTerms) until changed here.
            subscription.CustomLimits = terms.Limits.ToDictionary(l => l.Key, l => l.Value, StringComparer.Ordinal);
        }
        else
        {
            SubscriptionTerms.ToStarter(subscription);
            subscription.CustomLimits = [];
        }

        if (terms.Grants is not null)
        {
            subscription.GrantedFeatures = [.. terms.Grants.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        }

        subscription.UpdatedAt = time.GetUtcNow().UtcDateTime;
        audit.Add(BillingAudit.PlanChanged, AuditOutcomes.Success, adminUserId, terms.WorkspaceId,
            $"admin:{subscription.PlanCode}:{string.Join(",", terms.Limits.Select(l => $"{l.Key}={l.Value?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unlimited"}"))}:grants={string.Join(",", subscription.GrantedFeatures)}");
        await db.SaveChangesAsync(cancellationToken);
        await ledger.ApplyLimitsAsync(terms.WorkspaceId, cancellationToken);
        return Result.Ok();
    }
}
