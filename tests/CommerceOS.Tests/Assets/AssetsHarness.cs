using System.Security.Cryptography;
using CommerceOS.Core.Assets;
using CommerceOS.Core.Data;
using CommerceOS.Core.Workspaces;
using CommerceOS.Engines.Imaging;
using CommerceOS.Engines.Storage;
using CommerceOS.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CommerceOS.Tests.Assets;

/// <summary>A workspace in a fresh database, a real encrypted blob store in a temp folder and the real image processor.</summary>
internal sealed class AssetsHarness : IAsyncDisposable
{
    private AssetsHarness(TestDatabase database, Guid workspaceId, Guid userId, string blobRoot, long maxUploadBytes)
    {
        Database = database;
        WorkspaceId = workspaceId;
        UserId = userId;
        BlobRoot = blobRoot;
        Workspace = new WorkspaceContext();
        Workspace.Set(workspaceId, userId, WorkspaceRole.Editor);
        Db = CreateContext(Workspace);
        Blobs = new EncryptedFileSystemBlobStore(blobRoot, RandomNumberGenerator.GetBytes(32));
        Scheduler = new TestJobScheduler(Db, Time);
        Upload = new UploadAsset(Db, Workspace, Images, Blobs, Scheduler, Time, Options.Create(new AssetsOptions { MaxUploadBytes = maxUploadBytes }));
        Thumbnails = new ThumbnailJob(Db, Blobs, Images);
    }

    public TestDatabase Database { get; }

    public Guid WorkspaceId { get; }

    public Guid UserId { get; }

    public string BlobRoot { get; }

    public WorkspaceContext Workspace { get; }

    public AppDbContext Db { get; }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero));

    public LocalImageProcessor Images { get; } = new();

    public EncryptedFileSystemBlobStore Blobs { get; }

    public TestJobScheduler Scheduler { get; }

    public UploadAsset Upload { get; }

    public ThumbnailJob Thumbnails { get; }

    public static async Task<AssetsHarness> CreateAsync(DatabaseKind kind, long maxUploadBytes = 20L * 1024 * 1024)
    {
        var database = await TestDatabase.CreateAsync(kind);
        var workspaceId = await AddWorkspaceAsync(database);
        var blobRoot = Path.Combine(Path.GetTempPath(), "commerceos-tests", $"blobs-{Guid.NewGuid():N}");
        return new AssetsHarness(database, workspaceId, Guid.NewGuid(), blobRoot, maxUploadBytes);
    }

    public static async Task<Guid> AddWorkspaceAsync(TestDatabase database)
    {
        await using var setup = database.CreateContext();
        var workspace = new Workspace { Name = "Assets test", CreatedAt = new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc) };
        setup.Workspaces.Add(workspace);
        await setup.SaveChangesAsync(TestContext.Current.CancellationToken);
        return workspace.Id;
    }

    public AppDbContext CreateContext(WorkspaceContext workspace)
    {
        var builder = new DbContextOptionsBuilder<AppDbContext>();
        DatabaseServiceCollectionExtensions.Configure(builder, Database.Provider, Database.ConnectionString);
        return new AppDbContext(builder.Options, workspace);
    }

    public Task<UploadAsset.Response> UploadAsync(byte[] data, string? fileName = "photo.jpg") =>
        Upload.HandleAsync(new UploadAsset.Request(new MemoryStream(data), fileName), TestContext.Current.CancellationToken);

    /// <summary>Asset rows of the workspace, counted through a fresh context (what was really committed).</summary>
    public async Task<int> CountAssetsAsync()
    {
        await using var context = Database.CreateContext(WorkspaceId);
        return await context.Assets.CountAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>Blob files under the root, temp files included (a refused upload must leave none at all).</summary>
    public int CountBlobFiles() =>
        Directory.Exists(BlobRoot) ? Directory.GetFiles(BlobRoot, "*", SearchOption.AllDirectories).Length : 0;

    public async Task<byte[]> ReadBlobAsync(string key)
    {
        await using var stream = await Blobs.OpenReadAsync(key, TestContext.Current.CancellationToken)
            ?? throw new InvalidOperationException($"Blob {key} is missing.");
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, TestContext.Current.CancellationToken);
        return buffer.ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        await Db.DisposeAsync();
        await Database.DisposeAsync();
        if (Directory.Exists(BlobRoot))
        {
            Directory.Delete(BlobRoot, recursive: true);
        }
    }
}
