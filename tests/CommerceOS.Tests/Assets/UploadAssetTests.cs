using System.Security.Cryptography;
using CommerceOS.Core.Assets;
using CommerceOS.Core.Jobs;
using CommerceOS.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using NetVips;

namespace CommerceOS.Tests.Assets;

public sealed class UploadAssetTests
{
    /// <summary>
    /// Hostile corpus (security-privacy.md I1, I2): each file is refused with its code and leaves no
    /// asset row, no job and no blob file.
    /// </summary>
    public static TheoryData<DatabaseKind, string, string, UploadError> HostileFiles()
    {
        (string Kind, string FileName, UploadError Error)[] corpus =
        [
            ("empty", "empty.jpg", UploadError.Empty),
            ("jpeg-truncated", "cut.jpg", UploadError.Corrupt),
            ("jpeg-header-only", "cut.jpg", UploadError.Corrupt),
            ("jpeg-magic-then-garbage", "fake.jpg", UploadError.Corrupt),
            ("png-truncated", "cut.png", UploadError.Corrupt),
            ("png-bad-crc", "crc.png", UploadError.Corrupt),
            ("webp-truncated", "cut.webp", UploadError.Corrupt),
            ("html", "invoice.jpg", UploadError.UnsupportedType),
            ("svg", "logo.svg", UploadError.UnsupportedType),
            ("gif", "anim.gif", UploadError.UnsupportedType),
            ("gif-js-polyglot", "x.gif", UploadError.UnsupportedType),
            ("pdf", "spec.pdf", UploadError.UnsupportedType),
            ("zip", "photos.jpg", UploadError.UnsupportedType),
            ("avif", "photo.avif", UploadError.UnsupportedType),
            ("html-then-png", "polyglot.png", UploadError.UnsupportedType),
            ("png-50000x50000", "bomb.png", UploadError.TooManyPixels),
            ("png-12001x1", "strip.png", UploadError.TooManyPixels),
            ("jpeg-65500x65500", "bomb.jpg", UploadError.TooManyPixels),
            ("oversized", "huge.jpg", UploadError.TooLarge),
        ];
        var data = new TheoryData<DatabaseKind, string, string, UploadError>();
        foreach (var database in new[] { DatabaseKind.Sqlite, DatabaseKind.Postgres })
        {
            foreach (var (kind, fileName, error) in corpus)
            {
                data.Add(database, kind, fileName, error);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(HostileFiles))]
    public async Task HandleAsync_HostileFile_RejectedWithCodeAndNothingStored(DatabaseKind kind, string file, string fileName, UploadError expected)
    {
        await using var harness = await AssetsHarness.CreateAsync(kind);
        var bytes = file switch
        {
            "oversized" => [0xFF, 0xD8, 0xFF, .. new byte[20 * 1024 * 1024]],
            "html-then-png" => [.. "<html><script>alert(1)</script><!--"u8, .. TestImages.Png(16, 16)],
            _ => LocalImageProcessorTests.MakeBad(file),
        };

        var response = await harness.UploadAsync(bytes, fileName);

        Assert.False(response.Succeeded);
        Assert.Equal(expected, response.Rejection.Error);
        Assert.Equal(UploadErrors.Code(expected), response.Rejection.Code);
        Assert.Null(response.Asset);
        Assert.Equal(0, await harness.CountAssetsAsync());
        await using var check = harness.Database.CreateContext(harness.WorkspaceId);
        Assert.Equal(0, await check.Jobs.CountAsync(TestContext.Current.CancellationToken));
        Assert.Equal(0, harness.CountBlobFiles());
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task HandleAsync_RejectionArguments_FillTheMessagePlaceholders(DatabaseKind kind)
    {
        await using var harness = await AssetsHarness.CreateAsync(kind, maxUploadBytes: 5 * 1024 * 1024);

        var tooLarge = await harness.Upload.HandleAsync(
            new UploadAsset.Request(new NonSeekableStream(new byte[(5 * 1024 * 1024) + 1]), "big.jpg"), TestContext.Current.CancellationToken);
        var tooManyPixels = await harness.UploadAsync(TestImages.PngBomb(50_000, 50_000), "bomb.png");

        Assert.Equal(UploadError.TooLarge, tooLarge.Rejection!.Error);
        Assert.Equal([5.0], tooLarge.Rejection.Arguments);
        Assert.Equal(UploadError.TooManyPixels, tooManyPixels.Rejection!.Error);
        Assert.Equal([40L, 12_000], tooManyPixels.Rejection.Arguments);
        Assert.Equal(0, harness.CountBlobFiles());
    }

    [Theory]
    [MemberData(nameof(GoodUploads))]
    public async Task HandleAsync_GoodImage_StoresReencodedBlobAssetAndThumbnailJob(DatabaseKind kind, string format, string contentType)
    {
        await using var harness = await AssetsHarness.CreateAsync(kind);
        var bytes = LocalImageProcessorTests.Make(format, 640, 427);

        var response = await harness.UploadAsync(bytes, "../../etc/Spring \u202Egpj.exe\u0000 catalogue.jpg");

        Assert.True(response.Succeeded);
        await using var check = harness.Database.CreateContext(harness.WorkspaceId);
        var asset = await check.Assets.SingleAsync(TestContext.Current.CancellationToken);
        Assert.Equal(response.Asset.Id, asset.Id);
        Assert.Equal((640, 427), (asset.Width, asset.Height));
        Assert.Equal(contentType, asset.ContentType);
        Assert.Equal(AssetKind.Upload, asset.Kind);
        Assert.Equal("upload", asset.Source);
        Assert.Equal("Spring gpj.exe catalogue.jpg", asset.OriginalFileName);
        Assert.Equal(harness.UserId, asset.CreatedByUserId);
        Assert.Equal(harness.Time.GetUtcNow().UtcDateTime, asset.CreatedAt);
        Assert.Null(asset.ThumbnailBlobKey);

        var stored = await harness.ReadBlobAsync(asset.BlobKey);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(stored)), asset.Sha256);
        Assert.Equal($"{harness.WorkspaceId:N}/{asset.Sha256}", asset.BlobKey);
        Assert.Equal(stored.Length, asset.ByteSize);
        Assert.NotEqual(bytes, stored);
        using (var decoded = Image.NewFromBuffer(stored))
        {
            Assert.Equal((640, 427), (decoded.Width, decoded.Height));
        }

        var job = await check.Jobs.SingleAsync(TestContext.Current.CancellationToken);
        Assert.Equal((ThumbnailJob.JobKind, asset.Id, JobStatus.Queued), (job.Kind, job.SubjectId, job.Status));
        Assert.Equal(response.ThumbnailJobId, job.Id);
        Assert.Equal(job.Id, (await check.OutboxMessages.SingleAsync(TestContext.Current.CancellationToken)).JobId);
        Assert.Equal(1, harness.CountBlobFiles());
    }

    public static TheoryData<DatabaseKind, string, string> GoodUploads()
    {
        var data = new TheoryData<DatabaseKind, string, string>();
        foreach (var database in new[] { DatabaseKind.Sqlite, DatabaseKind.Postgres })
        {
            data.Add(database, "jpeg", "image/jpeg");
            data.Add(database, "png", "image/png");
            data.Add(database, "webp-lossy", "image/webp");
            data.Add(database, "tiff", "image/jpeg");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task HandleAsync_JpegWithExifGps_StoredBytesHaveNoExifOrGps(DatabaseKind kind)
    {
        await using var harness = await AssetsHarness.CreateAsync(kind);

        var response = await harness.UploadAsync(TestImages.JpegWithGps(64, 48), "IMG_0001.JPG");

        Assert.True(response.Succeeded);
        var stored = await harness.ReadBlobAsync(response.Asset.BlobKey);
        Assert.DoesNotContain((byte)0xE1, TestImages.JpegHeaderMarkers(stored));
        Assert.False(TestImages.Contains(stored, "Exif"));
        Assert.False(TestImages.Contains(stored, "GPS"));
        Assert.False(TestImages.Contains(stored, "xmpmeta"));
        Assert.Equal((48, 64), (response.Asset.Width, response.Asset.Height));
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task HandleAsync_PngHtmlPolyglot_StoresOnlyCleanReencodedPng(DatabaseKind kind)
    {
        await using var harness = await AssetsHarness.CreateAsync(kind);

        var response = await harness.UploadAsync(TestImages.PngHtmlPolyglot(), "polyglot.png");

        Assert.True(response.Succeeded);
        var stored = await harness.ReadBlobAsync(response.Asset.BlobKey);
        Assert.False(TestImages.Contains(stored, "<script>"));
        Assert.False(TestImages.Contains(stored, "<html>"));
        Assert.Equal("image/png", response.Asset.ContentType);
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task HandleAsync_SameBytesTwice_ReusesBlobWithTwoAssets(DatabaseKind kind)
    {
        await using var harness = await AssetsHarness.CreateAsync(kind);
        var bytes = TestImages.Png(50, 50);

        var first = await harness.UploadAsync(bytes, "a.png");
        var second = await harness.UploadAsync(bytes, "b.png");

        Assert.True(first.Succeeded && second.Succeeded);
        Assert.NotEqual(first.Asset.Id, second.Asset.Id);
        Assert.Equal(first.Asset.BlobKey, second.Asset.BlobKey);
        Assert.Equal(2, await harness.CountAssetsAsync());
        Assert.Equal(1, harness.CountBlobFiles());
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task HandleAsync_OtherWorkspace_CannotSeeTheAsset(DatabaseKind kind)
    {
        await using var harness = await AssetsHarness.CreateAsync(kind);
        var otherWorkspace = await AssetsHarness.AddWorkspaceAsync(harness.Database);

        var response = await harness.UploadAsync(TestImages.Jpeg(40, 30));

        Assert.True(response.Succeeded);
        await using var other = harness.Database.CreateContext(otherWorkspace);
        Assert.Equal(0, await other.Assets.CountAsync(TestContext.Current.CancellationToken));
        Assert.Equal(1, await harness.CountAssetsAsync());
    }

    [Theory]
    [InlineData("photo.jpg", "photo.jpg")]
    [InlineData("C:\\Users\\ann\\Desktop\\shoe.png", "shoe.png")]
    [InlineData("../../../etc/passwd", "passwd")]
    [InlineData("..%2f..%2fsecret.jpg", "..%2f..%2fsecret.jpg")]
    [InlineData("evil\u202Egnp.exe", "evilgnp.exe")]
    [InlineData("a\r\nContent-Disposition: x.jpg", "aContent-Disposition: x.jpg")]
    [InlineData("quote\".jpg", "quote\".jpg")]
    [InlineData("nul\u0000.jpg", "nul.jpg")]
    [InlineData("\u200B\u2066hidden\u2069.jpg", "hidden.jpg")]
    [InlineData("商品主图 1.jpg", "商品主图 1.jpg")]
    [InlineData("  ", null)]
    [InlineData("..", null)]
    [InlineData("dir/", null)]
    [InlineData(null, null)]
    public void FileNameSanitizer_HostileNames_AreCleaned(string? input, string? expected)
    {
        Assert.Equal(expected, FileNameSanitizer.Sanitize(input));
    }

    [Fact]
    public void FileNameSanitizer_LongName_IsCutTo255WithoutSplittingSurrogates()
    {
        var longName = new string('a', 254) + "😀" + new string('b', 10_000);

        var result = FileNameSanitizer.Sanitize(longName);

        Assert.Equal(new string('a', 254), result);
        Assert.Equal(255, FileNameSanitizer.Sanitize(new string('x', 10_000))!.Length);
    }

    private sealed class NonSeekableStream(byte[] data) : Stream
    {
        private readonly MemoryStream _inner = new(data);

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
