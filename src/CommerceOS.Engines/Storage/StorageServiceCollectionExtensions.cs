using CommerceOS.Core.Assets;
using CommerceOS.Core.Workspaces;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CommerceOS.Engines.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// Registers the local encrypted blob store as the singleton <see cref="IBlobStore"/>: one
    /// <see cref="EncryptedFileSystemBlobStore"/> per data region behind a <see cref="RegionalBlobStore"/>.
    /// The roots and key are resolved here, at start-up, so a bad key stops the process at once.
    /// </summary>
    public static IServiceCollection AddLocalBlobStore(this IServiceCollection services, IConfiguration configuration, string dataDirectory)
    {
        var options = configuration.GetSection(BlobStorageOptions.Section).Get<BlobStorageOptions>() ?? new BlobStorageOptions();
        var unknown = options.Regions.Keys.Where(r => !DataRegions.All.Contains(r, StringComparer.Ordinal)).ToList();
        if (unknown.Count > 0)
        {
            throw new InvalidOperationException($"Storage:Regions: unknown region '{unknown[0]}'; the regions are {string.Join(", ", DataRegions.All)}.");
        }

        var root = string.IsNullOrWhiteSpace(options.Root) ? Path.Combine(dataDirectory, "blobs") : options.Root;
        var key = BlobKeyFile.Resolve(options, dataDirectory);
        var defaultStore = new EncryptedFileSystemBlobStore(root, key);
        var regionStores = DataRegions.All
            .Where(region => region != DataRegions.Us)
            .ToDictionary(
                region => region,
                IBlobStore (region) => new EncryptedFileSystemBlobStore(
                    options.Regions.TryGetValue(region, out var configured) && !string.IsNullOrWhiteSpace(configured.Root)
                        ? configured.Root
                        : Path.Combine(dataDirectory, "regions", region, "blobs"),
                    key),
                StringComparer.Ordinal);
        services.AddSingleton<IWorkspaceRegions, WorkspaceRegions>();
        services.AddSingleton<IBlobStore>(provider => new RegionalBlobStore(defaultStore, regionStores, provider.GetRequiredService<IWorkspaceRegions>()));
        return services;
    }
}
