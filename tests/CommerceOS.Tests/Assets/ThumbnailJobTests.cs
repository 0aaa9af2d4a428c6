using System.Text.Json;
using CommerceOS.Core.Assets;
using CommerceOS.Core.Jobs;
using CommerceOS.Core.Workspaces;
using CommerceOS.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using NetVips;

namespace CommerceOS.Tests.Assets;

public sealed class ThumbnailJobTests
{
    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task ExecuteAsync_UploadedImage_StoresWebPThumbnailWithin400Px(DatabaseKind kind)
    {
        await using var harness = await AssetsHarness.CreateAsync(kind);
        var upload = await harness.UploadAsync(TestImages.Jpeg(1200, 800), "wide.jpg");
        var job = await harness.Db.Jobs.SingleAsync(j => j.Id == upload.ThumbnailJobId, TestContext.Current.CancellationToken);
        var progress = new RecordingProgress();

        var output = await harness.Thumbnails.ExecuteAsync(job, progress, TestContext.Current.CancellationToken);

        await using var check = harness.Database.CreateContext(harness.WorkspaceId);
        var asset = await check.Assets.SingleAsync(TestContext.Current.CancellationToken);
        Assert.NotNull(asset.ThumbnailBlobKey);
        Assert.NotEqual(asset.BlobKey, asset.ThumbnailBlobKey);
        Assert.StartsWith($"{harness.WorkspaceId:N}/", asset.ThumbnailBlobKey, StringComparison.Ordinal);
        var thumbnail = await harness.ReadBlobAsync(asset.ThumbnailBlobKey);
        Assert.Equal(new ImageInfo(ImageFormat.WebP, 400, 267), harness.Images.Probe(thumbnail));
        using (var decoded = Image.NewFromBuffer(thumbnail))
        {
            Assert.True(Math.Max(decoded.Width, decoded.Height) <= 400);
        }

        using var json = JsonDocument.Parse(output!);
        Assert.Equal(asset.ThumbnailBlobKey, json.RootElement.GetProperty("thumbnailBlobKey").GetString());
        Assert.False(json.RootElement.GetProperty("alreadyDone").GetBoolean());
        Assert.Equal(1, progress.Values[^1]);
        Assert.Equal(2, harness.CountBlobFiles());
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task ExecuteAsync_RunTwice_IsIdempotent(DatabaseKind kind)
    {
        await using var harness = await AssetsHarness.CreateAsync(kind);
        var upload = await harness.UploadAsync(TestImages.Png(900, 300), "banner.png");
        var job = await harness.Db.Jobs.SingleAsync(j => j.Id == upload.ThumbnailJobId, TestContext.Current.CancellationToken);
        await harness.Thumbnails.ExecuteAsync(job, new RecordingProgress(), TestContext.Current.CancellationToken);
        var firstKey = upload.Asset!.ThumbnailBlobKey;
        var files = Directory.GetFiles(harness.BlobRoot, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();
        var bytes = files.Select(File.ReadAllBytes).ToArray();

        var output = await harness.Thumbnails.ExecuteAsync(job, new RecordingProgress(), TestContext.Current.CancellationToken);

        await using var check = harness.Database.CreateContext(harness.WorkspaceId);
        Assert.Equal(firstKey, (await check.Assets.SingleAsync(TestContext.Current.CancellationToken)).ThumbnailBlobKey);
        Assert.Equal(files, Directory.GetFiles(harness.BlobRoot, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal));
        Assert.Equal(bytes, files.Select(File.ReadAllBytes));
        using var json = JsonDocument.Parse(output!);
        Assert.True(json.RootElement.GetProperty("alreadyDone").GetBoolean());
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task ExecuteAsync_ThumbnailBlobLost_RendersItAgain(DatabaseKind kind)
    {
        await using var harness = await AssetsHarness.CreateAsync(kind);
        var upload = await harness.UploadAsync(TestImages.WebP(500, 500), "square.webp");
        var job = await harness.Db.Jobs.SingleAsync(j => j.Id == upload.ThumbnailJobId, TestContext.Current.CancellationToken);
        await harness.Thumbnails.ExecuteAsync(job, new RecordingProgress(), TestContext.Current.CancellationToken);
        var key = upload.Asset!.ThumbnailBlobKey!;
        await harness.Blobs.DeleteAsync(key, TestContext.Current.CancellationToken);

        await harness.Thumbnails.ExecuteAsync(job, new RecordingProgress(), TestContext.Current.CancellationToken);

        Assert.True(await harness.Blobs.ExistsAsync(key, TestContext.Current.CancellationToken));
        Assert.Equal(new ImageInfo(ImageFormat.WebP, 400, 400), harness.Images.Probe(await harness.ReadBlobAsync(key)));
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task ExecuteAsync_AssetOfAnotherWorkspace_IsRejectedAsNotFound(DatabaseKind kind)
    {
        await using var harness = await AssetsHarness.CreateAsync(kind);
        var upload = await harness.UploadAsync(TestImages.Jpeg(100, 100));
        var otherWorkspace = await AssetsHarness.AddWorkspaceAsync(harness.Database);
        var otherContext = new WorkspaceContext();
        otherContext.Set(otherWorkspace, null, WorkspaceRole.Owner);
        await using var otherDb = harness.CreateContext(otherContext);
        var handler = new ThumbnailJob(otherDb, harness.Blobs, harness.Images);
        var job = new Job { Kind = ThumbnailJob.JobKind, WorkspaceId = otherWorkspace, SubjectId = upload.Asset!.Id };

        var error = await Assert.ThrowsAsync<JobRejectedException>(() => handler.ExecuteAsync(job, new RecordingProgress(), TestContext.Current.CancellationToken));

        Assert.Equal(AssetErrorCodes.NotFound, error.Code);
        await using var check = harness.Database.CreateContext(harness.WorkspaceId);
        Assert.Null((await check.Assets.SingleAsync(TestContext.Current.CancellationToken)).ThumbnailBlobKey);
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task ExecuteAsync_StoredBlobMissingOrCorrupt_IsRejectedWithCode(DatabaseKind kind)
    {
        await using var harness = await AssetsHarness.CreateAsync(kind);
        var missing = await harness.UploadAsync(TestImages.Jpeg(100, 100));
        var corrupt = await harness.UploadAsync(TestImages.Png(100, 100));
        await harness.Blobs.DeleteAsync(missing.Asset!.BlobKey, TestContext.Current.CancellationToken);
        var corruptFile = Directory.GetFiles(harness.BlobRoot, corrupt.Asset!.Sha256, SearchOption.AllDirectories).Single();
        var bytes = await File.ReadAllBytesAsync(corruptFile, TestContext.Current.CancellationToken);
        await File.WriteAllBytesAsync(corruptFile, TestImages.WithFlippedByte(bytes, bytes.Length - 30), TestContext.Current.CancellationToken);

        var missingError = await Assert.ThrowsAsync<JobRejectedException>(() => harness.Thumbnails.ExecuteAsync(
            new Job { Kind = ThumbnailJob.JobKind, WorkspaceId = harness.WorkspaceId, SubjectId = missing.Asset.Id }, new RecordingProgress(), TestContext.Current.CancellationToken));
        var corruptError = await Assert.ThrowsAsync<JobRejectedException>(() => harness.Thumbnails.ExecuteAsync(
            new Job { Kind = ThumbnailJob.JobKind, WorkspaceId = harness.WorkspaceId, SubjectId = corrupt.Asset.Id }, new RecordingProgress(), TestContext.Current.CancellationToken));

        Assert.Equal(AssetErrorCodes.BlobMissing, missingError.Code);
        Assert.Equal(AssetErrorCodes.BlobCorrupt, corruptError.Code);
    }

    private sealed class RecordingProgress : IProgress<double>
    {
        public List<double> Values { get; } = [];

        public void Report(double value) => Values.Add(value);
    }
}
