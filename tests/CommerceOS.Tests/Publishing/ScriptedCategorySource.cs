using System.Collections.Concurrent;
using CommerceOS.Core.Publishing;

namespace CommerceOS.Tests.Publishing;

/// <summary>A platform's category API for the Publish Center's own tests: answers from a script when one is queued, else with <see cref="Tree"/>.</summary>
public sealed class ScriptedCategorySource(string platform) : IMarketplaceCategorySource
{
    private int _calls;

    public string Platform { get; } = platform;

    public CategoryTree Tree { get; set; } = new(
        [
            new("1", null, "家居 Home", IsLeaf: false),
            new("2", "1", "Kitchen & Dining", IsLeaf: false),
            new("3", "2", "Water Bottles & Flasks", IsLeaf: true),
            new("4", "2", "Mugs", IsLeaf: true),
            new("5", "2", "Others", IsLeaf: true),
            new("6", null, "Phone Cases", IsLeaf: true),
        ],
        "en",
        Complete: true);

    public ConcurrentQueue<Func<MarketplaceSession, CategoryTree>> Script { get; } = new();

    public int Calls => _calls;

    public Task<CategoryTree> ReadCategoriesAsync(MarketplaceSession session, string language, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        return Task.FromResult(Script.TryDequeue(out var next) ? next(session) : Tree);
    }
}
