using System.Collections.Concurrent;
using CommerceOS.Core.Generation;
using CommerceOS.Core.Publishing;

namespace CommerceOS.Tests.Publishing;

/// <summary>
/// An in-process marketplace for the Publish Center's own tests (the real adapters have their fake servers in
/// Connectors.Tests): it holds listings by the idempotency key as a platform would, counts every call, and answers from a
/// script when one is queued.
/// </summary>
public sealed class ScriptedPublisher(string platform = Platforms.Shopify) : IMarketplacePublisher
{
    public const string BadToken = "refused-token";

    /// <summary>When set, the only token the platform accepts (the page tests' "right key").</summary>
    public string? OnlyToken { get; init; }

    /// <summary>What the platform calls every shop; null = "Shop {shop}".</summary>
    public string? AccountLabel { get; init; }

    private int _publishCalls;
    private int _followCalls;
    private int _syncCalls;
    private int _unpublishCalls;
    private int _revokeCalls;
    private int _testCalls;
    private int _created;

    public string Platform { get; } = platform;

    public IReadOnlyList<CredentialField> Fields { get; } =
    [
        new("shop", Secret: false, Required: true, Pattern: @"^[a-z0-9-]+(\.myshopify\.com)?$"),
        new("access_token", Secret: true),
        new("api_version", Secret: false, Required: false, Default: "2026-01"),
    ];

    public IReadOnlyList<string> RequiredFields { get; set; } = [ListingFields.Title, ListingFields.Price];

    public int MaxImages => 10;

    /// <summary>What the platform holds: listing key → external id.</summary>
    public ConcurrentDictionary<string, string> Listings { get; } = new();

    public ConcurrentQueue<Func<ListingDraft, PublishResult>> PublishScript { get; } = new();

    public ConcurrentQueue<Func<PublishResult>> FollowScript { get; } = new();

    public ConcurrentQueue<ListingDraft> Sent { get; } = new();

    public int PublishCalls => _publishCalls;

    public int FollowCalls => _followCalls;

    public int SyncCalls => _syncCalls;

    public int UnpublishCalls => _unpublishCalls;

    public int RevokeCalls => _revokeCalls;

    public int TestCalls => _testCalls;

    public Task<ConnectionCheck> TestAsync(MarketplaceSession session, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _testCalls);
        var token = session["access_token"];
        if (token == BadToken || (OnlyToken is not null && token != OnlyToken))
        {
            throw new ProviderException(ProviderFailure.Misconfigured, "401 Invalid API key or access token");
        }

        session.Renew("renewed_token", "renewed-" + session.Required("access_token"));
        return Task.FromResult(new ConnectionCheck(AccountLabel ?? "Shop " + session.Required("shop")));
    }

    public Task<PublishResult> PublishAsync(MarketplaceSession session, ListingDraft listing, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _publishCalls);
        Sent.Enqueue(listing);
        return Task.FromResult(PublishScript.TryDequeue(out var scripted) ? scripted(listing) : Upsert(listing));
    }

    /// <summary>What a platform with an upsert does: the same key is the same listing.</summary>
    public PublishResult Upsert(ListingDraft listing)
    {
        var id = Listings.GetOrAdd(listing.ListingKey, _ => $"gid://shopify/Product/{Interlocked.Increment(ref _created)}");
        return new PublishResult(PublishOutcome.Live, id, $"https://admin.example.com/products/{id}", null, []);
    }

    public Task<PublishResult> FollowAsync(MarketplaceSession session, ListingDraft listing, string receipt, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _followCalls);
        return Task.FromResult(FollowScript.TryDequeue(out var scripted) ? scripted() : Upsert(listing));
    }

    public Task<PublishResult> SyncOffersAsync(MarketplaceSession session, ListingDraft listing, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _syncCalls);
        Sent.Enqueue(listing);
        return Task.FromResult(new PublishResult(PublishOutcome.Live, listing.ExternalId, null, null, []));
    }

    public Task<PublishResult> UnpublishAsync(MarketplaceSession session, ListingDraft listing, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _unpublishCalls);
        Listings.TryRemove(listing.ListingKey, out _);
        return Task.FromResult(new PublishResult(PublishOutcome.Removed, listing.ExternalId, null, null, []));
    }

    public Task<bool> RevokeAsync(MarketplaceSession session, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _revokeCalls);
        return Task.FromResult(true);
    }
}
