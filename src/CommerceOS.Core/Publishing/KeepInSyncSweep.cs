using CommerceOS.Core.Billing;
using CommerceOS.Core.Data;
using CommerceOS.Core.Jobs;
using CommerceOS.Core.Workspaces;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CommerceOS.Core.Publishing;

/// <summary>
/// Keep in sync: a recurring sweep that finds live listings whose product changed since they were last sent and, where the
/// prices or stock differ from what the platform holds (<see cref="MarketplaceListing.OffersHash"/>), queues a SyncOffers
/// publication. Idempotent: a listing with a publication under way is skipped, and an unchanged one costs nothing.
/// </summary>
public sealed class KeepInSyncSweep(IServiceScopeFactory scopes, IOptions<PublishingOptions> options) : IRecurringSweep
{
    public const string SweepId = "publishing-keep-in-sync";

    /// <summary>Listings looked at per run; the rest wait for the next tick.</summary>
    public const int Batch = 500;

    public void Register(IRecurringJobManager recurring)
    {
        ArgumentNullException.ThrowIfNull(recurring);
        recurring.AddOrUpdate<KeepInSyncSweep>(SweepId, s => s.RunAsync(CancellationToken.None), options.Value.SyncSweepCron, new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });
    }

    /// <summary>Returns the number of sync publications queued.</summary>
    [AutomaticRetry(Attempts = 0, OnAttemptsExceeded = AttemptsExceededAction.Delete)]
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        List<(Guid ListingId, Guid WorkspaceId)> candidates;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
#pragma warning disable RS0030 // A cross-tenant sweep: each candidate is then handled in its own workspace's scope.
            candidates = (await db.MarketplaceListings.IgnoreQueryFilters().AsNoTracking()
                .Where(l => l.KeepInSync && l.Status == ListingStatus.Live && l.ExternalId != null)
                .Join(db.Products.IgnoreQueryFilters(), l => l.ProductId, p => p.Id, (l, p) => new { l.Id, l.WorkspaceId, l.ConnectionId, l.LastPublishedAt, p.UpdatedAt })
                .Where(x => x.LastPublishedAt == null || x.UpdatedAt > x.LastPublishedAt)
                .Join(db.MarketplaceConnections.IgnoreQueryFilters().Where(c => c.Status == ConnectionStatus.Active), x => x.ConnectionId, c => c.Id, (x, c) => x)
                .OrderBy(x => x.Id)
                .Take(Batch)
                .Select(x => new { x.Id, x.WorkspaceId })
                .ToListAsync(cancellationToken))
                .Select(x => (x.Id, x.WorkspaceId)).ToList();
#pragma warning restore RS0030
        }

        var queued = 0;
        foreach (var (listingId, workspaceId) in candidates)
        {
            await using var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<WorkspaceContext>().Set(workspaceId, null, WorkspaceRole.Editor);
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var listing = await db.MarketplaceListings.AsNoTracking().FirstOrDefaultAsync(l => l.Id == listingId, cancellationToken);
            var publisher = scope.ServiceProvider.GetRequiredService<MarketplacePublishers>().Find(listing?.Platform);
            // A plan without the Publish Center (a downgrade) stops pushing until the seller upgrades again.
            if (listing is null || publisher is null || !await db.WorkspaceHasFeatureAsync(PlanFeatures.PublishCenter, scope.ServiceProvider.GetRequiredService<TimeProvider>(), cancellationToken))
            {
                continue;
            }

            var prepared = await scope.ServiceProvider.GetRequiredService<ListingDrafts>().PrepareAsync(listing, publisher, cancellationToken);
            if (prepared is null)
            {
                continue;
            }

            if (await scope.ServiceProvider.GetRequiredService<RequestPublication>().SyncOffersAsync(listing.Id, PublishJob.OffersHash(prepared.Draft), cancellationToken) is not null)
            {
                queued++;
            }
        }

        return queued;
    }
}
