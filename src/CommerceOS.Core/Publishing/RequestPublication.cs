using System.Text.Json;
using CommerceOS.Core.Billing;
using CommerceOS.Core.Common;
using CommerceOS.Core.Data;
using CommerceOS.Core.Jobs;
using CommerceOS.Core.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CommerceOS.Core.Publishing;

/// <param name="Marketplace">The platform; may be left out when <paramref name="ConnectionId"/> is given.</param>
/// <param name="ConnectionId">Which store; may be left out when the workspace has one active connection to the marketplace.</param>
/// <param name="ScheduledFor">Publish at this time instead of now.</param>
/// <param name="KeepInSync">Push later price and stock changes (null leaves the listing's setting as it is).</param>
/// <param name="CategoryId">The platform category the seller confirmed (null leaves the listing's as it is).</param>
/// <param name="Attributes">Platform attribute → value the seller confirmed (null leaves them as they are).</param>
public sealed record PublishInput(
    string? Marketplace,
    Guid? ConnectionId,
    DateTimeOffset? ScheduledFor = null,
    bool? KeepInSync = null,
    string? CategoryId = null,
    string? CategoryPath = null,
    IReadOnlyDictionary<string, string?>? Attributes = null);

/// <summary>What a publication job carries: its id only.</summary>
public sealed record PublishJobInput(Guid PublicationId);

/// <summary>
/// Publishes (or schedules) a product to a connected store: checks the plan, the connection and the listing's mapping, runs
/// the compliance gate (blocking problems refuse the request and change nothing), then records the publication and its job
/// in one transaction. A publish of a listing that already has one queued, scheduled, running or pending returns that one,
/// so a double click or a retried request never publishes twice. Editors and above.
/// </summary>
public sealed class RequestPublication(
    AppDbContext db,
    WorkspaceContext workspace,
    MarketplacePublishers publishers,
    ListingDrafts drafts,
    IJobScheduler scheduler,
    IOptions<PublishingOptions> options,
    TimeProvider time)
{
    public const string JobKind = "publishing.publish";

    public const int MaxAttributes = 100;

    public const int MaxAttributeLength = 500;

    public const int MaxCategoryLength = 200;

    private static readonly PublicationStatus[] Active = [PublicationStatus.Scheduled, PublicationStatus.Queued, PublicationStatus.Running, PublicationStatus.Pending];

    public async Task<Result<PublicationView>> PublishAsync(Guid productId, PublishInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        // Existence first: another workspace's product answers like a missing one, whatever this plan allows.
        if (!workspace.Can(WorkspaceRole.Editor))
        {
            return Result.Forbidden();
        }

        if (!await db.Products.AnyAsync(p => p.Id == productId, cancellationToken))
        {
            return Result.NotFound();
        }

        var allowed = await CheckAccessAsync(cancellationToken);
        if (!allowed.IsSuccess)
        {
            return allowed;
        }

        var connection = await FindConnectionAsync(input, cancellationToken);
        if (!connection.IsSuccess)
        {
            return connection.WithoutValue();
        }

        var publisher = publishers.Find(connection.Value.Platform)!;
        var errors = new List<FieldError>();
        var now = time.GetUtcNow();
        if (input.ScheduledFor is { } at)
        {
            if (at < now - TimeSpan.FromMinutes(1))
            {
                errors.Add(new FieldError("scheduledFor", PublishingErrors.ScheduleInPast));
            }
            else if (at > now + options.Value.MaxScheduleAhead)
            {
                errors.Add(FieldError.Of("scheduledFor", PublishingErrors.ScheduleTooFar, (int)options.Value.MaxScheduleAhead.TotalDays));
            }
        }

        var attributes = CheckMapping(input, errors);
        if (errors.Count > 0)
        {
            return Result.Invalid(errors);
        }

        var listing = await db.MarketplaceListings.FirstOrDefaultAsync(l => l.ConnectionId == connection.Value.Id && l.ProductId == productId, cancellationToken);
        if (listing is not null
            && await UnderWayAsync(listing.Id, cancellationToken) is { } running)
        {
            return PublicationView.Of(running);
        }

        var nowUtc = now.UtcDateTime;
        listing ??= db.MarketplaceListings.Add(new MarketplaceListing
        {
            WorkspaceId = workspace.RequiredWorkspaceId,
            ProductId = productId,
            ConnectionId = connection.Value.Id,
            Platform = connection.Value.Platform,
            CreatedAt = nowUtc,
        }).Entity;
        if (input.CategoryId is not null)
        {
            listing.CategoryId = input.CategoryId.Trim().Length == 0 ? null : input.CategoryId.Trim();
            listing.CategoryPath = string.IsNullOrWhiteSpace(input.CategoryPath) ? null : input.CategoryPath.Trim();
        }

        if (attributes is not null)
        {
            listing.AttributesJson = JsonSerializer.Serialize(attributes);
        }

        listing.KeepInSync = input.KeepInSync ?? listing.KeepInSync;
        listing.UpdatedAt = nowUtc;

        // The gate runs now so the seller sees what blocks, and again when the job runs (content may change meanwhile).
        var prepared = await drafts.PrepareAsync(listing, publisher, cancellationToken);
        if (prepared is null)
        {
            return Result.NotFound();
        }

        if (prepared.Blocked && input.ScheduledFor is null)
        {
            db.ChangeTracker.Clear();
            return Result.Invalid(prepared.Issues.Where(i => i.Blocking)
                .Select(i => new FieldError("listing." + i.Field, i.Code, [.. i.Args]))
                .ToList());
        }

        return await RecordAsync(listing, PublicationAction.Publish, input.ScheduledFor, prepared.Issues, cancellationToken);
    }

    /// <summary>Takes a published listing off sale (Editors and above); an unpublish already under way is returned.</summary>
    public async Task<Result<PublicationView>> UnpublishAsync(Guid listingId, CancellationToken cancellationToken)
    {
        if (!workspace.Can(WorkspaceRole.Editor))
        {
            return Result.Forbidden();
        }

        var listing = await db.MarketplaceListings.FirstOrDefaultAsync(l => l.Id == listingId, cancellationToken);
        if (listing is null)
        {
            return Result.NotFound();
        }

        var allowed = await CheckAccessAsync(cancellationToken);
        if (!allowed.IsSuccess)
        {
            return allowed;
        }

        if (listing.ExternalId is null || listing.Status == ListingStatus.Unpublished)
        {
            return Result.Conflict("", PublishingErrors.NotPublished);
        }

        if (await UnderWayAsync(listing.Id, cancellationToken) is { } running)
        {
            return running.Action == PublicationAction.Unpublish ? PublicationView.Of(running) : Result.Conflict("", PublishingErrors.AlreadyQueued);
        }

        return await RecordAsync(listing, PublicationAction.Unpublish, null, [], cancellationToken);
    }

    /// <summary>
    /// The keep-in-sync sweep's entry: a SyncOffers publication of a live listing whose offers now hash to
    /// <paramref name="offersHash"/>, unless one of any kind is under way or the listing already holds those offers. Runs in
    /// the listing's workspace scope. The listing is read after the check for work under way, so a sync that finished in
    /// between (status and hash commit together) is seen and not repeated.
    /// </summary>
    public async Task<Publication?> SyncOffersAsync(Guid listingId, string offersHash, CancellationToken cancellationToken)
    {
        if (await UnderWayAsync(listingId, cancellationToken) is not null)
        {
            return null;
        }

        var tracked = await db.MarketplaceListings.FirstOrDefaultAsync(l => l.Id == listingId, cancellationToken);
        if (tracked is null || tracked.OffersHash == offersHash)
        {
            return null;
        }

        var view = await RecordAsync(tracked, PublicationAction.SyncOffers, null, [], cancellationToken);
        return await db.Publications.FirstAsync(p => p.Id == view.Value.Id, cancellationToken);
    }

    private async Task<Result<PublicationView>> RecordAsync(
        MarketplaceListing listing, PublicationAction action, DateTimeOffset? scheduledFor, IReadOnlyList<ListingIssue> issues, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var publication = new Publication
        {
            WorkspaceId = listing.WorkspaceId,
            ListingId = listing.Id,
            ProductId = listing.ProductId,
            ConnectionId = listing.ConnectionId,
            Platform = listing.Platform,
            Action = action,
            Status = scheduledFor is null ? PublicationStatus.Queued : PublicationStatus.Scheduled,
            ScheduledFor = scheduledFor?.UtcDateTime,
            IssuesJson = PublicationJson.Write(issues),
            CreatedByUserId = workspace.UserId,
            CreatedAt = now,
            UpdatedAt = now,
        };
        var job = scheduler.Schedule(JobKind, listing.WorkspaceId, publication.Id, new PublishJobInput(publication.Id), workspace.UserId);
        job.NotBefore = scheduledFor?.UtcDateTime;
        publication.JobId = job.Id;
        db.Publications.Add(publication);
        if (action == PublicationAction.Publish && listing.Status != ListingStatus.Live)
        {
            listing.Status = ListingStatus.Publishing;
        }

        listing.UpdatedAt = now;
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (UniqueViolation.Is(e))
        {
            // Two first publishes of one product to one store raced: the other request made the listing and its publication.
            db.ChangeTracker.Clear();
            var existing = await db.Publications.AsNoTracking()
                .Where(p => p.ProductId == listing.ProductId && p.ConnectionId == listing.ConnectionId && Active.Contains(p.Status))
                .OrderByDescending(p => p.CreatedAt).FirstOrDefaultAsync(cancellationToken);
            return existing is null ? Result.Conflict("", PublishingErrors.AlreadyQueued) : PublicationView.Of(existing);
        }

        return PublicationView.Of(publication);
    }

    /// <summary>
    /// The listing's publication still under way, if any. One whose job has ended without it (cancelled by the seller, or
    /// dead-lettered by a failure the job could not record) is closed here, so it never blocks the next publish.
    /// </summary>
    private async Task<Publication?> UnderWayAsync(Guid listingId, CancellationToken cancellationToken)
    {
        var open = await db.Publications.Where(p => p.ListingId == listingId && Active.Contains(p.Status))
            .OrderByDescending(p => p.CreatedAt).ToListAsync(cancellationToken);
        Publication? underWay = null;
        foreach (var publication in open)
        {
            var job = publication.JobId is { } jobId
                ? await db.Jobs.AsNoTracking().Where(j => j.Id == jobId).Select(j => new { j.Status }).FirstOrDefaultAsync(cancellationToken)
                : null;
            if (job is not null && job.Status is not (JobStatus.Cancelled or JobStatus.Failed or JobStatus.DeadLettered))
            {
                underWay ??= publication;
                continue;
            }

            publication.Status = job?.Status == JobStatus.Cancelled ? PublicationStatus.Cancelled : PublicationStatus.Failed;
            publication.ErrorCode ??= job?.Status == JobStatus.Cancelled ? null : PublishingErrors.PlatformUnavailable;
            publication.CompletedAt = publication.UpdatedAt = time.GetUtcNow().UtcDateTime;
        }

        if (db.ChangeTracker.HasChanges())
        {
            await db.SaveChangesAsync(cancellationToken);
        }

        return underWay;
    }

    private async Task<Result> CheckAccessAsync(CancellationToken cancellationToken)
    {
        if (!workspace.Can(WorkspaceRole.Editor))
        {
            return Result.Forbidden();
        }

        return await db.WorkspaceHasFeatureAsync(PlanFeatures.PublishCenter, time, cancellationToken)
            ? Result.Ok()
            : Result.Conflict("", PublishingErrors.FeatureRequired, PlanFeatures.PublishCenter);
    }

    private async Task<Result<MarketplaceConnection>> FindConnectionAsync(PublishInput input, CancellationToken cancellationToken)
    {
        var marketplace = input.Marketplace?.Trim().ToLowerInvariant();
        if (marketplace is not null && publishers.Find(marketplace) is null)
        {
            return Result.Invalid("marketplace", PublishingErrors.PlatformUnknown, string.Join(", ", publishers.All.Select(p => p.Platform).Order(StringComparer.Ordinal)));
        }

        MarketplaceConnection? connection;
        if (input.ConnectionId is { } id)
        {
            connection = await db.MarketplaceConnections.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
            if (connection is null)
            {
                return Result.NotFound();
            }

            if (marketplace is not null && connection.Platform != marketplace)
            {
                return Result.Invalid("connectionId", PublishingErrors.ConnectionMismatch, connection.Platform);
            }
        }
        else if (marketplace is null)
        {
            return Result.Invalid("connectionId", PublishingErrors.ConnectionRequired);
        }
        else
        {
            var candidates = await db.MarketplaceConnections.AsNoTracking()
                .Where(c => c.Platform == marketplace && c.Status != ConnectionStatus.Disconnected)
                .OrderBy(c => c.CreatedAt)
                .Take(2).ToListAsync(cancellationToken);
            if (candidates.Count != 1)
            {
                return Result.Invalid("connectionId", candidates.Count == 0 ? PublishingErrors.NoConnection : PublishingErrors.ConnectionRequired);
            }

            connection = candidates[0];
        }

        if (connection.Status == ConnectionStatus.Disconnected)
        {
            return Result.Conflict("connectionId", PublishingErrors.Disconnected);
        }

        return publishers.Find(connection.Platform) is null
            ? Result.Invalid("connectionId", PublishingErrors.PlatformUnknown, string.Join(", ", publishers.All.Select(p => p.Platform)))
            : connection;
    }

    private static Dictionary<string, string>? CheckMapping(PublishInput input, List<FieldError> errors)
    {
        if (input.CategoryId is { } category && category.Trim().Length > MaxCategoryLength)
        {
            errors.Add(FieldError.Of("categoryId", PublishingErrors.CategoryTooLong, MaxCategoryLength));
        }

        if (input.Attributes is null)
        {
            return null;
        }

        if (input.Attributes.Count > MaxAttributes)
        {
            errors.Add(FieldError.Of("attributes", PublishingErrors.AttributesInvalid, MaxAttributes, MaxAttributeLength));
            return null;
        }

        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in input.Attributes)
        {
            var name = key?.Trim() ?? "";
            var text = value?.Trim() ?? "";
            if (name.Length is 0 or > MaxAttributeLength || text.Length > MaxAttributeLength)
            {
                errors.Add(FieldError.Of("attributes", PublishingErrors.AttributesInvalid, MaxAttributes, MaxAttributeLength));
                return null;
            }

            if (text.Length > 0)
            {
                // Sizes, colours, units and materials in the platform-neutral form ("navy blue" -> Navy, "1.2 lb" -> 544.311 g).
                attributes[name] = AttributeValues.Normalize(name, text).Value;
            }
        }

        return attributes;
    }
}
