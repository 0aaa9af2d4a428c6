using CommerceOS.Core.Data;
using CommerceOS.Core.Jobs;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CommerceOS.Core.Assets;

/// <summary>
/// Privacy policy 5: deletes uploads whose <see cref="Asset.LastUsedAt"/> is older than <see cref="AssetsOptions.UploadRetention"/>,
/// daily, in batches across all workspaces. Per upload: its file and thumbnail (each only when no other asset row still uses
/// the content-addressed key), then the row, whose product photo links go with it (cascade) and whose brand logo
/// references are cleared (set null); generated images made from it stay, with <see cref="Asset.SourceAssetId"/> cleared.
/// <para>
/// Files go before rows: a crash in between leaves rows the next run deletes (deleting a missing file is no error), never
/// files no row points at. Every delete re-checks that the upload is still unused, so one used meanwhile keeps its row.
/// A re-run deletes nothing more. Only counts are logged.
/// </para>
/// </summary>
public sealed class UploadRetentionSweep(
    IServiceScopeFactory scopes, IOptions<AssetsOptions> options, TimeProvider time, ILogger<UploadRetentionSweep> logger)
    : RetentionSweep<UploadRetentionSweep>(SweepId, Cron.Daily(3, 15), scopes, time, logger)
{
    public const string SweepId = "privacy-upload-retention";

    /// <summary>Uploads handled per batch (one transaction each).</summary>
    public const int BatchSize = 500;

    protected override TimeSpan Window => options.Value.UploadRetention;

    protected override async Task<int> PurgeAsync(IServiceProvider services, DateTime before, CancellationToken cancellationToken)
    {
        var db = services.GetRequiredService<AppDbContext>();
        var blobs = services.GetRequiredService<IBlobStore>();
        var deleted = 0;
        while (true)
        {
            var (rows, batch) = await PurgeBatchAsync(db, blobs, before, cancellationToken);
            deleted += rows;
            if (batch < BatchSize || rows == 0)
            {
                return deleted;
            }
        }
    }

    private static async Task<(int Rows, int Batch)> PurgeBatchAsync(AppDbContext db, IBlobStore blobs, DateTime before, CancellationToken cancellationToken)
    {
        var stale = await Stale(db, before)
            .OrderBy(a => a.LastUsedAt).ThenBy(a => a.Id)
            .Select(a => new { a.Id, a.BlobKey, a.ThumbnailBlobKey })
            .Take(BatchSize)
            .ToListAsync(cancellationToken);
        if (stale.Count == 0)
        {
            return (0, 0);
        }

        var ids = stale.ConvertAll(a => a.Id);
        var keys = stale.SelectMany(a => new[] { a.BlobKey, a.ThumbnailBlobKey }).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        var stillUsed = await AllAssets(db)
            .Where(a => !ids.Contains(a.Id) && (keys.Contains(a.BlobKey) || (a.ThumbnailBlobKey != null && keys.Contains(a.ThumbnailBlobKey))))
            .Select(a => new { a.BlobKey, a.ThumbnailBlobKey })
            .ToListAsync(cancellationToken);
        var kept = stillUsed.SelectMany(a => new[] { a.BlobKey, a.ThumbnailBlobKey }).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var doomedKeys = keys.Where(k => !kept.Contains(k)).ToList();
        foreach (var key in doomedKeys)
        {
            await blobs.DeleteAsync(key, cancellationToken);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

        // Product photo links cascade and brand logos are set null by the database with the row.
        var rows = await Stale(db, before).Where(a => ids.Contains(a.Id)).ExecuteDeleteAsync(cancellationToken);

        // What was made from a deleted upload stays; its "made from" reference no longer points anywhere.
        await AllAssets(db)
            .Where(a => a.SourceAssetId != null && ids.Contains(a.SourceAssetId.Value) && !AllAssets(db).Any(s => s.Id == a.SourceAssetId))
            .ExecuteUpdateAsync(set => set.SetProperty(a => a.SourceAssetId, (Guid?)null), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (rows, stale.Count);
    }

    private static IQueryable<Asset> Stale(AppDbContext db, DateTime before) =>
        AllAssets(db).Where(a => a.Kind == AssetKind.Upload && a.LastUsedAt < before);

#pragma warning disable RS0030 // System sweep across all workspaces: every statement addresses rows by id, or by content-addressed keys that carry the workspace.
    private static IQueryable<Asset> AllAssets(AppDbContext db) => db.Assets.IgnoreQueryFilters();
#pragma warning restore RS0030
}
