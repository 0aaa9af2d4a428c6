using CommerceOS.Core.Accounts;
using CommerceOS.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CommerceOS.Core.Privacy;

/// <summary>One version of a legal document without its texts; the seed version has no id.</summary>
public sealed record LegalVersionInfo(Guid? Id, string Document, string Version, bool MaterialChange, DateTime PublishedAt);

/// <summary>Every version of both documents, oldest first, starting with the shipped seed version.</summary>
public sealed class LegalCatalog
{
    private readonly Dictionary<string, IReadOnlyList<LegalVersionInfo>> _versions;

    public LegalCatalog(IEnumerable<LegalVersionInfo> published)
    {
        var rows = published.ToList();
        _versions = LegalDocuments.All.ToDictionary(
            d => d,
            d => (IReadOnlyList<LegalVersionInfo>)[new LegalVersionInfo(null, d, LegalDocuments.SeedVersion(d), false, DateTime.MinValue), .. rows.Where(r => r.Document == d)],
            StringComparer.Ordinal);
    }

    public IReadOnlyList<LegalVersionInfo> Versions(string document) => _versions[document];

    public LegalVersionInfo Current(string document) => _versions[document][^1];

    /// <summary>The latest material change of the document, or null when there has been none since the seed text.</summary>
    public LegalVersionInfo? LatestMaterial(string document) => _versions[document].LastOrDefault(v => v.MaterialChange);

    /// <summary>
    /// The versions whose acceptance covers the latest material change: that version and every later one (all of them
    /// when there has been no material change). Acceptance of an older version leaves the change to be acknowledged.
    /// </summary>
    public IReadOnlyList<string> CoveringVersions(string document)
    {
        var versions = _versions[document];
        var from = LatestMaterial(document) is { } material ? versions.ToList().IndexOf(material) : 0;
        return [.. versions.Skip(from).Select(v => v.Version)];
    }

    public bool Exists(string document, string version) => _versions[document].Any(v => string.Equals(v.Version, version, StringComparison.Ordinal));
}

/// <summary>
/// The current versions of the legal documents: the latest published <see cref="LegalDocumentVersion"/>, else the seed
/// version. The catalogue (labels and flags, no texts) is cached for <see cref="CacheFor"/> and dropped at once when this
/// process publishes; another process (a web node, the worker) sees a new version within that time.
/// </summary>
public sealed class LegalVersions(IServiceScopeFactory scopes, TimeProvider time)
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);

    private volatile Cached? _cached;

    public async Task<LegalCatalog> GetAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_cached is { } cached && now < cached.Until)
        {
            return cached.Catalog;
        }

        await using var scope = scopes.CreateAsyncScope();
        var rows = await scope.ServiceProvider.GetRequiredService<AppDbContext>().LegalDocumentVersions.AsNoTracking()
            .OrderBy(v => v.PublishedAt).ThenBy(v => v.Id)
            .Select(v => new LegalVersionInfo(v.Id, v.Document, v.Version, v.MaterialChange, v.PublishedAt))
            .ToListAsync(cancellationToken);
        var catalog = new LegalCatalog(rows);
        _cached = new Cached(catalog, now + CacheFor);
        return catalog;
    }

    public async Task<string> CurrentAsync(string document, CancellationToken cancellationToken) =>
        (await GetAsync(cancellationToken)).Current(document).Version;

    public void Invalidate() => _cached = null;

    private sealed record Cached(LegalCatalog Catalog, DateTimeOffset Until);
}
