using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Unicode;

namespace CommerceOS.Core.Exports;

/// <summary>What the export asks for.</summary>
/// <param name="Marketplace">A marketplace id of the catalog (<c>amazon</c>, <c>shopify</c>, <c>taobao</c>...).</param>
/// <param name="ProductIds">The products, in kit order; null for every product of the workspace (ordered by SKU).</param>
/// <param name="JobIds">When given, only the images, videos and copy versions these jobs made (a workflow run's or a
/// batch's step jobs); everything else of the products is left out.</param>
public sealed record ListingKitRequest(string Marketplace, IReadOnlyList<Guid>? ProductIds, IReadOnlyList<Guid>? JobIds);

/// <summary>A checked export, ready to write: the marketplace id as the catalog spells it, the products in kit order.</summary>
public sealed record ListingKitPlan(string Marketplace, IReadOnlyList<Guid> ProductIds, IReadOnlyList<Guid>? JobIds);

/// <summary>What was written; the same figures as the manifest's <c>summary</c>.</summary>
/// <param name="Files">Product files in the archive (not <c>manifest.json</c> or a platform import file).</param>
/// <param name="Missing">Missing items over all products (a product without video and without copy counts 2).</param>
/// <param name="Flagged">Files with at least one flag (a size, format, watermark or rule the marketplace may refuse).</param>
/// <param name="Bytes">Uncompressed bytes of those files.</param>
public sealed record ListingKitSummary(string Marketplace, int Products, int Files, int Missing, int Flagged, long Bytes);

/// <summary>One file of the kit as <c>manifest.json</c> lists it.</summary>
/// <param name="Path">Inside the archive, with <c>/</c>.</param>
/// <param name="Position">Place in the marketplace's gallery (1 = main), 0 outside it.</param>
/// <param name="Slot">The marketplace's own name for the place (<c>MAIN</c>, <c>PT01</c>, <c>主图1</c>, <c>cover</c>).</param>
/// <param name="Sha256">Lower-case hex of the bytes as written.</param>
public sealed record KitFile(
    string Path,
    Guid ProductId,
    string Sku,
    string Role,
    int Position,
    string? Slot,
    string ContentType,
    int? Width,
    int? Height,
    long Bytes,
    string Sha256,
    Guid? AssetId,
    Guid? JobId,
    string? Language,
    string? TemplateKey,
    IReadOnlyList<KitFlag> Flags);

/// <summary>A file the platform imports as it is (Shopify's product CSV, Amazon's listings), at the archive's root, covering every product of the kit.</summary>
/// <param name="Format">What it follows (<see cref="KitImportFormats"/>).</param>
public sealed record KitImportFile(string Path, string Format, string ContentType, int Products, long Bytes, string Sha256);

public static class KitImportFormats
{
    /// <summary>Shopify's product import CSV, current layout (external-apis.md §7.8).</summary>
    public const string ShopifyProductCsv = "shopify-product-csv";

    /// <summary>Amazon listings, a Listings Items API put request per SKU (<see cref="AmazonListingJson"/>).</summary>
    public const string AmazonListingsJson = "amazon-listings-json";
}

/// <summary>What one product's kit lacks.</summary>
public sealed record KitProduct(Guid ProductId, string Sku, string Folder, string Handle, int Files, IReadOnlyList<KitFlag> Missing);

public sealed record KitNamingInfo(string Convention, string Source);

/// <summary>The archive's <c>manifest.json</c>.</summary>
/// <param name="Format">The manifest's schema id and version.</param>
public sealed record ListingKitManifest(
    string Format,
    string Marketplace,
    string? MarketplaceName,
    DateTimeOffset CreatedAt,
    KitNamingInfo Naming,
    IReadOnlyList<Guid>? JobIds,
    ListingKitSummary Summary,
    IReadOnlyList<KitProduct> Products,
    IReadOnlyList<KitFile> Files,
    IReadOnlyList<KitImportFile> Imports)
{
    public const string FormatId = "commerceos-listing-kit/1";

    /// <summary>Readable in a text editor: indented, Chinese left as it is (the file is never embedded in HTML).</summary>
    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };
}
