using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CommerceOS.Core.Assets;
using CommerceOS.Core.Catalog;
using CommerceOS.Core.Common;
using CommerceOS.Core.Copy;
using CommerceOS.Core.Data;
using CommerceOS.Core.Generation;
using CommerceOS.Core.Marketplaces;
using CommerceOS.Core.Seo;
using CommerceOS.Core.Video;
using CommerceOS.Core.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CommerceOS.Core.Exports;

/// <summary>
/// Writes a marketplace's listing kit for a set of products as a ZIP to a stream: per product the newest generated
/// images named and ordered the marketplace's way (<see cref="KitNaming"/>), the video with its cover and subtitles,
/// the listing copy per language (approved version, else the newest) as JSON and text, and the SEO keywords; at the
/// root a <c>manifest.json</c> listing every file (product, role, size, bytes, SHA-256, flags) and what each product
/// lacks. Any member (Viewer and above). Entries are streamed from the blob store one at a time, so an archive of
/// thousands of products never sits in memory; everything that can refuse the request is checked before the first byte.
/// </summary>
public sealed class ExportListingKit(
    AppDbContext db,
    WorkspaceContext workspace,
    IBlobStore blobs,
    IMarketplaceCatalog marketplaces,
    ISeoEngine seo,
    IOptions<ExportOptions> options,
    TimeProvider time)
{
    /// <summary>A whole batch of issue 6 ("one product or ten thousand") in one archive.</summary>
    public const int MaxProducts = 10_000;

    /// <summary>The step jobs of such a batch: ten thousand products times a template's steps, with room for re-runs.</summary>
    public const int MaxJobs = 250_000;

    /// <summary>IDs per existence query: well under SQLite's and PostgreSQL's parameter limits.</summary>
    private const int Chunk = 500;

    private const int CopyBuffer = 81_920;

    /// <summary>SEO keywords that become Shopify tags.</summary>
    private const int ShopifyTags = 10;

    /// <summary>Checks the request and writes the kit; on any failure nothing is written.</summary>
    public async Task<Result<ListingKitSummary>> HandleAsync(ListingKitRequest request, Stream output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        var plan = await PrepareAsync(request, cancellationToken);
        return plan.IsSuccess ? await WriteAsync(plan.Value, output, null, cancellationToken) : plan.WithoutValue();
    }

    /// <summary>
    /// Everything that can refuse the export, without writing: role, marketplace, product and job ids (another
    /// workspace's are NotFound). An HTTP endpoint calls this first, then sets its 200 headers and calls
    /// <see cref="WriteAsync"/> with the response body.
    /// </summary>
    public async Task<Result<ListingKitPlan>> PrepareAsync(ListingKitRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!workspace.Can(WorkspaceRole.Viewer))
        {
            return Result.Forbidden();
        }

        var errors = new List<FieldError>();
        var profile = marketplaces.Find(request.Marketplace ?? "");
        if (profile is null)
        {
            errors.Add(FieldError.Of("marketplace", ExportErrors.MarketplaceUnknown, string.Join(", ", marketplaces.All.Select(m => m.Id))));
        }

        var requested = request.ProductIds?.Distinct().ToList();
        if (requested is { Count: 0 })
        {
            errors.Add(new FieldError("productIds", ExportErrors.NoProducts));
        }
        else if (requested?.Count > MaxProducts)
        {
            errors.Add(FieldError.Of("productIds", ExportErrors.TooManyProducts, MaxProducts));
        }

        var jobIds = request.JobIds?.ToHashSet();
        if (jobIds is { Count: 0 })
        {
            errors.Add(new FieldError("jobIds", ExportErrors.NoJobs));
        }
        else if (jobIds?.Count > MaxJobs)
        {
            errors.Add(FieldError.Of("jobIds", ExportErrors.TooManyJobs, MaxJobs));
        }

        if (errors.Count > 0)
        {
            return Result.Invalid(errors);
        }

        List<Guid> productIds;
        if (requested is null)
        {
            productIds = await db.Products.AsNoTracking().OrderBy(p => p.Sku).ThenBy(p => p.Id)
                .Select(p => p.Id).Take(MaxProducts + 1).ToListAsync(cancellationToken);
            if (productIds.Count == 0)
            {
                return Result.Invalid("productIds", ExportErrors.NoProducts);
            }

            if (productIds.Count > MaxProducts)
            {
                return Result.Invalid("productIds", ExportErrors.TooManyProducts, MaxProducts);
            }
        }
        else
        {
            // The query filters see only this workspace: another tenant's product counts as missing, like a deleted one.
            productIds = requested;
            var found = 0;
            foreach (var chunk in productIds.Chunk(Chunk))
            {
                found += await db.Products.CountAsync(p => chunk.Contains(p.Id), cancellationToken);
            }

            if (found < productIds.Count)
            {
                return Result.NotFound();
            }
        }

        if (jobIds is not null)
        {
            var found = 0;
            foreach (var chunk in jobIds.Chunk(Chunk))
            {
                found += await db.Jobs.CountAsync(j => chunk.Contains(j.Id), cancellationToken);
            }

            if (found < jobIds.Count)
            {
                return Result.NotFound();
            }
        }

        return new ListingKitPlan(profile!.Id, productIds, jobIds?.Order().ToList());
    }

    /// <summary>Writes a prepared kit to <paramref name="output"/> (which may be non-seekable and refuse synchronous writes).</summary>
    /// <param name="progress">Products written so far, for a progress bar.</param>
    public async Task<ListingKitSummary> WriteAsync(ListingKitPlan plan, Stream output, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(output);
        var profile = marketplaces.Find(plan.Marketplace)
            ?? throw new ArgumentException($"Unknown marketplace {plan.Marketplace}; plans come from PrepareAsync.", nameof(plan));
        var jobIds = plan.JobIds?.ToHashSet();
        var kit = new Kit(profile, KitNaming.ConventionFor(profile.Id), jobIds, time.GetUtcNow());
        if (kit.Convention == KitConvention.Shopify)
        {
            kit.ShopifyCsv = new StringBuilder(ShopifyProductCsv.Header());
        }
        else if (kit.Convention == KitConvention.Amazon)
        {
            kit.AmazonItems = [];
        }

        await using var target = new AsyncOnlyOutput(output);
        ListingKitSummary summary;
        await using (var zip = await ZipArchive.CreateAsync(target, ZipArchiveMode.Create, leaveOpen: true, entryNameEncoding: null, cancellationToken))
        {
            kit.Zip = zip;
            var done = 0;
            foreach (var productId in plan.ProductIds)
            {
                await WriteProductAsync(kit, productId, cancellationToken);
                progress?.Report(++done);
            }

            if (kit.ShopifyCsv is { } csv)
            {
                kit.Imports.Add(await WriteImportAsync(kit, ShopifyProductCsv.FileName, KitImportFormats.ShopifyProductCsv, Encoding.UTF8.GetBytes(csv.ToString()), "text/csv; charset=utf-8", cancellationToken));
            }

            if (kit.AmazonItems is { } items)
            {
                var file = AmazonListingJson.File(options.Value.AmazonMarketplaceId, StoreLanguage(kit), items);
                var json = JsonSerializer.SerializeToUtf8Bytes(file, ListingKitManifest.JsonOptions);
                kit.Imports.Add(await WriteImportAsync(kit, AmazonListingJson.FileName, KitImportFormats.AmazonListingsJson, json, "application/json", cancellationToken));
            }

            summary = kit.Summary();
            var manifest = new ListingKitManifest(
                ListingKitManifest.FormatId,
                profile.Id,
                profile.Name,
                kit.Stamp,
                new KitNamingInfo(kit.Convention.ToString(), KitNaming.SourceOf(kit.Convention)),
                plan.JobIds,
                summary,
                kit.Products,
                kit.Files,
                kit.Imports);
            var entry = NewEntry(kit, KitNaming.ManifestPath, CompressionLevel.Optimal);
            await using (var stream = await entry.OpenAsync(cancellationToken))
            {
                await JsonSerializer.SerializeAsync(stream, manifest, ListingKitManifest.JsonOptions, cancellationToken);
            }
        }

        // The archive's last bytes (the final data descriptor, maybe the central directory) may still be buffered.
        await target.FlushAsync(cancellationToken);
        return summary;
    }

    private async Task WriteProductAsync(Kit kit, Guid productId, CancellationToken cancellationToken)
    {
        var product = await db.FindWithDetailsAsync(productId, cancellationToken);
        if (product is null)
        {
            // Deleted between the check and now: the kit goes on without it rather than failing half-written.
            return;
        }

        var brand = product.BrandId is { } brandId
            ? await db.Brands.AsNoTracking().Where(b => b.Id == brandId).Select(b => b.Name).FirstOrDefaultAsync(cancellationToken)
            : null;
        var subject = new SeoSubject(product, brand);
        var folder = KitNaming.ProductFolder(product.Sku, kit.Folders);
        var handle = KitNaming.Handle(seo.BuildSlug(subject), product.Sku);
        var item = new ProductKit(product, folder, handle);

        var generated = await db.Assets.AsNoTracking()
            .Where(a => a.ProductId == product.Id && a.Kind == AssetKind.Generated && a.Skill != null)
            .OrderByDescending(a => a.CreatedAt).ThenByDescending(a => a.Id)
            .ToListAsync(cancellationToken);

        await WriteImagesAsync(kit, item, generated.Where(a => ImageSkills.All.Contains(a.Skill!) && kit.Made(a.JobId)).ToList(), cancellationToken);
        await WriteVideoAsync(kit, item, generated, cancellationToken);
        var copy = await WriteCopyAsync(kit, item, cancellationToken);
        var keywords = await WriteSeoAsync(kit, item, subject, cancellationToken);
        if (kit.ShopifyCsv is { } csv)
        {
            csv.Append(ShopifyProductCsv.Rows(ShopifyRow(kit, item, brand, subject, copy, keywords)));
        }

        if (kit.AmazonItems is { } amazonItems)
        {
            var listing = AmazonListingJson.Listing(AmazonRow(kit, item, brand, copy), options.Value.AmazonMarketplaceId);
            amazonItems.AddRange(listing.Items);
            if (listing.NoTheme)
            {
                item.Missing.Add(new KitFlag(KitMissing.AmazonVariationTheme, [string.Join(", ", listing.Variation!.Unmapped)]));
            }
        }

        kit.Products.Add(new KitProduct(product.Id, product.Sku, folder, handle, item.Files, item.Missing));
    }

    private async Task WriteImagesAsync(Kit kit, ProductKit item, List<Asset> images, CancellationToken cancellationToken)
    {
        var profile = kit.Profile;
        var (gallery, missing) = KitSelection.Gallery(images, profile);
        item.Missing.AddRange(missing);
        var chosen = gallery.Select(c => (c.Asset, c.Role, Template: (ImageTemplate?)null)).ToList();

        // Marketplace variants: the newest image per template, in the order the marketplace lists its templates.
        var variants = images.Where(a => a.Skill == ImageSkills.Variants && a.Marketplace == profile.Id)
            .GroupBy(KitSelection.TemplateKey, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        foreach (var template in profile.Templates.Where(t => variants.ContainsKey(t.Key)))
        {
            chosen.Add((variants[template.Key], KitRoles.Template, template));
        }

        var names = KitNaming.NameImages(
            kit.Convention,
            item.Product.Sku,
            item.Handle,
            chosen.Select(c => new KitImage(c.Role, KitNaming.Extension(c.Asset.ContentType), c.Template?.Key)).ToList());
        for (var i = 0; i < chosen.Count; i++)
        {
            var (asset, role, template) = chosen[i];
            var flags = KitChecks.Image(profile, asset.Width, asset.Height, asset.ByteSize, asset.ContentType, template).ToList();
            if (GenerateImagesJob.IsWatermarked(GenerationJson.Provenance(asset)))
            {
                flags.Add(new KitFlag(KitFlags.Watermarked, []));
            }

            if (role == KitRoles.Main && GenerationJson.Compliance(asset) is { Passed: false })
            {
                flags.Add(new KitFlag(KitFlags.Compliance, []));
            }

            await WriteAssetAsync(kit, item, names[i].Path, asset, role, names[i].Position, names[i].Slot, template?.Key, flags, cancellationToken);
            if (template is null && names[i].Position > 0)
            {
                item.Gallery.Add((names[i].Position, $"{item.Folder}/{names[i].Path}", role));
            }
        }
    }

    /// <summary>
    /// The newest video, preferring one that passes this channel's video rules (itself or through the smaller copy made
    /// for the channel); the channel copy is what the kit carries when there is one.
    /// </summary>
    private async Task WriteVideoAsync(Kit kit, ProductKit item, List<Asset> generated, CancellationToken cancellationToken)
    {
        var channel = kit.Profile.Id;
        var companions = generated.Where(a => a.SourceAssetId is not null
            && a.Skill is VideoSkills.Cover or VideoSkills.Subtitles or VideoSkills.ChannelCopy).ToList();
        var candidates = generated.Where(a => a.Skill == VideoSkills.Video && kit.Made(a.JobId))
            .Select(video =>
            {
                var copy = companions.FirstOrDefault(c => c.SourceAssetId == video.Id && c.Skill == VideoSkills.ChannelCopy && c.Marketplace == channel);
                var file = copy ?? video;
                var report = ListProductVideos.Channels(file.ComplianceJson).FirstOrDefault(r => r.Marketplace == channel);
                return (Video: video, File: file, Report: report);
            })
            .ToList();
        if (candidates.Count == 0)
        {
            item.Missing.Add(new KitFlag(KitMissing.Video, []));
            return;
        }

        var (chosenVideo, file, channelReport) = candidates.FirstOrDefault(c => c.Report is null or { Passes: true }) is { Video: not null } passing
            ? passing
            : candidates[0];
        var flags = new List<KitFlag>();
        if (channelReport is { Passes: false })
        {
            flags.Add(new KitFlag(KitFlags.VideoChannel, channelReport.Issues.Where(i => i.Severity == VideoRuleSeverity.Error).Select(i => i.Code).ToList()));
        }

        if (GenerateImagesJob.IsWatermarked(GenerationJson.Provenance(file)))
        {
            flags.Add(new KitFlag(KitFlags.Watermarked, []));
        }

        var sku = item.Product.Sku;
        await WriteAssetAsync(kit, item, KitNaming.VideoPath(sku, "mp4"), file, KitRoles.Video, 0, null, null, flags, cancellationToken);
        var mine = companions.Where(c => c.SourceAssetId == chosenVideo.Id).ToList();
        if (mine.FirstOrDefault(c => c.Skill == VideoSkills.Cover) is { } cover)
        {
            await WriteAssetAsync(kit, item, KitNaming.VideoCoverPath(sku, KitNaming.Extension(cover.ContentType)), cover, KitRoles.VideoCover, 0, null, null, [], cancellationToken);
        }

        foreach (var subtitles in mine.Where(c => c.Skill == VideoSkills.Subtitles).DistinctBy(c => c.ContentType))
        {
            await WriteAssetAsync(kit, item, KitNaming.VideoPath(sku, KitNaming.Extension(subtitles.ContentType)), subtitles, KitRoles.Subtitles, 0, null, null, [], cancellationToken);
        }
    }

    /// <summary>Per language: the approved version, else the newest; with job ids, the newest version those jobs made.</summary>
    private async Task<Dictionary<string, ListingText>> WriteCopyAsync(Kit kit, ProductKit item, CancellationToken cancellationToken)
    {
        var chosen = new Dictionary<string, ListingText>(StringComparer.Ordinal);
        var marketplace = kit.Profile.Id;
        var copies = await db.ListingCopies.AsNoTracking()
            .Where(c => c.ProductId == item.Product.Id && c.Marketplace == marketplace)
            .OrderBy(c => c.Language)
            .ToListAsync(cancellationToken);
        var ids = copies.Select(c => c.Id).ToList();
        var versions = ids.Count == 0 ? [] : await db.ListingCopyVersions.AsNoTracking()
            .Where(v => ids.Contains(v.ListingCopyId))
            .ToListAsync(cancellationToken);
        var fields = CopyProfiles.Find(marketplace)?.Fields ?? CopyFields.All;
        var written = 0;
        foreach (var copy in copies)
        {
            var own = versions.Where(v => v.ListingCopyId == copy.Id).ToList();
            var version = kit.Jobs is null
                ? own.FirstOrDefault(v => v.Number == (copy.ApprovedVersion ?? copy.CurrentVersion))
                : own.Where(v => kit.Made(v.JobId)).MaxBy(v => v.Number);
            if (version is null)
            {
                continue;
            }

            written++;
            var text = CopyJson.Text(version);
            chosen[copy.Language] = text;
            var approved = copy.ApprovedVersion == version.Number;
            var flags = new List<KitFlag>();
            var errorCount = CopyJson.Issues(version.IssuesJson).Count(i => i.Severity == CopyIssueSeverity.Error);
            if (errorCount > 0)
            {
                flags.Add(new KitFlag(KitFlags.CopyErrors, [$"{errorCount}"]));
            }

            var document = new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["productId"] = item.Product.Id,
                ["sku"] = item.Product.Sku,
                ["marketplace"] = marketplace,
                ["language"] = copy.Language,
                ["version"] = version.Number,
                ["approved"] = approved,
                ["locked"] = copy.Locked,
                ["source"] = version.Source,
                ["engine"] = version.Engine,
                ["model"] = version.Model,
                ["jobId"] = version.JobId,
                ["createdAt"] = version.CreatedAt,
                ["fields"] = fields.ToDictionary(f => f, f => FieldValue(text, f), StringComparer.Ordinal),
            };
            var json = JsonSerializer.SerializeToUtf8Bytes(document, ListingKitManifest.JsonOptions);
            await WriteTextAsync(kit, item, KitNaming.CopyPath(copy.Language, "json"), json, "application/json", KitRoles.CopyJson, copy.Language, version.JobId, flags, cancellationToken);
            var plain = Encoding.UTF8.GetBytes(PlainText(item.Product.Sku, marketplace, copy.Language, version.Number, approved, text, fields));
            await WriteTextAsync(kit, item, KitNaming.CopyPath(copy.Language, "txt"), plain, "text/plain; charset=utf-8", KitRoles.CopyText, copy.Language, version.JobId, flags, cancellationToken);
        }

        if (written == 0)
        {
            item.Missing.Add(new KitFlag(KitMissing.Copy, []));
        }

        return chosen;
    }

    private async Task<IReadOnlyList<SeoKeyword>> WriteSeoAsync(Kit kit, ProductKit item, SeoSubject subject, CancellationToken cancellationToken)
    {
        var keywords = seo.ExtractKeywords(subject);
        var set = SeoMarketplaceRules.Find(kit.Profile.Id) is null ? null : seo.BuildKeywordSet(subject, kit.Profile.Id);
        var meta = seo.BuildMeta(subject);
        var document = new
        {
            productId = item.Product.Id,
            sku = item.Product.Sku,
            marketplace = kit.Profile.Id,
            slug = item.Handle,
            keywords = keywords.Select(k => new { k.Text, k.Score, k.Source, k.Language }),
            keywordSet = set is null ? null : new { set.Field, set.Value, set.Keywords, set.Used, set.Limit, set.Unit, set.Source },
            meta = new { meta.Title, meta.Description },
        };
        var json = JsonSerializer.SerializeToUtf8Bytes(document, ListingKitManifest.JsonOptions);
        await WriteTextAsync(kit, item, KitNaming.SeoJsonPath, json, "application/json", KitRoles.Seo, null, null, [], cancellationToken);
        var lines = Encoding.UTF8.GetBytes(string.Concat(keywords.Select(k => k.Text + "\n")));
        await WriteTextAsync(kit, item, KitNaming.SeoKeywordsPath, lines, "text/plain; charset=utf-8", KitRoles.SeoKeywords, null, null, [], cancellationToken);
        return keywords;
    }

    /// <summary>
    /// The product's Shopify CSV rows: the kit's copy in the store's language (else the product's own title and
    /// description), its variants with prices and stock, the gallery as URLs under <see cref="ExportOptions.ImageBaseUrl"/>
    /// (Shopify fetches images by public URL; without one the rows carry no images and the seller uploads the kit's).
    /// </summary>
    private ShopifyCsvProduct ShopifyRow(Kit kit, ProductKit item, string? brand, SeoSubject subject, Dictionary<string, ListingText> copy, IReadOnlyList<SeoKeyword> keywords)
    {
        var product = item.Product;
        var text = StoreCopy(kit, copy);
        string? Field(string field) => First(text, field);
        var meta = seo.BuildMeta(subject);
        var ordered = product.Variants.OrderBy(v => v.Position).ThenBy(v => v.Sku, StringComparer.Ordinal).ToList();
        // Shopify takes three options; a fourth is left out of the file rather than failing the whole kit.
        var optionNames = ordered.SelectMany(v => v.Options.Keys).Distinct(StringComparer.Ordinal).Take(ShopifyProductCsv.MaxOptions).ToHashSet(StringComparer.Ordinal);
        var variants = ordered
            .Select(v => new ShopifyCsvVariant(
                v.Sku,
                v.Options.Where(o => optionNames.Contains(o.Key)).ToList(),
                Currencies.FormatMajor(v.PriceMinor, v.Currency),
                Math.Max(0, v.Stock)))
            .ToList();
        if (variants.Count == 0)
        {
            variants.Add(new ShopifyCsvVariant(product.Sku, [], "", 0));
        }

        var title = Field(CopyFields.Title) ?? product.Title;
        var images = GalleryUrls(item).Select(g => new ShopifyCsvImage(g.Url, g.Role == KitRoles.Main ? title : $"{title} ({g.Position})")).ToList();
        return new ShopifyCsvProduct(
            item.Handle,
            title,
            Field(CopyFields.Description) ?? PlainToHtml(product.Description),
            brand,
            product.Category,
            keywords.Take(ShopifyTags).Select(k => k.Text).ToList(),
            variants,
            images,
            Field(CopyFields.MetaTitle) ?? meta.Title,
            Field(CopyFields.MetaDescription) ?? meta.Description);
    }

    /// <summary>The catalog's plain-text description as Shopify's HTML: encoded, a paragraph per blank-line-separated block.</summary>
    public static string? PlainToHtml(string? text) =>
        string.IsNullOrWhiteSpace(text)
            ? null
            : string.Concat(text.Replace("\r\n", "\n", StringComparison.Ordinal)
                .Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(p => "<p>" + System.Net.WebUtility.HtmlEncode(p).Replace("\n", "<br>", StringComparison.Ordinal) + "</p>"));

    /// <summary>
    /// The product's Amazon listings, one per SKU (each variant with its options, else the product's own SKU without a
    /// price; with variants the product's SKU is the family's parent): the kit's copy in the store's language, else the
    /// product's title and description; the gallery by URL as for Shopify.
    /// </summary>
    private AmazonListingSource AmazonRow(Kit kit, ProductKit item, string? brand, Dictionary<string, ListingText> copy)
    {
        var product = item.Product;
        var text = StoreCopy(kit, copy);
        var offers = product.Variants.OrderBy(v => v.Position).ThenBy(v => v.Sku, StringComparer.Ordinal)
            .Select(v => new AmazonOffer(v.Sku, v.PriceMinor, v.Currency, v.Stock, [.. v.Options]))
            .ToList();
        if (offers.Count == 0)
        {
            offers.Add(new AmazonOffer(product.Sku, null, null, 0));
        }

        var productType = product.Attributes
            .FirstOrDefault(a => string.Equals(a.Name.Trim(), AmazonListingJson.ProductTypeAttribute, StringComparison.OrdinalIgnoreCase))?.Value;
        return new AmazonListingSource(
            string.IsNullOrWhiteSpace(productType) ? AmazonListingJson.DefaultProductType : string.Join('_', productType.Trim().ToUpperInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries)),
            StoreLanguage(kit),
            First(text, CopyFields.Title) ?? product.Title,
            brand,
            text?.Items(CopyFields.Bullets) ?? product.SellingPoints,
            First(text, CopyFields.Description) ?? product.Description,
            First(text, CopyFields.SearchTerms),
            offers,
            [.. GalleryUrls(item).Select(g => g.Url)],
            product.Sku);
    }

    /// <summary>The language the marketplace's listings are written in (its copy profile's), English without one.</summary>
    private static string StoreLanguage(Kit kit) => StoreLanguage(kit.Profile.Id);

    /// <summary>The language a marketplace's listings are written in (its copy profile's), English without one.</summary>
    internal static string StoreLanguage(string marketplace) => CopyProfiles.Find(marketplace)?.SourceLanguage ?? "en";

    /// <summary>The kit's copy in the store's language, else any language the kit has, else none.</summary>
    private static ListingText? StoreCopy(Kit kit, Dictionary<string, ListingText> copy) =>
        copy.TryGetValue(StoreLanguage(kit), out var own) ? own : copy.Values.FirstOrDefault();

    private static string? First(ListingText? text, string field) => text?.Items(field).FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));

    /// <summary>The gallery's public URLs under <see cref="ExportOptions.ImageBaseUrl"/>, in position order; none without a base.</summary>
    private IEnumerable<(int Position, string Url, string Role)> GalleryUrls(ProductKit item) =>
        options.Value.ImageBaseUrl is { Length: > 0 } baseUrl
            ? item.Gallery.OrderBy(g => g.Position).Select(g => (g.Position, ExportOptions.UrlOf(baseUrl, g.Path), g.Role))
            : [];

    /// <summary>Writes a platform import file at the archive's root.</summary>
    private static async Task<KitImportFile> WriteImportAsync(Kit kit, string path, string format, byte[] bytes, string contentType, CancellationToken cancellationToken)
    {
        var entry = NewEntry(kit, path, CompressionLevel.Optimal);
        await using (var target = await entry.OpenAsync(cancellationToken))
        {
            await target.WriteAsync(bytes, cancellationToken);
        }

        return new KitImportFile(path, format, contentType, kit.Products.Count, bytes.LongLength, Convert.ToHexStringLower(SHA256.HashData(bytes)));
    }

    /// <summary>Streams a stored file into the archive, hashing what is written; a missing blob is reported, not fatal.</summary>
    private async Task WriteAssetAsync(
        Kit kit, ProductKit item, string path, Asset asset, string role, int position, string? slot, string? templateKey, IReadOnlyList<KitFlag> flags, CancellationToken cancellationToken)
    {
        await using var source = await blobs.OpenReadAsync(asset.BlobKey, cancellationToken);
        if (source is null)
        {
            item.Missing.Add(new KitFlag(KitMissing.File, [asset.Id.ToString()]));
            return;
        }

        // JPEG, PNG, WebP and MP4 are compressed already: deflating them again costs CPU and saves nothing.
        var level = asset.ContentType.StartsWith("image/", StringComparison.OrdinalIgnoreCase) || asset.ContentType.StartsWith("video/", StringComparison.OrdinalIgnoreCase)
            ? CompressionLevel.NoCompression
            : CompressionLevel.Optimal;
        var fullPath = $"{item.Folder}/{path}";
        var entry = NewEntry(kit, fullPath, level);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long length = 0;
        await using (var target = await entry.OpenAsync(cancellationToken))
        {
            var buffer = new byte[CopyBuffer];
            int read;
            while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                length += read;
            }
        }

        var hasSize = asset.Width > 0 && asset.Height > 0;
        kit.Add(item, new KitFile(
            fullPath,
            item.Product.Id,
            item.Product.Sku,
            role,
            position,
            slot,
            asset.ContentType,
            hasSize ? asset.Width : null,
            hasSize ? asset.Height : null,
            length,
            Convert.ToHexStringLower(hash.GetHashAndReset()),
            asset.Id,
            asset.JobId,
            null,
            templateKey,
            flags));
    }

    private static async Task WriteTextAsync(
        Kit kit, ProductKit item, string path, byte[] bytes, string contentType, string role, string? language, Guid? jobId, IReadOnlyList<KitFlag> flags, CancellationToken cancellationToken)
    {
        var fullPath = $"{item.Folder}/{path}";
        var entry = NewEntry(kit, fullPath, CompressionLevel.Optimal);
        await using (var target = await entry.OpenAsync(cancellationToken))
        {
            await target.WriteAsync(bytes, cancellationToken);
        }

        kit.Add(item, new KitFile(
            fullPath, item.Product.Id, item.Product.Sku, role, 0, null, contentType, null, null, bytes.LongLength,
            Convert.ToHexStringLower(SHA256.HashData(bytes)), null, jobId, language, null, flags));
    }

    private static ZipArchiveEntry NewEntry(Kit kit, string path, CompressionLevel level)
    {
        var entry = kit.Zip!.CreateEntry(path, level);
        entry.LastWriteTime = kit.Stamp;
        return entry;
    }

    private static object FieldValue(ListingText text, string field) => field switch
    {
        CopyFields.Bullets or CopyFields.Hashtags or CopyFields.LiveScript => text.Items(field),
        _ => text.Items(field)[0],
    };

    /// <summary>
    /// The copy for people: a header line, then each field under its id (the JSON's keys, the same in every language) with
    /// list items one per line.
    /// </summary>
    internal static string PlainText(string sku, string marketplace, string language, int version, bool approved, ListingText text, IReadOnlyList<string> fields)
    {
        var builder = new StringBuilder();
        builder.Append("# ").Append(sku).Append(" | ").Append(marketplace).Append(" | ").Append(language)
            .Append(" | v").Append(version.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append(approved ? " | approved" : "").Append('\n');
        foreach (var field in fields)
        {
            var items = text.Items(field).Where(i => !string.IsNullOrWhiteSpace(i)).ToList();
            if (items.Count == 0)
            {
                continue;
            }

            builder.Append('\n').Append('[').Append(field).Append("]\n");
            var list = field is CopyFields.Bullets or CopyFields.Hashtags or CopyFields.LiveScript;
            foreach (var value in items)
            {
                builder.Append(list ? (field == CopyFields.Hashtags ? "#" : "- ") : "").Append(value.Replace("\r\n", "\n", StringComparison.Ordinal)).Append('\n');
            }
        }

        return builder.ToString();
    }

    private sealed class Kit(MarketplaceProfile profile, KitConvention convention, HashSet<Guid>? jobs, DateTimeOffset stamp)
    {
        public MarketplaceProfile Profile { get; } = profile;

        public KitConvention Convention { get; } = convention;

        public HashSet<Guid>? Jobs { get; } = jobs;

        public DateTimeOffset Stamp { get; } = stamp;

        public ZipArchive? Zip { get; set; }

        /// <summary>Shopify kits: the product CSV, a product's rows appended as the product is written.</summary>
        public StringBuilder? ShopifyCsv { get; set; }

        /// <summary>Amazon kits: the listings, one per SKU.</summary>
        public List<AmazonListingItem>? AmazonItems { get; set; }

        public List<KitImportFile> Imports { get; } = [];

        public List<KitFile> Files { get; } = [];

        public List<KitProduct> Products { get; } = [];

        /// <summary>The manifest's name is taken: a SKU called "manifest.json" gets "manifest.json-2".</summary>
        public HashSet<string> Folders { get; } = new(StringComparer.OrdinalIgnoreCase) { KitNaming.ManifestPath };

        public bool Made(Guid? jobId) => Jobs is null || (jobId is { } id && Jobs.Contains(id));

        public void Add(ProductKit item, KitFile file)
        {
            Files.Add(file);
            item.Files++;
        }

        public ListingKitSummary Summary() => new(
            Profile.Id,
            Products.Count,
            Files.Count,
            Products.Sum(p => p.Missing.Count),
            Files.Count(f => f.Flags.Count > 0),
            Files.Sum(f => f.Bytes));
    }

    private sealed class ProductKit(Product product, string folder, string handle)
    {
        public Product Product { get; } = product;

        public string Folder { get; } = folder;

        public string Handle { get; } = handle;

        public int Files { get; set; }

        public List<KitFlag> Missing { get; } = [];

        /// <summary>The gallery images as written (position, path in the archive, role).</summary>
        public List<(int Position, string Path, string Role)> Gallery { get; } = [];
    }
}
