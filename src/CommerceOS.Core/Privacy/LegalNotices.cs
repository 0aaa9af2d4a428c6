using CommerceOS.Core.Accounts;
using CommerceOS.Core.Common;
using CommerceOS.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Core.Privacy;

/// <summary>A material change the user has not acknowledged yet, as the banner shows it.</summary>
public sealed record PendingLegalNotice(Guid VersionId, string Document, string Version, string? SummaryEnglish, string? SummaryChinese, DateTime PublishedAt);

/// <summary>
/// The in-app side of a material change: until the user has accepted a version that covers the latest material change
/// of a document (at sign-up or by acknowledging it), every page shows the change. Continued use is acceptance under the
/// policy, so nothing is locked; acknowledging records the explicit acceptance (a <see cref="ConsentRecord"/> of that
/// version) and audits it.
/// </summary>
public sealed class LegalNotices(AppDbContext db, LegalVersions versions, AuditLog audit, TimeProvider time)
{
    public async Task<IReadOnlyList<PendingLegalNotice>> PendingAsync(Guid userId, CancellationToken cancellationToken)
    {
        var catalog = await versions.GetAsync(cancellationToken);
        var changed = LegalDocuments.All.Where(d => catalog.LatestMaterial(d) is not null).ToList();
        if (changed.Count == 0)
        {
            return [];
        }

        var privacy = catalog.CoveringVersions(LegalDocuments.Privacy);
        var terms = catalog.CoveringVersions(LegalDocuments.Terms);
        var accepted = await db.ConsentRecords.AsNoTracking()
            .Where(c => c.UserId == userId && c.Granted
                && ((c.Purpose == LegalDocuments.Privacy && privacy.Contains(c.Version)) || (c.Purpose == LegalDocuments.Terms && terms.Contains(c.Version))))
            .Select(c => c.Purpose).Distinct().ToListAsync(cancellationToken);
        var pendingIds = changed.Where(d => !accepted.Contains(d)).Select(d => catalog.LatestMaterial(d)!.Id!.Value).ToList();
        if (pendingIds.Count == 0)
        {
            return [];
        }

        return await db.LegalDocumentVersions.AsNoTracking()
            .Where(v => pendingIds.Contains(v.Id))
            .OrderBy(v => v.PublishedAt)
            .Select(v => new PendingLegalNotice(v.Id, v.Document, v.Version, v.SummaryEnglish, v.SummaryChinese, v.PublishedAt))
            .ToListAsync(cancellationToken);
    }

    /// <summary>Records the user's acknowledgement of a pending material change; anything else is refused and changes nothing.</summary>
    public async Task<Result> AcknowledgeAsync(Guid userId, Guid versionId, string? ipAddress, CancellationToken cancellationToken)
    {
        if ((await PendingAsync(userId, cancellationToken)).FirstOrDefault(n => n.VersionId == versionId) is not { } notice)
        {
            return Result.Conflict("versionId", LegalErrors.NoticeNotPending);
        }

        db.ConsentRecords.Add(new ConsentRecord { UserId = userId, Purpose = notice.Document, Version = notice.Version, Granted = true, RecordedAt = time.GetUtcNow().UtcDateTime });
        audit.Add(AuditActions.LegalNoticeAcknowledge, AuditOutcomes.Success, userId, null, $"{notice.Document}:{notice.Version}", ipAddress: ipAddress);
        await db.SaveChangesAsync(cancellationToken);
        return Result.Ok();
    }
}
