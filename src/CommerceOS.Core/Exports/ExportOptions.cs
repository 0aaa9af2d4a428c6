namespace CommerceOS.Core.Exports;

/// <summary>Configuration section <c>Exports</c>.</summary>
public sealed class ExportOptions
{
    public const string Section = "Exports";

    /// <summary>
    /// Where the seller hosts a kit's files (their CDN or store files area), e.g. <c>https://cdn.example.com/kits</c>.
    /// Platform import files that take images by public URL (Shopify's product CSV) then point at
    /// <c>{ImageBaseUrl}/{path in the kit}</c>; unset, they carry no image URLs and the images are uploaded by hand.
    /// </summary>
    public string? ImageBaseUrl { get; set; }

    /// <summary>The Amazon marketplace the kit's listings are for (<c>ATVPDKIKX0DER</c> is amazon.com).</summary>
    public string AmazonMarketplaceId { get; set; } = AmazonListingJson.DefaultMarketplaceId;

    /// <summary>The public URL of a file of the kit: each path segment escaped, under the base without a doubled slash.</summary>
    public static string UrlOf(string baseUrl, string path) =>
        baseUrl.TrimEnd('/') + "/" + string.Join('/', path.Split('/').Select(Uri.EscapeDataString));
}
