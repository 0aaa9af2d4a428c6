using CommerceOS.Core.Common;
using CommerceOS.Core.Data;
using CommerceOS.Core.Jobs;
using CommerceOS.Core.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Core.Generation;

/// <summary>One generated image in the studio gallery.</summary>
/// <param name="ThumbnailReady">False until the thumbnail job has run.</param>
public sealed record StudioImage(
    Guid AssetId,
    string Skill,
    string? Marketplace,
    string? OutputKey,
    int Width,
    int Height,
    string ContentType,
    long ByteSize,
    bool ThumbnailReady,
    bool Watermarked,
    Guid? SourceAssetId,
    Guid? JobId,
    ImageProvenance? Provenance,
    Marketplaces.ComplianceReport? Compliance,
    DateTime CreatedAt);

/// <summary>An Image Studio job of the product, for the progress list.</summary>
public sealed record StudioJob(Guid JobId, string? Skill, JobStatus Status, double Progress, string? ErrorCode, DateTime CreatedAt);

/// <summary>
/// The product's generated images, newest first, and its recent studio jobs. Any member; another
/// workspace's product is NotFound.
/// </summary>
public sealed class ListProductImages(AppDbContext db, WorkspaceContext workspace)
{
    public const int MaxImages = 500;

    public const int RecentJobs = 20;

    public sealed record Response(IReadOnlyList<StudioImage> Images, IReadOnlyList<StudioJob> Jobs);

    public async Task<Result<Response>> HandleAsync(Guid productId, CancellationToken cancellationToken)
    {
        if (!workspace.Can(WorkspaceRole.Viewer))
        {
            return Result.Forbidden();
        }

        if (!await db.Products.AnyAsync(p => p.Id == productId, cancellationToken))
        {
            return Result.NotFound();
        }

        var assets = await db.Assets.AsNoTracking()
            .Where(a => a.ProductId == productId && a.Skill != null && ImageSkills.All.Contains(a.Skill))
            .OrderByDescending(a => a.CreatedAt).ThenByDescending(a => a.Id)
            .Take(MaxImages)
            .ToListAsync(cancellationToken);
        var images = assets.Select(a => new StudioImage(
            a.Id,
            a.Skill!,
            a.Marketplace,
            a.OutputKey,
            a.Width,
            a.Height,
            a.ContentType,
            a.ByteSize,
            a.ThumbnailBlobKey is not null,
            GenerateImagesJob.IsWatermarked(GenerationJson.Provenance(a)),
            a.SourceAssetId,
            a.JobId,
            GenerationJson.Provenance(a),
            GenerationJson.Compliance(a),
            a.CreatedAt)).ToList();

        var jobs = await db.Jobs.AsNoTracking()
            .Where(j => j.Kind == RequestImages.JobKind && j.SubjectId == productId)
            .OrderByDescending(j => j.CreatedAt).ThenByDescending(j => j.Id)
            .Take(RecentJobs)
            .ToListAsync(cancellationToken);
        var studioJobs = jobs.Select(j => new StudioJob(j.Id, SkillOf(j), j.Status, j.Progress, ErrorCodes.Of(j.LastError), j.CreatedAt)).ToList();
        return new Response(images, studioJobs);
    }

    private static string? SkillOf(Job job)
    {
        try
        {
            return System.Text.Json.JsonSerializer.Deserialize<ImageJobInput>(job.InputJson ?? "null", GenerationJson.Options) is { } input
                ? ImageSkills.Id(input.Skill)
                : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
