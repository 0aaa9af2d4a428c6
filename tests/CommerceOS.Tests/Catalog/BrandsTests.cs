using CommerceOS.Core.Catalog;
using CommerceOS.Core.Common;
using CommerceOS.Core.Workspaces;
using CommerceOS.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static CommerceOS.Tests.Catalog.CatalogScope;

namespace CommerceOS.Tests.Catalog;

public sealed class BrandsTests
{
    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task BrandCenter_OnStarter_CreateAndEditRefused_ReadAndDeleteStillWork(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        await using var scope = await CatalogScope.CreateAsync(db);
        var kept = (await scope.CreateBrand.HandleAsync(new CreateBrand.Request(new BrandInput("Kept")), Ct)).Value;
        // The seller moves down to Starter: what they made stays theirs to read and delete.
        await scope.Db.Subscriptions.ExecuteUpdateAsync(s => s.SetProperty(x => x.PlanCode, Core.Billing.PlanCatalog.Starter), Ct);

        var created = await scope.CreateBrand.HandleAsync(new CreateBrand.Request(new BrandInput("New one")), Ct);
        var updated = await scope.UpdateBrand.HandleAsync(new UpdateBrand.Request(kept.Id, new BrandInput("Renamed")), Ct);

        Assert.Equal((ResultStatus.Conflict, CatalogErrors.BrandCenterRequired), (created.Status, created.Errors[0].Code));
        Assert.Equal(["brand_center"], created.Errors[0].Args);
        Assert.Equal((ResultStatus.Conflict, CatalogErrors.BrandCenterRequired), (updated.Status, updated.Errors[0].Code));
        Assert.Equal(["Kept"], (await scope.ListBrands.HandleAsync(new ListBrands.Request(), Ct)).Value.Select(b => b.Name));
        Assert.Equal("Kept", (await scope.GetBrand.HandleAsync(new GetBrand.Request(kept.Id), Ct)).Value.Name);
        Assert.True((await scope.DeleteBrand.HandleAsync(new DeleteBrand.Request(kept.Id), Ct)).IsSuccess);
        Assert.Equal(0, await scope.Db.Brands.CountAsync(Ct));
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task CreateBrand_ValidInput_NormalisedAndStored(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        await using var scope = await CatalogScope.CreateAsync(db);
        var input = new BrandInput(
            " 山野 Outdoor ",
            Voice: "Calm, expert.",
            Tone: " Technical ",
            Palette: ["#7c3aed", "#FFFFFF"],
            Fonts: new BrandFonts("Inter", "Noto Sans SC"),
            BannedWords: [" cheap ", "Cheap", "", "最便宜", "CHEAP", "best"],
            Glossary: [new GlossaryTerm("down jacket", "羽绒服", "zh-CN"), new GlossaryTerm("ダウン", "down", "ja")]);

        var created = await scope.CreateBrand.HandleAsync(new CreateBrand.Request(input), Ct);

        Assert.True(created.IsSuccess, created.ToString());
        var stored = (await scope.GetBrand.HandleAsync(new GetBrand.Request(created.Value.Id), Ct)).Value;
        Assert.Equal("山野 Outdoor", stored.Name);
        Assert.Equal("technical", stored.Tone);
        Assert.Equal(["#7C3AED", "#FFFFFF"], stored.Palette);
        Assert.Equal(["cheap", "最便宜", "best"], stored.BannedWords);
        Assert.Equal(new BrandFonts("Inter", "Noto Sans SC"), stored.Fonts);
        Assert.Equal(input.Glossary, stored.Glossary);
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task CreateBrand_InvalidFields_EachReported(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        await using var scope = await CatalogScope.CreateAsync(db);
        var input = new BrandInput(
            "",
            Tone: "angry",
            Palette: ["#12345", "red", "#000000", "#000000", "#000000", "#000000", "#000000", "#000000", "#000000"],
            BannedWords: Enumerable.Range(0, 201).Select(i => $"w{i}").ToList(),
            Glossary: [new GlossaryTerm("", "x", "english!"), new GlossaryTerm("a", "", "pt-BR")]);

        var result = await scope.CreateBrand.HandleAsync(new CreateBrand.Request(input), Ct);

        Assert.Equal(ResultStatus.Invalid, result.Status);
        Assert.Equal(
            [
                ("name", CatalogErrors.BrandNameRequired),
                ("tone", CatalogErrors.BrandToneInvalid),
                ("palette", CatalogErrors.TooManyPaletteColors),
                ("palette[0]", CatalogErrors.PaletteColorInvalid),
                ("palette[1]", CatalogErrors.PaletteColorInvalid),
                ("bannedWords", CatalogErrors.TooManyBannedWords),
                ("glossary[0].source", CatalogErrors.GlossarySourceRequired),
                ("glossary[0].language", CatalogErrors.GlossaryLanguageInvalid),
                ("glossary[1].target", CatalogErrors.GlossaryTargetRequired),
            ],
            result.Errors.Select(e => (e.Field, e.Code)));
        Assert.Equal(0, await scope.Db.Brands.CountAsync(Ct));
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task CreateBrand_NameTakenIgnoringCase_ConflictButOtherWorkspaceFine(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        await using var scope = await CatalogScope.CreateAsync(db);
        await using var other = await CatalogScope.CreateAsync(db);
        await scope.CreateBrand.HandleAsync(new CreateBrand.Request(new BrandInput("Acme")), Ct);

        var duplicate = await scope.CreateBrand.HandleAsync(new CreateBrand.Request(new BrandInput("ACME")), Ct);
        var elsewhere = await other.CreateBrand.HandleAsync(new CreateBrand.Request(new BrandInput("Acme")), Ct);

        Assert.Equal(ResultStatus.Conflict, duplicate.Status);
        Assert.Equal(FieldError.Of("name", CatalogErrors.BrandNameTaken, "ACME"), Assert.Single(duplicate.Errors));
        Assert.True(elsewhere.IsSuccess);
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task UpdateBrand_RenameAndReplace_StoredAndNameCheckExcludesItself(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        await using var scope = await CatalogScope.CreateAsync(db);
        var brand = (await scope.CreateBrand.HandleAsync(new CreateBrand.Request(new BrandInput("Acme", Palette: ["#000000"])), Ct)).Value;
        await scope.CreateBrand.HandleAsync(new CreateBrand.Request(new BrandInput("Globex")), Ct);
        scope.Time.Advance(TimeSpan.FromHours(1));

        var renamed = await scope.UpdateBrand.HandleAsync(new UpdateBrand.Request(brand.Id, new BrandInput("acme", Tone: "warm")), Ct);
        var clash = await scope.UpdateBrand.HandleAsync(new UpdateBrand.Request(brand.Id, new BrandInput("globex")), Ct);

        Assert.True(renamed.IsSuccess, renamed.ToString());
        Assert.Equal(("acme", "warm", 0), (renamed.Value.Name, renamed.Value.Tone, renamed.Value.Palette.Count));
        Assert.Equal(Start.UtcDateTime.AddHours(1), renamed.Value.UpdatedAt);
        Assert.Equal(CatalogErrors.BrandNameTaken, Assert.Single(clash.Errors).Code);
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task DeleteBrand_WithProducts_ProductsStayWithoutBrand(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        await using var scope = await CatalogScope.CreateAsync(db);
        var brand = (await scope.CreateBrand.HandleAsync(new CreateBrand.Request(new BrandInput("Acme")), Ct)).Value;
        var product = await scope.CreateAsync(new ProductInput("P1", "Branded", BrandId: brand.Id));

        var deleted = await scope.DeleteBrand.HandleAsync(new DeleteBrand.Request(brand.Id), Ct);

        Assert.True(deleted.IsSuccess);
        await using var fresh = await CatalogScope.CreateAsync(db, WorkspaceRole.Viewer, scope.WorkspaceId);
        var stored = (await fresh.GetProduct.HandleAsync(new GetProduct.Request(product.Id), Ct)).Value;
        Assert.Null(stored.BrandId);
        Assert.Equal(ResultStatus.NotFound, (await fresh.GetBrand.HandleAsync(new GetBrand.Request(brand.Id), Ct)).Status);
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Brands_OtherWorkspaceAndViewer_NotFoundAndForbidden(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        await using var owner = await CatalogScope.CreateAsync(db);
        var brand = (await owner.CreateBrand.HandleAsync(new CreateBrand.Request(new BrandInput("Acme")), Ct)).Value;
        await using var stranger = await CatalogScope.CreateAsync(db, WorkspaceRole.Owner);
        await using var viewer = await CatalogScope.CreateAsync(db, WorkspaceRole.Viewer, owner.WorkspaceId);

        Assert.Equal(ResultStatus.NotFound, (await stranger.GetBrand.HandleAsync(new GetBrand.Request(brand.Id), Ct)).Status);
        Assert.Equal(ResultStatus.NotFound, (await stranger.UpdateBrand.HandleAsync(new UpdateBrand.Request(brand.Id, new BrandInput("Mine")), Ct)).Status);
        Assert.Equal(ResultStatus.NotFound, (await stranger.DeleteBrand.HandleAsync(new DeleteBrand.Request(brand.Id), Ct)).Status);
        Assert.Empty((await stranger.ListBrands.HandleAsync(new ListBrands.Request(), Ct)).Value);
        var foreignBrand = await stranger.CreateProduct.HandleAsync(new CreateProduct.Request(new ProductInput("P1", "T", BrandId: brand.Id)), Ct);
        Assert.Equal(FieldError.Of("brandId", CatalogErrors.BrandNotFound), Assert.Single(foreignBrand.Errors));

        Assert.Equal(ResultStatus.Forbidden, (await viewer.CreateBrand.HandleAsync(new CreateBrand.Request(new BrandInput("X")), Ct)).Status);
        Assert.Equal(ResultStatus.Forbidden, (await viewer.DeleteBrand.HandleAsync(new DeleteBrand.Request(brand.Id), Ct)).Status);
        Assert.Equal("Acme", Assert.Single((await viewer.ListBrands.HandleAsync(new ListBrands.Request(), Ct)).Value).Name);
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task ListBrands_SortedByNameWithProductCounts(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        await using var scope = await CatalogScope.CreateAsync(db);
        var zeta = (await scope.CreateBrand.HandleAsync(new CreateBrand.Request(new BrandInput("Zeta")), Ct)).Value;
        await scope.CreateBrand.HandleAsync(new CreateBrand.Request(new BrandInput("Alpha")), Ct);
        await scope.CreateAsync(new ProductInput("P1", "One", BrandId: zeta.Id));
        await scope.CreateAsync(new ProductInput("P2", "Two", BrandId: zeta.Id));

        var brands = (await scope.ListBrands.HandleAsync(new ListBrands.Request(), Ct)).Value;

        Assert.Equal([("Alpha", 0), ("Zeta", 2)], brands.Select(b => (b.Name, b.ProductCount)));
    }
}
