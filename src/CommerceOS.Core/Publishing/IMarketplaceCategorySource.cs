namespace CommerceOS.Core.Publishing;

/// <summary>
/// Reads a marketplace's own category tree through a connection (Taobao <c>taobao.itemcats.get</c>, TikTok Shop Get
/// Categories, Shopee <c>get_category</c>), so CommerceOS can suggest the platform's real leaf categories. Implemented by the
/// adapters whose platform has such an API; the result is cached per connection by <c>MarketplaceCategoryCache</c>.
/// Failures follow <see cref="IMarketplacePublisher"/>: a <see cref="Generation.ProviderException"/> with RateLimited,
/// Transient or Misconfigured.
/// </summary>
public interface IMarketplaceCategorySource
{
    /// <summary>One of <see cref="Platforms"/>.</summary>
    string Platform { get; }

    /// <summary>
    /// The categories the connection can see, parents and leaves. <paramref name="language"/> (<c>en</c> or <c>zh-CN</c>) is
    /// a preference: platforms that name categories in one language only answer in it and say so in
    /// <see cref="CategoryTree.Language"/>. A platform that must be walked level by level is walked within a bounded
    /// number of calls; a tree cut short says so with <see cref="CategoryTree.Complete"/> false.
    /// </summary>
    Task<CategoryTree> ReadCategoriesAsync(MarketplaceSession session, string language, CancellationToken cancellationToken);
}

/// <summary>A platform category tree as read.</summary>
/// <param name="Nodes">Every node read, parents before their children where the platform allows; ids unique.</param>
/// <param name="Language">BCP-47 language of the names (<c>zh-CN</c> for Taobao).</param>
/// <param name="Complete">False when the walk stopped at its bound: some leaves may be missing.</param>
public sealed record CategoryTree(IReadOnlyList<CategoryNode> Nodes, string Language, bool Complete);

/// <summary>One platform category.</summary>
/// <param name="Id">The platform's id (Taobao cid, TikTok or Shopee category id), as text.</param>
/// <param name="ParentId">Null (or empty) for a top-level category.</param>
/// <param name="Name">The platform's display name in <see cref="CategoryTree.Language"/>.</param>
/// <param name="IsLeaf">Only leaves can take listings.</param>
/// <param name="Usable">False when the platform says the seller may not list in it (TikTok permission status, Shopee disabled).</param>
public sealed record CategoryNode(string Id, string? ParentId, string Name, bool IsLeaf, bool Usable = true);
