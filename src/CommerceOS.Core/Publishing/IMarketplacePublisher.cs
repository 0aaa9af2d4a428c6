using CommerceOS.Core.Generation;

namespace CommerceOS.Core.Publishing;

/// <summary>
/// One marketplace's publishing adapter (Connectors/Marketplaces/*). Vendor types stay inside the adapter: it takes a
/// vendor-neutral <see cref="ListingDraft"/>, and reports what the platform said as <see cref="PublishResult"/> with each
/// problem mapped to the <see cref="ListingFields">field</see> it concerns. Failures that are not about the listing are
/// thrown as <see cref="ProviderException"/>: <see cref="ProviderFailure.RateLimited"/> (with the platform's wait),
/// <see cref="ProviderFailure.Transient"/> (5xx, timeouts, malformed bodies), <see cref="ProviderFailure.Misconfigured"/>
/// (credentials refused, a refresh token expired, a missing permission).
/// <para>
/// Every write is idempotent: <see cref="ListingDraft.ListingKey"/> is stable for one product on one connection, and a
/// retried or duplicated publish must update the listing it made earlier, never create a second one (Shopify
/// <c>productSet</c> with a custom identifier, Amazon per SKU, the others by their external or seller SKU field).
/// </para>
/// </summary>
public interface IMarketplacePublisher
{
    /// <summary>The marketplace id in <c>marketplaces.json</c>: one of <see cref="Platforms"/>.</summary>
    string Platform { get; }

    /// <summary>What the seller enters to connect, in form order.</summary>
    IReadOnlyList<CredentialField> Fields { get; }

    /// <summary>The listing fields the platform requires, shown as the checklist and checked by the publish gate.</summary>
    IReadOnlyList<string> RequiredFields { get; }

    /// <summary>Images one listing takes; the rest are left out with a warning.</summary>
    int MaxImages { get; }

    /// <summary>
    /// Checks the credentials with a cheap read (and exchanges or refreshes tokens, writing them back through
    /// <see cref="MarketplaceSession.Renew"/>). A refusal is a <see cref="ProviderException"/> with Misconfigured.
    /// </summary>
    Task<ConnectionCheck> TestAsync(MarketplaceSession session, CancellationToken cancellationToken);

    /// <summary>Creates the listing, or updates it when the platform already has it (by <see cref="ListingDraft.ExternalId"/> or the idempotency key).</summary>
    Task<PublishResult> PublishAsync(MarketplaceSession session, ListingDraft listing, CancellationToken cancellationToken);

    /// <summary>Asks again about a <see cref="PublishOutcome.Pending"/> result, with the <see cref="PublishResult.Receipt"/> it carried.</summary>
    Task<PublishResult> FollowAsync(MarketplaceSession session, ListingDraft listing, string receipt, CancellationToken cancellationToken);

    /// <summary>Pushes only the variants' prices and stock of a published listing ("keep in sync").</summary>
    Task<PublishResult> SyncOffersAsync(MarketplaceSession session, ListingDraft listing, CancellationToken cancellationToken);

    /// <summary>Takes the listing off sale (deletes or delists, whichever the platform offers); already gone counts as done.</summary>
    Task<PublishResult> UnpublishAsync(MarketplaceSession session, ListingDraft listing, CancellationToken cancellationToken);

    /// <summary>
    /// Revokes what the platform lets an app revoke when the seller disconnects (false when it offers nothing: the
    /// credentials are then only deleted on our side). Best effort: the caller deletes the credentials whatever happens.
    /// </summary>
    Task<bool> RevokeAsync(MarketplaceSession session, CancellationToken cancellationToken);
}

/// <summary>The marketplaces CommerceOS publishes to directly (ids as in <c>marketplaces.json</c>).</summary>
public static class Platforms
{
    public const string Shopify = "shopify";
    public const string Amazon = "amazon";
    public const string TikTokShop = "tiktok-shop";
    public const string Taobao = "taobao";
    public const string Shopee = "shopee";

    public static readonly IReadOnlyList<string> All = [Shopify, Amazon, TikTokShop, Taobao, Shopee];
}

/// <summary>One credential or setting the seller enters. <see cref="Secret"/> values are never shown again.</summary>
/// <param name="Name">Key in <see cref="MarketplaceSession"/>, and the resource key suffix of its label (<c>publishing.field.{Name}</c>).</param>
/// <param name="Pattern">A regular expression the value must match (shop domain, marketplace id); null = any non-empty text.</param>
/// <param name="Default">Pre-filled value for optional settings.</param>
public sealed record CredentialField(string Name, bool Secret, bool Required = true, string? Pattern = null, string? Default = null);

/// <summary>What a successful <see cref="IMarketplacePublisher.TestAsync"/> learned.</summary>
/// <param name="AccountLabel">The shop or seller name to show (not a secret).</param>
public sealed record ConnectionCheck(string AccountLabel);

/// <summary>
/// A connection's credentials and settings, decrypted for one operation. Adapters write renewed tokens (and discovered
/// values such as TikTok's shop cipher) back with <see cref="Renew"/>; the caller encrypts and stores them when
/// <see cref="Changed"/>.
/// </summary>
public sealed class MarketplaceSession(Guid connectionId, string platform, IReadOnlyDictionary<string, string> values)
{
    private readonly Dictionary<string, string> _values = new(values, StringComparer.Ordinal);

    public Guid ConnectionId { get; } = connectionId;

    public string Platform { get; } = platform;

    public bool Changed { get; private set; }

    public IReadOnlyDictionary<string, string> Values => _values;

    public string? this[string name] => _values.TryGetValue(name, out var value) && !string.IsNullOrEmpty(value) ? value : null;

    /// <summary>The value, or a Misconfigured <see cref="ProviderException"/> naming the missing field.</summary>
    public string Required(string name) =>
        this[name] ?? throw new ProviderException(ProviderFailure.Misconfigured, $"The connection has no {name}.");

    public void Renew(string name, string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (!_values.TryGetValue(name, out var old) || old != value)
        {
            _values[name] = value;
            Changed = true;
        }
    }
}
