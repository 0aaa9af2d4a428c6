using CommerceOS.Core.Catalog;
using CommerceOS.Core.Common;
using CommerceOS.Core.Data;
using CommerceOS.Core.Translation;
using CommerceOS.Core.Workspaces;

namespace CommerceOS.Core.Copy;

/// <summary>
/// Approves one version and locks the text: generation, translation into it and hand edits are refused until it is
/// unlocked. A version that breaks a rule today (checked against the current facts) cannot be approved. Approving a
/// translation the seller did not change teaches the memory its machine-translated segments. Editors and above.
/// </summary>
public sealed class ApproveListingCopy(AppDbContext db, WorkspaceContext workspace, CopyStore store, LearnTranslation learn, TimeProvider time)
{
    public sealed record Request(Guid ProductId, string? Marketplace, string? Language, int Version);

    public async Task<Result> HandleAsync(Request request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!workspace.Can(WorkspaceRole.Editor))
        {
            return Result.Forbidden();
        }

        var product = await db.FindWithDetailsAsync(request.ProductId, cancellationToken);
        if (product is null)
        {
            return Result.NotFound();
        }

        var found = await CopyLookup.FindAsync(store, request.ProductId, request.Marketplace, request.Language, cancellationToken);
        if (!found.IsSuccess)
        {
            return found.WithoutValue();
        }

        var copy = found.Value;
        var version = await store.VersionAsync(copy.Id, request.Version, cancellationToken);
        if (version is null)
        {
            return Result.Invalid("version", CopyErrors.VersionNotFound);
        }

        var brand = await store.BrandAsync(product, cancellationToken);
        var profile = CopyProfiles.Get(copy.Marketplace);
        var errors = CopyValidator.Validate(CopyJson.Text(version), new CopyCheck(profile, ProductFacts.From(product, brand), brand?.BannedWords, OwnBrand: brand?.Name))
            .Count(i => i.Severity == CopyIssueSeverity.Error);
        if (errors > 0)
        {
            return Result.Invalid("version", CopyErrors.HasErrors, errors);
        }

        copy.ApprovedVersion = version.Number;
        copy.Locked = true;
        copy.ApprovedByUserId = workspace.UserId;
        copy.ApprovedAt = time.GetUtcNowForDatabase();
        copy.UpdatedAt = copy.ApprovedAt.Value;
        await db.SaveChangesAsync(cancellationToken);

        if (version.Source == CopySource.Translated && version.TranslatedFromVersionId is { } fromId)
        {
            await TeachAsync(version, fromId, profile, copy.Language, brand, cancellationToken);
        }

        return Result.Ok();
    }

    private async Task TeachAsync(ListingCopyVersion version, Guid fromId, CopyProfile profile, string to, Brand? brand, CancellationToken cancellationToken)
    {
        var source = await store.VersionByIdAsync(fromId, cancellationToken);
        var from = source is null ? null : await store.LanguageOfAsync(source.ListingCopyId, cancellationToken);
        if (source is null || from is null)
        {
            return;
        }

        var sources = CopyTranslation.Split(CopyJson.Text(source), profile);
        var targets = CopyTranslation.Split(CopyJson.Text(version), profile);
        var items = CopyJson.Translation(version);
        var keep = brand is null ? null : new[] { brand.Name };
        for (var i = 0; i < targets.Count && i < sources.Count; i++)
        {
            var (s, t) = (sources[i], targets[i]);
            var status = items.FirstOrDefault(x => x.Field == t.Field && x.Index == t.Index && x.Line == t.Line);
            // Only machine translations are new to the memory; memory matches are there already, untranslated items are not translations.
            if (status?.Status != SegmentStatus.Translated || s.Field != t.Field || s.Text.Trim().Length == 0 || s.Text == t.Text)
            {
                continue;
            }

            await learn.HandleAsync(new LearnTranslation.Request(from, to, s.Text, t.Text, keep), cancellationToken);
        }
    }
}

/// <summary>Unlocks an approved text so it can be regenerated or edited again; the approval stays in the history. Editors and above.</summary>
public sealed class UnlockListingCopy(AppDbContext db, WorkspaceContext workspace, CopyStore store, TimeProvider time)
{
    public sealed record Request(Guid ProductId, string? Marketplace, string? Language);

    public async Task<Result> HandleAsync(Request request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!workspace.Can(WorkspaceRole.Editor))
        {
            return Result.Forbidden();
        }

        var found = await CopyLookup.FindAsync(store, request.ProductId, request.Marketplace, request.Language, cancellationToken, db);
        if (!found.IsSuccess)
        {
            return found.WithoutValue();
        }

        var copy = found.Value;
        if (!copy.Locked)
        {
            return Result.Conflict("", CopyErrors.NotLocked);
        }

        copy.Locked = false;
        copy.UpdatedAt = time.GetUtcNowForDatabase();
        await db.SaveChangesAsync(cancellationToken);
        return Result.Ok();
    }
}

/// <summary>Finds the listing copy a request names, with the same errors everywhere.</summary>
internal static class CopyLookup
{
    /// <param name="db">When given, the product's existence is checked first (another workspace's id is NotFound).</param>
    public static async Task<Result<ListingCopy>> FindAsync(
        CopyStore store, Guid productId, string? marketplace, string? language, CancellationToken cancellationToken, AppDbContext? db = null)
    {
        if (db is not null && await db.FindWithDetailsAsync(productId, cancellationToken) is null)
        {
            return Result.NotFound();
        }

        var target = Target(marketplace, language);
        if (!target.IsSuccess)
        {
            return target.WithoutValue();
        }

        var copy = await store.FindAsync(productId, target.Value.Profile.Marketplace, target.Value.Language, cancellationToken);
        return copy is null || copy.CurrentVersion == 0 ? Result.Invalid("language", CopyErrors.NoVersion) : copy;
    }

    /// <summary>The marketplace's profile and the language code a request names, or the field error.</summary>
    public static Result<(CopyProfile Profile, string Language)> Target(string? marketplace, string? language)
    {
        var profile = CopyProfiles.Find(marketplace?.Trim().ToLowerInvariant());
        if (profile is null)
        {
            return Result.Invalid("marketplace", CopyErrors.MarketplaceUnknown, string.Join(", ", CopyProfiles.Ids));
        }

        return TranslationLanguages.TryFind(language, out var found)
            ? (profile, found.Code)
            : Result.Invalid("language", CopyErrors.LanguageUnknown, string.Join(", ", TranslationLanguages.All.Select(l => l.Code)));
    }
}
