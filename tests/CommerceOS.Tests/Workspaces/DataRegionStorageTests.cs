using System.Security.Cryptography;
using CommerceOS.Core.Assets;
using CommerceOS.Core.Workspaces;
using CommerceOS.Engines.Storage;
using CommerceOS.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CommerceOS.Tests.Workspaces;

/// <summary>
/// Privacy policy section 8: a workspace's files live in its data region's storage location, and nowhere else.
/// </summary>
public sealed class DataRegionStorageTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task EachWorkspacesFiles_LiveInItsRegionsLocation(DatabaseKind kind)
    {
        var singapore = Path.Combine(Path.GetTempPath(), "commerceos-tests", $"sg-{Guid.NewGuid():N}");
        await using var app = await AppFactory.StartAsync(kind, new Dictionary<string, string?> { ["Storage:Regions:sg:Root"] = singapore });
        try
        {
            var workspaces = new Dictionary<string, Guid>();
            foreach (var region in DataRegions.All)
            {
                var id = await TestWorkspaces.CreateAsync(app.Database);
                await using var db = app.Database.CreateContext();
                await db.Workspaces.Where(w => w.Id == id).ExecuteUpdateAsync(s => s.SetProperty(w => w.DataRegion, region), Ct);
                workspaces[region] = id;
            }

            var blobs = app.Services.GetRequiredService<IBlobStore>();
            var locations = new Dictionary<string, string>
            {
                [DataRegions.Us] = Path.Combine(app.DataDirectory, "blobs"),
                [DataRegions.Singapore] = singapore,
                [DataRegions.Eu] = Path.Combine(app.DataDirectory, "regions", "eu", "blobs"),
            };
            foreach (var (region, workspaceId) in workspaces)
            {
                var bytes = RandomNumberGenerator.GetBytes(1000);
                var scope = AssetBlobScope.For(workspaceId);
                var stored = await blobs.PutAsync(scope, new MemoryStream(bytes), Ct);

                // Exactly one location holds the workspace's folder: its region's.
                foreach (var (other, root) in locations)
                {
                    Assert.Equal(other == region, Directory.Exists(Path.Combine(root, scope)));
                }

                await using (var read = await blobs.OpenReadAsync(stored.Key, Ct))
                {
                    var copy = new MemoryStream();
                    await read!.CopyToAsync(copy, Ct);
                    Assert.Equal(bytes, copy.ToArray());
                }

                await blobs.DeleteAsync(stored.Key, Ct);
                Assert.False(await blobs.ExistsAsync(stored.Key, Ct));
            }
        }
        finally
        {
            if (Directory.Exists(singapore))
            {
                Directory.Delete(singapore, recursive: true);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task AFileWrittenBeforeRegionsHadLocations_StaysReadable_AndIsDeletedEverywhere(DatabaseKind kind)
    {
        await using var app = await AppFactory.StartAsync(kind);
        var workspaceId = await TestWorkspaces.CreateAsync(app.Database);
        await using (var db = app.Database.CreateContext())
        {
            await db.Workspaces.Where(w => w.Id == workspaceId).ExecuteUpdateAsync(s => s.SetProperty(w => w.DataRegion, DataRegions.Eu), Ct);
        }

        // Written by the old single-location store, with the same key.
        var legacy = new EncryptedFileSystemBlobStore(Path.Combine(app.DataDirectory, "blobs"), BlobKeyFile.LoadOrCreate(Path.Combine(app.DataDirectory, "keys", "blob.key")));
        var stored = await legacy.PutAsync(AssetBlobScope.For(workspaceId), new MemoryStream([1, 2, 3]), Ct);

        var blobs = app.Services.GetRequiredService<IBlobStore>();
        Assert.True(await blobs.ExistsAsync(stored.Key, Ct));
        await using (var read = await blobs.OpenReadAsync(stored.Key, Ct))
        {
            Assert.NotNull(read);
        }

        await blobs.DeleteAsync(stored.Key, Ct);
        Assert.False(await legacy.ExistsAsync(stored.Key, Ct));
        Assert.False(await blobs.ExistsAsync(stored.Key, Ct));

        // Erasing the workspace's files sweeps both locations: an old file in the default one and a new one in the region's.
        var old = await legacy.PutAsync(AssetBlobScope.For(workspaceId), new MemoryStream([4, 5, 6]), Ct);
        var current = await blobs.PutAsync(AssetBlobScope.For(workspaceId), new MemoryStream([7, 8, 9]), Ct);
        Assert.True(Directory.Exists(Path.Combine(app.DataDirectory, "regions", "eu", "blobs", AssetBlobScope.For(workspaceId))));
        Assert.Equal(2, await blobs.DeleteScopeAsync(AssetBlobScope.For(workspaceId), Ct));
        Assert.False(await blobs.ExistsAsync(old.Key, Ct));
        Assert.False(await blobs.ExistsAsync(current.Key, Ct));
        Assert.Equal(0, await blobs.DeleteScopeAsync(AssetBlobScope.For(workspaceId), Ct));
    }

    [Fact]
    public async Task AnUnknownRegionInConfiguration_StopsTheHost()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var app = await AppFactory.StartAsync(DatabaseKind.Sqlite, new Dictionary<string, string?> { ["Storage:Regions:mars:Root"] = "/tmp/x" });
        });
        Assert.Contains("unknown region 'mars'", error.ToString(), StringComparison.Ordinal);
    }
}
