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
    public static async Task<bool> WorkspaceHasFeatureAsync(this AppDbContext db, string feature, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var subscription = await db.Subscriptions.AsNoTracking().Select(s => new { s.PlanCode, s.GrantedFeatures }).FirstOrDefaultAsync(cancellationToken);
        return subscription is not null && await HasAsync(db, subscription.PlanCode, subscription.GrantedFeatures, feature, cancellationToken);
    }

    /// <summary>The same for a workspace named outside a request's workspace (API key creation and authentication).</summary>
    public static async Task<bool> WorkspaceHasFeatureAsync(this AppDbContext db, Guid workspaceId, string feature, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
#pragma warning disable RS0030 // The workspace is named by the caller, which has checked the user's membership of it.
        var subscription = await db.Subscriptions.IgnoreQueryFilters().AsNoTracking()
            .Where(s => s.WorkspaceId == workspaceId).Select(s => new { s.PlanCode, s.GrantedFeatures }).FirstOrDefaultAsync(cancellationToken);
#pragma warning restore RS0030
        return subscription is not null && await HasAsync(db, subscription.PlanCode, subscription.GrantedFeatures, feature, cancellationToken);
    }

    public static bool IsFeatureRequired(string code) => code.EndsWith(FeatureRequiredSuffix, StringComparison.Ordinal);

    private static async Task<bool> HasAsync(AppDbContext db, string planCode, List<string> granted, string feature, CancellationToken cancellationToken)
    {
        if (granted.Contains(feature, StringComparer.Ordinal))
        {
            return true;
        }

        var plan = await db.Plans.AsNoTracking().SingleOrDefaultAsync(p => p.Code == planCode, cancellationToken);
        return plan?.Has(feature) ?? false;
    }
}
