namespace CommerceOS.Core.Publishing;

/// <summary>
/// Everything one listing says, in the platform's language, built from the product and its generated content by
/// <c>ListingDrafts</c>. Vendor-neutral: each adapter maps it to its own payload.
/// </summary>
/// <param name="ListingKey">Stable for this product on this connection: the idempotency key every write carries.</param>
/// <param name="ExternalId">The platform's id from an earlier publish (product id, item id; Amazon: the parent SKU); null = not yet known.</param>
/// <param name="Sku">The product's own SKU (the parent SKU of a product with variants).</param>
/// <param name="Handle">URL handle / slug (lower-case, dashes).</param>
/// <param name="DescriptionHtml">The description as simple HTML (<c>p</c>, <c>ul</c>, <c>li</c>, <c>br</c> only).</param>
/// <param name="Language">BCP-47 language of the texts (e.g. <c>en</c>, <c>zh-CN</c>).</param>
/// <param name="CategoryId">The platform category (Shopify taxonomy id, Amazon product type, Taobao cid, TikTok or Shopee category id) the seller confirmed.</param>
/// <param name="Attributes">Platform attribute id → value, from the seller's confirmed attribute mapping (values normalised).</param>
/// <param name="Images">Ordered: the first is the main image.</param>
/// <param name="Variants">At least one: a product without variants has one with its own SKU.</param>
/// <param name="OptionNames">The variants' option names, in order (at most 3).</param>
/// <param name="WeightGrams">Shipping weight from the product's attributes, normalised to grams.</param>
public sealed record ListingDraft(
    string ListingKey,
    string? ExternalId,
    Guid ProductId,
    string Sku,
    string Handle,
    string Title,
    string? DescriptionHtml,
    string? DescriptionText,
    IReadOnlyList<string> Bullets,
    string? Brand,
    string? SearchTerms,
    IReadOnlyList<string> Tags,
    string? SeoTitle,
    string? SeoDescription,
    string Language,
    string? CategoryId,
    IReadOnlyDictionary<string, string> Attributes,
    IReadOnlyList<ListingImage> Images,
    IReadOnlyList<ListingVariant> Variants,
    IReadOnlyList<string> OptionNames,
    long? WeightGrams);

/// <summary>An image of the listing: its bytes on demand (for platforms that take uploads) and a public URL when one is configured (for platforms that fetch).</summary>
/// <param name="FileName">Safe file name with extension (<c>sku-main.jpg</c>).</param>
/// <param name="PublicUrl">An https address the platform can fetch, or null when CommerceOS has no public address.</param>
/// <param name="Role">main, scene, studio, infographic, size-chart (the kit's roles).</param>
public sealed record ListingImage(
    Guid AssetId,
    string FileName,
    string ContentType,
    int Width,
    int Height,
    long Bytes,
    string Sha256,
    string? PublicUrl,
    string Role,
    Func<CancellationToken, Task<Stream>> OpenAsync);

/// <summary>One sellable SKU.</summary>
/// <param name="Options">Option name → value, in <see cref="ListingDraft.OptionNames"/> order.</param>
/// <param name="PriceMinor">Price in minor units of <see cref="Currency"/>; null = no price set.</param>
public sealed record ListingVariant(
    string Sku,
    IReadOnlyList<KeyValuePair<string, string>> Options,
    long? PriceMinor,
    string? Currency,
    int Stock,
    string? Barcode);

/// <summary>Where a publish ended up.</summary>
public enum PublishOutcome
{
    /// <summary>The platform holds the listing as sent (it may still be a draft there).</summary>
    Live = 0,

    /// <summary>Accepted for processing or audit; ask again with <see cref="IMarketplacePublisher.FollowAsync"/>.</summary>
    Pending = 1,

    /// <summary>The platform refused the listing; <see cref="PublishResult.Issues"/> says why.</summary>
    Rejected = 2,

    /// <summary>Taken off sale (unpublish).</summary>
    Removed = 3,
}

/// <param name="ExternalId">The platform's id of the listing (for later updates and unpublish).</param>
/// <param name="ExternalUrl">Where the seller can see it (admin or storefront), when the platform says.</param>
/// <param name="Receipt">For <see cref="PublishOutcome.Pending"/>: what <see cref="IMarketplacePublisher.FollowAsync"/> needs (opaque, no personal data).</param>
/// <param name="PollAfter">For Pending: when to ask again; null = the caller's default.</param>
public sealed record PublishResult(
    PublishOutcome Outcome,
    string? ExternalId,
    string? ExternalUrl,
    string? Receipt,
    IReadOnlyList<PlatformIssue> Issues,
    TimeSpan? PollAfter = null);

public enum PlatformIssueSeverity
{
    Error = 0,
    Warning = 1,
    Info = 2,
}

/// <summary>One thing the platform said about the listing.</summary>
/// <param name="Field">Which of our <see cref="ListingFields"/> it concerns (<see cref="ListingFields.Listing"/> when none fits).</param>
/// <param name="Code">The platform's own code (e.g. <c>90220</c>, <c>INVALID</c>, <c>error_param</c>).</param>
/// <param name="Message">The platform's text as it came (shown under our localized explanation).</param>
/// <param name="PlatformAttribute">The platform's name for the field (<c>item_name</c>, <c>variants.0.price</c>), when it gave one.</param>
public sealed record PlatformIssue(string Field, string Code, string Message, PlatformIssueSeverity Severity, string? PlatformAttribute = null);

/// <summary>Our names for the parts of a listing: issues, the gate and the checklist refer to these.</summary>
public static class ListingFields
{
    public const string Title = "title";
    public const string Description = "description";
    public const string Bullets = "bullets";
    public const string Images = "images";
    public const string Price = "price";
    public const string Stock = "stock";
    public const string Sku = "sku";
    public const string Variants = "variants";
    public const string Category = "category";
    public const string Brand = "brand";
    public const string Weight = "weight";
    public const string Attributes = "attributes";
    public const string Keywords = "keywords";
    public const string Seo = "seo";

    /// <summary>The listing as a whole (no single field).</summary>
    public const string Listing = "listing";

    public static readonly IReadOnlyList<string> All = [Title, Description, Bullets, Images, Price, Stock, Sku, Variants, Category, Brand, Weight, Attributes, Keywords, Seo, Listing];
}
