using CommerceOS.Core.Assets;
using CommerceOS.Core.Workspaces;

namespace CommerceOS.Engines.Storage;

/// <summary>
/// Keeps each workspace's files in its data region's own storage location (privacy policy section 8): a blob scope is a
/// workspace ID (<see cref="AssetBlobScope"/>), its region picks the store. Keys keep the <c>{scope}/{sha256}</c> form,
/// so nothing that stores a key changes. The default location serves the United States region and every scope that is
/// not a workspace. Blobs that a workspace wrote before its region had a location of its own stay readable from the
/// default location, and a delete removes both copies.
/// </summary>
public sealed class RegionalBlobStore(IBlobStore defaultStore, IReadOnlyDictionary<string, IBlobStore> regionStores, IWorkspaceRegions regions) : IBlobStore
{
    public async Task<StoredBlob> PutAsync(string scope, Stream content, CancellationToken cancellationToken) =>
        await (await StoreForScopeAsync(scope, cancellationToken)).PutAsync(scope, content, cancellationToken);

    public async Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken)
    {
        var store = await StoreForKeyAsync(key, cancellationToken);
        return await store.OpenReadAsync(key, cancellationToken)
            ?? (ReferenceEquals(store, defaultStore) ? null : await defaultStore.OpenReadAsync(key, cancellationToken));
    }

    public async Task<bool> ExistsAsync(string key, CancellationToken cancellationToken)
    {
        var store = await StoreForKeyAsync(key, cancellationToken);
        return await store.ExistsAsync(key, cancellationToken)
            || (!ReferenceEquals(store, defaultStore) && await defaultStore.ExistsAsync(key, cancellationToken));
    }

    public async Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        var store = await StoreForKeyAsync(key, cancellationToken);
        await store.DeleteAsync(key, cancellationToken);
        if (!ReferenceEquals(store, defaultStore))
        {
            await defaultStore.DeleteAsync(key, cancellationToken);
        }
    }

    /// <summary>Every location is swept, not only the region's: an erased workspace leaves nothing anywhere, even if its row is already gone.</summary>
    public async Task<int> DeleteScopeAsync(string scope, CancellationToken cancellationToken)
    {
        var deleted = await defaultStore.DeleteScopeAsync(scope, cancellationToken);
        foreach (var store in regionStores.Values)
        {
            deleted += await store.DeleteScopeAsync(scope, cancellationToken);
        }

        return deleted;
    }

    private Task<IBlobStore> StoreForKeyAsync(string key, CancellationToken cancellationToken)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        return StoreForScopeAsync(slash < 0 ? key : key[..slash], cancellationToken);
    }

    private async Task<IBlobStore> StoreForScopeAsync(string scope, CancellationToken cancellationToken) =>
        Guid.TryParseExact(scope, "N", out var workspaceId)
        && await regions.RegionOfAsync(workspaceId, cancellationToken) is { } region
        && regionStores.TryGetValue(region, out var store)
            ? store
            : defaultStore;
}
