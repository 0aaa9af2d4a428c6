using CommerceOS.Core.Billing;
using CommerceOS.Core.Catalog;
using CommerceOS.Core.Common;
using CommerceOS.Core.Copy;
using CommerceOS.Core.Data;
using CommerceOS.Core.Generation;
using CommerceOS.Core.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Core.Seo;

/// <summary>
/// A product's SEO for one marketplace, from its own facts: ranked keywords, the marketplace's keyword set, meta tags,
/// slug, alt texts, Product JSON-LD with its validation, and the listing score: of the listing copy when the marketplace has
/// one (approved version first), else of what the product holds today (its title, selling points as bullets, description,
/// the keyword set as search terms), with its photos and generated images.
/// Any member (Viewer and above), on a plan with SEO optimization.
/// </summary>
public sealed class GetProductSeo(AppDbContext db, WorkspaceContext workspace, ISeoEngine seo, TimeProvider time)
{
    /// <param name="ImageBaseUrl">Absolute origin the JSON-LD's image URLs start with (the asset content route is appended).</param>
    public sealed record Request(Guid ProductId, string? Marketplace, Uri ImageBaseUrl);

    public sealed record Report(
        string Marketplace,
        IReadOnlyList<SeoKeyword> Keywords,
        SeoKeywordSet KeywordSet,
        SeoMeta Meta,
        string Slug,
        IReadOnlyList<SeoAltText> AltTexts,
        string JsonLd,
        JsonLdValidation JsonLdValidation,
        ListingScore Score);

    /// <returns>The report, Invalid for an unknown marketplace, NotFound (also for another workspace's id), Conflict
    /// (<c>seo.feature_required</c>) or Forbidden.</returns>
    public async Task<Result<Report>> HandleAsync(Request request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!workspace.Can(WorkspaceRole.Viewer))
        {
            return Result.Forbidden();
        }

        if (!await db.WorkspaceHasFeatureAsync(PlanFeatures.Seo, time, cancellationToken))
        {
            return Result.Conflict("", SeoErrors.FeatureRequired, PlanFeatures.Seo);
        }

        var product = await db.FindWithDetailsAsync(request.ProductId, cancellationToken);
        if (product is null)
        {
            return Result.NotFound();
        }

        // After the product: another workspace's id is NotFound whatever the query says.
        var marketplace = SeoMarketplaceRules.Find(request.Marketplace?.Trim().ToLowerInvariant());
        if (marketplace is null)
        {
            return Result.Invalid("marketplace", SeoErrors.UnknownMarketplace, string.Join(", ", SeoMarketplaceRules.All.Select(m => m.Id)));
        }

        var brand = product.BrandId is { } brandId
            ? await db.Brands.AsNoTracking().Where(b => b.Id == brandId).Select(b => b.Name).FirstOrDefaultAsync(cancellationToken)
            : null;
        var generated = await db.Assets.AsNoTracking()
            .Where(a => a.ProductId == product.Id && a.Skill != null)
            .Select(a => a.Skill!)
            .ToListAsync(cancellationToken);

        var subject = new SeoSubject(product, brand);
        var keywordSet = seo.BuildKeywordSet(subject, marketplace.Id);
        var meta = seo.BuildMeta(subject);
        var roles = ImageRoles(product.Photos.Count, generated);
        var altTexts = seo.BuildAltTexts(subject, roles);
        var imageUrls = product.Photos.OrderBy(p => p.Position)
            .Select(p => new Uri(request.ImageBaseUrl, $"/api/v1/assets/{p.AssetId}/content").AbsoluteUri)
            .ToList();
        var jsonLd = seo.BuildProductJsonLd(subject, new JsonLdOptions(imageUrls));
        var images = roles.Select((role, i) => new ListingImage(role, altTexts.Count > i ? altTexts[i].Text : null)).ToList();
        var copy = await ListingCopyTextAsync(product.Id, marketplace.Id, cancellationToken);
        var draft = copy is null
            ? new ListingDraft(
                product.Title,
                product.SellingPoints,
                product.Description ?? string.Empty,
                keywordSet.Field == "search-terms" ? keywordSet.Value : string.Empty,
                images,
                meta.Title,
                meta.Description)
            : new ListingDraft(
                copy.Title,
                copy.Bullets,
                copy.Description,
                copy.SearchTerms,
                images,
                copy.MetaTitle.Length > 0 ? copy.MetaTitle : meta.Title,
                copy.MetaDescription.Length > 0 ? copy.MetaDescription : meta.Description);
        return new Report(
            marketplace.Id,
            seo.ExtractKeywords(subject),
            keywordSet,
            meta,
            seo.BuildSlug(subject),
            altTexts,
            jsonLd,
            seo.ValidateProductJsonLd(jsonLd),
            seo.ScoreListing(draft, subject, marketplace.Id));
    }

    /// <summary>The listing copy in the marketplace's own language, approved version first, else the newest; null before any.</summary>
    private async Task<ListingText?> ListingCopyTextAsync(Guid productId, string marketplace, CancellationToken cancellationToken)
    {
        var language = CopyProfiles.Find(marketplace)?.SourceLanguage;
        var copy = await db.ListingCopies.AsNoTracking()
            .FirstOrDefaultAsync(c => c.ProductId == productId && c.Marketplace == marketplace && c.Language == language, cancellationToken);
        if (copy is null || copy.CurrentVersion == 0)
        {
            return null;
        }

        var number = copy.ApprovedVersion ?? copy.CurrentVersion;
        var version = await db.ListingCopyVersions.AsNoTracking()
            .FirstOrDefaultAsync(v => v.ListingCopyId == copy.Id && v.Number == number, cancellationToken);
        return version is null ? null : CopyJson.Text(version);
    }

    /// <summary>The listing's images: the first photo (or a generated main image) as main, generated scenes and studio shots, infographics.</summary>
    private static List<ImageRole> ImageRoles(int photos, IReadOnlyList<string> generatedSkills)
    {
        var roles = new List<ImageRole>();
        if (photos > 0 || generatedSkills.Contains(ImageSkills.MainImage))
        {
            roles.Add(ImageRole.Main);
        }

        roles.AddRange(generatedSkills.Where(s => s is ImageSkills.Scene or ImageSkills.Studio).Select(_ => ImageRole.Scene));
        roles.AddRange(generatedSkills.Where(s => s == ImageSkills.Infographic).Select(_ => ImageRole.Infographic));
        return roles;
    }
}
