using CommerceOS.Core.Assets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CommerceOS.Engines.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="EncryptedFileSystemBlobStore"/> as the singleton <see cref="IBlobStore"/>.
    /// The root and key are resolved here, at start-up, so a bad key stops the process at once.
    /// </summary>
    public static IServiceCollection AddLocalBlobStore(this IServiceCollection services, IConfiguration configuration, string dataDirectory)
    {
        var options = configuration.GetSection(BlobStorageOptions.Section).Get<BlobStorageOptions>() ?? new BlobStorageOptions();
        var root = string.IsNullOrWhiteSpace(options.Root) ? Path.Combine(dataDirectory, "blobs") : options.Root;
        var key = BlobKeyFile.Resolve(options, dataDirectory);
        services.AddSingleton<IBlobStore>(new EncryptedFileSystemBlobStore(root, key));
        return services;
    }
}
