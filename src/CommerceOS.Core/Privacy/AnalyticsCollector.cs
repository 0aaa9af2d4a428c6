using System.Net;
using CommerceOS.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Core.Privacy;

/// <summary>
/// Stores a page view, redacted (<see cref="AnalyticsRedaction"/>), for a visitor who consented. The host checks the
/// visitor's consent cookie; this checks the signed-in user's own latest decision too, so a withdrawal made anywhere stops
/// collection at the next request.
/// </summary>
public sealed class AnalyticsCollector(AppDbContext db, Consents consents, TimeProvider time)
{
    public const int MaxPathLength = 300;

    /// <returns>Whether the view was stored.</returns>
    public async Task<bool> RecordAsync(Guid visitorId, Guid? userId, string? path, string? userAgent, IPAddress? address, CancellationToken cancellationToken)
    {
        if (userId is { } user && !await consents.AllowsAnalyticsAsync(user, cancellationToken))
        {
            return false;
        }

        // The page, not what was typed into it: no query string (it can carry search terms or tokens).
        var page = (path ?? "/").Split('?', '#')[0];
        if (!page.StartsWith('/') || page.StartsWith("//", StringComparison.Ordinal))
        {
            return false;
        }

        var (browser, system, device) = AnalyticsRedaction.Describe(userAgent);
        db.PageViews.Add(new PageView
        {
            VisitorId = visitorId,
            UserId = userId,
            Path = page.Length > MaxPathLength ? page[..MaxPathLength] : page,
            Browser = browser,
            OperatingSystem = system,
            Device = device,
            Network = AnalyticsRedaction.Network(address),
            ViewedAt = time.GetUtcNow().UtcDateTime,
        });
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    /// <summary>Forgets a visitor who withdrew consent in their browser.</summary>
    public Task<int> ForgetVisitorAsync(Guid visitorId, CancellationToken cancellationToken) =>
        db.PageViews.Where(v => v.VisitorId == visitorId).ExecuteDeleteAsync(cancellationToken);
}
