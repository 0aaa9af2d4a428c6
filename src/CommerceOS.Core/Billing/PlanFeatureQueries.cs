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

    private static async Task<bool> HasAsync(AppDbContext db, Subscription subscription, string feature, TimeProvider time, CancellationToken cancellationToken)
    {
        if (subscription.GrantedFeatures.Contains(feature, StringComparer.Ordinal))
        {
            return true;
        }

        // The plan as it is now, not as last written: a trial, a cancellation or an unpaid period that ended gates at once,
        // before anything meters and writes the roll (settled in memory, as reading usage does).
        ArgumentNullException.ThrowIfNull(time);
        SubscriptionTerms.Roll(subscription, time.GetUtcNow().UtcDateTime);
        var plan = await db.Plans.AsNoTracking().SingleOrDefaultAsync(p => p.Code == subscription.PlanCode, cancellationToken);
        return plan?.Has(feature) ?? false;
    }
}
