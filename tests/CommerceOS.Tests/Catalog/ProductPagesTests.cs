using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using CommerceOS.Core.Catalog;
using CommerceOS.Core.Workspaces;
using CommerceOS.Tests.Infrastructure;
using CommerceOS.Web.Features.Catalog;
using CommerceOS.Web.Shared.Localization;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Tests.Catalog;

/// <summary>The Product Center pages (/app/products...) driven like a browser, on both databases.</summary>
public sealed partial class ProductPagesTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task ProductForm_CreateSearchEditInvalidAndStale_SavesOnlyValidCurrentEdits(DatabaseKind kind)
    {
        await using var app = await AppFactory.StartAsync(kind);
        using var session = await BrowserSession.SignUpAsync(app);

        var fields = Fields("MUG-1", "Blue mug");
        fields["Form.Category"] = "Home";
        fields["Form.SellingPoints"] = "Dishwasher safe\r\n\r\nHolds 350 ml";
        fields["Form.Attributes[0].Name"] = "Capacity";
        fields["Form.Attributes[0].Type"] = "measurement";
        fields["Form.Attributes[0].Value"] = "350";
        fields["Form.Attributes[0].Unit"] = "ml";
        // Row 0 is left blank as a browser sends it (currency pre-filled): blank rows are skipped.
        fields["Form.Variants[0].Currency"] = "USD";
        fields["Form.Variants[1].Sku"] = "MUG-1-R";
        fields["Form.Variants[1].Options"] = "Color=Red; Size=L";
        fields["Form.Variants[1].Price"] = "14.50";
        fields["Form.Variants[1].Currency"] = "usd";
        fields["Form.Variants[1].Stock"] = "2";
        var id = await CreateAsync(session, fields);
        await CreateAsync(session, Fields("PLATE-1", "Plate"));

        await using (var db = app.Database.CreateContext(session.WorkspaceId))
        {
            var saved = await db.Products.Include(p => p.Variants).SingleAsync(p => p.Id == id, Ct);
            Assert.Equal("Blue mug", saved.Title);
            Assert.Equal(["Dishwasher safe", "Holds 350 ml"], saved.SellingPoints);
            Assert.Equal(new ProductAttribute("Capacity", AttributeType.Measurement, "350", "ml"), Assert.Single(saved.Attributes));
            var variant = Assert.Single(saved.Variants);
            Assert.Equal(("MUG-1-R", 1450L, "USD", 2), (variant.Sku, variant.PriceMinor, variant.Currency, variant.Stock));
            Assert.Equal("Red", variant.Options["Color"]);
        }

        var list = await GetHtmlAsync(session, "/app/products?q=mug");
        Assert.Contains("id=\"products-table\"", list, StringComparison.Ordinal);
        Assert.Equal(["MUG-1"], Skus(list));
        Assert.Contains("14.50 USD", list, StringComparison.Ordinal);
        Assert.Equal(["MUG-1", "PLATE-1"], Skus(await GetHtmlAsync(session, "/app/products?sort=sku")).ToArray());
        Assert.Contains("id=\"products-empty\"", await GetHtmlAsync(session, "/app/products?q=teapot"), StringComparison.Ordinal);

        // htmx asks for the results fragment only; the same URL without htmx is a full page.
        using (var request = new HttpRequestMessage(HttpMethod.Get, "/app/products?q=plate"))
        {
            request.Headers.Add("HX-Request", "true");
            request.Headers.Add("HX-Target", "products-results");
            using var response = await session.Client.SendAsync(request, Ct);
            var fragment = await response.Content.ReadAsStringAsync(Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.StartsWith("<div id=\"products-results\"", fragment.TrimStart(), StringComparison.Ordinal);
            Assert.DoesNotContain("<html", fragment, StringComparison.Ordinal);
            Assert.Equal(["PLATE-1"], Skus(fragment));
        }

        // Edit: the title and the variant price change.
        var page = await GetHtmlAsync(session, $"/app/products/{id}");
        var version = UpdatedAt(page);
        var edit = Fields("MUG-1", "Blue mug XL", version);
        edit["Form.Variants[0].Sku"] = "MUG-1-R";
        edit["Form.Variants[0].Options"] = "Color=Red; Size=L";
        edit["Form.Variants[0].Price"] = "15";
        edit["Form.Variants[0].Currency"] = "USD";
        using (var saved = await session.PostFormAsync($"/app/products/{id}", edit, "/app/products"))
        {
            Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
            Assert.Equal($"/app/products/{id}?done=saved", saved.Headers.Location?.OriginalString);
        }

        Assert.Equal(["MUG-1"], Skus(await GetHtmlAsync(session, "/app/products?q=xl")));

        // Invalid: no title and a price that is not a number. Nothing is saved, the typed values stay.
        var fresh = UpdatedAt(await GetHtmlAsync(session, $"/app/products/{id}"));
        var invalid = Fields("MUG-1", "", fresh);
        invalid["Form.Description"] = "typed but not saved";
        invalid["Form.Variants[0].Sku"] = "MUG-1-R";
        invalid["Form.Variants[0].Price"] = "abc";
        invalid["Form.Variants[0].Currency"] = "USD";
        using (var rejected = await session.PostFormAsync($"/app/products/{id}", invalid, "/app/products"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, rejected.StatusCode);
            var html = WebUtility.HtmlDecode(await rejected.Content.ReadAsStringAsync(Ct));
            Assert.Contains("id=\"title-error\"", html, StringComparison.Ordinal);
            Assert.Contains("Enter a title.", html, StringComparison.Ordinal);
            Assert.Contains("\"abc\" is not a valid price", html, StringComparison.Ordinal);
            Assert.Contains("typed but not saved", html, StringComparison.Ordinal);
            Assert.Contains("name=\"Form.Variants[0].Price\" value=\"abc\"", html, StringComparison.Ordinal);
        }

        // Stale: the version from before the last save is refused with the edit-conflict message.
        using (var stale = await session.PostFormAsync($"/app/products/{id}", Fields("MUG-1", "Lost update", version), "/app/products"))
        {
            Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
            var html = WebUtility.HtmlDecode(await stale.Content.ReadAsStringAsync(Ct));
            Assert.Contains("Someone else saved this product after you opened it.", html, StringComparison.Ordinal);
            Assert.Contains("id=\"reload-product\"", html, StringComparison.Ordinal);
            Assert.Contains("value=\"Lost update\"", html, StringComparison.Ordinal);
        }

        await using (var db = app.Database.CreateContext(session.WorkspaceId))
        {
            var product = await db.Products.Include(p => p.Variants).SingleAsync(p => p.Id == id, Ct);
            Assert.Equal("Blue mug XL", product.Title);
            Assert.Null(product.Description);
            Assert.Equal(1500L, Assert.Single(product.Variants).PriceMinor);
        }
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Photos_UploadMoveRemoveAndHostileFile_KeepOrderAndAttachNothingBad(DatabaseKind kind)
    {
        await using var app = await AppFactory.StartAsync(kind);
        using var session = await BrowserSession.SignUpAsync(app);
        var id = await CreateAsync(session, Fields("LAMP-1", "Desk lamp"));

        using (var content = new MultipartFormDataContent())
        {
            content.Add(Image(NetVips.Image.Black(64, 48).WriteToBuffer(".png"), "image/png"), "photos", "first.png");
            content.Add(Image(NetVips.Image.Black(48, 64).WriteToBuffer(".jpg"), "image/jpeg"), "photos", "second.jpg");
            using var uploaded = await session.PostMultipartAsync($"/app/products/{id}?handler=upload", content, $"/app/products/{id}");
            Assert.Equal(HttpStatusCode.Redirect, uploaded.StatusCode);
        }

        var first = await AssetIdAsync(app, session, "first.png");
        var second = await AssetIdAsync(app, session, "second.jpg");
        var page = await GetHtmlAsync(session, $"/app/products/{id}");
        Assert.Equal([first, second], PhotoOrder(page));
        Assert.Contains($"/api/v1/assets/{first}/content", page, StringComparison.Ordinal);
        Assert.Equal([first, second], await StoredOrderAsync(app, session, id));

        using (var moved = await session.PostFormAsync(
            $"/app/products/{id}?handler=move", new() { ["assetId"] = second.ToString(), ["direction"] = "left" }, $"/app/products/{id}"))
        {
            Assert.Equal(HttpStatusCode.Redirect, moved.StatusCode);
        }

        Assert.Equal([second, first], PhotoOrder(await GetHtmlAsync(session, $"/app/products/{id}")));
        Assert.Equal([second, first], await StoredOrderAsync(app, session, id));

        using (var removed = await session.PostFormAsync(
            $"/app/products/{id}?handler=remove", new() { ["assetId"] = second.ToString() }, $"/app/products/{id}"))
        {
            Assert.Equal(HttpStatusCode.Redirect, removed.StatusCode);
        }

        Assert.Equal([first], PhotoOrder(await GetHtmlAsync(session, $"/app/products/{id}")));

        // A text file named .jpg: refused with the localized reason, nothing stored or attached.
        int assetsBefore;
        await using (var db = app.Database.CreateContext(session.WorkspaceId))
        {
            assetsBefore = await db.Assets.CountAsync(Ct);
        }

        using (var content = new MultipartFormDataContent())
        {
            content.Add(Image(Encoding.UTF8.GetBytes("this is not a picture, just text\n"), "image/jpeg"), "photos", "holiday.jpg");
            using var hostile = await session.PostMultipartAsync($"/app/products/{id}?handler=upload", content, $"/app/products/{id}");
            Assert.Equal(HttpStatusCode.UnsupportedMediaType, hostile.StatusCode);
            var html = WebUtility.HtmlDecode(await hostile.Content.ReadAsStringAsync(Ct));
            Assert.Contains("id=\"upload-error\"", html, StringComparison.Ordinal);
            Assert.Contains("\"holiday.jpg\" was not uploaded: This file type is not supported.", html, StringComparison.Ordinal);
        }

        Assert.Equal([first], await StoredOrderAsync(app, session, id));
        await using (var db = app.Database.CreateContext(session.WorkspaceId))
        {
            Assert.Equal(assetsBefore, await db.Assets.CountAsync(Ct));
        }
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task DuplicateThenDelete_CopyIsADraftAndDeletedProductIsGone(DatabaseKind kind)
    {
        await using var app = await AppFactory.StartAsync(kind);
        using var session = await BrowserSession.SignUpAsync(app);
        var fields = Fields("BAG-1", "Tote bag", status: "active");
        fields["Form.Variants[0].Sku"] = "BAG-1-N";
        fields["Form.Variants[0].Price"] = "30";
        fields["Form.Variants[0].Currency"] = "EUR";
        var id = await CreateAsync(session, fields);

        Guid copyId;
        using (var duplicated = await session.PostFormAsync($"/app/products/{id}?handler=duplicate", [], $"/app/products/{id}"))
        {
            Assert.Equal(HttpStatusCode.Redirect, duplicated.StatusCode);
            copyId = IdFrom(duplicated.Headers.Location);
            Assert.Equal($"/app/products/{copyId}?done=duplicated", duplicated.Headers.Location?.OriginalString);
        }

        Assert.NotEqual(id, copyId);
        var copyPage = await GetHtmlAsync(session, $"/app/products/{copyId}?done=duplicated");
        Assert.Contains("value=\"BAG-1-copy\"", copyPage, StringComparison.Ordinal);
        Assert.Contains("value=\"BAG-1-N-copy\"", copyPage, StringComparison.Ordinal);
        Assert.Contains("id=\"product-notice\"", copyPage, StringComparison.Ordinal);

        var deletePage = await GetHtmlAsync(session, $"/app/products/{id}");
        Assert.Contains("id=\"delete-product\" data-confirm=", deletePage, StringComparison.Ordinal);
        using (var deleted = await session.PostFormAsync($"/app/products/{id}?handler=delete", [], $"/app/products/{id}"))
        {
            Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
            Assert.Equal("/app/products?done=deleted", deleted.Headers.Location?.OriginalString);
        }

        using (var gone = await session.Client.GetAsync($"/app/products/{id}", Ct))
        {
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        }

        Assert.Equal(["BAG-1-copy"], Skus(await GetHtmlAsync(session, "/app/products")));
        await using var db = app.Database.CreateContext(session.WorkspaceId);
        var copy = await db.Products.SingleAsync(Ct);
        Assert.Equal((copyId, ProductStatus.Draft), (copy.Id, copy.Status));
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task CsvImportAndExport_GoodAndBadRowsReportedAndExportDownloads(DatabaseKind kind)
    {
        await using var app = await AppFactory.StartAsync(kind);
        using var session = await BrowserSession.SignUpAsync(app);

        var importPage = await GetHtmlAsync(session, "/app/products/import");
        Assert.Contains("id=\"csv-format\"", importPage, StringComparison.Ordinal);
        Assert.Contains("<code>variant_options</code>", importPage, StringComparison.Ordinal);

        const string Csv = "sku,title,variant_sku,price,currency,stock\r\n"
            + "GOOD-1,Good lamp,GOOD-1-A,12.50,USD,3\r\n"
            + "BAD-1,Bad lamp,BAD-1-A,12.345,USD,1\r\n";
        string report;
        using (var content = new MultipartFormDataContent())
        {
            var file = new ByteArrayContent(Encoding.UTF8.GetBytes(Csv));
            file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
            content.Add(file, "Csv", "products.csv");
            content.Add(new StringContent("create"), "Mode");
            using var response = await session.PostMultipartAsync("/app/products/import", content);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            report = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(Ct));
        }

        Assert.Contains("data-count=\"created\">1<", report, StringComparison.Ordinal);
        Assert.Contains("data-count=\"failed\">1<", report, StringComparison.Ordinal);
        Assert.Matches(new Regex("<tr data-row=\"2\" data-outcome=\"created\">\\s*<td>2</td>\\s*<td>GOOD-1</td>"), report);
        Assert.Matches(new Regex("<tr data-row=\"3\" data-outcome=\"error\">\\s*<td>3</td>\\s*<td>BAD-1</td>"), report);
        Assert.Contains("<code>price</code>", report, StringComparison.Ordinal);
        Assert.Contains("Prices in USD can have at most 2 decimal places.", report, StringComparison.Ordinal);

        // A header problem refuses the whole file with its localized reason.
        using (var content = new MultipartFormDataContent())
        {
            content.Add(new ByteArrayContent(Encoding.UTF8.GetBytes("title,colour\r\nLamp,red\r\n")), "Csv", "bad.csv");
            using var refused = await session.PostMultipartAsync("/app/products/import", content, "/app/products/import");
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains("The required column \"sku\" is missing", WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync(Ct)), StringComparison.Ordinal);
        }

        // The examples documented on the page (English, then Chinese as an update) import cleanly.
        var catalog = new StringCatalog(Path.Combine(AppContext.BaseDirectory, "Resources"));
        foreach (var (culture, created, updated) in new[] { (StringCatalog.English, 2, 0), (StringCatalog.Chinese, 0, 2) })
        {
            using var content = new MultipartFormDataContent();
            content.Add(new ByteArrayContent(Encoding.UTF8.GetBytes(catalog.For(culture)["products.format_example_csv"])), "Csv", "example.csv");
            content.Add(new StringContent("upsert"), "Mode");
            using var response = await session.PostMultipartAsync("/app/products/import", content);
            var html = await response.Content.ReadAsStringAsync(Ct);
            Assert.Contains($"data-count=\"created\">{created}<", html, StringComparison.Ordinal);
            Assert.Contains($"data-count=\"updated\">{updated}<", html, StringComparison.Ordinal);
            Assert.Contains("data-count=\"failed\">0<", html, StringComparison.Ordinal);
        }

        await using (var db = app.Database.CreateContext(session.WorkspaceId))
        {
            var tee = await db.Products.Include(p => p.Variants).SingleAsync(p => p.Sku == "TEE-1", Ct);
            Assert.Equal("纯棉 T 恤", tee.Title);
            Assert.Equal(["TEE-1-RM", "TEE-1-RL"], tee.Variants.OrderBy(v => v.Position).Select(v => v.Sku));
        }

        var before = TimeProvider.System.GetUtcNow().UtcDateTime;
        using var export = await session.Client.GetAsync("/app/products/export", Ct);
        var after = TimeProvider.System.GetUtcNow().UtcDateTime;
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        Assert.Equal("text/csv", export.Content.Headers.ContentType?.MediaType);
        var disposition = export.Content.Headers.ContentDisposition;
        Assert.Equal("attachment", disposition?.DispositionType);
        var expectedNames = new[] { before, after }.Select(d => $"products-{d.ToString("yyyyMMdd", CultureInfo.InvariantCulture)}.csv").ToList();
        Assert.Contains(disposition?.FileName?.Trim('"') ?? "", expectedNames);
        var csv = await export.Content.ReadAsStringAsync(Ct);
        var lines = csv.TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("sku,title,", lines[0], StringComparison.Ordinal);
        Assert.Contains("GOOD-1,Good lamp,,,,draft,,,,GOOD-1-A,,12.50,USD,3", lines);
        Assert.DoesNotContain(lines, line => line.StartsWith("BAD-1,", StringComparison.Ordinal));
        Assert.Equal(5, lines.Length); // header, GOOD-1, MUG-1, TEE-1 twice
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task OtherWorkspace_ProductIdOnPageAndEveryHandler_Returns404AndChangesNothing(DatabaseKind kind)
    {
        await using var app = await AppFactory.StartAsync(kind);
        using var owner = await BrowserSession.SignUpAsync(app);
        using var intruder = await BrowserSession.SignUpAsync(app);
        var id = await CreateAsync(owner, Fields("SECRET-1", "Secret product"));
        using (var content = new MultipartFormDataContent())
        {
            content.Add(Image(NetVips.Image.Black(32, 32).WriteToBuffer(".png"), "image/png"), "photos", "secret.png");
            using var uploaded = await owner.PostMultipartAsync($"/app/products/{id}?handler=upload", content, $"/app/products/{id}");
            Assert.Equal(HttpStatusCode.Redirect, uploaded.StatusCode);
        }

        var photo = await AssetIdAsync(app, owner, "secret.png");
        var version = UpdatedAt(await GetHtmlAsync(owner, $"/app/products/{id}"));

        using (var get = await intruder.Client.GetAsync($"/app/products/{id}", Ct))
        {
            Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
            Assert.DoesNotContain("Secret product", await get.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }

        var posts = new (string Handler, Dictionary<string, string> Fields)[]
        {
            ("", Fields("SECRET-1", "Hijacked", version)),
            ("?handler=move", new() { ["assetId"] = photo.ToString(), ["direction"] = "right" }),
            ("?handler=remove", new() { ["assetId"] = photo.ToString() }),
            ("?handler=duplicate", []),
            ("?handler=delete", []),
        };
        foreach (var (handler, fields) in posts)
        {
            using var response = await intruder.PostFormAsync($"/app/products/{id}{handler}", fields, "/app/products");
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{handler}: {response.StatusCode}");
        }

        using (var content = new MultipartFormDataContent())
        {
            content.Add(Image(NetVips.Image.Black(32, 32).WriteToBuffer(".png"), "image/png"), "photos", "planted.png");
            using var upload = await intruder.PostMultipartAsync($"/app/products/{id}?handler=upload", content, "/app/products");
            Assert.Equal(HttpStatusCode.NotFound, upload.StatusCode);
        }

        await using var db = app.Database.CreateContext(owner.WorkspaceId);
        var product = await db.Products.Include(p => p.Photos).SingleAsync(Ct);
        Assert.Equal(("Secret product", id), (product.Title, product.Id));
        Assert.Equal(photo, Assert.Single(product.Photos).AssetId);
        await using var intruderDb = app.Database.CreateContext(intruder.WorkspaceId);
        Assert.Equal(0, await intruderDb.Products.CountAsync(Ct));
        Assert.Equal(0, await intruderDb.Assets.CountAsync(Ct));
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Viewer_SeesProductsReadOnlyAndEveryWriteIsForbidden(DatabaseKind kind)
    {
        await using var app = await AppFactory.StartAsync(kind);
        using var session = await BrowserSession.SignUpAsync(app);
        var id = await CreateAsync(session, Fields("VIEW-1", "Viewed product"));
        var version = UpdatedAt(await GetHtmlAsync(session, $"/app/products/{id}"));

        // No invitation flow yet: demote the member directly.
        await using (var db = app.Database.CreateContext())
        {
            var membership = await db.WorkspaceMembers.SingleAsync(m => m.UserId == session.UserId && m.WorkspaceId == session.WorkspaceId, Ct);
            membership.Role = WorkspaceRole.Viewer;
            await db.SaveChangesAsync(Ct);
        }

        var list = await GetHtmlAsync(session, "/app/products");
        Assert.Equal(["VIEW-1"], Skus(list));
        Assert.DoesNotContain("id=\"new-product\"", list, StringComparison.Ordinal);
        Assert.Contains("id=\"export-csv\"", list, StringComparison.Ordinal);

        var page = await GetHtmlAsync(session, $"/app/products/{id}");
        Assert.Contains("id=\"read-only\"", page, StringComparison.Ordinal);
        Assert.Contains("<fieldset class=\"plain\" disabled=\"disabled\">", page, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"photo-upload\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"delete-product\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"save-product\"", page, StringComparison.Ordinal);

        using (var newPage = await session.Client.GetAsync("/app/products/new", Ct))
        {
            Assert.Equal(HttpStatusCode.Forbidden, newPage.StatusCode);
        }

        using (var save = await session.PostFormAsync($"/app/products/{id}", Fields("VIEW-1", "Changed by viewer", version), "/app/products"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, save.StatusCode);
            Assert.Contains("does not allow this action", await save.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }

        foreach (var handler in new[] { "delete", "duplicate" })
        {
            using var response = await session.PostFormAsync($"/app/products/{id}?handler={handler}", [], "/app/products");
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }

        using (var created = await session.PostFormAsync("/app/products/new", Fields("VIEW-2", "Sneaked in"), "/app/products"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, created.StatusCode);
        }

        using (var content = new MultipartFormDataContent())
        {
            content.Add(new ByteArrayContent(Encoding.UTF8.GetBytes("sku,title\r\nVIEW-3,Imported\r\n")), "Csv", "p.csv");
            using var imported = await session.PostMultipartAsync("/app/products/import", content, "/app/products");
            Assert.Equal(HttpStatusCode.Forbidden, imported.StatusCode);
        }

        await using var check = app.Database.CreateContext(session.WorkspaceId);
        var product = await check.Products.SingleAsync(Ct);
        Assert.Equal(("VIEW-1", "Viewed product"), (product.Sku, product.Title));
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task ChineseUser_PagesAndErrorsAreChineseAndCspSafe(DatabaseKind kind)
    {
        await using var app = await AppFactory.StartAsync(kind);
        using var session = await BrowserSession.SignUpAsync(app, language: "zh-CN");
        session.Client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("zh-CN");

        var empty = await GetHtmlAsync(session, "/app/products");
        Assert.Contains("<html lang=\"zh-CN\">", empty, StringComparison.Ordinal);
        Assert.Contains("还没有商品", empty, StringComparison.Ordinal);
        Assert.Contains("新建商品", empty, StringComparison.Ordinal);

        var form = await GetHtmlAsync(session, "/app/products/new");
        Assert.Contains("创建商品", form, StringComparison.Ordinal);
        Assert.Contains("value=\"CNY\"", form, StringComparison.Ordinal);

        using (var rejected = await session.PostFormAsync("/app/products/new", Fields("茶杯", ""), "/app/products/new"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, rejected.StatusCode);
            var html = await rejected.Content.ReadAsStringAsync(Ct);
            Assert.Contains("请输入商品标题。", html, StringComparison.Ordinal);
            Assert.Contains("SKU 只能包含字母、数字", html, StringComparison.Ordinal);
        }

        var id = await CreateAsync(session, Fields("TEA-1", "青瓷茶杯"));
        var pages = new[] { "/app/products", "/app/products/new", $"/app/products/{id}", "/app/products/import" };
        foreach (var path in pages)
        {
            var html = await GetHtmlAsync(session, path);
            Assert.DoesNotMatch("\\sstyle=\"", html);
            Assert.DoesNotMatch("<style[\\s>]", html);
            Assert.DoesNotMatch("<script(?![^>]*\\ssrc=)[^>]*>", html);
        }

        Assert.Contains("青瓷茶杯", await GetHtmlAsync(session, "/app/products?q=TEA"), StringComparison.Ordinal);
        Assert.Contains("CSV 格式", await GetHtmlAsync(session, "/app/products/import"), StringComparison.Ordinal);
    }

    [Fact]
    public void ProductForm_ToInput_SkipsBlankRowsAndMapsCoreIndexesBackToFormRows()
    {
        var form = new ProductForm
        {
            Sku = "A-1",
            Title = "T",
            Variants =
            [
                new VariantRow { Currency = "USD" },
                new VariantRow { Sku = "A-1-X", Price = "1.999", Currency = "USD" },
                new VariantRow { Sku = "A-1-Y", Options = "Color", Price = "2", Currency = "USD", Stock = "x" },
            ],
        };

        var parsed = form.ToInput();
        var errors = new FormErrors();
        foreach (var error in parsed.ParseErrors)
        {
            errors.Add(error, error.Code, parsed);
        }

        Assert.Equal(2, parsed.Input.Variants!.Count);
        Assert.Equal([1, 2], parsed.VariantRows);
        Assert.Equal(new[] { CatalogErrors.PricePrecision }, errors.For("variants[1].price"));
        Assert.Equal(new[] { CatalogErrors.VariantOptionsFormat }, errors.For("variants[2].options"));
        Assert.Equal(new[] { CatalogErrors.StockInvalid }, errors.For("variants[2].stock"));
        Assert.Empty(errors.For("variants[0].price"));
    }

    private static Dictionary<string, string> Fields(string sku, string title, string? updatedAt = null, string status = "draft")
    {
        var fields = new Dictionary<string, string>
        {
            ["Form.Sku"] = sku,
            ["Form.Title"] = title,
            ["Form.Status"] = status,
        };
        if (updatedAt is not null)
        {
            fields["Form.UpdatedAt"] = updatedAt;
        }

        return fields;
    }

    private static async Task<Guid> CreateAsync(BrowserSession session, Dictionary<string, string> fields)
    {
        using var response = await session.PostFormAsync("/app/products/new", fields);
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(Ct)));
        Assert.EndsWith("?done=created", response.Headers.Location?.OriginalString, StringComparison.Ordinal);
        return IdFrom(response.Headers.Location);
    }

    private static Guid IdFrom(Uri? location) =>
        Guid.Parse(ProductPath().Match(location?.OriginalString ?? "").Groups[1].Value);

    private static async Task<string> GetHtmlAsync(BrowserSession session, string path)
    {
        using var response = await session.Client.GetAsync(path, Ct);
        var html = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {response.StatusCode}");
        return html;
    }

    private static ByteArrayContent Image(byte[] bytes, string contentType)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return content;
    }

    private static async Task<Guid> AssetIdAsync(AppFactory app, BrowserSession session, string fileName)
    {
        await using var db = app.Database.CreateContext(session.WorkspaceId);
        return await db.Assets.Where(a => a.OriginalFileName == fileName).Select(a => a.Id).SingleAsync(Ct);
    }

    private static async Task<List<Guid>> StoredOrderAsync(AppFactory app, BrowserSession session, Guid productId)
    {
        await using var db = app.Database.CreateContext(session.WorkspaceId);
        return await db.ProductPhotos.Where(p => p.ProductId == productId).OrderBy(p => p.Position).Select(p => p.AssetId).ToListAsync(Ct);
    }

    private static List<string> Skus(string html) => RowSku().Matches(html).Select(m => m.Groups[1].Value).ToList();

    private static List<Guid> PhotoOrder(string html) => PhotoItem().Matches(html).Select(m => Guid.Parse(m.Groups[1].Value)).ToList();

    private static string UpdatedAt(string html)
    {
        var match = UpdatedAtField().Match(html);
        Assert.True(match.Success, "No Form.UpdatedAt field on the page.");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    [GeneratedRegex("<tr data-sku=\"([^\"]+)\"")]
    private static partial Regex RowSku();

    [GeneratedRegex("<li data-asset-id=\"([0-9a-f-]{36})\"")]
    private static partial Regex PhotoItem();

    [GeneratedRegex("name=\"Form.UpdatedAt\" value=\"([^\"]*)\"")]
    private static partial Regex UpdatedAtField();

    [GeneratedRegex("/app/products/([0-9a-f-]{36})")]
    private static partial Regex ProductPath();
}
