using CommerceOS.Core.Catalog;
using CommerceOS.Core.Common;
using CommerceOS.Core.Workspaces;
using CommerceOS.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static CommerceOS.Tests.Catalog.CatalogScope;

namespace CommerceOS.Tests.Catalog;

public sealed class ProductsTests
{
    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task CreateProduct_ValidInput_GetReturnsStoredProduct(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        await using var scope = await CatalogScope.CreateAsync(db);
        var input = Sample(" SCARF-1 ", "真丝围巾 Silk scarf", Variant("SCARF-1-R", 12900, "cny"), Variant("SCARF-1-B", 13900, "CNY", color: "蓝色"));

        var created = await scope.CreateAsync(input);
        await using var reader = await CatalogScope.CreateAsync(db, WorkspaceRole.Viewer, scope.WorkspaceId);
        var fetched = await reader.GetProduct.HandleAsync(new GetProduct.Request(created.Id), Ct);

        Assert.True(fetched.IsSuccess, fetched.ToString());
        var product = fetched.Value;
        Assert.Equal("SCARF-1", product.Sku);
        Assert.Equal("真丝围巾 Silk scarf", product.Title);
        Assert.Equal(input.Attributes, product.Attributes);
        Assert.Equal(["Soft", "Gift box"], product.SellingPoints);
        Assert.Equal(ProductStatus.Active, product.Status);
        Assert.Equal(["SCARF-1-R", "SCARF-1-B"], product.Variants.Select(v => v.Sku));
        Assert.Equal("蓝色", product.Variants[1].Options["Color"]);
        Assert.Equal([12900L, 13900L], product.Variants.Select(v => v.PriceMinor));
        Assert.All(product.Variants, v => Assert.Equal("CNY", v.Currency));
        Assert.Equal(Start.UtcDateTime, product.CreatedAt);
        Assert.Equal(created.UpdatedAt, product.UpdatedAt);
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task CreateProduct_InvalidInput_InvalidAndNothingStored(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        await using var scope = await CatalogScope.CreateAsync(db);

        var result = await scope.CreateProduct.HandleAsync(new CreateProduct.Request(new ProductInput("bad sku", "", Variants: [Variant("V1", -5)])), Ct);

        Assert.Equal(ResultStatus.Invalid, result.Status);
        Assert.Equal(
            [CatalogErrors.SkuInvalid, CatalogErrors.TitleRequired, CatalogErrors.PriceNegative],
            result.Errors.Select(e => e.Code));
        Assert.Equal(0, await scope.Db.Products.CountAsync(Ct));
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task CreateProduct_SkuOrVariantSkuTaken_Conflict(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        await using var scope = await CatalogScope.CreateAsync(db);
        await scope.CreateAsync(Sample("P1", "First", Variant("V1")));

        var sameSku = await scope.CreateProduct.HandleAsync(new CreateProduct.Request(Sample("P1", "Second")), Ct);
        var sameVariant = await scope.CreateProduct.HandleAsync(new CreateProduct.Request(Sample("P2", "Second", Variant("V2"), Variant("V1"))), Ct);

        Assert.Equal(ResultStatus.Conflict, sameSku.Status);
        Assert.Equal(FieldError.Of("sku", CatalogErrors.SkuTaken, "P1"), Assert.Single(sameSku.Errors));
        Assert.Equal(ResultStatus.Conflict, sameVariant.Status);
        Assert.Equal(FieldError.Of("variants[1].sku", CatalogErrors.VariantSkuTaken, "V1"), Assert.Single(sameVariant.Errors));
        Assert.Equal(1, await scope.Db.Products.CountAsync(Ct));
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task CreateProduct_SameSkuInAnotherWorkspace_Allowed(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        await using var first = await CatalogScope.CreateAsync(db);
        await using var second = await CatalogScope.CreateAsync(db);

        await first.CreateAsync(Sample("P1", "Mine", Variant("V1")));
        var result = await second.CreateProduct.HandleAsync(new CreateProduct.Request(Sample("P1", "Yours", Variant("V1"))), Ct);

        Assert.True(result.IsSuccess, result.ToString());
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Writes_AsViewer_ForbiddenWhileReadsWork(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        await using var editor = await CatalogScope.CreateAsync(db);
        var product = await editor.CreateAsync(Sample("P1"));
        await using var viewer = await CatalogScope.CreateAsync(db, WorkspaceRole.Viewer, editor.WorkspaceId);

        Assert.Equal(ResultStatus.Forbidden, (await viewer.CreateProduct.HandleAsync(new CreateProduct.Request(Sample("P2")), Ct)).Status);
        Assert.Equal(ResultStatus.Forbidden, (await viewer.UpdateProduct.HandleAsync(new UpdateProduct.Request(product.Id, product.UpdatedAt, Sample("P1", "New")), Ct)).Status);
        Assert.Equal(ResultStatus.Forbidden, (await viewer.DeleteProduct.HandleAsync(new DeleteProduct.Request(product.Id), Ct)).Status);
        Assert.Equal(ResultStatus.Forbidden, (await viewer.DuplicateProduct.HandleAsync(new DuplicateProduct.Request(product.Id), Ct)).Status);
        Assert.Equal(CommonErrors.Forbidden, (await viewer.CreateProduct.HandleAsync(new CreateProduct.Request(Sample("P2")), Ct)).Errors[0].Code);
        Assert.True((await viewer.GetProduct.HandleAsync(new GetProduct.Request(product.Id), Ct)).IsSuccess);
        Assert.Equal(1, (await viewer.ListProducts.HandleAsync(new ListProducts.Request(), Ct)).Value.TotalCount);
        Assert.Equal(1, await viewer.Db.Products.CountAsync(Ct));
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task ProductOfAnotherWorkspace_NotFoundEverywhereAndUntouched(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        await using var owner = await CatalogScope.CreateAsync(db);
        var product = await owner.CreateAsync(Sample("P1", "Theirs", Variant("V1")));
        var asset = await owner.AddAssetAsync();
        await using var other = await CatalogScope.CreateAsync(db, WorkspaceRole.Owner);
        var otherAsset = await other.AddAssetAsync();

        Assert.Equal(ResultStatus.NotFound, (await other.GetProduct.HandleAsync(new GetProduct.Request(product.Id), Ct)).Status);
        Assert.Equal(ResultStatus.NotFound, (await other.UpdateProduct.HandleAsync(new UpdateProduct.Request(product.Id, product.UpdatedAt, Sample("P1", "Hijacked")), Ct)).Status);
        Assert.Equal(ResultStatus.NotFound, (await other.DeleteProduct.HandleAsync(new DeleteProduct.Request(product.Id), Ct)).Status);
        Assert.Equal(ResultStatus.NotFound, (await other.DuplicateProduct.HandleAsync(new DuplicateProduct.Request(product.Id), Ct)).Status);
        Assert.Equal(ResultStatus.NotFound, (await other.AddPhoto.HandleAsync(new AddPhoto.Request(product.Id, otherAsset), Ct)).Status);
        Assert.Equal(ResultStatus.NotFound, (await other.ReorderPhotos.HandleAsync(new ReorderPhotos.Request(product.Id, []), Ct)).Status);
        Assert.Equal(0, (await other.ListProducts.HandleAsync(new ListProducts.Request(Search: "P1"), Ct)).Value.TotalCount);

        // Nor may a product of this workspace take a photo from the other one.
        var mine = await other.CreateAsync(Sample("MINE"));
        var stolen = await other.AddPhoto.HandleAsync(new AddPhoto.Request(mine.Id, asset), Ct);
        Assert.Equal(FieldError.Of("assetId", CatalogErrors.AssetNotFound), Assert.Single(stolen.Errors));

        var unchanged = await owner.GetProduct.HandleAsync(new GetProduct.Request(product.Id), Ct);
        Assert.Equal("Theirs", unchanged.Value.Title);
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task UpdateProduct_CurrentVersion_ReplacesFieldsAndVariantsKeepingMatchedIds(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        await using var scope = await CatalogScope.CreateAsync(db);
        var product = await scope.CreateAsync(Sample("P1", "Old", Variant("V1", 1000), Variant("V2", 2000)));
        scope.Time.Advance(TimeSpan.FromMinutes(5));
        var input = new ProductInput("P1-NEW", "New title", Status: ProductStatus.Archived, Variants: [Variant("V3", 3000), Variant("V1", 1500, color: "Black")]);

        var result = await scope.UpdateProduct.HandleAsync(new UpdateProduct.Request(product.Id, product.UpdatedAt, input), Ct);

        Assert.True(result.IsSuccess, result.ToString());
        await using var fresh = await CatalogScope.CreateAsync(db, WorkspaceRole.Viewer, scope.WorkspaceId);
        var stored = (await fresh.GetProduct.HandleAsync(new GetProduct.Request(product.Id), Ct)).Value;
        Assert.Equal("P1-NEW", stored.Sku);
        Assert.Equal("New title", stored.Title);
        Assert.Null(stored.Description);
        Assert.Empty(stored.SellingPoints);
        Assert.Equal(ProductStatus.Archived, stored.Status);
        Assert.Equal(["V3", "V1"], stored.Variants.Select(v => v.Sku));
        Assert.Equal(product.Variants[0].Id, stored.Variants[1].Id);
        Assert.Equal(1500, stored.Variants[1].PriceMinor);
        Assert.Equal("Black", stored.Variants[1].Options["Color"]);
        Assert.Equal(Start.UtcDateTime.AddMinutes(5), stored.UpdatedAt);
        Assert.Equal(2, await fresh.Db.ProductVariants.CountAsync(Ct));
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task UpdateProduct_StaleVersion_EditConflictAndFirstSaveKept(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        await using var alice = await CatalogScope.CreateAsync(db);
        var loaded = await alice.CreateAsync(Sample("P1", "Original"));
        await using var bob = await CatalogScope.CreateAsync(db, WorkspaceRole.Editor, alice.WorkspaceId, alice.Time);
        alice.Time.Advance(TimeSpan.FromSeconds(1));

        var first = await alice.UpdateProduct.HandleAsync(new UpdateProduct.Request(loaded.Id, loaded.UpdatedAt, Sample("P1", "Alice")), Ct);
        var second = await bob.UpdateProduct.HandleAsync(new UpdateProduct.Request(loaded.Id, loaded.UpdatedAt, Sample("P1", "Bob")), Ct);

        Assert.True(first.IsSuccess, first.ToString());
        Assert.Equal(ResultStatus.Conflict, second.Status);
        Assert.Equal(CatalogErrors.EditConflict, Assert.Single(second.Errors).Code);
        var stored = await bob.GetProduct.HandleAsync(new GetProduct.Request(loaded.Id), Ct);
        Assert.Equal("Alice", stored.Value.Title);

        var retried = await bob.UpdateProduct.HandleAsync(new UpdateProduct.Request(loaded.Id, stored.Value.UpdatedAt, Sample("P1", "Bob")), Ct);
        Assert.True(retried.IsSuccess, retried.ToString());
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task UpdateProduct_RealClockTicks_VersionRoundTripsThroughDatabase(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 9, 30, 0, TimeSpan.Zero).AddTicks(1234567));
        await using var scope = await CatalogScope.CreateAsync(db, time: time);
        var created = await scope.CreateAsync(Sample("P1"));
        await using var other = await CatalogScope.CreateAsync(db, WorkspaceRole.Editor, scope.WorkspaceId, time);
        var loaded = (await other.GetProduct.HandleAsync(new GetProduct.Request(created.Id), Ct)).Value;

        var result = await other.UpdateProduct.HandleAsync(new UpdateProduct.Request(loaded.Id, loaded.UpdatedAt, Sample("P1", "Edited")), Ct);

        Assert.Equal(created.UpdatedAt, loaded.UpdatedAt);
        Assert.True(result.IsSuccess, result.ToString());
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task UpdateProduct_SkuOfAnotherProduct_SkuTaken(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        await using var scope = await CatalogScope.CreateAsync(db);
        await scope.CreateAsync(Sample("P1", "One", Variant("V1")));
        var second = await scope.CreateAsync(Sample("P2", "Two"));

        var result = await scope.UpdateProduct.HandleAsync(new UpdateProduct.Request(second.Id, second.UpdatedAt, Sample("P1", "Two", Variant("V1"))), Ct);

        Assert.Equal(ResultStatus.Conflict, result.Status);
        Assert.Equal([CatalogErrors.SkuTaken, CatalogErrors.VariantSkuTaken], result.Errors.Select(e => e.Code));
        var stored = await scope.Db.Products.AsNoTracking().SingleAsync(p => p.Id == second.Id, Ct);
        Assert.Equal(second.UpdatedAt, stored.UpdatedAt);
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task DuplicateProduct_Repeatedly_CopySuffixesVariantsAndSamePhotos(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        await using var scope = await CatalogScope.CreateAsync(db);
        var product = await scope.CreateAsync(Sample("SCARF", "Scarf", Variant("SCARF-R"), Variant("SCARF-B")));
        var asset1 = await scope.AddAssetAsync();
        var asset2 = await scope.AddAssetAsync();
        await scope.AddPhoto.HandleAsync(new AddPhoto.Request(product.Id, asset1), Ct);
        await scope.AddPhoto.HandleAsync(new AddPhoto.Request(product.Id, asset2), Ct);

        var first = (await scope.DuplicateProduct.HandleAsync(new DuplicateProduct.Request(product.Id), Ct)).Value;
        var second = (await scope.DuplicateProduct.HandleAsync(new DuplicateProduct.Request(product.Id), Ct)).Value;
        var third = (await scope.DuplicateProduct.HandleAsync(new DuplicateProduct.Request(product.Id), Ct)).Value;

        Assert.Equal(["SCARF-copy", "SCARF-copy-2", "SCARF-copy-3"], new[] { first.Sku, second.Sku, third.Sku });
        Assert.Equal(["SCARF-R-copy-2", "SCARF-B-copy-2"], second.Variants.Select(v => v.Sku));
        Assert.Equal([asset1, asset2], second.PhotoAssetIds);
        Assert.Equal(ProductStatus.Draft, second.Status);
        Assert.Equal(product.Title, second.Title);
        Assert.Equal(product.Attributes, second.Attributes);
        Assert.NotEqual(product.Id, second.Id);
        Assert.Equal(4, await scope.Db.Products.CountAsync(Ct));
        Assert.Equal(8, await scope.Db.ProductPhotos.CountAsync(Ct));
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task DuplicateProduct_VariantCopyAlreadyTaken_SkipsToFreeSuffix(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        await using var scope = await CatalogScope.CreateAsync(db);
        var product = await scope.CreateAsync(Sample("A", "A", Variant("A-1")));
        await scope.CreateAsync(Sample("OTHER", "Other", Variant("A-1-copy")));
        var longSku = await scope.CreateAsync(Sample(new string('L', 64), "Long"));

        var copy = (await scope.DuplicateProduct.HandleAsync(new DuplicateProduct.Request(product.Id), Ct)).Value;
        var longCopy = (await scope.DuplicateProduct.HandleAsync(new DuplicateProduct.Request(longSku.Id), Ct)).Value;

        Assert.Equal("A-copy-2", copy.Sku);
        Assert.Equal("A-1-copy-2", Assert.Single(copy.Variants).Sku);
        Assert.Equal(new string('L', 59) + "-copy", longCopy.Sku);
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task DeleteProduct_Existing_RemovesVariantsAndPhotoLinksButNotAssets(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        await using var scope = await CatalogScope.CreateAsync(db);
        var product = await scope.CreateAsync(Sample("P1", "Gone", Variant("V1"), Variant("V2")));
        var asset = await scope.AddAssetAsync();
        await scope.AddPhoto.HandleAsync(new AddPhoto.Request(product.Id, asset), Ct);

        var deleted = await scope.DeleteProduct.HandleAsync(new DeleteProduct.Request(product.Id), Ct);
        var again = await scope.DeleteProduct.HandleAsync(new DeleteProduct.Request(product.Id), Ct);

        Assert.True(deleted.IsSuccess);
        Assert.Equal(ResultStatus.NotFound, again.Status);
        Assert.Equal(0, await scope.Db.Products.CountAsync(Ct));
        Assert.Equal(0, await scope.Db.ProductVariants.CountAsync(Ct));
        Assert.Equal(0, await scope.Db.ProductPhotos.CountAsync(Ct));
        Assert.Equal(1, await scope.Db.Assets.CountAsync(Ct));
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Photos_AddReorderRemove_OrderKeptAndValidated(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        await using var scope = await CatalogScope.CreateAsync(db);
        var product = await scope.CreateAsync(Sample("P1"));
        var a = await scope.AddAssetAsync();
        var b = await scope.AddAssetAsync();
        var c = await scope.AddAssetAsync();

        await scope.AddPhoto.HandleAsync(new AddPhoto.Request(product.Id, a), Ct);
        await scope.AddPhoto.HandleAsync(new AddPhoto.Request(product.Id, b), Ct);
        var added = await scope.AddPhoto.HandleAsync(new AddPhoto.Request(product.Id, c), Ct);
        var repeated = await scope.AddPhoto.HandleAsync(new AddPhoto.Request(product.Id, b), Ct);
        var missing = await scope.AddPhoto.HandleAsync(new AddPhoto.Request(product.Id, Guid.NewGuid()), Ct);
        Assert.Equal([a, b, c], added.Value.AssetIds);
        Assert.Equal([a, b, c], repeated.Value.AssetIds);
        Assert.Equal(CatalogErrors.AssetNotFound, Assert.Single(missing.Errors).Code);

        var partial = await scope.ReorderPhotos.HandleAsync(new ReorderPhotos.Request(product.Id, [c, a]), Ct);
        var duplicated = await scope.ReorderPhotos.HandleAsync(new ReorderPhotos.Request(product.Id, [c, a, a]), Ct);
        var foreign = await scope.ReorderPhotos.HandleAsync(new ReorderPhotos.Request(product.Id, [c, a, Guid.NewGuid()]), Ct);
        var reordered = await scope.ReorderPhotos.HandleAsync(new ReorderPhotos.Request(product.Id, [c, a, b]), Ct);
        Assert.All([partial, duplicated, foreign], r => Assert.Equal(CatalogErrors.PhotosMismatch, Assert.Single(r.Errors).Code));
        Assert.Equal([c, a, b], reordered.Value.AssetIds);

        var removed = await scope.RemovePhoto.HandleAsync(new RemovePhoto.Request(product.Id, a), Ct);
        var removedAgain = await scope.RemovePhoto.HandleAsync(new RemovePhoto.Request(product.Id, a), Ct);
        Assert.Equal([c, b], removed.Value.AssetIds);
        Assert.Equal(ResultStatus.NotFound, removedAgain.Status);

        await using var fresh = await CatalogScope.CreateAsync(db, WorkspaceRole.Viewer, scope.WorkspaceId);
        var stored = (await fresh.GetProduct.HandleAsync(new GetProduct.Request(product.Id), Ct)).Value;
        Assert.Equal([c, b], stored.PhotoAssetIds);
        Assert.Equal([0, 1], await fresh.Db.ProductPhotos.OrderBy(p => p.Position).Select(p => p.Position).ToListAsync(Ct));
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task ListProducts_SearchCaseInsensitiveOnSkuTitleAndVariantSku(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        await using var scope = await CatalogScope.CreateAsync(db);
        await scope.CreateAsync(Sample("SCARF-01", "Red Silk Scarf"));
        await scope.CreateAsync(Sample("MUG-7", "真丝杯垫 coaster", Variant("MUG-7-BLUE")));
        await scope.CreateAsync(Sample("TEE_100", "Cotton tee 100%"));

        async Task<string[]> SearchAsync(string term) =>
            (await scope.ListProducts.HandleAsync(new ListProducts.Request(Search: term, Sort: ProductSort.Sku), Ct)).Value.Items.Select(i => i.Sku).ToArray();

        Assert.Equal(["SCARF-01"], await SearchAsync("silk"));
        Assert.Equal(["SCARF-01"], await SearchAsync("scarf-0"));
        Assert.Equal(["MUG-7"], await SearchAsync("真丝"));
        Assert.Equal(["MUG-7"], await SearchAsync("mug-7-blue"));
        Assert.Equal(["TEE_100"], await SearchAsync("100%"));
        Assert.Equal(["TEE_100"], await SearchAsync("e_1"));
        Assert.Empty(await SearchAsync("e%1"));
        Assert.Equal(["MUG-7", "SCARF-01", "TEE_100"], await SearchAsync("  "));
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task ListProducts_FiltersSortingAndPaging(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        await using var scope = await CatalogScope.CreateAsync(db);
        var brand = (await scope.CreateBrand.HandleAsync(new CreateBrand.Request(new BrandInput("Acme")), Ct)).Value;
        for (var i = 1; i <= 7; i++)
        {
            scope.Time.Advance(TimeSpan.FromMinutes(1));
            await scope.CreateAsync(new ProductInput(
                $"SKU-{i}",
                $"Title {(char)('H' - i)}",
                Category: i % 2 == 0 ? "Shoes" : "Home",
                BrandId: i <= 3 ? brand.Id : null,
                Status: i == 7 ? ProductStatus.Archived : ProductStatus.Active,
                Variants: i == 1 ? [Variant("SKU-1-A", 500), Variant("SKU-1-B", 900)] : []));
        }

        scope.Time.Advance(TimeSpan.FromMinutes(1));
        var asset = await scope.AddAssetAsync();
        var first = await scope.Db.Products.AsNoTracking().SingleAsync(p => p.Sku == "SKU-1", Ct);
        await scope.AddPhoto.HandleAsync(new AddPhoto.Request(first.Id, asset), Ct);

        async Task<ListProducts.Response> ListAsync(ListProducts.Request request) => (await scope.ListProducts.HandleAsync(request, Ct)).Value;

        // Adding the photo touched SKU-1 last, so it leads the default "recently updated" order.
        Assert.Equal(["SKU-1", "SKU-7", "SKU-6"], (await ListAsync(new ListProducts.Request(PageSize: 3))).Items.Select(i => i.Sku));
        var page3 = await ListAsync(new ListProducts.Request(Page: 3, PageSize: 3));
        Assert.Equal(7, page3.TotalCount);
        Assert.Equal(["SKU-2"], page3.Items.Select(i => i.Sku));
        Assert.Equal(["SKU-7", "SKU-6", "SKU-5"], (await ListAsync(new ListProducts.Request(Sort: ProductSort.Title, PageSize: 3))).Items.Select(i => i.Sku));
        Assert.Equal(["SKU-7", "SKU-6"], (await ListAsync(new ListProducts.Request(Sort: ProductSort.Sku, Descending: true, PageSize: 2))).Items.Select(i => i.Sku));
        Assert.Equal(["SKU-1", "SKU-2"], (await ListAsync(new ListProducts.Request(Sort: ProductSort.Created, Descending: false, PageSize: 2))).Items.Select(i => i.Sku));
        Assert.Equal(["SKU-2", "SKU-4", "SKU-6"], (await ListAsync(new ListProducts.Request(Category: "Shoes", Sort: ProductSort.Sku))).Items.Select(i => i.Sku));
        Assert.Equal(["SKU-1", "SKU-2", "SKU-3"], (await ListAsync(new ListProducts.Request(BrandId: brand.Id, Sort: ProductSort.Sku))).Items.Select(i => i.Sku));
        Assert.Equal(["SKU-7"], (await ListAsync(new ListProducts.Request(Status: ProductStatus.Archived))).Items.Select(i => i.Sku));

        var item = (await ListAsync(new ListProducts.Request(Search: "SKU-1"))).Items.Single();
        Assert.Equal(asset, item.FirstPhotoAssetId);
        Assert.Equal((2, 500L, 900L, "USD"), (item.VariantCount, item.MinPriceMinor!.Value, item.MaxPriceMinor!.Value, item.Currency!));
        var noVariants = (await ListAsync(new ListProducts.Request(Search: "SKU-2"))).Items.Single();
        Assert.Equal((0, null, null, null), (noVariants.VariantCount, noVariants.MinPriceMinor, noVariants.MaxPriceMinor, noVariants.FirstPhotoAssetId));
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task ListProducts_BadPaging_Invalid(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        await using var scope = await CatalogScope.CreateAsync(db, WorkspaceRole.Viewer);

        var result = await scope.ListProducts.HandleAsync(new ListProducts.Request(Page: 0, PageSize: 101), Ct);

        Assert.Equal(ResultStatus.Invalid, result.Status);
        Assert.Equal([FieldError.Of("page", CommonErrors.PageInvalid), FieldError.Of("pageSize", CommonErrors.PageSizeInvalid, 1, 100)], result.Errors);
    }
}
