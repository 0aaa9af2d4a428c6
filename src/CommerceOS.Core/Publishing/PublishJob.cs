using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CommerceOS.Core.Common;
using CommerceOS.Core.Data;
using CommerceOS.Core.Generation;
using CommerceOS.Core.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CommerceOS.Core.Publishing;

/// <summary>
/// Runs one publication: the gate again (content may have changed since the request or the schedule), then the adapter's
/// publish, sync or unpublish, then follows a pending answer (Amazon ACCEPTED, TikTok Shop audit) by handing the job back to
/// the runner with <see cref="JobPollLaterException"/> until the platform's answer is final or <see cref="PublishingOptions.FollowFor"/>
/// has passed. A crash anywhere repeats the call, and the adapters' writes are upserts by the listing's key, so the platform
/// never holds two listings. Rate limits wait without spending an attempt; refused credentials mark the connection.
/// </summary>
public sealed partial class PublishJob(
    AppDbContext db,
    MarketplacePublishers publishers,
    ConnectionSecrets secrets,
    ListingDrafts drafts,
    IOptions<PublishingOptions> options,
    TimeProvider time,
    ILogger<PublishJob> logger) : IJobHandler
{
    public string Kind => RequestPublication.JobKind;

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    public async Task<string?> ExecuteAsync(Job job, IProgress<double> progress, CancellationToken cancellationToken)
    {
        var input = JsonSerializer.Deserialize<PublishJobInput>(job.InputJson ?? "null", JsonSerializerOptions.Web)
            ?? throw new JobRejectedException(JobErrors.UnknownKind, $"Job {job.Id} has no input.");
        var publication = await db.Publications.FirstOrDefaultAsync(p => p.Id == input.PublicationId, cancellationToken)
            ?? throw new JobRejectedException(CommonErrors.NotFound, $"Publication {input.PublicationId} does not exist.");
        if (publication.Status is PublicationStatus.Succeeded)
        {
            return Output(publication);
        }

        if (publication.Status is PublicationStatus.Failed or PublicationStatus.Blocked or PublicationStatus.Cancelled)
        {
            throw new JobRejectedException(publication.ErrorCode ?? PublishingErrors.Rejected, "The publication has already ended.");
        }

        var listing = await db.MarketplaceListings.FirstOrDefaultAsync(l => l.Id == publication.ListingId, cancellationToken)
            ?? throw new JobRejectedException(CommonErrors.NotFound, $"Listing {publication.ListingId} does not exist.");
        var connection = await db.MarketplaceConnections.FirstOrDefaultAsync(c => c.Id == publication.ConnectionId, cancellationToken);
        var publisher = publishers.Find(publication.Platform);
        var values = connection is null ? null : secrets.Unprotect(connection);
        if (connection is null || connection.Status == ConnectionStatus.Disconnected || publisher is null || values is null)
        {
            var code = connection is { Status: not ConnectionStatus.Disconnected } ? PublishingErrors.CredentialsUnreadable : PublishingErrors.Disconnected;
            await FailAsync(publication, listing, code, [], cancellationToken);
            throw new JobRejectedException(code, "The connection is gone or its credentials cannot be read.");
        }

        var prepared = await drafts.PrepareAsync(listing, publisher, cancellationToken)
            ?? throw new JobRejectedException(CommonErrors.NotFound, $"Product {listing.ProductId} does not exist.");
        var session = new MarketplaceSession(connection.Id, connection.Platform, values);
        try
        {
            var result = await CallAsync(publication, listing, publisher, session, prepared, cancellationToken);
            return await ApplyAsync(publication, listing, prepared, result, cancellationToken);
        }
        catch (ProviderException e) when (e.Failure == ProviderFailure.RateLimited)
        {
            // Waiting out a rate limit is not an attempt: the job comes back after the platform's wait.
            await SaveAsync(publication, cancellationToken);
            throw new JobPollLaterException(e.RetryAfter is { } wait && wait > TimeSpan.Zero ? wait : options.Value.FollowInterval);
        }
        catch (ProviderException e) when (e.Failure is ProviderFailure.Misconfigured)
        {
            LogRefused(connection.Id, publication.Platform);
            connection.Status = ConnectionStatus.Failing;
            connection.LastErrorCode = PublishingErrors.CredentialsRefused;
            connection.LastCheckedAt = Now;
            await FailAsync(publication, listing, PublishingErrors.CredentialsRefused, [], cancellationToken);
            throw new JobRejectedException(PublishingErrors.CredentialsRefused, e.Message);
        }
        catch (ProviderException e) when (e.Failure is ProviderFailure.Rejected or ProviderFailure.Moderated)
        {
            // A refusal outside the listing answer (a 400 the adapter could not tie to a field): retrying cannot help.
            await FailAsync(publication, listing, PublishingErrors.Rejected, [new ListingIssue(ListingFields.Listing, "publishing.platform." + ListingFields.Listing, [e.Failure.ToString()], true, "platform", Trim(e.Message, 1000))], cancellationToken);
            throw new JobRejectedException(PublishingErrors.Rejected, e.Message);
        }
        catch (Exception e) when (e is ProviderException or HttpRequestException or IOException && job.Attempts >= job.MaxAttempts)
        {
            // The last attempt: the runner dead-letters the job; the publication says why in the seller's words.
            await FailAsync(publication, listing, PublishingErrors.PlatformUnavailable, [], cancellationToken);
            throw;
        }
        finally
        {
            if (session.Changed)
            {
                // Renewed tokens (Shopee rotates its refresh token) must survive whatever happened after the renewal.
                connection.ProtectedCredentials = secrets.Protect(connection, session.Values);
                await db.SaveChangesAsync(CancellationToken.None);
            }
        }
    }

    private async Task<PublishResult> CallAsync(
        Publication publication, MarketplaceListing listing, IMarketplacePublisher publisher, MarketplaceSession session, PreparedListing prepared, CancellationToken cancellationToken)
    {
        if (publication.Status == PublicationStatus.Pending && publication.Receipt is { } receipt)
        {
            if (publication.FollowUntil is { } until && Now > until)
            {
                return new PublishResult(PublishOutcome.Rejected, publication.ExternalId, publication.ExternalUrl, null,
                    [new PlatformIssue(ListingFields.Listing, PublishingErrors.FollowTimedOut, "", PlatformIssueSeverity.Error)]);
            }

            return await publisher.FollowAsync(session, prepared.Draft, receipt, cancellationToken);
        }

        if (publication.Action == PublicationAction.Publish && prepared.Blocked)
        {
            return new PublishResult(PublishOutcome.Rejected, null, null, null, []);
        }

        publication.Status = PublicationStatus.Running;
        await SaveAsync(publication, cancellationToken);
        return publication.Action switch
        {
            PublicationAction.Publish => await publisher.PublishAsync(session, prepared.Draft, cancellationToken),
            PublicationAction.SyncOffers => await publisher.SyncOffersAsync(session, prepared.Draft, cancellationToken),
            PublicationAction.Unpublish => await publisher.UnpublishAsync(session, prepared.Draft, cancellationToken),
            _ => throw new JobRejectedException(JobErrors.UnknownKind, $"Unknown action {publication.Action}."),
        };
    }

    private async Task<string?> ApplyAsync(Publication publication, MarketplaceListing listing, PreparedListing prepared, PublishResult result, CancellationToken cancellationToken)
    {
        var now = Now;
        var gateWarnings = publication.Action == PublicationAction.Publish ? prepared.Issues : [];
        var issues = gateWarnings.Concat(result.Issues.Select(FromPlatform)).ToList();
        publication.IssuesJson = PublicationJson.Write(issues);
        publication.ExternalId = result.ExternalId ?? publication.ExternalId ?? listing.ExternalId;
        publication.ExternalUrl = result.ExternalUrl ?? publication.ExternalUrl ?? listing.ExternalUrl;
        if (result.ExternalId is { } externalId)
        {
            listing.ExternalId = externalId;
        }

        if (result.ExternalUrl is { } url)
        {
            listing.ExternalUrl = url;
        }

        switch (result.Outcome)
        {
            case PublishOutcome.Pending:
                publication.Status = PublicationStatus.Pending;
                publication.Receipt = result.Receipt;
                publication.FollowUntil ??= now + options.Value.FollowFor;
                if (publication.Action == PublicationAction.Publish)
                {
                    listing.Status = ListingStatus.Pending;
                }

                await SaveAsync(publication, cancellationToken);
                throw new JobPollLaterException(result.PollAfter ?? options.Value.FollowInterval);

            case PublishOutcome.Live or PublishOutcome.Removed:
                publication.Status = PublicationStatus.Succeeded;
                publication.CompletedAt = now;
                publication.Receipt = null;
                listing.Status = result.Outcome == PublishOutcome.Removed ? ListingStatus.Unpublished : ListingStatus.Live;
                listing.LastPublishedAt = result.Outcome == PublishOutcome.Live ? now : listing.LastPublishedAt;
                if (result.Outcome == PublishOutcome.Live)
                {
                    listing.OffersHash = OffersHash(prepared.Draft);
                }

                listing.UpdatedAt = now;
                await SaveAsync(publication, cancellationToken);
                return Output(publication);

            default:
                var blocked = publication.Action == PublicationAction.Publish && prepared.Blocked && publication.Status != PublicationStatus.Pending;
                var code = blocked ? PublishingErrors.Blocked : result.Issues.FirstOrDefault(i => i.Code == PublishingErrors.FollowTimedOut) is null ? PublishingErrors.Rejected : PublishingErrors.FollowTimedOut;
                publication.IssuesJson = PublicationJson.Write(blocked ? prepared.Issues : issues);
                await FailAsync(publication, listing, code, null, cancellationToken, blocked ? PublicationStatus.Blocked : PublicationStatus.Failed);
                throw new JobRejectedException(code, blocked ? "The compliance gate blocked the publish." : "The marketplace refused the listing.");
        }
    }

    /// <summary>A platform issue on our field, explained by a localized per-field text; the platform's words kept as detail.</summary>
    private static ListingIssue FromPlatform(PlatformIssue issue)
    {
        var field = ListingFields.All.Contains(issue.Field) ? issue.Field : ListingFields.Listing;
        return issue.Code == PublishingErrors.FollowTimedOut
            ? new ListingIssue(field, issue.Code, [], true, "platform")
            : new ListingIssue(field, "publishing.platform." + field, [issue.Code], issue.Severity == PlatformIssueSeverity.Error, "platform", Trim(issue.Message, 1000), Trim(issue.PlatformAttribute, 200));
    }

    /// <summary>SHA-256 of the variants' SKUs, prices and stock: what keep-in-sync compares.</summary>
    public static string OffersHash(ListingDraft draft)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var text = new StringBuilder();
        foreach (var variant in draft.Variants.OrderBy(v => v.Sku, StringComparer.Ordinal))
        {
            text.Append(variant.Sku).Append('|').Append(variant.PriceMinor).Append('|').Append(variant.Currency).Append('|').Append(variant.Stock).Append('\n');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    private async Task FailAsync(
        Publication publication, MarketplaceListing listing, string code, IReadOnlyList<ListingIssue>? issues, CancellationToken cancellationToken, PublicationStatus status = PublicationStatus.Failed)
    {
        publication.Status = status;
        publication.ErrorCode = code;
        publication.CompletedAt = Now;
        publication.Receipt = null;
        if (issues is not null && issues.Count > 0)
        {
            publication.IssuesJson = PublicationJson.Write(issues);
        }

        if (publication.Action == PublicationAction.Publish && listing.Status != ListingStatus.Live)
        {
            listing.Status = ListingStatus.Failed;
        }

        listing.UpdatedAt = Now;
        await SaveAsync(publication, cancellationToken);
    }

    private async Task SaveAsync(Publication publication, CancellationToken cancellationToken)
    {
        publication.UpdatedAt = Now;
        await db.SaveChangesAsync(cancellationToken);
    }

    private static string Output(Publication publication) =>
        JsonSerializer.Serialize(new { publicationId = publication.Id, status = publication.Status.ToString(), externalId = publication.ExternalId }, JsonSerializerOptions.Web);

    private static string? Trim(string? text, int max) => text is null ? null : text.Length <= max ? text : text[..max];

    [LoggerMessage(Level = LogLevel.Warning, Message = "Connection {ConnectionId} ({Platform}) refused its credentials; marked failing")]
    private partial void LogRefused(Guid connectionId, string platform);
}
