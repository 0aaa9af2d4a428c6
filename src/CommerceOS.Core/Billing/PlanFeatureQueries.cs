using CommerceOS.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Core.Billing;

public static class PlanFeatureQueries
{
    /// <summary>Whether the current workspace's plan has <paramref name="feature"/> (a <see cref="PlanFeatures"/> id); no plan has none.</summary>
    public static async Task<bool> WorkspaceHasFeatureAsync(this AppDbContext db, string feature, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var planCode = await db.Subscriptions.AsNoTracking().Select(s => s.PlanCode).FirstOrDefaultAsync(cancellationToken);
        var plan = planCode is null ? null : await db.Plans.AsNoTracking().SingleOrDefaultAsync(p => p.Code == planCode, cancellationToken);
        return plan?.Has(feature) ?? false;
    }
}
