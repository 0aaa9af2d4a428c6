using CommerceOS.Core.Catalog;
using CommerceOS.Core.Common;
using CommerceOS.Core.Data;
using CommerceOS.Core.Translation;
using CommerceOS.Core.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Core.Copy;

/// <summary>
/// A product's listing copy: per marketplace and language, the current text (or a chosen version) with the rules it breaks
/// now (checked against today's facts), the version history, approval and lock, the last failed generation's rules and
/// the translation status. Any member (Viewer and above).
/// </summary>
public sealed class GetListingCopy(AppDbContext db, WorkspaceContext workspace, CopyStore store)
{
    /// <param name="Version">A version to show instead of the current one (needs marketplace and language).</param>
    public sealed record Request(Guid ProductId, string? Marketplace = null, string? Language = null, int? Version = null);

    public sealed record VersionSummary(int Number, CopySource Source, string Engine, string? Model, DateTime CreatedAt, int Errors, int Warnings);

    public sealed record VersionView(
        int Number,
        CopySource Source,
        string Engine,
        string? Model,
        string? Tone,
        int? Seed,
        ListingText Text,
        IReadOnlyList<CopyIssue> Issues,
        DateTime CreatedAt,
        TranslationStatus? Translation);

    /// <summary>How a translated version came to be: counts per status and the items left in the source language.</summary>
    public sealed record TranslationStatus(string? FromLanguage, int? FromVersion, int Segments, int Translated, int FromMemory, int Untranslated, IReadOnlyList<ItemTranslation> Items);

    public sealed record Listing(
        string Marketplace,
        string Language,
        bool Locked,
        int? ApprovedVersion,
        int CurrentVersion,
        VersionView? Version,
        IReadOnlyList<VersionSummary> Versions,
        IReadOnlyList<CopyIssue> LastFailure);

    public sealed record Response(Guid ProductId, IReadOnlyList<Listing> Listings);

    public async Task<Result<Response>> HandleAsync(Request request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!workspace.Can(WorkspaceRole.Viewer))
        {
            return Result.Forbidden();
        }

        var product = await db.FindWithDetailsAsync(request.ProductId, cancellationToken);
        if (product is null)
        {
            return Result.NotFound();
        }

        var marketplace = request.Marketplace?.Trim().ToLowerInvariant();
        if (marketplace is { Length: > 0 } && CopyProfiles.Find(marketplace) is null)
        {
            return Result.Invalid("marketplace", CopyErrors.MarketplaceUnknown, string.Join(", ", CopyProfiles.Ids));
        }

        string? language = null;
        if (!string.IsNullOrWhiteSpace(request.Language))
        {
            if (!TranslationLanguages.TryFind(request.Language, out var found))
            {
                return Result.Invalid("language", CopyErrors.LanguageUnknown, string.Join(", ", TranslationLanguages.All.Select(l => l.Code)));
            }

            language = found.Code;
        }

        var copies = await db.ListingCopies.AsNoTracking()
            .Where(c => c.ProductId == product.Id)
            .Where(c => marketplace == null || marketplace == "" || c.Marketplace == marketplace)
            .Where(c => language == null || c.Language == language)
            .OrderBy(c => c.Marketplace).ThenBy(c => c.Language)
            .ToListAsync(cancellationToken);
        var ids = copies.Select(c => c.Id).ToList();
        var versions = await db.ListingCopyVersions.AsNoTracking()
            .Where(v => ids.Contains(v.ListingCopyId))
            .OrderBy(v => v.Number)
            .ToListAsync(cancellationToken);
        var brand = await store.BrandAsync(product, cancellationToken);
        var facts = ProductFacts.From(product, brand);
        var languagesOfCopies = await db.ListingCopies.AsNoTracking().Where(c => c.ProductId == product.Id)
            .Select(c => new { c.Id, c.Language }).ToDictionaryAsync(c => c.Id, c => c.Language, cancellationToken);

        var listings = new List<Listing>();
        foreach (var copy in copies)
        {
            var own = versions.Where(v => v.ListingCopyId == copy.Id).ToList();
            var number = request.Version is { } chosen && language is not null && marketplace is { Length: > 0 } ? chosen : copy.CurrentVersion;
            var shown = own.FirstOrDefault(v => v.Number == number);
            if (request.Version is not null && shown is null && copies.Count == 1)
            {
                return Result.Invalid("version", CopyErrors.VersionNotFound);
            }

            listings.Add(new Listing(
                copy.Marketplace,
                copy.Language,
                copy.Locked,
                copy.ApprovedVersion,
                copy.CurrentVersion,
                shown is null ? null : await ViewAsync(shown, CopyProfiles.Get(copy.Marketplace), facts, brand, languagesOfCopies, cancellationToken),
                own.Select(v =>
                {
                    var issues = CopyJson.Issues(v.IssuesJson);
                    return new VersionSummary(v.Number, v.Source, v.Engine, v.Model, v.CreatedAt,
                        issues.Count(i => i.Severity == CopyIssueSeverity.Error), issues.Count(i => i.Severity == CopyIssueSeverity.Warning));
                }).OrderByDescending(v => v.Number).ToList(),
                CopyJson.Issues(copy.LastFailureJson)));
        }

        return new Response(product.Id, listings);
    }

    private async Task<VersionView> ViewAsync(
        ListingCopyVersion version, CopyProfile profile, ProductFacts facts, Brand? brand, Dictionary<Guid, string> languages, CancellationToken cancellationToken)
    {
        var text = CopyJson.Text(version);
        // Checked against today's facts and rules: a fact removed since makes a figure untraced now.
        var issues = CopyValidator.Validate(text, new CopyCheck(profile, facts, brand?.BannedWords, OwnBrand: brand?.Name));
        TranslationStatus? status = null;
        if (version.TranslationJson is not null)
        {
            // Written in another language and translated in the same job: no source version to point at.
            var fromId = version.TranslatedFromVersionId;
            var from = fromId is null ? null : await db.ListingCopyVersions.AsNoTracking().Where(v => v.Id == fromId)
                .Select(v => new { v.Number, v.ListingCopyId }).FirstOrDefaultAsync(cancellationToken);
            var items = CopyJson.Translation(version);
            status = new TranslationStatus(
                from is null ? null : languages.GetValueOrDefault(from.ListingCopyId),
                from?.Number,
                items.Count,
                items.Count(i => i.Status == SegmentStatus.Translated),
                items.Count(i => i.Status is SegmentStatus.MemoryExact or SegmentStatus.MemoryFuzzy),
                items.Count(i => i.Status == SegmentStatus.Untranslated),
                items.Where(i => i.Status is SegmentStatus.Untranslated or SegmentStatus.MemoryFuzzy).ToList());
        }

        return new VersionView(version.Number, version.Source, version.Engine, version.Model, version.Tone, version.Seed, text, issues, version.CreatedAt, status);
    }
}
