using CommerceOS.Core.Accounts;
using CommerceOS.Core.Assets;
using CommerceOS.Core.Catalog;
using CommerceOS.Core.Common;
using CommerceOS.Core.Jobs;
using CommerceOS.Core.Workspaces;
using CommerceOS.Tests.Catalog;
using CommerceOS.Tests.Infrastructure;

namespace CommerceOS.Tests.Assets;

public sealed class ListAssetsTests
{
    private static readonly DateTime Day1 = new(2026, 3, 1, 10, 0, 0, DateTimeKind.Utc);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task HandleAsync_EachFilterAndSort_SelectsAndOrdersTheRightAssets(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        await using var scope = await CatalogScope.CreateAsync(db);
        var set = await SeedAsync(scope);
        var list = new ListAssets(scope.Db, scope.Workspace);

        async Task<List<Guid>> IdsAsync(ListAssets.Request request)
        {
            var result = await list.HandleAsync(request, Ct);
            Assert.True(result.IsSuccess, result.ToString());
            return [.. result.Value.Items.Select(a => a.Id)];
        }

        Assert.Equal([set.Cotton, set.Video, set.Scene, set.Blue, set.Red], await IdsAsync(new()));
        Assert.Equal([set.Red, set.Blue, set.Scene, set.Video, set.Cotton], await IdsAsync(new(Sort: AssetSort.Oldest)));
        Assert.Equal([set.Video, set.Blue, set.Scene, set.Red, set.Cotton], await IdsAsync(new(Sort: AssetSort.Largest)));
        Assert.Equal([set.Cotton, set.Blue, set.Red], await IdsAsync(new(Kind: AssetKind.Upload)));
        Assert.Equal([set.Video, set.Scene], await IdsAsync(new(Kind: AssetKind.Generated)));
        Assert.Equal([set.Video], await IdsAsync(new(MediaType: AssetMediaType.Video)));
        Assert.Equal([set.Cotton, set.Scene, set.Blue, set.Red], await IdsAsync(new(MediaType: AssetMediaType.Image)));
        Assert.Equal([set.Blue, set.Red], await IdsAsync(new(InProducts: true)));
        Assert.Equal([set.Cotton, set.Video, set.Scene], await IdsAsync(new(InProducts: false)));
        Assert.Equal([set.Blue], await IdsAsync(new(ProductId: set.Tote)));
        Assert.Equal([set.Scene, set.Blue], await IdsAsync(new(CreatedFrom: Day1.Date.AddDays(1), CreatedBefore: Day1.Date.AddDays(3))));
        Assert.Equal([set.Blue, set.Red], await IdsAsync(new(Search: " SCARF ")));
        Assert.Equal([set.Cotton, set.Blue], await IdsAsync(new(Search: "_")));
        Assert.Equal([set.Cotton], await IdsAsync(new(Search: "100%")));
        Assert.Equal([set.Red], await IdsAsync(new(Search: "红色")));
        Assert.Empty(await IdsAsync(new(Kind: AssetKind.Generated, InProducts: true)));
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task HandleAsync_Page_ReturnsSliceTotalAndProvenance(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        await using var scope = await CatalogScope.CreateAsync(db);
        var set = await SeedAsync(scope);
        var list = new ListAssets(scope.Db, scope.Workspace);

        var first = (await list.HandleAsync(new(PageSize: 2), Ct)).Value;
        var last = (await list.HandleAsync(new(Page: 3, PageSize: 2), Ct)).Value;
        var beyond = (await list.HandleAsync(new(Page: 4, PageSize: 2), Ct)).Value;

        Assert.Equal(5, first.TotalCount);
        Assert.Equal(3, first.PageCount);
        Assert.Equal([set.Cotton, set.Video], first.Items.Select(a => a.Id));
        Assert.Equal([set.Red], last.Items.Select(a => a.Id));
        Assert.Empty(beyond.Items);
        var page = (await list.HandleAsync(new(), Ct)).Value.Items.ToDictionary(a => a.Id);
        var blue = page[set.Blue];
        Assert.Equal(["Canvas tote", "Silk scarf"], blue.Products.Select(p => p.Title));
        Assert.Equal(["TOTE-1", "SCARF-1"], blue.Products.Select(p => p.Sku));
        Assert.Equal("Mina", blue.CreatedByName);
        Assert.Equal(scope.Workspace.UserId, blue.CreatedByUserId);
        Assert.True(blue.HasThumbnail);
        Assert.Equal((640, 480, 900L), (blue.Width, blue.Height, blue.ByteSize));
        Assert.False(page[set.Red].HasThumbnail);
        Assert.Null(page[set.Cotton].CreatedByName); // uploaded by someone who is not a member
        Assert.Equal("image.scene", page[set.Scene].JobKind);
        Assert.Equal("local-imaging", page[set.Scene].Source);
        Assert.Empty(page[set.Video].Products);
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task HandleAsync_BadRequest_InvalidWithCodes(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        await using var scope = await CatalogScope.CreateAsync(db);
        var list = new ListAssets(scope.Db, scope.Workspace);

        var result = await list.HandleAsync(
            new(Page: 0, PageSize: 101, Search: new string('a', 201), CreatedFrom: Day1, CreatedBefore: Day1),
            Ct);

        Assert.Equal(ResultStatus.Invalid, result.Status);
        Assert.Equal(
            [
                ("page", CommonErrors.PageInvalid),
                ("pageSize", CommonErrors.PageSizeInvalid),
                ("search", AssetErrorCodes.SearchTooLong),
                ("createdBefore", AssetErrorCodes.DateRangeInvalid),
            ],
            result.Errors.Select(e => (e.Field, e.Code)));
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task HandleAsync_OtherWorkspace_SeesNothingAndGetAssetIsNotFound(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        await using var scope = await CatalogScope.CreateAsync(db);
        await using var stranger = await CatalogScope.CreateAsync(db, WorkspaceRole.Viewer);
        var set = await SeedAsync(scope);

        var listed = await new ListAssets(stranger.Db, stranger.Workspace).HandleAsync(new(), Ct);
        var fetched = await new GetAsset(stranger.Db, stranger.Workspace).HandleAsync(new(set.Blue), Ct);
        var own = await new GetAsset(scope.Db, scope.Workspace).HandleAsync(new(set.Blue), Ct);

        Assert.True(listed.IsSuccess);
        Assert.Equal(0, listed.Value.TotalCount);
        Assert.Equal(ResultStatus.NotFound, fetched.Status);
        Assert.True(own.IsSuccess);
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task GetAsset_UsedAsLogoAndPhoto_ReturnsProvenanceProductsAndBrands(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        await using var scope = await CatalogScope.CreateAsync(db);
        var set = await SeedAsync(scope);
        var brand = await scope.CreateBrand.HandleAsync(new CreateBrand.Request(new BrandInput("山野 Outdoor", LogoAssetId: set.Blue)), Ct);
        Assert.True(brand.IsSuccess, brand.ToString());

        var details = (await new GetAsset(scope.Db, scope.Workspace).HandleAsync(new(set.Blue), Ct)).Value;

        Assert.Equal(set.Blue, details.Summary.Id);
        Assert.Equal("Blue_Scarf.png", details.Summary.OriginalFileName);
        Assert.Equal(2, details.Summary.Products.Count);
        Assert.Equal([new AssetBrandUse(brand.Value.Id, "山野 Outdoor")], details.Brands);
        Assert.Equal(new string('b', 64), details.Sha256);
    }

    [Fact]
    public async Task HandleAsync_NoWorkspaceRole_Forbidden()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        await using var context = db.CreateContext();
        var none = new WorkspaceContext();

        Assert.Equal(ResultStatus.Forbidden, (await new ListAssets(context, none).HandleAsync(new(), Ct)).Status);
        Assert.Equal(ResultStatus.Forbidden, (await new GetAsset(context, none).HandleAsync(new(Guid.CreateVersion7()), Ct)).Status);
    }

    private sealed record Seeded(Guid Red, Guid Blue, Guid Scene, Guid Video, Guid Cotton, Guid Scarf, Guid Tote);

    /// <summary>
    /// Five assets on five days: two uploads by the member Mina used as product photos, a generated
    /// scene made by a job, a generated video, and an upload by a non-member.
    /// </summary>
    private static async Task<Seeded> SeedAsync(CatalogScope scope)
    {
        var userId = scope.Workspace.UserId!.Value;
        scope.Db.Users.Add(new AppUser { Id = userId, UserName = $"mina-{userId:N}", Email = $"mina-{userId:N}@example.com", DisplayName = "Mina" });
        scope.Db.WorkspaceMembers.Add(new WorkspaceMember { WorkspaceId = scope.WorkspaceId, UserId = userId, Role = WorkspaceRole.Editor, JoinedAt = Day1 });
        var job = new Job { WorkspaceId = scope.WorkspaceId, Kind = "image.scene", CreatedAt = Day1 };
        scope.Db.Jobs.Add(job);
        await scope.Db.SaveChangesAsync(Ct);

        var red = await AddAsync(scope, "红色 red-scarf.JPG", "image/jpeg", 300, 0, AssetKind.Upload, userId);
        var blue = await AddAsync(scope, "Blue_Scarf.png", "image/png", 900, 1, AssetKind.Upload, userId, thumbnail: true, sha: 'b');
        var scene = await AddAsync(scope, "scene.webp", "image/webp", 500, 2, AssetKind.Generated, null, source: "local-imaging", jobId: job.Id);
        var video = await AddAsync(scope, "promo.mp4", "video/mp4", 2000, 3, AssetKind.Generated, null, source: "local-video");
        var cotton = await AddAsync(scope, "100%_cotton.png", "image/png", 100, 4, AssetKind.Upload, Guid.CreateVersion7());

        var scarf = await scope.CreateAsync(CatalogScope.Sample("SCARF-1", "Silk scarf"));
        var tote = await scope.CreateAsync(CatalogScope.Sample("TOTE-1", "Canvas tote"));
        foreach (var (product, asset) in new[] { (scarf.Id, red), (scarf.Id, blue), (tote.Id, blue) })
        {
            var added = await scope.AddPhoto.HandleAsync(new AddPhoto.Request(product, asset), Ct);
            Assert.True(added.IsSuccess, added.ToString());
        }

        return new Seeded(red, blue, scene, video, cotton, scarf.Id, tote.Id);
    }

    private static async Task<Guid> AddAsync(
        CatalogScope scope, string fileName, string contentType, long size, int day, AssetKind kind, Guid? userId,
        bool thumbnail = false, char sha = 'a', string source = UploadAsset.Source, Guid? jobId = null)
    {
        var created = Day1.AddDays(day);
        var asset = new Asset
        {
            WorkspaceId = scope.WorkspaceId,
            Kind = kind,
            ContentType = contentType,
            BlobKey = "blobs/" + Guid.NewGuid().ToString("N"),
            ThumbnailBlobKey = thumbnail ? "blobs/" + Guid.NewGuid().ToString("N") : null,
            ByteSize = size,
            Width = 640,
            Height = 480,
            Sha256 = new string(sha, 64),
            OriginalFileName = fileName,
            Source = source,
            JobId = jobId,
            CreatedByUserId = userId,
            CreatedAt = created,
            LastUsedAt = created,
        };
        scope.Db.Assets.Add(asset);
        await scope.Db.SaveChangesAsync(Ct);
        return asset.Id;
    }
}
