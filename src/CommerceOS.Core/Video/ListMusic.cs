using CommerceOS.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Core.Video;

/// <summary>A seller's uploaded background music.</summary>
public sealed record MusicSummary(Guid AssetId, string? FileName, long ByteSize, DateTime CreatedAt);

/// <summary>The workspace's background music, newest first (tenant-filtered). Any member.</summary>
public sealed class ListMusic(AppDbContext db)
{
    public const int MaxTracks = 100;

    public async Task<IReadOnlyList<MusicSummary>> HandleAsync(CancellationToken cancellationToken) =>
        await db.Assets.AsNoTracking()
            .Where(a => a.Skill == VideoSkills.Music)
            .OrderByDescending(a => a.CreatedAt)
            .Select(a => new MusicSummary(a.Id, a.OriginalFileName, a.ByteSize, a.CreatedAt))
            .Take(MaxTracks)
            .ToListAsync(cancellationToken);
}
