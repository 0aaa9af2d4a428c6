using System.Text.Json;
using CommerceOS.Core.Assets;
using CommerceOS.Core.Catalog;
using CommerceOS.Core.Copy;
using CommerceOS.Core.Data;
using CommerceOS.Core.Exports;
using CommerceOS.Core.Generation;
using CommerceOS.Core.Marketplaces;
using CommerceOS.Core.Seo;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Core.Publishing;

/// <summary>A listing ready to send, what the gate found, and the platform's required-field checklist.</summary>
public sealed record PreparedListing(ListingDraft Draft, IReadOnlyList<ListingIssue> Issues, IReadOnlyList<ChecklistItem> Checklist)
{
    public bool Blocked => Issues.Any(i => i.Blocking);
}

/// <summary>One required field of the platform and whether the listing has it.</summary>
public sealed record ChecklistItem(string Field, bool Done);

/// <summary>
/// Builds what a listing says from the product and its generated content, the same choice a listing kit makes
/// (<see cref="KitSelection.Gallery"/>; the copy in the platform's language, approved version first), and runs the
/// <see cref="PublishGate"/> over it.
/// </summary>
public sealed class ListingDrafts(AppDbContext db, IBlobStore blobs, IMarketplaceCatalog marketplaces, ISeoEngine seo, PublicMediaLinks links)
{
    private const int Tags = 10;

    public async Task<PreparedListing?> PrepareAsync(MarketplaceListing listing, IMarketplacePublisher publisher, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(listing);
        ArgumentNullException.ThrowIfNull(publisher);
        var product = await db.FindWithDetailsAsync(listing.ProductId, cancellationToken);
        var profile = marketplaces.Find(listing.Platform);
        if (product is null || profile is null)
        {
            return null;
        }

        var brand = product.BrandId is { } brandId
            ? await db.Brands.AsNoTracking().Where(b => b.Id == brandId).Select(b => b.Name).FirstOrDefaultAsync(cancellationToken)
            : null;
        var subject = new SeoSubject(product, brand);
        var generated = await db.Assets.AsNoTracking()
            .Where(a => a.ProductId == product.Id && a.Kind == AssetKind.Generated && a.Skill != null)
            .OrderByDescending(a => a.CreatedAt).ThenByDescending(a => a.Id)
            .ToListAsync(cancellationToken);
        var (gallery, _) = KitSelection.Gallery(generated.Where(a => ImageSkills.All.Contains(a.Skill!)).ToList(), profile);

        var language = ExportListingKit.StoreLanguage(profile.Id);
        var copy = await StoreCopyAsync(product.Id, profile.Id, language, cancellationToken);
        var text = copy?.Text;
        string? Field(string field) => text?.Items(field).FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));

        var handle = KitNaming.Handle(seo.BuildSlug(subject), product.Sku);
        var images = new List<ListingImage>();
        var imageFlags = new List<(string Role, KitFlag Flag)>();
        foreach (var (asset, role) in gallery)
        {
            var fileName = $"{KitNaming.ProductFolder(product.Sku, new HashSet<string>())}-{role}-{images.Count + 1}.{KitNaming.Extension(asset.ContentType)}";
            images.Add(new ListingImage(
                asset.Id, fileName, asset.ContentType, asset.Width, asset.Height, asset.ByteSize, asset.Sha256,
                links.UrlFor(asset.WorkspaceId, asset.Id, fileName), role, ct => OpenAsync(asset, ct)));
            imageFlags.AddRange(KitChecks.Image(profile, asset.Width, asset.Height, asset.ByteSize, asset.ContentType).Select(f => (role, f)));
            if (GenerateImagesJob.IsWatermarked(GenerationJson.Provenance(asset)))
            {
                imageFlags.Add((role, new KitFlag(KitFlags.Watermarked, [])));
            }

            if (role == KitRoles.Main && GenerationJson.Compliance(asset) is { Passed: false })
            {
                imageFlags.Add((role, new KitFlag(KitFlags.Compliance, [])));
            }
        }

        var ordered = product.Variants.OrderBy(v => v.Position).ThenBy(v => v.Sku, StringComparer.Ordinal).ToList();
        var optionNames = ordered.SelectMany(v => v.Options.Keys).Distinct(StringComparer.Ordinal).Take(ShopifyProductCsv.MaxOptions).ToList();
        var variants = ordered
            .Select(v => new ListingVariant(
                v.Sku,
                optionNames.Where(v.Options.ContainsKey).Select(n => new KeyValuePair<string, string>(n, v.Options[n])).ToList(),
                v.PriceMinor,
                v.Currency,
                Math.Max(0, v.Stock),
                null))
            .ToList();
        if (variants.Count == 0)
        {
            variants.Add(new ListingVariant(product.Sku, [], null, null, 0, null));
        }

        var meta = seo.BuildMeta(subject);
        var description = Field(CopyFields.Description) ?? product.Description;
        var draft = new ListingDraft(
            listing.Id.ToString("N"),
            listing.ExternalId,
            product.Id,
            product.Sku,
            handle,
            Field(CopyFields.Title) ?? product.Title,
            ExportListingKit.PlainToHtml(description),
            description,
            text?.Items(CopyFields.Bullets).Where(b => !string.IsNullOrWhiteSpace(b)).ToList() is { Count: > 0 } bullets ? bullets : product.SellingPoints,
            brand,
            Field(CopyFields.SearchTerms),
            seo.ExtractKeywords(subject).Take(Tags).Select(k => k.Text).ToList(),
            Field(CopyFields.MetaTitle) ?? meta.Title,
            Field(CopyFields.MetaDescription) ?? meta.Description,
            language,
            listing.CategoryId,
            ReadAttributes(listing.AttributesJson),
            images,
            variants,
            optionNames,
            AttributeValues.WeightGrams(product.Attributes.Select(a => (a.Name, a.Value))));

        var checklist = PublishGate.Checklist(publisher, draft);
        var issues = PublishGate.Check(publisher, draft, checklist, imageFlags, copy?.Issues, copy?.Approved, links.Enabled);
        return new PreparedListing(draft, issues, checklist);
    }

    public static IReadOnlyDictionary<string, string> ReadAttributes(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return new Dictionary<string, string>();
        }

        try
        {
            return JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? new Dictionary<string, string>();
        }
        catch (JsonException)
        {
            return new Dictionary<string, string>();
        }
    }

    private async Task<Stream> OpenAsync(Asset asset, CancellationToken cancellationToken) =>
        await blobs.OpenReadAsync(asset.BlobKey, cancellationToken)
            ?? throw new FileNotFoundException($"The stored file of asset {asset.Id} is missing.");

    /// <summary>The copy in the platform's language: the approved version, else the newest; with its stored rule check.</summary>
    private async Task<(ListingText Text, IReadOnlyList<CopyIssue> Issues, bool Approved)?> StoreCopyAsync(Guid productId, string marketplace, string language, CancellationToken cancellationToken)
    {
        var copy = await db.ListingCopies.AsNoTracking()
            .FirstOrDefaultAsync(c => c.ProductId == productId && c.Marketplace == marketplace && c.Language == language, cancellationToken);
        if (copy is null)
        {
            return null;
        }

        var number = copy.ApprovedVersion ?? copy.CurrentVersion;
        var version = await db.ListingCopyVersions.AsNoTracking()
            .FirstOrDefaultAsync(v => v.ListingCopyId == copy.Id && v.Number == number, cancellationToken);
        return version is null ? null : (CopyJson.Text(version), CopyJson.Issues(version.IssuesJson), copy.ApprovedVersion == version.Number);
    }
}
