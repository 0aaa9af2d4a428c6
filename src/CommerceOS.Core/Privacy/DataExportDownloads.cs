using System.Linq.Expressions;
using CommerceOS.Core.Accounts;
using CommerceOS.Core.Assets;
using CommerceOS.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Core.Privacy;

public sealed record DataExportSummary(
    Guid Id, DataExportStatus Status, Guid? JobId, DateTime RequestedAt, DateTime? ReadyAt, DateTime? ExpiresAt, DateTime? DownloadedAt, long ByteSize, int FileCount)
{
    /// <summary>Whether the archive can still be downloaded at <paramref name="now"/>.</summary>
    public bool Downloadable(DateTime now) => Status == DataExportStatus.Ready && ExpiresAt > now;
}

/// <summary>An archive handed out: its stream (the file result that sends it disposes it) and when it was made, for the file name.</summary>
public sealed record DataExportDownload(Guid ExportId, DateTime ReadyAt, Stream Content)
{
    public string FileName => $"commerceos-data-{ReadyAt:yyyy-MM-dd}.zip";
}

/// <summary>
/// The user's exports and their single-use download, by the e-mailed token or (for the owner's signed-in page and API) by id.
/// A download is consumed atomically before the first byte (one guarded UPDATE: the owner's, ready, not downloaded, not
/// expired), so two concurrent requests cannot both get it; a second use, an expired link, another user's export or an
/// unknown one gets nothing.
/// </summary>
public sealed class DataExportDownloads(AppDbContext db, IBlobStore blobs, AuditLog audit, TimeProvider time)
{
    public const int ListSize = 10;

    public Task<List<DataExportSummary>> ListAsync(Guid userId, CancellationToken cancellationToken) =>
        db.PersonalDataExports.AsNoTracking()
            .Where(e => e.UserId == userId)
            .OrderByDescending(e => e.RequestedAt).ThenByDescending(e => e.Id)
            .Take(ListSize)
            .Select(e => new DataExportSummary(e.Id, e.Status, e.JobId, e.RequestedAt, e.ReadyAt, e.ExpiresAt, e.DownloadedAt, e.ByteSize, e.FileCount))
            .ToListAsync(cancellationToken);

    public Task<bool> ExistsAsync(Guid userId, Guid exportId, CancellationToken cancellationToken) =>
        db.PersonalDataExports.AnyAsync(e => e.Id == exportId && e.UserId == userId, cancellationToken);

    public Task<DataExportDownload?> ByTokenAsync(Guid userId, string token, string? ipAddress, string? userAgent, CancellationToken cancellationToken)
    {
        var hash = DataExportJob.HashToken(token);
        return ConsumeAsync(userId, e => e.TokenHash == hash, ipAddress, userAgent, cancellationToken);
    }

    public Task<DataExportDownload?> ByIdAsync(Guid userId, Guid exportId, string? ipAddress, string? userAgent, CancellationToken cancellationToken) =>
        ConsumeAsync(userId, e => e.Id == exportId, ipAddress, userAgent, cancellationToken);

    private async Task<DataExportDownload?> ConsumeAsync(
        Guid userId, Expression<Func<PersonalDataExport, bool>> which, string? ipAddress, string? userAgent, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var row = await db.PersonalDataExports.AsNoTracking().Where(which)
            .Where(e => e.UserId == userId && e.Status == DataExportStatus.Ready && e.BlobKey != null)
            .Select(e => new { e.Id, e.BlobKey, e.ReadyAt })
            .SingleOrDefaultAsync(cancellationToken);
        if (row is null)
        {
            return null;
        }

        var consumed = await db.PersonalDataExports
            .Where(e => e.Id == row.Id && e.UserId == userId && e.Status == DataExportStatus.Ready && e.DownloadedAt == null && e.ExpiresAt > now && e.BlobKey != null)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.Status, DataExportStatus.Downloaded).SetProperty(e => e.DownloadedAt, now), cancellationToken);
        if (consumed == 0)
        {
            return null;
        }

        await audit.RecordAsync(AuditActions.PrivacyExportDownloaded, AuditOutcomes.Success, userId, null, row.Id.ToString(), ipAddress, userAgent, cancellationToken);
        var content = await blobs.OpenReadAsync(row.BlobKey!, cancellationToken);
        return content is null ? null : new DataExportDownload(row.Id, row.ReadyAt ?? now, content);
    }
}
