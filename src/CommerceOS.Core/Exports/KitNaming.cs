using System.Globalization;
using System.Text;

namespace CommerceOS.Core.Exports;

/// <summary>How a marketplace wants a listing's image files named and ordered.</summary>
public enum KitConvention
{
    /// <summary><c>{id}.MAIN.jpg</c>, <c>{id}.PT01.jpg</c> ... <c>PT08</c>.</summary>
    Amazon = 0,

    /// <summary><c>{handle}-{position}.jpg</c>; position 1 is the featured image.</summary>
    Shopify = 1,

    /// <summary><c>主图/主图1..5</c>, the rest in page order under <c>详情/</c>.</summary>
    Taobao = 2,

    /// <summary><c>{sku}-cover.jpg</c>, then <c>{sku}-02..09</c>.</summary>
    Shopee = 3,

    /// <summary><c>{sku}-main-01..09</c>.</summary>
    TikTokShop = 4,

    /// <summary><c>{sku}-01-main.jpg</c>, <c>{sku}-02-scene.jpg</c> ...</summary>
    Generic = 5,
}

/// <summary>The role of a file in a kit; also the <c>role</c> of each file in <c>manifest.json</c>.</summary>
public static class KitRoles
{
    public const string Main = "main-image";
    public const string Scene = "scene";
    public const string Studio = "studio";
    public const string Infographic = "infographic";
    public const string SizeChart = "size-chart";

    /// <summary>A marketplace variant: an image sized to one of the marketplace's templates (A+ banner, detail image...).</summary>
    public const string Template = "template";

    public const string Video = "video";
    public const string VideoCover = "video-cover";
    public const string Subtitles = "subtitles";
    public const string CopyJson = "copy-json";
    public const string CopyText = "copy-text";
    public const string Seo = "seo";
    public const string SeoKeywords = "seo-keywords";

    /// <summary>The gallery roles in the order a listing shows them: the main image first.</summary>
    public static readonly IReadOnlyList<string> Gallery = [Main, Scene, Studio, Infographic, SizeChart];
}

/// <summary>An image to name: its role, file extension (no dot) and, for templates, the template key.</summary>
public sealed record KitImage(string Role, string Extension, string? TemplateKey = null);

/// <summary>Where an image goes inside its product folder.</summary>
/// <param name="Position">1-based place in the marketplace's gallery; 0 outside it (templates, overflow).</param>
/// <param name="Slot">The marketplace's own name for the place (<c>MAIN</c>, <c>PT03</c>, <c>主图2</c>, <c>cover</c>), or null.</param>
public sealed record KitImageName(string Path, int Position, string? Slot);

/// <summary>
/// The file layout of a listing kit: product folders, image names and order per marketplace, and where video, copy and
/// SEO files go. All naming lives here so the kit, its manifest and its tests agree.
/// </summary>
/// <remarks>
/// Sources (checked 2026-11-29):
/// <list type="bullet">
/// <item>Amazon: "About Product Image File Naming" (https://na.account.amazon.com/gp/help/customer/display.html?nodeId=201995020) and
/// Seller Central "Name your image files" (sellercentral.amazon.com.au, itemID JV4FNMT7563SF5F): identifier stripped of dashes
/// and spaces, a period, a four-character variant code (MAIN; PT01...), a period, the extension; "any additional characters
/// (dashes, underscores, or spaces) will prevent the file from being processed". Up to eight alternate images per SKU
/// (sellercentral.amazon.in G200498950), hence PT01-PT08.</item>
/// <item>Shopify: product CSV (https://help.shopify.com/en/manual/products/import-export/using-csv): images belong to a
/// product by its handle (letters, digits and dashes) and are ordered by Image Position; position 1 is the featured image.</item>
/// <item>TikTok Shop: Create Product <c>main_images</c> 1-9, the first is the main image (marketplace-rules.md §3).</item>
/// <item>Shopee: 1-9 item images, the first is the cover (marketplace-rules.md §5).</item>
/// <item>Taobao / Tmall: five 主图 slots, the first is the search image, then the 详情 (detail page) images in page
/// order (marketplace-rules.md §4 detail-images skill; the five-slot gallery is the seller-centre upload form).</item>
/// </list>
/// Position 1 is kept for the main image everywhere: when it is missing, the gallery starts at 2 and the manifest says
/// so, instead of promoting a scene to the slot search results show.
/// </remarks>
public static class KitNaming
{
    public const string ManifestPath = "manifest.json";

    /// <summary>Longest product folder name: room for the suffix that makes it unique and for the paths under it.</summary>
    public const int MaxFolderLength = 80;

    /// <summary>The scenes a kit wants (issue 6: "main image, 2 scenes, infographic, video...").</summary>
    public const int ScenesWanted = 2;

    /// <summary>Where the convention comes from, for the manifest (see the remarks above for the full list).</summary>
    public static string SourceOf(KitConvention convention) => convention switch
    {
        KitConvention.Amazon => "https://na.account.amazon.com/gp/help/customer/display.html?nodeId=201995020",
        KitConvention.Shopify => "https://help.shopify.com/en/manual/products/import-export/using-csv",
        KitConvention.Taobao => "marketplace-rules.md §4",
        KitConvention.Shopee => "marketplace-rules.md §5",
        KitConvention.TikTokShop => "marketplace-rules.md §3",
        KitConvention.Generic => "CommerceOS",
        _ => throw new ArgumentOutOfRangeException(nameof(convention), convention, null),
    };

    public static KitConvention ConventionFor(string marketplace) => marketplace.Trim().ToLowerInvariant() switch
    {
        "amazon" => KitConvention.Amazon,
        "shopify" => KitConvention.Shopify,
        "taobao" or "tmall" => KitConvention.Taobao,
        "shopee" => KitConvention.Shopee,
        "tiktok-shop" => KitConvention.TikTokShop,
        _ => KitConvention.Generic,
    };

    /// <summary>Gallery places the marketplace takes; images beyond them go to <c>images/extra/</c>.</summary>
    public static int GallerySlots(KitConvention convention) => convention switch
    {
        KitConvention.Amazon => 9,
        KitConvention.Taobao => 5,
        KitConvention.Shopee => 9,
        KitConvention.TikTokShop => 9,
        KitConvention.Shopify => int.MaxValue,
        KitConvention.Generic => int.MaxValue,
        _ => throw new ArgumentOutOfRangeException(nameof(convention), convention, null),
    };

    /// <summary>
    /// Names the product's images. <paramref name="images"/> are the gallery images in gallery order (the main image,
    /// if any, first) followed by template images; the result is in the same order.
    /// </summary>
    /// <param name="sku">The product's SKU as stored.</param>
    /// <param name="handle">The product's URL handle (Shopify names files after it).</param>
    public static IReadOnlyList<KitImageName> NameImages(KitConvention convention, string sku, string handle, IReadOnlyList<KitImage> images)
    {
        var file = FileStem(sku);
        var names = new List<KitImageName>(images.Count);
        var limit = GallerySlots(convention);
        var hasMain = images.Count > 0 && images[0].Role == KitRoles.Main;
        var position = hasMain ? 0 : 1;
        var extra = 0;
        foreach (var image in images)
        {
            var ext = image.Extension.ToLowerInvariant();
            if (image.Role == KitRoles.Template)
            {
                names.Add(new KitImageName($"images/templates/{file}-{image.TemplateKey}.{ext}", 0, null));
                continue;
            }

            position++;
            if (position > limit)
            {
                extra++;
                names.Add(new KitImageName(Invariant($"images/extra/{file}-{extra:00}-{image.Role}.{ext}"), 0, null));
                continue;
            }

            names.Add(convention switch
            {
                KitConvention.Amazon => Amazon(sku, position, ext),
                KitConvention.Shopify => new KitImageName(Invariant($"images/{Handle(handle, sku)}-{position}.{ext}"), position, null),
                KitConvention.Taobao => new KitImageName(Invariant($"主图/主图{position}.{ext}"), position, Invariant($"主图{position}")),
                KitConvention.Shopee => position == 1
                    ? new KitImageName($"images/{file}-cover.{ext}", 1, "cover")
                    : new KitImageName(Invariant($"images/{file}-{position:00}.{ext}"), position, null),
                KitConvention.TikTokShop => new KitImageName(Invariant($"images/{file}-main-{position:00}.{ext}"), position, Invariant($"main_images[{position - 1}]")),
                KitConvention.Generic => new KitImageName(Invariant($"images/{file}-{position:00}-{image.Role}.{ext}"), position, null),
                _ => throw new ArgumentOutOfRangeException(nameof(convention), convention, null),
            });
        }

        // Taobao: what the five 主图 slots cannot hold is the detail page, in the same order.
        if (convention == KitConvention.Taobao)
        {
            var detail = 0;
            for (var i = 0; i < names.Count; i++)
            {
                if (names[i].Path.StartsWith("images/extra/", StringComparison.Ordinal))
                {
                    detail++;
                    names[i] = new KitImageName(Invariant($"详情/详情{detail:00}.{images[i].Extension.ToLowerInvariant()}"), 0, Invariant($"详情{detail}"));
                }
            }
        }

        return names;
    }

    /// <summary>Amazon's identifier: the SKU with everything but letters and digits removed (dashes and spaces break the upload).</summary>
    public static string AmazonIdentifier(string sku)
    {
        var id = new string(sku.Where(char.IsAsciiLetterOrDigit).ToArray());
        return id.Length > 0 ? id : "PRODUCT";
    }

    /// <summary>A folder name from the SKU: letters, digits, <c>-</c>, <c>_</c> and <c>.</c>, unique (case-insensitively) among <paramref name="taken"/>, which it joins.</summary>
    public static string ProductFolder(string sku, ISet<string> taken)
    {
        var stem = FileStem(sku);
        if (stem.Length > MaxFolderLength)
        {
            stem = stem[..MaxFolderLength].TrimEnd('-', '.', '_');
        }

        var name = stem;
        for (var n = 2; !taken.Add(name); n++)
        {
            name = Invariant($"{stem}-{n}");
        }

        return name;
    }

    /// <summary>The SKU as a file-name part: path separators, spaces and other punctuation become <c>-</c>; never empty, never <c>.</c> or <c>..</c>.</summary>
    public static string FileStem(string sku)
    {
        var builder = new StringBuilder(sku.Length);
        foreach (var c in sku.Normalize(NormalizationForm.FormC))
        {
            var keep = char.IsLetterOrDigit(c) || c is '-' or '_' or '.';
            if (keep)
            {
                builder.Append(c);
            }
            else if (builder.Length > 0 && builder[^1] != '-')
            {
                builder.Append('-');
            }
        }

        var stem = builder.ToString().Trim('-', '.');
        return stem.Length > 0 ? stem : "product";
    }

    /// <summary>The Shopify handle: lower-case letters, digits and dashes (the CSV's rule); the SKU's when the slug has none.</summary>
    public static string Handle(string slug, string sku)
    {
        var builder = new StringBuilder(slug.Length);
        foreach (var c in slug.ToLowerInvariant())
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                builder.Append(c);
            }
            else if (builder.Length > 0 && builder[^1] != '-')
            {
                builder.Append('-');
            }
        }

        var handle = builder.ToString().Trim('-');
        return handle.Length > 0 ? handle : (sku == slug ? "product" : Handle(sku, sku));
    }

    public static string VideoPath(string sku, string extension) => $"video/{FileStem(sku)}.{extension}";

    public static string VideoCoverPath(string sku, string extension) => $"video/{FileStem(sku)}-cover.{extension}";

    /// <summary><c>copy/en.json</c>, <c>copy/zh-CN.txt</c>: the language code as stored (BCP 47).</summary>
    public static string CopyPath(string language, string extension) => $"copy/{FileStem(language)}.{extension}";

    public const string SeoJsonPath = "seo.json";

    public const string SeoKeywordsPath = "seo-keywords.txt";

    /// <summary>The extension for a stored content type; "bin" for one the kit does not know.</summary>
    public static string Extension(string contentType) => contentType.ToLowerInvariant() switch
    {
        "image/jpeg" => "jpg",
        "image/png" => "png",
        "image/webp" => "webp",
        "image/gif" => "gif",
        "image/tiff" => "tif",
        "video/mp4" => "mp4",
        "application/x-subrip" => "srt",
        "text/vtt" => "vtt",
        _ => "bin",
    };

    private static KitImageName Amazon(string sku, int position, string ext)
    {
        var id = AmazonIdentifier(sku);
        var code = position == 1 ? "MAIN" : Invariant($"PT{position - 1:00}");
        return new KitImageName($"images/{id}.{code}.{ext}", position, code);
    }

    private static string Invariant(FormattableString value) => value.ToString(CultureInfo.InvariantCulture);
}
