using CommerceOS.Core.Billing;
using CommerceOS.Core.Common;
using CommerceOS.Core.Data;
using CommerceOS.Core.Jobs;
using CommerceOS.Core.Translation;
using CommerceOS.Core.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Core.Copy;

/// <summary>What a copy job writes. IDs and parameters only: keywords and brands are the seller's listing words, not personal data.</summary>
/// <param name="Fields">Regenerate only these fields of the current version; null writes every field.</param>
public sealed record CopyJobInput(
    Guid ProductId,
    string Marketplace,
    string? Language = null,
    string? Tone = null,
    int? Seed = null,
    IReadOnlyList<string>? Fields = null,
    IReadOnlyList<string>? RequiredKeywords = null,
    IReadOnlyList<string>? CompetitorBrands = null);

/// <summary>
/// Starts writing a product's listing copy for one marketplace and language: validates the request, refuses a locked
/// text, reserves one unit of the copy meter and schedules the job in one transaction. Editors and above.
/// </summary>
public sealed class RequestCopy(AppDbContext db, WorkspaceContext workspace, MeteredJobs metered)
{
    public const string JobKind = "copy.generate";

    public async Task<Result<Job>> HandleAsync(CopyJobInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!workspace.Can(WorkspaceRole.Editor))
        {
            return Result.Forbidden();
        }

        var product = await db.Products.AsNoTracking().FirstOrDefaultAsync(p => p.Id == input.ProductId, cancellationToken);
        if (product is null)
        {
            return Result.NotFound();
        }

        var brandTone = product.BrandId is { } brandId
            ? await db.Brands.Where(b => b.Id == brandId).Select(b => b.Tone).FirstOrDefaultAsync(cancellationToken)
            : null;
        var normalized = Normalize(input, brandTone, out var errors);
        if (errors.Count > 0)
        {
            return Result.Invalid(errors);
        }

        var copy = await db.ListingCopies.AsNoTracking().FirstOrDefaultAsync(
            c => c.ProductId == product.Id && c.Marketplace == normalized.Marketplace && c.Language == normalized.Language, cancellationToken);
        if (copy is { Locked: true })
        {
            return Result.Conflict("", CopyErrors.Locked);
        }

        return await metered.ScheduleAsync(JobKind, product.WorkspaceId, product.Id, normalized, workspace.UserId, Meters.Copy, 1, cancellationToken);
    }

    /// <summary>The request with defaults filled in (language of the marketplace, the brand's tone, a fresh seed), or its field errors.</summary>
    public static CopyJobInput Normalize(CopyJobInput input, string? brandTone, out List<FieldError> errors)
    {
        errors = [];
        var profile = CopyProfiles.Find(input.Marketplace?.Trim().ToLowerInvariant());
        if (profile is null)
        {
            errors.Add(FieldError.Of("marketplace", CopyErrors.MarketplaceUnknown, string.Join(", ", CopyProfiles.Ids)));
            return input;
        }

        var language = string.IsNullOrWhiteSpace(input.Language) ? profile.SourceLanguage
            : TranslationLanguages.TryFind(input.Language, out var found) ? found.Code : null;
        if (language is null)
        {
            errors.Add(FieldError.Of("language", CopyErrors.LanguageUnknown, string.Join(", ", TranslationLanguages.All.Select(l => l.Code))));
        }

        var tone = string.IsNullOrWhiteSpace(input.Tone) ? CopyTones.Normalize(brandTone) ?? CopyTones.Professional : CopyTones.Normalize(input.Tone);
        if (tone is null)
        {
            errors.Add(FieldError.Of("tone", CopyErrors.ToneUnknown, string.Join(", ", CopyTones.All)));
        }

        List<string>? fields = null;
        if (input.Fields is { Count: > 0 })
        {
            fields = [];
            for (var i = 0; i < input.Fields.Count; i++)
            {
                var field = input.Fields[i]?.Trim().ToLowerInvariant();
                if (!CopyFields.IsKnown(field))
                {
                    errors.Add(FieldError.Of($"fields[{i}]", CopyErrors.FieldUnknown, string.Join(", ", CopyFields.All)));
                }
                else if (!profile.Fields.Contains(field!))
                {
                    errors.Add(FieldError.Of($"fields[{i}]", CopyErrors.FieldNotOnMarketplace, string.Join(", ", profile.Fields)));
                }
                else if (!fields.Contains(field!))
                {
                    fields.Add(field!);
                }
            }
        }

        var keywords = Words("requiredKeywords", input.RequiredKeywords, CopyLimits.MaxKeywords, errors);
        var competitors = Words("competitorBrands", input.CompetitorBrands, CopyLimits.MaxCompetitors, errors);
        return input with
        {
            Marketplace = profile.Marketplace,
            Language = language,
            Tone = tone,
            Seed = input.Seed ?? Random.Shared.Next(),
            Fields = fields,
            RequiredKeywords = keywords,
            CompetitorBrands = competitors,
        };
    }

    private static List<string>? Words(string name, IReadOnlyList<string>? values, int max, List<FieldError> errors)
    {
        if (values is null || values.Count == 0)
        {
            return null;
        }

        if (values.Count > max)
        {
            errors.Add(FieldError.Of(name, CopyErrors.TooManyKeywords, max));
            return null;
        }

        var words = new List<string>();
        for (var i = 0; i < values.Count; i++)
        {
            var word = values[i]?.Trim() ?? "";
            if (word.Length > CopyLimits.MaxKeywordLength)
            {
                errors.Add(FieldError.Of($"{name}[{i}]", CopyErrors.KeywordTooLong, CopyLimits.MaxKeywordLength));
            }
            else if (word.Length > 0 && !words.Contains(word, StringComparer.OrdinalIgnoreCase))
            {
                words.Add(word);
            }
        }

        return words.Count == 0 ? null : words;
    }
}
