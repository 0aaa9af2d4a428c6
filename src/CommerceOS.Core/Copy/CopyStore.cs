using CommerceOS.Core.Catalog;
using CommerceOS.Core.Common;
using CommerceOS.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Core.Copy;

/// <summary>Reads and writes listing copies and their versions for the copy use cases and jobs (current workspace only).</summary>
public sealed class CopyStore(AppDbContext db, TimeProvider time)
{
    public Task<ListingCopy?> FindAsync(Guid productId, string marketplace, string language, CancellationToken cancellationToken) =>
        db.ListingCopies.FirstOrDefaultAsync(c => c.ProductId == productId && c.Marketplace == marketplace && c.Language == language, cancellationToken);

    /// <summary>The copy row, created on first use; a concurrent creator's row is returned instead of a duplicate.</summary>
    public async Task<ListingCopy> EnsureAsync(Guid workspaceId, Guid productId, string marketplace, string language, CancellationToken cancellationToken)
    {
        var existing = await FindAsync(productId, marketplace, language, cancellationToken);
        if (existing is not null)
        {
            return existing;
        }

        var now = time.GetUtcNowForDatabase();
        var copy = new ListingCopy { WorkspaceId = workspaceId, ProductId = productId, Marketplace = marketplace, Language = language, CreatedAt = now, UpdatedAt = now };
        db.ListingCopies.Add(copy);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return copy;
        }
        catch (DbUpdateException e) when (UniqueViolation.Is(e))
        {
            db.Entry(copy).State = EntityState.Detached;
            return await FindAsync(productId, marketplace, language, cancellationToken)
                ?? throw new InvalidOperationException("The listing copy vanished after a unique violation.", e);
        }
    }

    public Task<ListingCopyVersion?> VersionAsync(Guid copyId, int number, CancellationToken cancellationToken) =>
        db.ListingCopyVersions.AsNoTracking().FirstOrDefaultAsync(v => v.ListingCopyId == copyId && v.Number == number, cancellationToken);

    public Task<ListingCopyVersion?> VersionByIdAsync(Guid versionId, CancellationToken cancellationToken) =>
        db.ListingCopyVersions.AsNoTracking().FirstOrDefaultAsync(v => v.Id == versionId, cancellationToken);

    public Task<string?> LanguageOfAsync(Guid copyId, CancellationToken cancellationToken) =>
        db.ListingCopies.Where(c => c.Id == copyId).Select(c => c.Language).FirstOrDefaultAsync(cancellationToken);

    public Task<ListingCopyVersion?> VersionOfJobAsync(Guid copyId, Guid jobId, CancellationToken cancellationToken) =>
        db.ListingCopyVersions.AsNoTracking().FirstOrDefaultAsync(v => v.ListingCopyId == copyId && v.JobId == jobId, cancellationToken);

    /// <summary>
    /// Adds <paramref name="version"/> as the copy's next version and clears its last failure. Numbers come from the row's
    /// current version; two writers racing for the same number are told apart by the unique index and the loser retries.
    /// </summary>
    public async Task<ListingCopyVersion> AddVersionAsync(ListingCopy copy, ListingCopyVersion version, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var now = time.GetUtcNowForDatabase();
            var number = await db.ListingCopyVersions.Where(v => v.ListingCopyId == copy.Id).MaxAsync(v => (int?)v.Number, cancellationToken) ?? 0;
            version.Number = number + 1;
            version.ListingCopyId = copy.Id;
            version.WorkspaceId = copy.WorkspaceId;
            version.CreatedAt = now;
            db.ListingCopyVersions.Add(version);
            copy.CurrentVersion = version.Number;
            copy.LastFailureJson = null;
            copy.LastFailureJobId = null;
            copy.UpdatedAt = now;
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return version;
            }
            catch (DbUpdateException e) when (UniqueViolation.Is(e) && attempt < 3)
            {
                db.Entry(version).State = EntityState.Detached;
                version.Id = Guid.CreateVersion7();
                await db.Entry(copy).ReloadAsync(cancellationToken);
                if (version.JobId is { } jobId && await VersionOfJobAsync(copy.Id, jobId, cancellationToken) is { } done)
                {
                    return done;
                }
            }
        }
    }

    public async Task RecordFailureAsync(ListingCopy copy, Guid jobId, IReadOnlyList<CopyIssue> issues, CancellationToken cancellationToken)
    {
        copy.LastFailureJson = CopyJson.Write(issues);
        copy.LastFailureJobId = jobId;
        copy.UpdatedAt = time.GetUtcNowForDatabase();
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task<Brand?> BrandAsync(Product product, CancellationToken cancellationToken) =>
        product.BrandId is { } brandId ? await db.Brands.AsNoTracking().FirstOrDefaultAsync(b => b.Id == brandId, cancellationToken) : null;
}
