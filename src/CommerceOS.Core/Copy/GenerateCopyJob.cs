using CommerceOS.Core.Catalog;
using CommerceOS.Core.Common;
using CommerceOS.Core.Data;
using CommerceOS.Core.Jobs;
using CommerceOS.Core.Llm;
using CommerceOS.Core.Translation;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Core.Copy;

/// <summary>
/// Writes one listing copy version (<see cref="RequestCopy"/>): the configured engine writes the text (in the marketplace's
/// own language when the engine cannot write the requested one, then the copy is translated and re-fitted), the validator
/// records what it still breaks, and the version is stored. A retried job finds its version (unique per job) instead of
/// writing a second one. An LLM text that kept breaking rules fails the job and leaves the rules on the copy row.
/// </summary>
public sealed class GenerateCopyJob(AppDbContext db, CopyStore store, ICopyEngine engine, CopyTranslation translation, IEnumerable<ILlmJobUsage> llmUsage) : IJobHandler
{
    public string Kind => RequestCopy.JobKind;

    public async Task<string?> ExecuteAsync(Job job, IProgress<double> progress, CancellationToken cancellationToken)
    {
        var input = CopyJson.Read<CopyJobInput?>(job.InputJson, null)
            ?? throw new JobRejectedException(JobErrors.UnknownKind, $"Job {job.Id} has no input.");
        var product = await db.FindWithDetailsAsync(input.ProductId, cancellationToken)
            ?? throw new JobRejectedException(CommonErrors.NotFound, $"Product {input.ProductId} does not exist.");
        var profile = CopyProfiles.Get(input.Marketplace);
        var language = input.Language ?? profile.SourceLanguage;
        var copy = await store.EnsureAsync(product.WorkspaceId, product.Id, profile.Marketplace, language, cancellationToken);
        if (await store.VersionOfJobAsync(copy.Id, job.Id, cancellationToken) is { } done)
        {
            return Output(copy, done, usage: null);
        }

        if (copy.Locked)
        {
            throw new JobRejectedException(CopyErrors.Locked, "The listing copy was approved and locked after the request.");
        }

        var brand = await store.BrandAsync(product, cancellationToken);
        var writes = engine.Writes(language) ? language : profile.SourceLanguage;
        var current = copy.CurrentVersion > 0 ? await store.VersionAsync(copy.Id, copy.CurrentVersion, cancellationToken) : null;
        // One field can only be regenerated into an existing text; the first text has every field.
        var only = input.Fields is { Count: > 0 } fields && current is not null ? fields : null;
        var request = new CopyRequest(
            product, brand, profile.Marketplace, writes, input.Tone ?? CopyTones.Professional, input.Seed ?? 0,
            input.CompetitorBrands, input.RequiredKeywords, only, job.Id);
        progress.Report(0.1);
        var outcome = await engine.WriteAsync(request, cancellationToken);
        progress.Report(0.6);
        if (outcome.Text is null)
        {
            await store.RecordFailureAsync(copy, job.Id, outcome.Issues, cancellationToken);
            throw new JobRejectedException(CopyErrors.RulesFailed, $"The {outcome.Engine} engine's copy still broke {outcome.Issues.Count} rule(s).");
        }

        var text = outcome.Text;
        var traces = outcome.Traces;
        List<ItemTranslation>? translated = null;
        var engineName = outcome.Engine;
        if (!string.Equals(writes, language, StringComparison.Ordinal))
        {
            var result = await TranslateAsync(text, profile, writes, language, brand, job.Id, cancellationToken);
            text = result.Text;
            translated = [.. result.Items];
            engineName = $"{outcome.Engine}+{result.Engine}";
        }

        if (only is not null)
        {
            // Regenerating one field keeps every other field of the current version as it is, hand edits included.
            var kept = CopyJson.Text(current!);
            foreach (var field in only)
            {
                kept = kept.WithField(field, text);
            }

            traces = [.. CopyJson.Traces(current!).Where(t => !only.Contains(t.Field)), .. traces.Where(t => only.Contains(t.Field))];
            if (translated is not null)
            {
                translated = [.. CopyJson.Translation(current!).Where(t => !only.Contains(t.Field)), .. translated.Where(t => only.Contains(t.Field))];
            }

            text = kept;
        }

        var facts = ProductFacts.From(product, brand);
        var issues = CopyValidator.Validate(text, new CopyCheck(
            profile, facts, brand?.BannedWords, input.CompetitorBrands, input.RequiredKeywords, brand?.Name, translated is null ? traces : null));
        var version = await store.AddVersionAsync(copy, new ListingCopyVersion
        {
            Source = CopySource.Generated,
            Engine = engineName,
            Model = outcome.Model,
            Tone = request.Tone,
            Seed = request.Seed,
            TextJson = CopyJson.Write(text),
            TracesJson = CopyJson.Write(traces),
            IssuesJson = CopyJson.Write(issues),
            TranslationJson = translated is null ? null : CopyJson.Write(translated),
            JobId = job.Id,
            CreatedByUserId = job.CreatedByUserId,
        }, cancellationToken);
        progress.Report(1);
        // Everything the job spent: the copy engine's calls and the translator's, when either is the LLM.
        var usage = llmUsage.Select(u => u.Take(job.Id)).FirstOrDefault(u => u.Calls > 0) ?? outcome.Usage;
        return Output(copy, version, usage);
    }

    private async Task<TranslatedCopy> TranslateAsync(ListingText text, CopyProfile profile, string from, string to, Brand? brand, Guid jobId, CancellationToken cancellationToken)
    {
        try
        {
            return await translation.TranslateAsync(text, profile, from, to, brand, jobId, cancellationToken);
        }
        catch (TranslationProviderException e) when (!e.IsRetryable)
        {
            throw new JobRejectedException(e.Code, e.Message);
        }
        catch (InvalidOperationException e) when (e.Message.StartsWith(CopyErrors.TranslationRefused, StringComparison.Ordinal))
        {
            throw new JobRejectedException(CopyErrors.TranslationRefused, e.Message);
        }
    }

    /// <summary>The job's output: where the version is, what it still breaks, and the LLM's tokens and cost for this job.</summary>
    internal static string Output(ListingCopy copy, ListingCopyVersion version, LlmUsageTotals? usage)
    {
        var issues = CopyJson.Issues(version.IssuesJson);
        return CopyJson.Write(new
        {
            listingCopyId = copy.Id,
            marketplace = copy.Marketplace,
            language = copy.Language,
            version = version.Number,
            engine = version.Engine,
            model = version.Model,
            errors = issues.Count(i => i.Severity == CopyIssueSeverity.Error),
            warnings = issues.Count(i => i.Severity == CopyIssueSeverity.Warning),
            llm = usage is null ? null : new
            {
                calls = usage.Calls,
                inputTokens = usage.InputTokens,
                outputTokens = usage.OutputTokens,
                cost = usage.Cost,
                currency = usage.Currency,
                callsWithoutUsage = usage.CallsWithoutUsage,
            },
        });
    }
}
