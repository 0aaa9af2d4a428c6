using CommerceOS.Core.Billing;
using CommerceOS.Core.Catalog;
using CommerceOS.Core.Common;
using CommerceOS.Core.Data;
using CommerceOS.Core.Jobs;
using CommerceOS.Core.Llm;
using CommerceOS.Core.Translation;
using CommerceOS.Core.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Core.Copy;

/// <param name="SourceVersionId">The version every target is translated from (the approved one, else the newest).</param>
public sealed record TranslateJobInput(Guid ProductId, string Marketplace, string SourceLanguage, Guid SourceVersionId, IReadOnlyList<string> TargetLanguages);

/// <summary>
/// Translates a product's listing copy on one marketplace into other languages: from the approved version of the source
/// language (else its newest), one version per target, each re-fitted to the marketplace's limits. Reserves one unit of
/// the translations meter per target language. Editors and above.
/// </summary>
public sealed class RequestTranslations(AppDbContext db, WorkspaceContext workspace, MeteredJobs metered)
{
    public const string JobKind = "copy.translate";

    public const int MaxTargets = 14;

    public sealed record Request(Guid ProductId, string? Marketplace, string? SourceLanguage, IReadOnlyList<string>? TargetLanguages);

    public async Task<Result<Job>> HandleAsync(Request request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!workspace.Can(WorkspaceRole.Editor))
        {
            return Result.Forbidden();
        }

        if (!await db.Products.AnyAsync(p => p.Id == request.ProductId, cancellationToken))
        {
            return Result.NotFound();
        }

        var errors = new List<FieldError>();
        var profile = CopyProfiles.Find(request.Marketplace?.Trim().ToLowerInvariant());
        if (profile is null)
        {
            return Result.Invalid("marketplace", CopyErrors.MarketplaceUnknown, string.Join(", ", CopyProfiles.Ids));
        }

        var source = string.IsNullOrWhiteSpace(request.SourceLanguage) ? profile.SourceLanguage
            : TranslationLanguages.TryFind(request.SourceLanguage, out var s) ? s.Code : null;
        if (source is null)
        {
            errors.Add(FieldError.Of("sourceLanguage", CopyErrors.LanguageUnknown, string.Join(", ", TranslationLanguages.All.Select(l => l.Code))));
        }

        var targets = new List<string>();
        var requested = request.TargetLanguages ?? [];
        if (requested.Count == 0 || requested.Count > MaxTargets)
        {
            errors.Add(FieldError.Of("targetLanguages", CopyErrors.TargetsRequired, MaxTargets));
        }

        for (var i = 0; i < requested.Count && i < MaxTargets; i++)
        {
            if (!TranslationLanguages.TryFind(requested[i], out var target))
            {
                errors.Add(FieldError.Of($"targetLanguages[{i}]", CopyErrors.LanguageUnknown, string.Join(", ", TranslationLanguages.All.Select(l => l.Code))));
            }
            else if (target.Code == source)
            {
                errors.Add(FieldError.Of($"targetLanguages[{i}]", CopyErrors.SameLanguage));
            }
            else if (!targets.Contains(target.Code))
            {
                targets.Add(target.Code);
            }
        }

        if (errors.Count > 0)
        {
            return Result.Invalid(errors);
        }

        var copies = await db.ListingCopies.AsNoTracking()
            .Where(c => c.ProductId == request.ProductId && c.Marketplace == profile.Marketplace)
            .ToListAsync(cancellationToken);
        var from = copies.FirstOrDefault(c => c.Language == source);
        if (from is null || from.CurrentVersion == 0)
        {
            return Result.Invalid("sourceLanguage", CopyErrors.NoVersion);
        }

        var locked = targets.Where(t => copies.Any(c => c.Language == t && c.Locked)).ToList();
        if (locked.Count > 0)
        {
            return Result.Conflict(locked.Select(t => FieldError.Of("targetLanguages", CopyErrors.Locked, t)).ToList());
        }

        var number = from.ApprovedVersion ?? from.CurrentVersion;
        var versionId = await db.ListingCopyVersions.Where(v => v.ListingCopyId == from.Id && v.Number == number).Select(v => v.Id).FirstAsync(cancellationToken);
        var input = new TranslateJobInput(request.ProductId, profile.Marketplace, source!, versionId, targets);

        return await metered.ScheduleAsync(JobKind, from.WorkspaceId, request.ProductId, input, workspace.UserId, Meters.Translations, targets.Count, cancellationToken);
    }
}

/// <summary>
/// Runs <see cref="RequestTranslations"/>: one translated version per target language, skipping targets an earlier
/// attempt of the same job already stored, so a retry after a crash or a provider hiccup repeats nothing.
/// </summary>
public sealed class TranslateCopyJob(AppDbContext db, CopyStore store, CopyTranslation translation, IEnumerable<ILlmJobUsage> llmUsage) : IJobHandler
{
    public string Kind => RequestTranslations.JobKind;

    public async Task<string?> ExecuteAsync(Job job, IProgress<double> progress, CancellationToken cancellationToken)
    {
        var input = CopyJson.Read<TranslateJobInput?>(job.InputJson, null)
            ?? throw new JobRejectedException(JobErrors.UnknownKind, $"Job {job.Id} has no input.");
        var product = await db.FindWithDetailsAsync(input.ProductId, cancellationToken)
            ?? throw new JobRejectedException(CommonErrors.NotFound, $"Product {input.ProductId} does not exist.");
        var source = await db.ListingCopyVersions.AsNoTracking().FirstOrDefaultAsync(v => v.Id == input.SourceVersionId, cancellationToken)
            ?? throw new JobRejectedException(CopyErrors.NoVersion, "The source version no longer exists.");
        var profile = CopyProfiles.Get(input.Marketplace);
        var brand = await store.BrandAsync(product, cancellationToken);
        var facts = ProductFacts.From(product, brand);
        var text = CopyJson.Text(source);
        var results = new List<object>();
        for (var i = 0; i < input.TargetLanguages.Count; i++)
        {
            var target = input.TargetLanguages[i];
            var copy = await store.EnsureAsync(product.WorkspaceId, product.Id, profile.Marketplace, target, cancellationToken);
            var version = await store.VersionOfJobAsync(copy.Id, job.Id, cancellationToken);
            if (version is null)
            {
                if (copy.Locked)
                {
                    results.Add(new { language = target, locked = true });
                    continue;
                }

                TranslatedCopy translated;
                try
                {
                    translated = await translation.TranslateAsync(text, profile, input.SourceLanguage, target, brand, job.Id, cancellationToken);
                }
                catch (TranslationProviderException e) when (!e.IsRetryable)
                {
                    throw new JobRejectedException(e.Code, e.Message);
                }

                var issues = CopyValidator.Validate(translated.Text, new CopyCheck(profile, facts, brand?.BannedWords, OwnBrand: brand?.Name));
                version = await store.AddVersionAsync(copy, new ListingCopyVersion
                {
                    Source = CopySource.Translated,
                    Engine = translated.Engine,
                    Tone = source.Tone,
                    TextJson = CopyJson.Write(translated.Text),
                    TracesJson = source.TracesJson,
                    IssuesJson = CopyJson.Write(issues),
                    TranslationJson = CopyJson.Write(translated.Items),
                    TranslatedFromVersionId = source.Id,
                    JobId = job.Id,
                    CreatedByUserId = job.CreatedByUserId,
                }, cancellationToken);
            }

            var items = CopyJson.Translation(version);
            results.Add(new
            {
                language = target,
                version = version.Number,
                untranslated = items.Count(t => t.Status == SegmentStatus.Untranslated),
                fromMemory = items.Count(t => t.Status is SegmentStatus.MemoryExact or SegmentStatus.MemoryFuzzy),
                segments = items.Count,
            });
            progress.Report((i + 1) / (double)input.TargetLanguages.Count);
        }

        var usage = llmUsage.Select(u => u.Take(job.Id)).FirstOrDefault(u => u.Calls > 0);
        return CopyJson.Write(new
        {
            marketplace = profile.Marketplace,
            sourceVersionId = source.Id,
            targets = results,
            llm = usage is null ? null : new { calls = usage.Calls, inputTokens = usage.InputTokens, outputTokens = usage.OutputTokens, cost = usage.Cost, currency = usage.Currency },
        });
    }
}
