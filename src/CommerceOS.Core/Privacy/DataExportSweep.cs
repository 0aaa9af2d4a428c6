using CommerceOS.Core.Assets;
using CommerceOS.Core.Data;
using CommerceOS.Core.Jobs;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CommerceOS.Core.Privacy;

/// <summary>
/// Deletes the archive of every export that was downloaded or whose link expired (privacy policy section 5: kept no longer
/// than needed), hourly: the blob goes, the token hash goes, a ready export past its time becomes Expired, and the row keeps
/// only its status and timestamps. A re-run finds nothing more to do.
/// </summary>
public sealed class DataExportSweep(IServiceScopeFactory scopes, TimeProvider time) : IRecurringSweep
{
    public const string SweepId = "privacy-export-purge";

    public void Register(IRecurringJobManager recurring)
    {
        ArgumentNullException.ThrowIfNull(recurring);
        recurring.AddOrUpdate<DataExportSweep>(SweepId, s => s.RunAsync(CancellationToken.None), Cron.Hourly(23), new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });
    }

    /// <returns>The archives deleted.</returns>
    [AutomaticRetry(Attempts = 0, OnAttemptsExceeded = AttemptsExceededAction.Delete)]
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var blobs = scope.ServiceProvider.GetRequiredService<IBlobStore>();
        var due = await db.PersonalDataExports
            .Where(e => e.BlobKey != null && (e.DownloadedAt != null || e.ExpiresAt <= now))
            .ToListAsync(cancellationToken);
        foreach (var export in due)
        {
            await blobs.DeleteAsync(export.BlobKey!, cancellationToken);
            export.BlobKey = null;
            export.TokenHash = null;
            export.PurgedAt = now;
            if (export.Status == DataExportStatus.Ready)
            {
                export.Status = DataExportStatus.Expired;
            }

            await db.SaveChangesAsync(cancellationToken);
        }

        return due.Count;
    }
}
