using CommerceOS.Core.Catalog;
using CommerceOS.Core.Common;
using CommerceOS.Core.Data;
using CommerceOS.Core.Translation;
using CommerceOS.Core.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Core.Copy;

/// <summary>
/// The seller's hand edit: a new version, refused (nothing stored) when it breaks a marketplace rule or states a figure or
/// claim the product facts do not hold, when the text is locked, or when someone saved a newer version first. Edits of a
/// translation teach the workspace's translation memory. Editors and above.
/// </summary>
public sealed class EditListingCopy(AppDbContext db, WorkspaceContext workspace, CopyStore store, LearnTranslation learn)
{
    /// <param name="BaseVersion">The version the seller edited; a newer one makes the edit stale (Conflict).</param>
    public sealed record Request(Guid ProductId, string? Marketplace, string? Language, int BaseVersion, ListingText? Text);

    public async Task<Result<int>> HandleAsync(Request request, CancellationToken cancellationToken)
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

        var target = CopyLookup.Target(request.Marketplace, request.Language);
        if (!target.IsSuccess)
        {
            return target.WithoutValue();
        }

        var (profile, language) = target.Value;

        var text = Clean(request.Text ?? new ListingText());
        var shape = Shape(text);
        if (shape.Count > 0)
        {
            return Result.Invalid(shape);
        }

        var brand = await store.BrandAsync(product, cancellationToken);
        var issues = CopyValidator.Validate(text, new CopyCheck(profile, ProductFacts.From(product, brand), brand?.BannedWords, OwnBrand: brand?.Name));
        var errors = issues.Where(i => i.Severity == CopyIssueSeverity.Error)
            .Select(i => new FieldError(FieldPath(i), i.MessageKey, i.Args))
            .ToList();
        if (errors.Count > 0)
        {
            return Result.Invalid(errors);
        }

        var copy = await store.EnsureAsync(product.WorkspaceId, product.Id, profile.Marketplace, language, cancellationToken);
        if (copy.Locked)
        {
            return Result.Conflict("", CopyErrors.Locked);
        }

        if (copy.CurrentVersion != request.BaseVersion)
        {
            return Result.Conflict("baseVersion", CopyErrors.StaleVersion, copy.CurrentVersion);
        }

        var base_ = copy.CurrentVersion > 0 ? await store.VersionAsync(copy.Id, copy.CurrentVersion, cancellationToken) : null;
        if (base_ is not null && CopyJson.Text(base_).Equals(text))
        {
            return base_.Number;
        }

        var (translation, sourceText, sourceLanguage) = await TranslationOfEditAsync(base_, text, profile, cancellationToken);
        var version = await store.AddVersionAsync(copy, new ListingCopyVersion
        {
            Source = CopySource.Edited,
            Engine = "hand",
            Tone = base_?.Tone,
            TextJson = CopyJson.Write(text),
            TracesJson = base_?.TracesJson ?? "[]",
            IssuesJson = CopyJson.Write(issues),
            TranslationJson = translation is null ? null : CopyJson.Write(translation),
            TranslatedFromVersionId = base_?.TranslatedFromVersionId,
            CreatedByUserId = workspace.UserId,
        }, cancellationToken);

        if (sourceText is not null && sourceLanguage is not null)
        {
            await TeachAsync(sourceText, CopyJson.Text(base_!), text, profile, sourceLanguage, language, brand, cancellationToken);
        }

        return version.Number;
    }

    /// <summary>The field path a seller's form or API client knows: <c>bullets[2]</c>, <c>title</c>.</summary>
    public static string FieldPath(CopyIssue issue) => issue.Path[2..];

    private static ListingText Clean(ListingText text) => text with
    {
        Title = (text.Title ?? "").Trim(),
        Description = (text.Description ?? "").Replace("\r\n", "\n", StringComparison.Ordinal).Trim(),
        SearchTerms = (text.SearchTerms ?? "").Trim(),
        MetaTitle = (text.MetaTitle ?? "").Trim(),
        MetaDescription = (text.MetaDescription ?? "").Trim(),
        Caption = (text.Caption ?? "").Trim(),
        Bullets = (text.Bullets ?? []).Select(b => (b ?? "").Trim()).ToList(),
        Hashtags = (text.Hashtags ?? []).Select(h => (h ?? "").Trim().TrimStart('#')).Where(h => h.Length > 0).ToList(),
        LiveScript = (text.LiveScript ?? []).Select(l => (l ?? "").Trim()).Where(l => l.Length > 0).ToList(),
    };

    private static List<FieldError> Shape(ListingText text)
    {
        var errors = new List<FieldError>();
        foreach (var field in CopyFields.All)
        {
            var items = text.Items(field);
            if (items.Count > CopyLimits.MaxItems)
            {
                errors.Add(FieldError.Of(CopyIssue.JsonName(field), CopyErrors.TextTooLong, CopyLimits.MaxItems));
            }

            for (var i = 0; i < items.Count && i < CopyLimits.MaxItems; i++)
            {
                if (items[i].Length > CopyLimits.MaxFieldLength)
                {
                    errors.Add(FieldError.Of(CopyIssue.JsonName(field), CopyErrors.TextTooLong, CopyLimits.MaxFieldLength));
                }
            }
        }

        return errors;
    }

    /// <summary>For an edit of a translation: each item's status (what the seller rewrote is theirs now) and the source it came from.</summary>
    private async Task<(List<ItemTranslation>? Items, ListingText? Source, string? SourceLanguage)> TranslationOfEditAsync(
        ListingCopyVersion? base_, ListingText edited, CopyProfile profile, CancellationToken cancellationToken)
    {
        if (base_?.TranslatedFromVersionId is not { } fromId)
        {
            return (null, null, null);
        }

        var source = await db.ListingCopyVersions.AsNoTracking().FirstOrDefaultAsync(v => v.Id == fromId, cancellationToken);
        var sourceLanguage = source is null ? null
            : await db.ListingCopies.Where(c => c.Id == source.ListingCopyId).Select(c => c.Language).FirstOrDefaultAsync(cancellationToken);
        var before = CopyTranslation.Split(CopyJson.Text(base_), profile);
        var after = CopyTranslation.Split(edited, profile);
        var items = CopyJson.Translation(base_).ToList();
        var result = new List<ItemTranslation>();
        foreach (var segment in after)
        {
            var old = before.FirstOrDefault(b => b.Field == segment.Field && b.Index == segment.Index && b.Line == segment.Line);
            var status = items.FirstOrDefault(i => i.Field == segment.Field && i.Index == segment.Index && i.Line == segment.Line);
            result.Add(old is not null && old.Text == segment.Text && status is not null
                ? status
                : new ItemTranslation(segment.Field, segment.Index, segment.Line, SegmentStatus.Translated, "hand"));
        }

        return (result, source is null ? null : CopyJson.Text(source), sourceLanguage);
    }

    /// <summary>
    /// Every segment the seller changed becomes a memory pair with the source segment at the same place, when the edit kept
    /// the source's structure (same items and lines); a restructured text teaches nothing rather than pairing wrong lines.
    /// </summary>
    private async Task TeachAsync(
        ListingText source, ListingText before, ListingText after, CopyProfile profile, string from, string to, Brand? brand, CancellationToken cancellationToken)
    {
        var sources = CopyTranslation.Split(source, profile);
        var olds = CopyTranslation.Split(before, profile);
        var news = CopyTranslation.Split(after, profile);
        if (sources.Count != news.Count || olds.Count != news.Count)
        {
            return;
        }

        var keep = brand is null ? null : new[] { brand.Name };
        for (var i = 0; i < news.Count; i++)
        {
            var (s, o, n) = (sources[i], olds[i], news[i]);
            if (s.Field != n.Field || s.Index != n.Index || s.Line != n.Line || o.Text == n.Text || s.Text.Trim().Length == 0 || n.Text.Trim().Length == 0)
            {
                continue;
            }

            // A pair the memory refuses (e.g. a segment over its length limit) is simply not learnt.
            await learn.HandleAsync(new LearnTranslation.Request(from, to, s.Text, n.Text, keep), cancellationToken);
        }
    }
}
