using CommerceOS.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Core.Billing;

/// <summary>
/// Feature gates (product-scope.md A3): a workspace has a feature when its plan has it or an administrator granted it. A
/// refusal is a Conflict whose code ends in <c>.feature_required</c> with the feature as its argument; the API adds the
/// upgrade path to the ProblemDetails.
/// </summary>
public static class PlanFeatureQueries
{
    public const string FeatureRequiredSuffix = ".feature_required";

    /// <summary>Whether the current workspace has <paramref name="feature"/> (a <see cref="PlanFeatures"/> id); no subscription has none.</summary>
    public static async Task<bool> WorkspaceHasFeatureAsync(this AppDbContext db, string feature, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var subscription = await db.Subscriptions.AsNoTracking().FirstOrDefaultAsync(cancellationToken);
        return subscription is not null && await HasAsync(db, subscription, feature, time, cancellationToken);
    }

    /// <summary>The same for a workspace named outside a request's workspace (API key creation and authentication).</summary>
    public static async Task<bool> WorkspaceHasFeatureAsync(this AppDbContext db, Guid workspaceId, string feature, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
#pragma warning disable RS0030 // The workspace is named by the caller, which has checked the user's membership of it.
        var subscription = await db.Subscriptions.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(s => s.WorkspaceId == workspaceId, cancellationToken);
#pragma warning restore RS0030
        return subscription is not null && await HasAsync(db, subscription, feature, time, cancellationToken);
    }

    public static bool IsFeatureRequired(string code) => code.EndsWith(FeatureRequiredSuffix, StringComparison.Ordinal);

    /// <summary>
    /// Whether <paramref name="subscription"/> has <paramref name="feature"/> now: granted, or in its plan as it is at
    /// <paramref name="now"/> (a trial, a cancellation or an unpaid period that ended is settled in memory, as reading usage
    /// does, so the gate closes with the period before anything meters and writes the roll). Changes the instance given.
    /// </summary>
    public static bool Has(Subscription subscription, IReadOnlyCollection<Plan> plans, string feature, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        ArgumentNullException.ThrowIfNull(plans);
        if (subscription.GrantedFeatures.Contains(feature, StringComparer.Ordinal))
        {
            return true;
        }

        SubscriptionTerms.Roll(subscription, now);
        return plans.FirstOrDefault(p => p.Code == subscription.PlanCode)?.Has(feature) ?? false;
    }

    private static async Task<bool> HasAsync(AppDbContext db, Subscription subscription, string feature, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(time);
        // A handful of rows: the plan is known only once the period is settled.
        var plans = await db.Plans.AsNoTracking().ToListAsync(cancellationToken);
        return Has(subscription, plans, feature, time.GetUtcNow().UtcDateTime);
    }
}
