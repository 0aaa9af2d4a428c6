using CommerceOS.Core.Assets;
using CommerceOS.Core.Data;
using CommerceOS.Core.Jobs;
using CommerceOS.Engines.Imaging;
using CommerceOS.Engines.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CommerceOS.Tests.Assets;

public sealed class AssetsServiceCollectionExtensionsTests : IDisposable
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "commerceos-tests", $"data-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task AddAssets_WithLocalEngines_ResolvesUploadAndThumbnailHandlerAndDefaultPaths()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Assets:MaxUploadBytes"] = "1234" })
            .Build();
        var services = new ServiceCollection();
        services.AddDatabase(configuration, _dataDirectory);
        services.AddAssets(configuration);
        services.AddLocalBlobStore(configuration, _dataDirectory);
        services.AddLocalImaging();
        services.AddScoped<IJobScheduler>(sp => new TestJobScheduler(sp.GetRequiredService<AppDbContext>(), TimeProvider.System));
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
        await using var scope = provider.CreateAsyncScope();

        Assert.NotNull(scope.ServiceProvider.GetRequiredService<UploadAsset>());
        Assert.IsType<ThumbnailJob>(scope.ServiceProvider.GetRequiredKeyedService<IJobHandler>(ThumbnailJob.JobKind));
        Assert.IsType<LocalImageProcessor>(scope.ServiceProvider.GetRequiredService<IImageProcessor>());
        // A scope that is no workspace goes to the default location.
        var store = Assert.IsType<RegionalBlobStore>(scope.ServiceProvider.GetRequiredService<IBlobStore>());
        await store.PutAsync("system", new MemoryStream([1, 2, 3]), TestContext.Current.CancellationToken);
        Assert.True(Directory.Exists(Path.Combine(_dataDirectory, "blobs", "system")));
        Assert.True(File.Exists(Path.Combine(_dataDirectory, "keys", "blob.key")));
        Assert.Equal(1234, scope.ServiceProvider.GetRequiredService<Microsoft.Extensions.Options.IOptions<AssetsOptions>>().Value.MaxUploadBytes);
    }
}
