using System.Text.Json;
using CommerceOS.Core.Copy;
using CommerceOS.Core.Data;
using CommerceOS.Core.Generation;
using CommerceOS.Core.Jobs;
using CommerceOS.Core.Marketplaces;
using CommerceOS.Core.Seo;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Core.Workflows;

internal static class WorkflowStepJobKinds
{
    public const string Seo = "workflow.seo";
    public const string Compliance = "workflow.compliance";
    public const string Export = "workflow.export";

    public static WorkflowStepJobInput Input(Job job) =>
        JsonSerializer.Deserialize<WorkflowStepJobInput>(job.InputJson ?? "null", WorkflowJson.Options)
            ?? throw new JobRejectedException(WorkflowErrors.StepUnknown, "The step job has no input.");
}

/// <summary>What the SEO step stores: the ranked keywords, the marketplace's keyword field and the listing's score.</summary>
public sealed record SeoStepOutput(string Marketplace, IReadOnlyList<string> Keywords, string? KeywordField, string KeywordValue, int Score, IReadOnlyList<string> FailedRules);

/// <summary>The SEO step: the product's keywords for the marketplace and the score of its listing copy (the SEO report's figures).</summary>
internal sealed class SeoStepJob(GetProductSeo seo) : IJobHandler
{
    /// <summary>The report's JSON-LD wants an origin for image URLs; the step keeps no JSON-LD, so any absolute origin does.</summary>
    private static readonly Uri ImageOrigin = new("https://localhost/");

    private const int DefaultKeywords = 20;

    public string Kind => WorkflowStepJobKinds.Seo;

    public async Task<string?> ExecuteAsync(Job job, IProgress<double> progress, CancellationToken cancellationToken)
    {
        var input = WorkflowStepJobKinds.Input(job);
        var result = await seo.HandleAsync(new GetProductSeo.Request(input.ProductId, input.Marketplace, ImageOrigin), cancellationToken);
        if (!result.IsSuccess)
        {
            var error = result.Errors.Count > 0 ? result.Errors[0].Code : WorkflowErrors.ProductNotFound;
            throw new JobRejectedException(error, "The SEO report was refused.");
        }

        var report = result.Value;
        var output = new SeoStepOutput(
            report.Marketplace,
            [.. report.Keywords.Take(DefaultKeywords).Select(k => k.Text)],
            report.KeywordSet.Field,
            report.KeywordSet.Value,
            report.Score.Score,
            [.. report.Score.Rules.Where(r => !r.Passed).Select(r => r.RuleId)]);
        return JsonSerializer.Serialize(output, WorkflowJson.Options);
    }
}

/// <summary>
/// The compliance step: gathers what the run's earlier steps found for this marketplace, the main-image checker's report on
/// each image and the copy validator's issues on each text, into one list. Blocking problems do not fail the run (the
/// seller may still want the kit); they fail the check, which the batch report counts.
/// </summary>
internal sealed class ComplianceStepJob(AppDbContext db) : IJobHandler
{
    public string Kind => WorkflowStepJobKinds.Compliance;

    public async Task<string?> ExecuteAsync(Job job, IProgress<double> progress, CancellationToken cancellationToken)
    {
        var input = WorkflowStepJobKinds.Input(job);
        var jobIds = await db.WorkflowSteps.AsNoTracking()
            .Where(s => s.RunId == input.RunId && s.Status == WorkflowStepStatus.Succeeded && s.JobId != null
                && (s.Marketplace == null || s.Marketplace == input.Marketplace))
            .Select(s => s.JobId!.Value)
            .ToListAsync(cancellationToken);

        var problems = new List<ComplianceProblem>();
        var images = await db.Assets.AsNoTracking()
            .Where(a => a.JobId != null && jobIds.Contains(a.JobId.Value) && a.ComplianceJson != null)
            .OrderBy(a => a.CreatedAt).ThenBy(a => a.Id)
            .Select(a => new { a.Id, a.ComplianceJson })
            .ToListAsync(cancellationToken);
        foreach (var image in images)
        {
            var report = JsonSerializer.Deserialize<ComplianceReport>(image.ComplianceJson!, GenerationJson.Options);
            if (report is null || (input.Marketplace is not null && report.Marketplace != input.Marketplace))
            {
                continue;
            }

            problems.AddRange(report.Rules.Where(r => !r.Passed).Select(r => new ComplianceProblem(
                "image", image.Id.ToString(), r.Kind, r.Severity == RuleSeverity.Error ? "error" : "warning",
                [.. new[] { r.MeasuredText ?? r.Measured?.ToString(System.Globalization.CultureInfo.InvariantCulture) }.OfType<string>()])));
        }

        var versions = await db.ListingCopyVersions.AsNoTracking()
            .Where(v => v.JobId != null && jobIds.Contains(v.JobId.Value))
            .OrderBy(v => v.Number)
            .Select(v => v.IssuesJson)
            .ToListAsync(cancellationToken);
        foreach (var issue in versions.SelectMany(CopyJson.Issues))
        {
            problems.Add(new ComplianceProblem(
                "copy", issue.Index > 0 ? $"{issue.Field}[{issue.Index}]" : issue.Field, issue.RuleId,
                issue.Severity == CopyIssueSeverity.Error ? "error" : "warning", issue.Args));
        }

        var blocking = problems.Count(p => p.Severity == "error");
        return JsonSerializer.Serialize(new ComplianceStepOutput(blocking == 0, blocking, problems.Count - blocking, problems), WorkflowJson.Options);
    }
}
