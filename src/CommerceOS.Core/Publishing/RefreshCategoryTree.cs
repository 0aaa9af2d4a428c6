using System.Text.Json;
using CommerceOS.Core.Data;
using CommerceOS.Core.Generation;
using CommerceOS.Core.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CommerceOS.Core.Publishing;

/// <summary>The platforms whose category tree CommerceOS can read, and when a connection's copy is due.</summary>
public sealed class CategoryTrees(IEnumerable<IMarketplaceCategorySource> sources, IOptions<PublishingOptions> options)
{
    public const string JobKind = "publishing.categories";

    private readonly Dictionary<string, IMarketplaceCategorySource> _byPlatform = sources.ToDictionary(s => s.Platform, StringComparer.OrdinalIgnoreCase);

    public IMarketplaceCategorySource? Find(string? platform) => platform is null ? null : _byPlatform.GetValueOrDefault(platform);

    public bool Reads(string platform) => _byPlatform.ContainsKey(platform);

    public TimeSpan MaxAge => options.Value.CategoryTreeMaxAge;

    /// <summary>
    /// Adds a refresh job for the connection to <paramref name="db"/> (saved by the caller) unless one is already queued or
    /// running, so a sweep and a reconnect never read the same tree twice. Returns whether one was added.
    /// </summary>
    public async Task<bool> ScheduleAsync(AppDbContext db, IJobScheduler scheduler, MarketplaceConnection connection, CancellationToken cancellationToken)
    {
        if (!Reads(connection.Platform))
        {
            return false;
        }

        var underWay = await db.Jobs.AnyAsync(
            j => j.Kind == JobKind && j.SubjectId == connection.Id && (j.Status == JobStatus.Queued || j.Status == JobStatus.Running),
            cancellationToken);
        if (underWay)
        {
            return false;
        }

        scheduler.Schedule(JobKind, connection.WorkspaceId, connection.Id, new RefreshCategoryTreeInput(connection.Id));
        return true;
    }
}

public sealed record RefreshCategoryTreeInput(Guid ConnectionId);

/// <summary>
/// Reads a connection's platform category tree and replaces its <see cref="MarketplaceCategoryCache"/>. Runs after a store is
/// connected and when <see cref="CategoryTreeSweep"/> finds the copy older than <see cref="PublishingOptions.CategoryTreeMaxAge"/>.
/// Idempotent: the row is replaced whole. A rate limit waits without spending an attempt; refused credentials end the job
/// (the store's own check reports them).
/// </summary>
public sealed partial class RefreshCategoryTree(
    AppDbContext db,
    CategoryTrees trees,
    ConnectionSecrets secrets,
    TimeProvider time,
    ILogger<RefreshCategoryTree> logger) : IJobHandler
{
    public string Kind => CategoryTrees.JobKind;

    public async Task<string?> ExecuteAsync(Job job, IProgress<double> progress, CancellationToken cancellationToken)
    {
        var input = JsonSerializer.Deserialize<RefreshCategoryTreeInput>(job.InputJson ?? "null", JsonSerializerOptions.Web)
            ?? throw new JobRejectedException(JobErrors.UnknownKind, $"Job {job.Id} has no input.");
        var connection = await db.MarketplaceConnections.FirstOrDefaultAsync(c => c.Id == input.ConnectionId, cancellationToken);
        if (connection is null || connection.Status == ConnectionStatus.Disconnected)
        {
            throw new JobRejectedException(PublishingErrors.Disconnected, "The connection is gone.");
        }

        var source = trees.Find(connection.Platform)
            ?? throw new JobRejectedException(PublishingErrors.PlatformUnknown, $"No category source reads {connection.Platform}.");
        var values = secrets.Unprotect(connection)
            ?? throw new JobRejectedException(PublishingErrors.CredentialsUnreadable, "The connection's credentials cannot be read.");
        var session = new MarketplaceSession(connection.Id, connection.Platform, values);
        CategoryTree tree;
        try
        {
            tree = await source.ReadCategoriesAsync(session, "en", cancellationToken);
        }
        catch (ProviderException e) when (e.Failure == ProviderFailure.RateLimited)
        {
            throw new JobPollLaterException(e.RetryAfter is { } wait && wait > TimeSpan.Zero ? wait : TimeSpan.FromMinutes(1));
        }
        catch (ProviderException e) when (e.Failure == ProviderFailure.Misconfigured)
        {
            throw new JobRejectedException(PublishingErrors.CredentialsRefused, e.Message);
        }
        finally
        {
            if (session.Changed)
            {
                // Renewed tokens (Shopee rotates its refresh token) must survive whatever happened after the renewal.
                connection.ProtectedCredentials = secrets.Protect(connection, session.Values);
                await db.SaveChangesAsync(CancellationToken.None);
            }
        }

        var nodes = tree.Nodes
            .Where(n => !string.IsNullOrWhiteSpace(n.Id) && !string.IsNullOrWhiteSpace(n.Name))
            .DistinctBy(n => n.Id, StringComparer.Ordinal)
            .ToList();
        var cache = await db.MarketplaceCategoryCaches.FirstOrDefaultAsync(c => c.ConnectionId == connection.Id, cancellationToken);
        if (cache is null)
        {
            cache = new MarketplaceCategoryCache { WorkspaceId = connection.WorkspaceId, ConnectionId = connection.Id, Platform = connection.Platform, Language = tree.Language };
            db.MarketplaceCategoryCaches.Add(cache);
        }

        cache.Language = tree.Language;
        cache.Complete = tree.Complete;
        cache.NodeCount = nodes.Count;
        cache.LeafCount = nodes.Count(n => n.IsLeaf);
        cache.Payload = MarketplaceCategoryCache.Encode(nodes);
        cache.FetchedAt = time.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(cancellationToken);
        LogRead(connection.Id, connection.Platform, cache.NodeCount, cache.LeafCount, cache.Complete);
        return JsonSerializer.Serialize(new { nodes = cache.NodeCount, leaves = cache.LeafCount, complete = cache.Complete }, JsonSerializerOptions.Web);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Category tree of connection {ConnectionId} ({Platform}) read: {Nodes} nodes, {Leaves} leaves, complete {Complete}")]
    private partial void LogRead(Guid connectionId, string platform, int nodes, int leaves, bool complete);
}
