using System.Diagnostics;
using System.Globalization;
using System.Text;
using CommerceOS.Core.Catalog;
using CommerceOS.Core.Common;
using CommerceOS.Core.Workspaces;
using CommerceOS.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using static CommerceOS.Tests.Catalog.CatalogScope;

namespace CommerceOS.Tests.Catalog;

public sealed class ProductCsvTests
{
    private static MemoryStream Csv(string text, bool bom = false)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        return new MemoryStream(bom ? [.. Encoding.UTF8.Preamble, .. bytes] : bytes);
    }

    private static async Task<ImportProductsCsv.Response> ImportAsync(CatalogScope scope, string text, CsvImportMode mode = CsvImportMode.Upsert)
    {
        using var stream = Csv(text);
        var result = await scope.ImportProductsCsv.HandleAsync(new ImportProductsCsv.Request(stream, mode), Ct);
        Assert.True(result.IsSuccess, result.ToString());
        return result.Value;
    }

    private static async Task<string> ExportAsync(CatalogScope scope)
    {
        using var output = new MemoryStream();
        var result = await scope.ExportProductsCsv.HandleAsync(new ExportProductsCsv.Request(output), Ct);
        Assert.True(result.IsSuccess, result.ToString());
        return Encoding.UTF8.GetString(output.ToArray());
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task ImportProductsCsv_TenThousandRows_AllProductsAndVariantsCreated(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        await using var scope = await CatalogScope.CreateAsync(db);
        await scope.CreateBrand.HandleAsync(new CreateBrand.Request(new BrandInput("Acme 品牌")), Ct);
        var csv = new StringBuilder("sku,title,description,brand,category,status,selling_points,attributes,variant_sku,variant_options,price,currency,stock\r\n");
        string[] sizes = ["S", "M", "L", "XL"];
        for (var p = 0; p < 2_500; p++)
        {
            foreach (var size in sizes)
            {
                csv.Append(CultureInfo.InvariantCulture, $"BULK-{p:D5},\"纯棉T恤 Cotton tee #{p}, crew neck\",Soft jersey,Acme 品牌,Fashion,active,Soft | Breathable,Material=Cotton; Weight=180[g],BULK-{p:D5}-{size},Color=White; Size={size},{p % 100}.99,USD,{p % 7}\r\n");
            }
        }

        using var stream = Csv(csv.ToString(), bom: true);
        var stopwatch = Stopwatch.StartNew();
        var result = await scope.ImportProductsCsv.HandleAsync(new ImportProductsCsv.Request(stream), Ct);
        stopwatch.Stop();
        TestContext.Current.TestOutputHelper?.WriteLine($"Imported 10,000 rows (2,500 products x 4 variants) on {kind} in {stopwatch.Elapsed.TotalSeconds:F2} s");
        TestContext.Current.SendDiagnosticMessage($"catalog CSV import, 10,000 rows, {kind}: {stopwatch.Elapsed.TotalSeconds:F2} s");

        Assert.True(result.IsSuccess, result.ToString());
        Assert.Equal((10_000, 2_500, 0, 0), (result.Value.Rows, result.Value.ProductsCreated, result.Value.ProductsUpdated, result.Value.ProductsFailed));
        Assert.Equal(10_000, result.Value.Report.Count);
        Assert.All(result.Value.Report, r => Assert.Equal(CsvRowOutcome.Created, r.Outcome));
        Assert.Equal(2_500, await scope.Db.Products.CountAsync(Ct));
        Assert.Equal(10_000, await scope.Db.ProductVariants.CountAsync(Ct));
        var sample = (await scope.GetProduct.HandleAsync(new GetProduct.Request((await scope.Db.Products.SingleAsync(p => p.Sku == "BULK-01234", Ct)).Id), Ct)).Value;
        Assert.Equal("纯棉T恤 Cotton tee #1234, crew neck", sample.Title);
        Assert.Equal(["BULK-01234-S", "BULK-01234-M", "BULK-01234-L", "BULK-01234-XL"], sample.Variants.Select(v => v.Sku));
        Assert.All(sample.Variants, v => Assert.Equal(3499L, v.PriceMinor));
        Assert.Equal(new ProductAttribute("Weight", AttributeType.Measurement, "180", "g"), sample.Attributes[1]);
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task ImportProductsCsv_FileWithDeliberateErrors_ReportedRowByRowAndGoodRowsWritten(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        await using var scope = await CatalogScope.CreateAsync(db);
        await scope.CreateBrand.HandleAsync(new CreateBrand.Request(new BrandInput("Acme")), Ct);
        var csv = string.Join("\n",
            "sku,title,brand,status,attributes,selling_points,variant_sku,variant_options,price,currency,stock", // 1
            "OK-1,Good one,acme,active,Weight=1.5[kg],Soft | Warm,OK-1-R,Color=Red,19.99,usd,3",              // 2
            "OK-1,,,,,,OK-1-B,Color=Blue,21,USD,4",                                                            // 3
            "BAD-BRAND,Bad brand,Nope,draft,,,,,,,",                                                           // 4
            "BAD-PRICE,Bad price,,active,,,BP-1,,19.999,USD,1",                                               // 5
            "BAD-PRICE,,,,,,BP-2,,abc,USD,x",                                                                  // 6
            ",No sku,,,,,,,,,",                                                                                // 7
            "BAD-STATUS,Status,,sold,,,,,,,",                                                                  // 8
            "MIXED,Mixed,,active,,,M-1,,10,USD,1",                                                             // 9
            "MIXED,Other title,,,,,M-2,,10,USD,1",                                                             // 10
            "BAD-ATTR,Attr,,,Weight=1[kg]; broken,,,,,,",                                                      // 11
            "BAD-NUM,Num,,,\"Pieces:number=1,5\",,,,,,",                                                       // 12
            "JPY-1,Yen,,,,,JPY-1-A,,1999.5,JPY,1",                                                             // 13
            "DUP-V,Dup,,,,,OK-1-R,,1,USD,1",                                                                   // 14
            "",                                                                                                // 15
            "NO-VAR,Mixed rows,,,,,NV-1,,5,EUR,1",                                                             // 16
            "NO-VAR,,,,,,,,,,",                                                                                // 17
            "OK-2,\"Second, good\",,,,,,,,,");                                                                 // 18

        var report = await ImportAsync(scope, csv);

        var rows = report.Report.ToDictionary(r => r.Row);
        void Expect(int row, CsvRowOutcome outcome, params (string Column, string Code)[] errors)
        {
            Assert.True(rows.TryGetValue(row, out var entry), $"row {row} missing from the report");
            Assert.Equal(outcome, entry.Outcome);
            Assert.Equal(errors, entry.Errors.Select(e => (e.Field, e.Code)));
        }

        Expect(2, CsvRowOutcome.Created);
        Expect(3, CsvRowOutcome.Created);
        Expect(4, CsvRowOutcome.Error, ("brand", CatalogErrors.BrandNotFound));
        Expect(5, CsvRowOutcome.Error, ("price", CatalogErrors.PricePrecision));
        Expect(6, CsvRowOutcome.Error, ("price", CatalogErrors.PriceInvalid), ("stock", CatalogErrors.StockInvalid));
        Expect(7, CsvRowOutcome.Error, ("sku", CatalogErrors.SkuRequired));
        Expect(8, CsvRowOutcome.Error, ("status", CatalogErrors.StatusInvalid));
        Expect(9, CsvRowOutcome.Error, ("", CatalogErrors.CsvProductRejected));
        Expect(10, CsvRowOutcome.Error, ("title", CatalogErrors.CsvProductMismatch));
        Expect(11, CsvRowOutcome.Error, ("attributes", CatalogErrors.AttributeFormat));
        Expect(12, CsvRowOutcome.Error, ("attributes", CatalogErrors.AttributeInvalid));
        Expect(13, CsvRowOutcome.Error, ("price", CatalogErrors.PricePrecision));
        Expect(14, CsvRowOutcome.Error, ("variant_sku", CatalogErrors.VariantSkuTaken));
        Expect(15, CsvRowOutcome.Skipped);
        Expect(16, CsvRowOutcome.Error, ("", CatalogErrors.CsvProductRejected));
        Expect(17, CsvRowOutcome.Error, ("variant_sku", CatalogErrors.CsvVariantMissing));
        Expect(18, CsvRowOutcome.Created);
        Assert.Equal(["10"], rows[9].Errors[0].Args);
        Assert.Equal(["JPY", "0"], rows[13].Errors[0].Args);
        Assert.Equal((16, 2, 0, 10), (report.Rows, report.ProductsCreated, report.ProductsUpdated, report.ProductsFailed));

        Assert.Equal(["OK-1", "OK-2"], await scope.Db.Products.OrderBy(p => p.Sku).Select(p => p.Sku).ToListAsync(Ct));
        Assert.Equal(["OK-1-B", "OK-1-R"], await scope.Db.ProductVariants.OrderBy(v => v.Sku).Select(v => v.Sku).ToListAsync(Ct));
        var ok = (await scope.ListProducts.HandleAsync(new ListProducts.Request(Search: "OK-1"), Ct)).Value.Items.Single();
        Assert.Equal((1999L, 2100L, "USD", ProductStatus.Active), (ok.MinPriceMinor!.Value, ok.MaxPriceMinor!.Value, ok.Currency!, ok.Status));
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task ImportProductsCsv_BadHeaderOrEmptyFile_RefusedWithoutWriting(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        await using var scope = await CatalogScope.CreateAsync(db);

        using var badHeader = Csv("SKU,colour,sku,price\nA,red,A,1\n");
        var refused = await scope.ImportProductsCsv.HandleAsync(new ImportProductsCsv.Request(badHeader), Ct);
        using var empty = Csv("");
        var emptyResult = await scope.ImportProductsCsv.HandleAsync(new ImportProductsCsv.Request(empty), Ct);

        Assert.Equal(ResultStatus.Invalid, refused.Status);
        Assert.Equal(
            [("colour", CatalogErrors.CsvUnknownColumn), ("sku", CatalogErrors.CsvDuplicateColumn), ("title", CatalogErrors.CsvMissingColumn)],
            refused.Errors.Select(e => (e.Field, e.Code)));
        Assert.Equal(CatalogErrors.CsvEmpty, Assert.Single(emptyResult.Errors).Code);
        Assert.Equal(0, await scope.Db.Products.CountAsync(Ct));
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task ImportProductsCsv_BomCrlfQuotedNewlinesAndChinese_ParsedExactly(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        await using var scope = await CatalogScope.CreateAsync(db);
        var csv = "Title,SKU,Description,Selling_Points\r\n"
            + "保温杯 500ml,CUP-1,\"第一行\r\n第二行, \"\"引号\"\"\",保温 12 小时 | 316 不锈钢\r\n"
            + "Plain,CUP-2,,\r\n";
        using var stream = Csv(csv, bom: true);

        var result = await scope.ImportProductsCsv.HandleAsync(new ImportProductsCsv.Request(stream), Ct);

        Assert.True(result.IsSuccess, result.ToString());
        Assert.Equal([(2, "CUP-1"), (3, "CUP-2")], result.Value.Report.Select(r => (r.Row, r.Sku)));
        var cup = await scope.Db.Products.AsNoTracking().SingleAsync(p => p.Sku == "CUP-1", Ct);
        Assert.Equal("保温杯 500ml", cup.Title);
        Assert.Equal("第一行\r\n第二行, \"引号\"", cup.Description);
        Assert.Equal(["保温 12 小时", "316 不锈钢"], cup.SellingPoints);
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task ImportProductsCsv_UpsertAndCreateOnly_UpdateKeepsAbsentColumnsOrRefuses(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        await using var scope = await CatalogScope.CreateAsync(db);
        var existing = await scope.CreateAsync(Sample("P1", "Old title", Variant("P1-A", 1000)));
        var asset = await scope.AddAssetAsync();
        await scope.AddPhoto.HandleAsync(new AddPhoto.Request(existing.Id, asset), Ct);
        const string File = "sku,title,variant_sku,price,currency\nP1,New title,P1-A,12.50,USD\nP1,,P1-B,13,USD\n";

        var createOnly = await ImportAsync(scope, File, CsvImportMode.CreateOnly);
        scope.Time.Advance(TimeSpan.FromMinutes(1));
        var upsert = await ImportAsync(scope, File);

        Assert.Equal(CatalogErrors.SkuTaken, createOnly.Report[0].Errors.Single().Code);
        Assert.Equal([CsvRowOutcome.Updated, CsvRowOutcome.Updated], upsert.Report.Select(r => r.Outcome));
        Assert.Equal(1, upsert.ProductsUpdated);
        await using var fresh = await CatalogScope.CreateAsync(db, WorkspaceRole.Viewer, scope.WorkspaceId);
        var stored = (await fresh.GetProduct.HandleAsync(new GetProduct.Request(existing.Id), Ct)).Value;
        Assert.Equal("New title", stored.Title);
        Assert.Equal(existing.Description, stored.Description);
        Assert.Equal(existing.Attributes, stored.Attributes);
        Assert.Equal(existing.Status, stored.Status);
        Assert.Equal([asset], stored.PhotoAssetIds);
        Assert.Equal([("P1-A", 1250L), ("P1-B", 1300L)], stored.Variants.Select(v => (v.Sku, v.PriceMinor)));
        Assert.Equal(existing.Variants[0].Id, stored.Variants[0].Id);
        Assert.Equal(Start.UtcDateTime.AddMinutes(1), stored.UpdatedAt);
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task ImportProductsCsv_SkuTakenConcurrentlyDuringBatch_OnlyThatProductFails(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        var workspaceId = (await CatalogScope.CreateAsync(db)).WorkspaceId;
        await using var rival = await CatalogScope.CreateAsync(db, WorkspaceRole.Editor, workspaceId);
        var interceptor = new BeforeFirstSave(async () => await rival.CreateAsync(new ProductInput("RACE-2", "Rival")));
        await using var scope = await CatalogScope.CreateAsync(db, WorkspaceRole.Editor, workspaceId, interceptor: interceptor);

        var report = await ImportAsync(scope, "sku,title\nRACE-1,One\nRACE-2,Two\nRACE-3,Three\n");

        Assert.Equal([CsvRowOutcome.Created, CsvRowOutcome.Error, CsvRowOutcome.Created], report.Report.Select(r => r.Outcome));
        Assert.Equal(FieldError.Of("sku", CatalogErrors.SkuTaken, "RACE-2"), report.Report[1].Errors.Single());
        Assert.Equal(["One", "Rival", "Three"], await scope.Db.Products.OrderBy(p => p.Sku).Select(p => p.Title).ToListAsync(Ct));
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task ExportThenImport_IntoNewWorkspace_SameData(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        await using var source = await CatalogScope.CreateAsync(db);
        var brand = (await source.CreateBrand.HandleAsync(new CreateBrand.Request(new BrandInput("Acme 品牌")), Ct)).Value;
        var products = new[]
        {
            new ProductInput(
                "TEA-1",
                "龙井茶 Longjing, \"premium\"",
                Description: "- Hand picked\n=2024 harvest; 100% leaf",
                BrandId: brand.Id,
                Category: "Food",
                Attributes:
                [
                    new("Origin: region", AttributeType.Text, "Hangzhou; West Lake [杭州]"),
                    new("Net weight", AttributeType.Measurement, "250", "g"),
                    new("Organic", AttributeType.Boolean, "true"),
                    new("Grade", AttributeType.Number, "1.5"),
                    new("Notes", AttributeType.List, "chestnut, orchid | grass"),
                ],
                SellingPoints: ["Spring | first flush", "明前茶", "=SUM(1)"],
                TargetAudience: "Tea lovers",
                Status: ProductStatus.Active,
                Variants:
                [
                    new VariantInput("TEA-1-250", new Dictionary<string, string> { ["Size"] = "250 g", ["Pack"] = "Tin; gift=yes" }, 128_00, "CNY", 12),
                    new VariantInput("TEA-1-500", new Dictionary<string, string> { ["Size"] = "500 g", ["Pack"] = "Bag" }, 230_50, "CNY", 0),
                ]),
            new ProductInput("JP-1", "抹茶", Status: ProductStatus.Archived, Variants: [new VariantInput("JP-1-A", null, 1980, "JPY", 3)]),
            new ProductInput("DRAFT-1", "No variants yet"),
        };
        foreach (var product in products)
        {
            await source.CreateAsync(product);
        }

        var exported = await ExportAsync(source);
        await using var target = await CatalogScope.CreateAsync(db);
        await target.CreateBrand.HandleAsync(new CreateBrand.Request(new BrandInput("Acme 品牌")), Ct);
        var report = await ImportAsync(target, exported, CsvImportMode.CreateOnly);
        var reexported = await ExportAsync(target);

        Assert.Equal((4, 3, 0), (report.Rows, report.ProductsCreated, report.ProductsFailed));
        Assert.StartsWith("sku,title,description,brand,", exported.TrimStart('\uFEFF'), StringComparison.Ordinal);
        Assert.Contains("\"'- Hand picked", exported, StringComparison.Ordinal);
        Assert.Equal(exported, reexported);
        var targetBrand = await target.Db.Brands.SingleAsync(Ct);
        foreach (var original in products)
        {
            var copyId = await target.Db.Products.Where(p => p.Sku == original.Sku).Select(p => p.Id).SingleAsync(Ct);
            var copy = (await target.GetProduct.HandleAsync(new GetProduct.Request(copyId), Ct)).Value.ToInput();
            var expected = original.Normalized() with { BrandId = original.BrandId is null ? null : targetBrand.Id };
            Assert.Equal(expected.Title, copy.Title);
            Assert.Equal(expected.Description, copy.Description);
            Assert.Equal(expected.BrandId, copy.BrandId);
            Assert.Equal(expected.Category, copy.Category);
            Assert.Equal(expected.TargetAudience, copy.TargetAudience);
            Assert.Equal(expected.Status, copy.Status);
            Assert.Equal(expected.Attributes, copy.Attributes);
            Assert.Equal(expected.SellingPoints, copy.SellingPoints);
            Assert.Equal(
                expected.Variants!.Select(v => (v.Sku, v.PriceMinor, v.Currency, v.Stock, string.Join(";", v.Options!.OrderBy(o => o.Key)))),
                copy.Variants!.Select(v => (v.Sku, v.PriceMinor, v.Currency, v.Stock, string.Join(";", v.Options!.OrderBy(o => o.Key)))));
        }
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task ImportProductsCsv_AsViewer_ForbiddenButExportAllowed(DatabaseKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        await using var scope = await CatalogScope.CreateAsync(db, WorkspaceRole.Viewer);
        using var stream = Csv("sku,title\nA,B\n");

        var import = await scope.ImportProductsCsv.HandleAsync(new ImportProductsCsv.Request(stream), Ct);
        var export = await ExportAsync(scope);

        Assert.Equal(ResultStatus.Forbidden, import.Status);
        Assert.Equal(ProductCsvFormat.Columns, export.TrimStart('\uFEFF').TrimEnd().Split(','));
        Assert.Equal(0, await scope.Db.Products.CountAsync(Ct));
    }

    /// <summary>Runs an action once, just before the first SaveChanges of the context (a race made deterministic).</summary>
    private sealed class BeforeFirstSave(Func<Task> action) : SaveChangesInterceptor
    {
        private bool _done;

        public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(
            DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            if (!_done)
            {
                _done = true;
                await action();
            }

            return result;
        }
    }
}
