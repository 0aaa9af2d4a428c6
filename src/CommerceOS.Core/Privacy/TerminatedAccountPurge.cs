using System.Reflection;
using CommerceOS.Core.Accounts;
using CommerceOS.Core.Assets;
using CommerceOS.Core.Billing;
using CommerceOS.Core.Data;
using CommerceOS.Core.Jobs;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CommerceOS.Core.Privacy;

/// <summary>
/// The daily purge of closed accounts (privacy policy 5: generated content is kept 30 days after termination, then
/// erased). For each workspace closed longer than <see cref="ErasureOptions.TerminatedContentRetention"/> ago: Hangfire's
/// records of its jobs, then every blob under its scope (originals, generated images, thumbnails, videos, music), then in
/// one transaction every row of every table that names it, found from the EF model (a non-nullable <c>…WorkspaceId</c>
/// column: the row is deleted; a nullable one: the reference is cleared), and the workspace itself. Blobs go before rows,
/// so a crash in between leaves rows the next run removes, never files nothing points to. For each account closed as long:
/// every row naming the user the same way (<c>…UserId</c> columns), audit entries kept without the user, address or browser,
/// and the user row. The exception is <see cref="Invoice"/>: kept for the statutory period with the legal minimum only (see
/// <see cref="StripInvoicesAsync"/>). Idempotent: a second run finds nothing and deletes 0.
/// </summary>
public sealed class TerminatedAccountPurge(IServiceScopeFactory scopes, IOptions<ErasureOptions> options, TimeProvider time) : IRecurringSweep
{
    public const string SweepId = "privacy-terminated-account-purge";

    private static readonly MethodInfo DeleteRowsMethod = typeof(TerminatedAccountPurge).GetMethod(nameof(DeleteRowsAsync), BindingFlags.NonPublic | BindingFlags.Static)!;
    private static readonly MethodInfo ClearColumnMethod = typeof(TerminatedAccountPurge).GetMethod(nameof(ClearColumnAsync), BindingFlags.NonPublic | BindingFlags.Static)!;

    public void Register(IRecurringJobManager recurring)
    {
        ArgumentNullException.ThrowIfNull(recurring);
        recurring.AddOrUpdate<TerminatedAccountPurge>(SweepId, s => s.RunAsync(CancellationToken.None), Cron.Daily(4), new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });
    }

    /// <returns>Rows deleted or cleared plus blobs and Hangfire jobs removed; 0 when there was nothing to purge.</returns>
    [AutomaticRetry(Attempts = 0, OnAttemptsExceeded = AttemptsExceededAction.Delete)]
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow().UtcDateTime - options.Value.TerminatedContentRetention;
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<AppDbContext>();
        var workspaces = await db.Workspaces.AsNoTracking().Where(w => w.TerminatedAt != null && w.TerminatedAt < cutoff).Select(w => w.Id).ToListAsync(cancellationToken);
        var users = await db.Users.AsNoTracking().Where(u => u.TerminatedAt != null && u.TerminatedAt < cutoff).Select(u => u.Id).ToListAsync(cancellationToken);

        var removed = 0;
        foreach (var workspaceId in workspaces)
        {
            removed += await PurgeWorkspaceAsync(db, services.GetRequiredService<IBlobStore>(), services.GetRequiredService<HangfireJobRecords>(), workspaceId, cancellationToken);
        }

        foreach (var userId in users)
        {
            removed += await PurgeUserAsync(db, services.GetRequiredService<IBlobStore>(), userId, cancellationToken);
        }

        if (removed > 0)
        {
            await services.GetRequiredService<AuditLog>().RecordAsync(ErasureAudit.AccountPurged, AuditOutcomes.Success,
                target: $"workspaces:{workspaces.Count};users:{users.Count};removed:{removed}", cancellationToken: cancellationToken);
        }

        return removed;
    }

    private static async Task<int> PurgeWorkspaceAsync(AppDbContext db, IBlobStore blobs, HangfireJobRecords hangfire, Guid workspaceId, CancellationToken cancellationToken)
    {
        var hangfireIds = await db.AllJobs().Where(j => j.WorkspaceId == workspaceId && j.HangfireJobId != null)
            .Select(j => j.HangfireJobId!).ToListAsync(cancellationToken);
        var removed = await hangfire.RemoveAsync(hangfireIds, cancellationToken);
        removed += await blobs.DeleteScopeAsync(AssetBlobScope.For(workspaceId), cancellationToken);

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        removed += await StripInvoicesAsync(db, workspaceId, cancellationToken);
        removed += await PseudonymiseAuditAsync(db, a => a.WorkspaceId == workspaceId, workspaceId, cancellationToken);
        removed += await RemoveReferencesAsync(db, "WorkspaceId", workspaceId, except: typeof(Invoice), cancellationToken);
        removed += await db.Workspaces.Where(w => w.Id == workspaceId).ExecuteDeleteAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return removed;
    }

    private static async Task<int> PurgeUserAsync(AppDbContext db, IBlobStore blobs, Guid userId, CancellationToken cancellationToken)
    {
        // Archives of data exports live outside any workspace's scope; the export sweep normally has them gone already.
        var removed = 0;
        foreach (var key in await db.PersonalDataExports.AsNoTracking().Where(e => e.UserId == userId && e.BlobKey != null).Select(e => e.BlobKey!).ToListAsync(cancellationToken))
        {
            await blobs.DeleteAsync(key, cancellationToken);
            removed++;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        removed += await PseudonymiseAuditAsync(db, a => a.UserId == userId, userId, cancellationToken);
        removed += await RemoveReferencesAsync(db, "UserId", userId, except: null, cancellationToken);
        removed += await db.Users.Where(u => u.Id == userId).ExecuteDeleteAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return removed;
    }

    /// <summary>
    /// Invoices are kept for the statutory period (GDPR 17(3)(b); e.g. 10 years under German HGB §257 / AO §147, 7 in
    /// China's accounting archives rules) with what a tax audit needs and nothing else: <c>Number</c>, <c>IssuedAt</c>,
    /// <c>PeriodStart</c>/<c>PeriodEnd</c>, <c>PlanCode</c> and <c>Cycle</c> (what was sold), <c>Currency</c>,
    /// <c>SubtotalMinor</c>/<c>CreditMinor</c>/<c>TotalMinor</c>, <c>Gateway</c> and <c>GatewayReference</c> (the payment it
    /// receipts, as the gateway's own legally kept record names it) and <c>WorkspaceId</c> (which groups one customer's
    /// invoices; it names no one once the workspace and its members are gone). Cleared: <c>OrderId</c>, the order row being
    /// deleted with the workspace. Returns the invoices changed.
    /// </summary>
    private static Task<int> StripInvoicesAsync(AppDbContext db, Guid workspaceId, CancellationToken cancellationToken) =>
#pragma warning disable RS0030 // The closed workspace is not any scope's: its invoices are addressed by its id.
        db.Invoices.IgnoreQueryFilters().Where(i => i.WorkspaceId == workspaceId && i.OrderId != null)
#pragma warning restore RS0030
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.OrderId, (Guid?)null), cancellationToken);

    /// <summary>Audit entries stay as the record of what happened, without who, from where, or about what.</summary>
    private static async Task<int> PseudonymiseAuditAsync(AppDbContext db, System.Linq.Expressions.Expression<Func<AuditEvent, bool>> about, Guid id, CancellationToken cancellationToken)
    {
        var text = id.ToString();
        var changed = await db.AuditEvents
            .Where(a => a.IpAddress != null || a.UserAgent != null || a.Target != null)
            .Where(about)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.IpAddress, (string?)null).SetProperty(a => a.UserAgent, (string?)null).SetProperty(a => a.Target, (string?)null), cancellationToken);
        return changed + await db.AuditEvents.Where(a => a.Target != null && a.Target.Contains(text))
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.Target, (string?)null), cancellationToken);
    }

    /// <summary>Every column of the model named <c>…{suffix}</c> holding <paramref name="id"/>: rows deleted (required column) or cleared (optional).</summary>
    private static async Task<int> RemoveReferencesAsync(AppDbContext db, string suffix, Guid id, Type? except, CancellationToken cancellationToken)
    {
        var removed = 0;
        foreach (var (entity, property) in References(db.Model, suffix).Where(r => r.Entity.ClrType != except))
        {
            var method = property.IsNullable ? ClearColumnMethod : DeleteRowsMethod;
            removed += await (Task<int>)method.MakeGenericMethod(entity.ClrType).Invoke(null, [db, property.Name, id, cancellationToken])!;
        }

        return removed;
    }

    /// <summary>The Guid columns named <c>…{suffix}</c> that are not a key of their own table.</summary>
    public static IEnumerable<(IEntityType Entity, IProperty Property)> References(IModel model, string suffix)
    {
        ArgumentNullException.ThrowIfNull(model);
        return from entity in model.GetEntityTypes()
               where !entity.IsOwned() && entity.BaseType is null && !entity.HasSharedClrType
               from property in entity.GetProperties()
               where (property.ClrType == typeof(Guid) || property.ClrType == typeof(Guid?))
                     && property.Name.EndsWith(suffix, StringComparison.Ordinal) && !property.IsPrimaryKey()
               select (entity, property);
    }

#pragma warning disable RS0030 // The purge addresses closed accounts' rows in every workspace by id, never through a scope.
    private static Task<int> DeleteRowsAsync<T>(AppDbContext db, string property, Guid id, CancellationToken cancellationToken)
        where T : class =>
        db.Set<T>().IgnoreQueryFilters().Where(e => EF.Property<Guid>(e, property) == id).ExecuteDeleteAsync(cancellationToken);

    private static Task<int> ClearColumnAsync<T>(AppDbContext db, string property, Guid id, CancellationToken cancellationToken)
        where T : class =>
        db.Set<T>().IgnoreQueryFilters().Where(e => EF.Property<Guid?>(e, property) == id)
            .ExecuteUpdateAsync(s => s.SetProperty(e => EF.Property<Guid?>(e, property), (Guid?)null), cancellationToken);
#pragma warning restore RS0030
}
