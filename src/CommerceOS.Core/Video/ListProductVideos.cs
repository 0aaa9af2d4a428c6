using System.Text.Json;
using CommerceOS.Core.Common;
using CommerceOS.Core.Data;
using CommerceOS.Core.Generation;
using CommerceOS.Core.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Core.Video;

/// <summary>A video with what was made alongside it, as the studio and the API show it.</summary>
/// <param name="Template">The template id from the provenance.</param>
/// <param name="Channels">The file checked against each channel's video rules.</param>
public sealed record VideoSummary(
    Guid AssetId,
    Guid? JobId,
    string Format,
    string Template,
    int Width,
    int Height,
    long ByteSize,
    string Engine,
    string? Model,
    Guid? CoverAssetId,
    Guid? SrtAssetId,
    Guid? VttAssetId,
    IReadOnlyList<VideoChannelReport> Channels,
    DateTime CreatedAt,
    IReadOnlyList<VideoChannelCopy> Copies);

/// <summary>A smaller copy made for a channel whose frame or file size limit the video breaks.</summary>
public sealed record VideoChannelCopy(Guid AssetId, string Marketplace, int Width, int Height, long ByteSize, bool Passes);

/// <summary>A product's videos, newest first. Any member.</summary>
public sealed class ListProductVideos(AppDbContext db, WorkspaceContext workspace)
{
    public const int MaxVideos = 100;

    public async Task<Result<IReadOnlyList<VideoSummary>>> HandleAsync(Guid productId, CancellationToken cancellationToken)
    {
        if (!workspace.Can(WorkspaceRole.Viewer))
        {
            return Result.Forbidden();
        }

        if (!await db.Products.AnyAsync(p => p.Id == productId, cancellationToken))
        {
            return Result.NotFound();
        }

        var videos = await db.Assets.AsNoTracking()
            .Where(a => a.ProductId == productId && a.Skill == VideoSkills.Video)
            .OrderByDescending(a => a.CreatedAt)
            .Take(MaxVideos)
            .ToListAsync(cancellationToken);
        var ids = videos.Select(v => v.Id).ToList();
        var companions = await db.Assets.AsNoTracking()
            .Where(a => a.SourceAssetId != null && ids.Contains(a.SourceAssetId.Value)
                && (a.Skill == VideoSkills.Cover || a.Skill == VideoSkills.Subtitles || a.Skill == VideoSkills.ChannelCopy))
            .Select(a => new { a.Id, a.SourceAssetId, a.Skill, a.ContentType, a.Marketplace, a.Width, a.Height, a.ByteSize, a.ComplianceJson })
            .ToListAsync(cancellationToken);
        return videos.Select(v =>
        {
            var mine = companions.Where(c => c.SourceAssetId == v.Id).ToList();
            var provenance = GenerationJson.Provenance(v);
            return new VideoSummary(
                v.Id,
                v.JobId,
                v.OutputKey ?? "",
                provenance?.Parameters.GetValueOrDefault("template") ?? "",
                v.Width,
                v.Height,
                v.ByteSize,
                v.Source,
                provenance?.Model,
                mine.FirstOrDefault(c => c.Skill == VideoSkills.Cover)?.Id,
                mine.FirstOrDefault(c => c.ContentType == "application/x-subrip")?.Id,
                mine.FirstOrDefault(c => c.ContentType == "text/vtt")?.Id,
                Channels(v.ComplianceJson),
                v.CreatedAt,
                [.. mine.Where(c => c.Skill == VideoSkills.ChannelCopy).Select(c => new VideoChannelCopy(
                    c.Id, c.Marketplace ?? "", c.Width, c.Height, c.ByteSize, Channels(c.ComplianceJson).TrueForAll(r => r.Passes)))]);
        }).ToList();
    }

    /// <summary>The channel reports stored on a video asset; none when absent or unreadable.</summary>
    internal static List<VideoChannelReport> Channels(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return [];
        }

        try
        {
            return JsonSerializer.Deserialize<List<VideoChannelReport>>(json, GenerationJson.Options) ?? [];
        }
        catch (JsonException)
        {
            return [];
        }
    }
}
