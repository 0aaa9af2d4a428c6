using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Reflection;
using System.Text;
using System.Text.Json;
using CommerceOS.Core.Exports;
using CommerceOS.Tests.Infrastructure;
using CommerceOS.Web.Shared.Localization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using static CommerceOS.Tests.Api.ApiTestHelpers;
using ExportsWeb = CommerceOS.Web.Features.Exports.ExportsEndpoints;

namespace CommerceOS.Tests.Exports;

/// <summary>A workspace with a two-variant bottle and a product without a price, and another workspace.</summary>
public sealed class SheetWorld : IAsyncLifetime
{
    public AppFactory App { get; private set; } = null!;

    public ApiTenant Tenant { get; private set; } = null!;

    public ApiTenant Other { get; private set; } = null!;

    public Guid BottleId { get; private set; }

    public Guid UnpricedId { get; private set; }

    public async ValueTask InitializeAsync()
    {
        App = await AppFactory.StartAsync(DatabaseKind.Sqlite);
        Tenant = await App.CreateApiTenantAsync();
        Other = await App.CreateApiTenantAsync();
        using var response = await Tenant.Client.PostAsJsonAsync("/api/v1/products", new
        {
            sku = "BTL-500",
            title = "Insulated Stainless Steel Water Bottle XR-500",
            category = "Water Bottles",
            // Starts like a formula: a spreadsheet must show it as text, never run it.
            description = "+24h cold: a double-walled stainless steel bottle for the gym, the office and the trail.",
            attributes = new object[]
            {
                new { name = "Material", type = "text", value = "18/8 stainless steel" },
                new { name = "Weight", type = "text", value = "450 g" },
                new { name = "Shopee category id", type = "text", value = "100636" },
                new { name = "Taobao category id", type = "text", value = "50012345" },
            },
            variants = new object[]
            {
                new { sku = "BTL-500-BLK", options = new Dictionary<string, string> { ["Color"] = "Black" }, priceMinor = 2499, currency = "USD", stock = 10 },
                new { sku = "BTL-500-SGE", options = new Dictionary<string, string> { ["Color"] = "Sage" }, priceMinor = 2499, currency = "USD", stock = 5 },
            },
        }, Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Ct));
        BottleId = (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();
        UnpricedId = (await CreateProductAsync(Tenant.Client, "CUP-1")).GetProperty("id").GetGuid();
    }

    public async ValueTask DisposeAsync()
    {
        Tenant.Dispose();
        Other.Dispose();
        await App.DisposeAsync();
    }

    public static async Task<HttpResponseMessage> PostAsync(ApiTenant tenant, string marketplace, byte[] template, params string[] productIds)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(template);
        file.Headers.ContentType = new MediaTypeHeaderValue(ExportsEndpointsContentType);
        form.Add(file, "template", "template.xlsx");
        foreach (var id in productIds)
        {
            form.Add(new StringContent(id), "productIds");
        }

        return await tenant.Client.PostAsync($"/api/v1/exports/{marketplace}/bulk-sheet", form, Ct);
    }

    public const string ExportsEndpointsContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
}

/// <summary>
/// Bulk sheets through the API: the seller's own Shopee- and Taobao-like templates (built here with the Open XML SDK) come
/// back with our rows in the right columns and everything else untouched; bad uploads are refused with their code.
/// </summary>
public sealed class BulkSheetTests(SheetWorld world) : IClassFixture<SheetWorld>
{
    private static readonly string[] ShopeeHeader =
    [
        "Category", "Product Name", "Product Description", "Parent SKU", "Variation Integration No.", "Variation Name1",
        "Option for Variation 1", "Variation Name2", "Option for Variation 2", "Price", "Stock", "SKU", "Cover image",
        "Item image 1", "Weight", "Pre-order DTS",
    ];

    [Fact]
    public async Task ShopeeTemplate_GetsOneRowPerVariant_AndKeepsEverythingElse()
    {
        var template = ShopeeTemplate();
        using var response = await SheetWorld.PostAsync(world.Tenant, "shopee", template, $"{world.BottleId},{world.UnpricedId}");
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal(SheetWorld.ExportsEndpointsContentType, response.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("shopee-bulk-", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'), StringComparison.Ordinal);

        var reportText = Assert.Single(response.Headers.GetValues(ExportsWeb.SheetReportHeader));
        Assert.All(reportText, c => Assert.True(c < 128));
        var report = JsonSerializer.Deserialize<JsonElement>(reportText);
        Assert.Equal("Template", report.GetProperty("sheet").GetString());
        Assert.Equal(4, report.GetProperty("headerRow").GetInt32());
        Assert.Equal(6, report.GetProperty("firstRow").GetInt32());
        Assert.Equal(2, report.GetProperty("rowsWritten").GetInt32());
        Assert.Equal(1, report.GetProperty("productsWritten").GetInt32());
        var skip = Assert.Single(report.GetProperty("skipped").EnumerateArray());
        Assert.Equal(world.UnpricedId, skip.GetProperty("productId").GetGuid());
        Assert.Equal(BulkSheetNotes.NoPrice, skip.GetProperty("reason").GetString());
        Assert.Contains(BulkSheetNotes.NoImageLinks, report.GetProperty("notes").EnumerateArray().Select(n => n.GetString()));
        Assert.Contains(report.GetProperty("columns").EnumerateArray(), c => c.GetProperty("field").GetString() == SheetFields.Price && c.GetProperty("column").GetString() == "J");
        Assert.Contains(SheetFields.Brand, report.GetProperty("unmatched").EnumerateArray().Select(n => n.GetString()));

        var filled = await response.Content.ReadAsByteArrayAsync(Ct);
        using var before = Read(template);
        using var after = Read(filled);

        // The hint rows, the header, its Mandatory/Optional row, the other sheet and the validation list are as they were.
        var (origin, result) = (Sheet(before, "Template"), Sheet(after, "Template"));
        for (uint r = 1; r <= 5; r++)
        {
            Assert.Equal(RowAt(origin, r)!.OuterXml, RowAt(result, r)!.OuterXml);
        }

        Assert.Equal(Sheet(before, "Instructions").OuterXml, Sheet(after, "Instructions").OuterXml);
        Assert.Equal(origin.GetFirstChild<DataValidations>()!.OuterXml, result.GetFirstChild<DataValidations>()!.OuterXml);
        Assert.Equal(new[] { "Template", "Instructions" }, after.WorkbookPart!.Workbook.Sheets!.Elements<Sheet>().Select(s => s.Name!.Value!));

        string Cell(uint row, string header) => Text(after, result, row, Array.IndexOf(ShopeeHeader, header));
        foreach (var (row, sku, colour, stock) in new[] { (6u, "BTL-500-BLK", "Black", "10"), (7u, "BTL-500-SGE", "Sage", "5") })
        {
            Assert.Equal("100636", Cell(row, "Category"));
            Assert.Equal("Insulated Stainless Steel Water Bottle XR-500", Cell(row, "Product Name"));
            Assert.StartsWith("'+24h cold: a double-walled", Cell(row, "Product Description"), StringComparison.Ordinal);
            Assert.Equal("BTL-500", Cell(row, "Parent SKU"));
            Assert.Equal("1", Cell(row, "Variation Integration No."));
            Assert.Equal("Color", Cell(row, "Variation Name1"));
            Assert.Equal(colour, Cell(row, "Option for Variation 1"));
            Assert.Equal("24.99", Cell(row, "Price"));
            Assert.Equal(stock, Cell(row, "Stock"));
            Assert.Equal(sku, Cell(row, "SKU"));
            Assert.Equal("0.45", Cell(row, "Weight"));

            // Unknown and unused columns stay empty; no public image address, so no image URLs.
            foreach (var empty in new[] { "Variation Name2", "Option for Variation 2", "Cover image", "Item image 1", "Pre-order DTS" })
            {
                Assert.Equal("", Cell(row, empty));
            }
        }

        Assert.Null(RowAt(result, 8));
        Assert.Empty(result.Descendants<CellFormula>());
    }

    [Fact]
    public async Task TaobaoTemplate_GetsOneRowPerProduct_BelowTheSellersOwnRows()
    {
        string[] header = ["宝贝名称", "宝贝类目", "一口价", "宝贝数量", "商家编码", "宝贝描述", "新图片", "物流重量(kg)", "运费模板"];
        var template = Workbook(("宝贝", sheet =>
        {
            Fill(sheet, 1, header);
            Fill(sheet, 2, ["必填", "必填", "必填", "必填", "选填", "必填", "选填", "选填", "必填"]);
            Fill(sheet, 3, ["旧款水杯", "50012345", "19.90", "3", "OLD-1", "<p>旧款</p>", "", "0.3", "包邮"]);
        }));

        using var response = await SheetWorld.PostAsync(world.Tenant, "taobao", template, world.BottleId.ToString());
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
        var report = JsonSerializer.Deserialize<JsonElement>(Assert.Single(response.Headers.GetValues(ExportsWeb.SheetReportHeader)));
        Assert.Equal(1, report.GetProperty("rowsWritten").GetInt32());
        Assert.Equal(4, report.GetProperty("firstRow").GetInt32());
        Assert.Contains(BulkSheetNotes.VariantsNotWritten, report.GetProperty("notes").EnumerateArray().Select(n => n.GetString()));
        Assert.Contains(report.GetProperty("columns").EnumerateArray(), c => c.GetProperty("header").GetString() == "一口价");

        using var after = Read(await response.Content.ReadAsByteArrayAsync(Ct));
        var sheet = Sheet(after, "宝贝");
        string Cell(uint row, string name) => Text(after, sheet, row, Array.IndexOf(header, name));
        Assert.Equal("旧款水杯", Cell(3, "宝贝名称"));
        Assert.Equal("Insulated Stainless Steel Water Bottle XR-500", Cell(4, "宝贝名称"));
        Assert.Equal("50012345", Cell(4, "宝贝类目"));
        Assert.Equal("24.99", Cell(4, "一口价"));
        Assert.Equal("15", Cell(4, "宝贝数量"));
        Assert.Equal("BTL-500", Cell(4, "商家编码"));
        Assert.StartsWith("<p>", Cell(4, "宝贝描述"), StringComparison.Ordinal);
        Assert.Equal("0.45", Cell(4, "物流重量(kg)"));
        Assert.Equal("", Cell(4, "新图片"));
        Assert.Equal("", Cell(4, "运费模板"));
    }

    [Fact]
    public async Task TaobaoTemplate_WithSalePropertyColumns_GetsOneRowPerVariant_UnderOneMerchantCode()
    {
        string[] header = ["宝贝名称", "宝贝类目", "商家编码", "销售属性1", "销售属性值1", "SKU编码", "一口价", "宝贝数量"];
        var template = Workbook(("宝贝", sheet =>
        {
            Fill(sheet, 1, header);
            Fill(sheet, 2, ["必填", "必填", "选填", "选填", "选填", "选填", "必填", "必填"]);
        }));

        using var response = await SheetWorld.PostAsync(world.Tenant, "taobao", template, world.BottleId.ToString());
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
        var report = JsonSerializer.Deserialize<JsonElement>(Assert.Single(response.Headers.GetValues(ExportsWeb.SheetReportHeader)));
        Assert.Equal(2, report.GetProperty("rowsWritten").GetInt32());
        Assert.DoesNotContain(BulkSheetNotes.VariantsNotWritten, report.GetProperty("notes").EnumerateArray().Select(n => n.GetString()));

        using var after = Read(await response.Content.ReadAsByteArrayAsync(Ct));
        var sheet = Sheet(after, "宝贝");
        string Cell(uint row, string name) => Text(after, sheet, row, Array.IndexOf(header, name));
        Assert.Equal(["BTL-500", "BTL-500"], new[] { Cell(3, "商家编码"), Cell(4, "商家编码") });
        Assert.Equal(["Color", "Color"], new[] { Cell(3, "销售属性1"), Cell(4, "销售属性1") });
        Assert.Equal(["Black", "Sage"], new[] { Cell(3, "销售属性值1"), Cell(4, "销售属性值1") });
        Assert.Equal(["BTL-500-BLK", "BTL-500-SGE"], new[] { Cell(3, "SKU编码"), Cell(4, "SKU编码") });
        Assert.Equal(["10", "5"], new[] { Cell(3, "宝贝数量"), Cell(4, "宝贝数量") });
        Assert.Equal("50012345", Cell(4, "宝贝类目"));
    }

    [Fact]
    public async Task NotAnXlsx_AHeaderlessSheet_AndAZipBomb_AreRefusedWithTheirCode()
    {
        var headerless = Workbook(("Sheet1", sheet =>
        {
            Fill(sheet, 1, ["Hello", "World"]);
            Fill(sheet, 2, ["Product Name", "Notes"]);
        }));
        foreach (var (bytes, code) in new[]
        {
            (Encoding.UTF8.GetBytes("Product Name,Price,Stock\nBottle,24.99,3\n"), BulkSheetErrors.NotXlsx),
            (Zip(("readme.txt", Encoding.UTF8.GetBytes("not a workbook"))), BulkSheetErrors.NotXlsx),
            (headerless, BulkSheetErrors.NoHeader),
            (Zip(("[Content_Types].xml", Encoding.UTF8.GetBytes("<Types/>")), ("xl/bomb.bin", new byte[60 * 1024 * 1024])), BulkSheetErrors.Unpacked),
        })
        {
            using var response = await SheetWorld.PostAsync(world.Tenant, "shopee", bytes, world.BottleId.ToString());
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.False(response.Headers.Contains(ExportsWeb.SheetReportHeader));
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
            Assert.Equal(code, problem.GetProperty("errors").GetProperty("template")[0].GetString());
        }

        using var unknown = await SheetWorld.PostAsync(world.Tenant, "etsy", ShopeeTemplate(), world.BottleId.ToString());
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Equal(BulkSheetErrors.MarketplaceUnknown, (await unknown.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("errors").GetProperty("marketplace")[0].GetString());
    }

    [Fact]
    public async Task AnotherWorkspacesProduct_IsNotFound()
    {
        using var response = await SheetWorld.PostAsync(world.Other, "shopee", ShopeeTemplate(), world.BottleId.ToString());
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.False(response.Headers.Contains(ExportsWeb.SheetReportHeader));
    }

    [Theory]
    [InlineData(StringCatalog.English)]
    [InlineData(StringCatalog.Chinese)]
    public void EverySheetCode_HasAText(string culture)
    {
        var texts = new StringCatalog(Path.Combine(AppContext.BaseDirectory, "Resources")).For(culture);
        var keys = new[] { typeof(BulkSheetErrors), typeof(BulkSheetNotes) }
            .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.Static))
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToList();
        Assert.Equal(10, keys.Count);
        Assert.All(keys, key => Assert.True(texts.ContainsKey(key), key));
        if (culture == StringCatalog.Chinese)
        {
            Assert.All(keys, key => Assert.Contains(texts[key], c => c >= '\u4e00' && c <= '\u9fff'));
        }
    }

    [Theory]
    [InlineData("*Product Name", SheetFields.Name, 0, null)]
    [InlineData("商品名称（必填）", SheetFields.Name, 0, null)]
    [InlineData("Weight (g)", SheetFields.Weight, 0, "g")]
    [InlineData("重量(kg)", SheetFields.Weight, 0, "kg")]
    [InlineData("Item Image 3", SheetFields.Image, 3, null)]
    [InlineData("Option for Variation 2", SheetFields.VariationOption, 1, null)]
    [InlineData("销售属性1名称", SheetFields.VariationName, 0, null)]
    [InlineData("Length (cm)", SheetFields.Length, 0, "cm")]
    public void Headers_AreRecognised_InEitherLanguage(string header, string field, int slot, string? unit)
    {
        var column = BulkSheetColumns.Recognise(header, 2);
        Assert.NotNull(column);
        Assert.Equal((field, slot, unit, 2), (column.Field, column.Slot, column.Unit, column.Column));
    }

    [Theory]
    [InlineData("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("-1", "'-1")]
    [InlineData("Bottle", "Bottle")]
    public void FormulaLikeText_IsPrefixed(string text, string written) => Assert.Equal(written, BulkSheetTemplate.Neutralise(text));

    private static byte[] ShopeeTemplate() => Workbook(
        ("Template", sheet =>
        {
            Fill(sheet, 1, ["Shopee Mass Upload - Basic Template"], shared: true);
            Fill(sheet, 2, ["Please do not change the header rows; fill in one row per variation below the example row guidance."], shared: true);
            Fill(sheet, 3, ["ps_category", "ps_product_name", "ps_product_description"], shared: true);
            Fill(sheet, 4, ShopeeHeader, shared: true);
            Fill(sheet, 5, ["Mandatory", "Mandatory", "Mandatory", "Optional", "Optional", "Optional", "Optional", "Optional", "Optional", "Mandatory", "Mandatory", "Optional", "Mandatory", "Optional", "Mandatory", "Optional"], shared: true);
            var validations = new DataValidations(new DataValidation(new Formula1("\"Yes,No\""))
            {
                Type = DataValidationValues.List,
                AllowBlank = true,
                SequenceOfReferences = new ListValue<StringValue> { InnerText = "P6:P1000" },
            })
            { Count = 1 };
            sheet.Worksheet.InsertAfter(validations, sheet.Worksheet.GetFirstChild<SheetData>());
        }),
        ("Instructions", sheet => Fill(sheet, 1, ["Fill one row per variation. Rows sharing a Variation Integration No. become one product."], shared: true)));

    private static byte[] Workbook(params (string Name, Action<WorksheetPart> Build)[] sheets)
    {
        using var stream = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
        {
            var workbook = document.AddWorkbookPart();
            workbook.Workbook = new Workbook(new Sheets());
            workbook.AddNewPart<SharedStringTablePart>().SharedStringTable = new SharedStringTable();
            uint id = 1;
            foreach (var (name, build) in sheets)
            {
                var part = workbook.AddNewPart<WorksheetPart>();
                part.Worksheet = new Worksheet(new SheetData());
                build(part);
                workbook.Workbook.Sheets!.Append(new Sheet { Id = workbook.GetIdOfPart(part), SheetId = id++, Name = name });
            }
        }

        return stream.ToArray();
    }

    private static void Fill(WorksheetPart sheet, uint row, string[] values, bool shared = false)
    {
        var strings = ((WorkbookPart)sheet.GetParentParts().First()).SharedStringTablePart!.SharedStringTable;
        var created = new Row { RowIndex = row };
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i].Length == 0)
            {
                continue;
            }

            var reference = BulkSheetTemplate.ColumnName(i) + row;
            if (shared)
            {
                strings.Append(new SharedStringItem(new Text(values[i])));
                created.Append(new Cell { CellReference = reference, DataType = CellValues.SharedString, CellValue = new CellValue((strings.ChildElements.Count - 1).ToString(System.Globalization.CultureInfo.InvariantCulture)) });
            }
            else
            {
                created.Append(new Cell { CellReference = reference, DataType = CellValues.InlineString, InlineString = new InlineString(new Text(values[i])) });
            }
        }

        sheet.Worksheet.GetFirstChild<SheetData>()!.Append(created);
    }

    private static byte[] Zip(params (string Name, byte[] Bytes)[] entries)
    {
        using var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, bytes) in entries)
            {
                using var entry = zip.CreateEntry(name, CompressionLevel.SmallestSize).Open();
                entry.Write(bytes);
            }
        }

        return stream.ToArray();
    }

    private static SpreadsheetDocument Read(byte[] bytes) => SpreadsheetDocument.Open(new MemoryStream(bytes), false);

    private static Worksheet Sheet(SpreadsheetDocument document, string name)
    {
        var sheet = document.WorkbookPart!.Workbook.Sheets!.Elements<Sheet>().Single(s => s.Name?.Value == name);
        return ((WorksheetPart)document.WorkbookPart.GetPartById(sheet.Id!.Value!)).Worksheet;
    }

    private static Row? RowAt(Worksheet sheet, uint index) =>
        sheet.GetFirstChild<SheetData>()!.Elements<Row>().FirstOrDefault(r => r.RowIndex?.Value == index);

    private static string Text(SpreadsheetDocument document, Worksheet sheet, uint row, int column)
    {
        Assert.True(column >= 0);
        var reference = BulkSheetTemplate.ColumnName(column) + row;
        var cell = RowAt(sheet, row)?.Elements<Cell>().FirstOrDefault(c => c.CellReference?.Value == reference);
        if (cell is null)
        {
            return "";
        }

        Assert.Null(cell.CellFormula);
        return cell.DataType?.Value == CellValues.InlineString ? cell.InlineString!.InnerText
            : cell.DataType?.Value == CellValues.SharedString
                ? document.WorkbookPart!.SharedStringTablePart!.SharedStringTable.Elements<SharedStringItem>().ElementAt(int.Parse(cell.CellValue!.Text, System.Globalization.CultureInfo.InvariantCulture)).InnerText
                : cell.CellValue?.Text ?? "";
    }
}
