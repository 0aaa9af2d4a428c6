using CommerceOS.Core.Accounts;
using CommerceOS.Core.Data;
using CommerceOS.Core.Email;
using CommerceOS.Core.Jobs;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CommerceOS.Core.Privacy;

/// <summary>Configuration section <c>LegalNotices</c>.</summary>
public sealed class LegalNoticeOptions
{
    public const string Section = "LegalNotices";

    /// <summary>How often the sweep looks for material changes whose notices are not all sent (UTC cron).</summary>
    public string SweepCron { get; set; } = "*/5 * * * *";

    /// <summary>Users claimed and e-mailed per batch.</summary>
    public int BatchSize { get; set; } = 500;

    /// <summary>How long a run owns a version's delivery without renewing (a crashed run's lease runs out).</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(10);
}

/// <summary>
/// Sends the change notice of a material change of the privacy policy or the terms: exactly one e-mail per active user
/// (not terminated, e-mail address confirmed, signed up before the version was published), in their language.
/// This is system work, not a workspace's, so it is not a <see cref="Job"/>: publishing hands the version id to Hangfire
/// after its commit, and a recurring sweep delivers every material version whose notices are not all sent (a lost
/// hand-over, a crash, a mail outage). Exactly once across retries and crashes: one run at a time per version (a lease
/// on the version row); a <see cref="LegalNotice"/> row per (version, user), unique, is inserted (claimed) before the
/// e-mail and marked sent after it; a claimed row left unsent by a crash is sent again with the same idempotency key, so
/// a message already handed over before the crash is dropped by the sender. Users are processed in batches.
/// </summary>
public sealed partial class LegalNoticeDelivery(
    IServiceScopeFactory scopes,
    IEmailSender email,
    AccountLinks links,
    IOptions<LegalNoticeOptions> options,
    TimeProvider time,
    ILogger<LegalNoticeDelivery> logger) : IRecurringSweep
{
    public const string SweepId = "privacy-legal-notices";

    public void Register(IRecurringJobManager recurring)
    {
        ArgumentNullException.ThrowIfNull(recurring);
        recurring.AddOrUpdate<LegalNoticeDelivery>(SweepId, d => d.RunAsync(CancellationToken.None), options.Value.SweepCron, new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });
    }

    /// <summary>Delivers every material change with notices outstanding; returns the e-mails sent.</summary>
    [AutomaticRetry(Attempts = 0, OnAttemptsExceeded = AttemptsExceededAction.Delete)]
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        List<Guid> pending;
        await using (var scope = scopes.CreateAsyncScope())
        {
            pending = await scope.ServiceProvider.GetRequiredService<AppDbContext>().LegalDocumentVersions.AsNoTracking()
                .Where(v => v.MaterialChange && v.NoticesCompletedAt == null)
                .OrderBy(v => v.PublishedAt).Select(v => v.Id).ToListAsync(cancellationToken);
        }

        var sent = 0;
        foreach (var versionId in pending)
        {
            sent += await DeliverAsync(versionId, cancellationToken);
        }

        return sent;
    }

    /// <summary>Delivers one version's notices; returns the e-mails sent (0 when done already or another run holds it).</summary>
    [AutomaticRetry(Attempts = 0, OnAttemptsExceeded = AttemptsExceededAction.Delete)]
    public async Task<int> DeliverAsync(Guid versionId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var run = Guid.NewGuid();
        if (!await LeaseAsync(db, versionId, run, take: true, cancellationToken))
        {
            return 0;
        }

        var sent = 0;
        try
        {
            var version = await db.LegalDocumentVersions.AsNoTracking().SingleAsync(v => v.Id == versionId, cancellationToken);
            var batch = Math.Max(options.Value.BatchSize, 1);
            while (true)
            {
                if (!await LeaseAsync(db, versionId, run, take: false, cancellationToken))
                {
                    // The lease ran out and another run took over: it carries on from the rows.
                    return sent;
                }

                var unsent = await db.LegalNotices.AsNoTracking()
                    .Where(n => n.VersionId == versionId && n.SentAt == null)
                    .Join(db.Users, n => n.UserId, u => u.Id, (n, u) => new { n.Id, n.UserId, u.Email, u.DisplayName, u.PreferredLanguage })
                    .OrderBy(n => n.Id).Take(batch).ToListAsync(cancellationToken);
                if (unsent.Count == 0)
                {
                    if (await ClaimAsync(db, version, batch, cancellationToken) == 0)
                    {
                        break;
                    }

                    continue;
                }

                foreach (var notice in unsent)
                {
                    await email.SendAsync(EmailTemplates.LegalChange(notice.Email!, notice.PreferredLanguage, notice.DisplayName, version.Document,
                        version.Version, version.SummaryEnglish ?? "", version.SummaryChinese ?? "", links.LegalDocument(version.Document))
                        with { IdempotencyKey = LegalNotice.IdempotencyKey(versionId, notice.UserId) }, cancellationToken);
                    var now = time.GetUtcNow().UtcDateTime;
                    await db.LegalNotices.Where(n => n.Id == notice.Id).ExecuteUpdateAsync(s => s.SetProperty(n => n.SentAt, now), cancellationToken);
                    sent++;
                }
            }

            var done = time.GetUtcNow().UtcDateTime;
            await db.LegalDocumentVersions.Where(v => v.Id == versionId && v.NoticeLeaseOwner == run)
                .ExecuteUpdateAsync(s => s.SetProperty(v => v.NoticesCompletedAt, done), cancellationToken);
            LogDelivered(versionId, sent);
            return sent;
        }
        finally
        {
            // Best effort: a run that crashed outright leaves the lease to run out instead.
            await db.LegalDocumentVersions.Where(v => v.Id == versionId && v.NoticeLeaseOwner == run)
                .ExecuteUpdateAsync(s => s.SetProperty(v => v.NoticeLeaseOwner, (Guid?)null).SetProperty(v => v.NoticeLeaseUntil, (DateTime?)null), CancellationToken.None);
        }
    }

    /// <summary>Takes (or renews) the version's delivery lease for this run; false when another run holds it or it is done.</summary>
    private async Task<bool> LeaseAsync(AppDbContext db, Guid versionId, Guid run, bool take, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var until = now + options.Value.Lease;
        var query = db.LegalDocumentVersions.Where(v => v.Id == versionId && v.MaterialChange && v.NoticesCompletedAt == null);
        query = take
            ? query.Where(v => v.NoticeLeaseUntil == null || v.NoticeLeaseUntil < now)
            : query.Where(v => v.NoticeLeaseOwner == run);
        return await query.ExecuteUpdateAsync(s => s.SetProperty(v => v.NoticeLeaseUntil, until).SetProperty(v => v.NoticeLeaseOwner, run), cancellationToken) == 1;
    }

    /// <summary>Claims the next users who have no notice of this version yet; returns how many.</summary>
    private async Task<int> ClaimAsync(AppDbContext db, LegalDocumentVersion version, int batch, CancellationToken cancellationToken)
    {
        var users = await db.Users.AsNoTracking()
            .Where(u => u.TerminatedAt == null && u.EmailConfirmed && u.CreatedAt < version.PublishedAt
                && !db.LegalNotices.Any(n => n.VersionId == version.Id && n.UserId == u.Id))
            .OrderBy(u => u.Id).Select(u => u.Id).Take(batch).ToListAsync(cancellationToken);
        if (users.Count == 0)
        {
            return 0;
        }

        var now = time.GetUtcNow().UtcDateTime;
        db.LegalNotices.AddRange(users.Select(id => new LegalNotice { VersionId = version.Id, UserId = id, ClaimedAt = now }));
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return users.Count;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Legal change notices of version {VersionId} delivered: {Sent} sent in this run")]
    private partial void LogDelivered(Guid versionId, int sent);
}
