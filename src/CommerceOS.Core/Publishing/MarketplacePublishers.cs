namespace CommerceOS.Core.Publishing;

/// <summary>The registered adapters by platform id.</summary>
public sealed class MarketplacePublishers(IEnumerable<IMarketplacePublisher> publishers)
{
    private readonly Dictionary<string, IMarketplacePublisher> _byPlatform = publishers.ToDictionary(p => p.Platform, StringComparer.OrdinalIgnoreCase);

    public IReadOnlyCollection<IMarketplacePublisher> All => _byPlatform.Values;

    public IMarketplacePublisher? Find(string? platform) =>
        platform is null ? null : _byPlatform.GetValueOrDefault(platform.Trim());
}
