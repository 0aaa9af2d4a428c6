using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using CommerceOS.Core.Catalog;
using CommerceOS.Tests.Assets;
using CommerceOS.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CommerceOS.Tests.Brands;

public sealed partial class BrandPagesTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task CreateAndEdit_ChineseNameAndGlossary_SavedListedAndReshown(DatabaseKind kind)
    {
        await using var app = await AppFactory.StartAsync(kind);
        using var session = await BrowserSession.SignUpAsync(app);
        await app.SetPlanAsync(session.WorkspaceId, Core.Billing.PlanCatalog.Creator);

        using var created = await PostBrandAsync(session, "/app/brands/new", BrandFields(
            name: "山野户外 Shanye",
            voice: "安静、专业，像一位老向导。",
            tone: "warm",
            palette: ["#7c3aed", "", "#FFFFFF"],
            headingFont: "Noto Serif",
            bodyFont: "Noto Sans CJK SC",
            bannedWords: "cheap\r\n最便宜\r\n\r\nCheap",
            glossary: [("down jacket", "羽绒服", "zh-CN"), ("", "", ""), ("山野", "Shanye", "en")]));

        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var location = created.Headers.Location!.OriginalString;
        var match = SavedLocation().Match(location);
        Assert.True(match.Success, location);
        var brandId = Guid.Parse(match.Groups[1].Value);
        var stored = await GetBrandAsync(app, session, brandId);
        Assert.Equal("山野户外 Shanye", stored.Name);
        Assert.Equal("安静、专业，像一位老向导。", stored.Voice);
        Assert.Equal("warm", stored.Tone);
        Assert.Equal(["#7C3AED", "#FFFFFF"], stored.Palette);
        Assert.Equal(new BrandFonts("Noto Serif", "Noto Sans CJK SC"), stored.Fonts);
        Assert.Equal(["cheap", "最便宜"], stored.BannedWords);
        Assert.Equal([new GlossaryTerm("down jacket", "羽绒服", "zh-CN"), new GlossaryTerm("山野", "Shanye", "en")], stored.Glossary);

        var list = await GetTextAsync(session, "/app/brands");
        Assert.Contains($"data-brand-id=\"{brandId}\"", list, StringComparison.Ordinal);
        Assert.Contains("山野户外 Shanye", list, StringComparison.Ordinal);
        Assert.Contains("fill=\"#7C3AED\"", list, StringComparison.Ordinal);
        Assert.Contains("fill=\"#FFFFFF\"", list, StringComparison.Ordinal);
        Assert.Contains("2 banned words", list, StringComparison.Ordinal);
        Assert.Contains(">Warm<", list, StringComparison.Ordinal);

        var edit = await GetTextAsync(session, location);
        Assert.Contains("Brand saved.", edit, StringComparison.Ordinal);
        Assert.Contains("value=\"山野户外 Shanye\"", edit, StringComparison.Ordinal);
        Assert.Contains("value=\"羽绒服\"", edit, StringComparison.Ordinal);
        Assert.Contains("value=\"#7C3AED\"", edit, StringComparison.Ordinal);
        Assert.Matches("<option value=\"warm\" selected=\"selected\">", edit);
        Assert.Matches("<option value=\"Noto Sans CJK SC\" selected=\"selected\">", edit);

        using var updated = await PostBrandAsync(session, $"/app/brands/{brandId}", BrandFields(
            name: "山野户外",
            tone: "technical",
            palette: ["", "#0f766e"],
            bannedWords: "",
            glossary: [("", "", "")]));

        Assert.Equal(HttpStatusCode.Redirect, updated.StatusCode);
        var after = await GetBrandAsync(app, session, brandId);
        Assert.Equal("山野户外", after.Name);
        Assert.Null(after.Voice);
        Assert.Equal("technical", after.Tone);
        Assert.Equal(["#0F766E"], after.Palette);
        Assert.Empty(after.BannedWords);
        Assert.Empty(after.Glossary);
        Assert.Equal(new BrandFonts("Noto Sans", "Noto Sans"), after.Fonts);
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task BrandCenter_OnStarter_ExplainedWithTheUpgradePath_AndNothingSaved(DatabaseKind kind)
    {
        await using var app = await AppFactory.StartAsync(kind);
        using var session = await BrowserSession.SignUpAsync(app);

        var list = await session.Client.GetStringAsync("/app/brands", Ct);
        using var response = await PostBrandAsync(session, "/app/brands/new", BrandFields(name: "Acme"));

        Assert.Contains("id=\"brands-upgrade\"", list, StringComparison.Ordinal);
        Assert.Contains("href=\"/app/billing\"", list, StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"/app/brands/new\"", list, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.PaymentRequired, response.StatusCode);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(Ct));
        Assert.Contains("Brand Center, in the Creator plan", html, StringComparison.Ordinal);
        Assert.Contains("value=\"Acme\"", html, StringComparison.Ordinal);
        Assert.Equal(0, await app.QueryAsync(session, db => db.Brands.CountAsync(Ct)));
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Create_InvalidPaletteAndGlossary_LocalizedErrorsAndNothingSaved(DatabaseKind kind)
    {
        await using var app = await AppFactory.StartAsync(kind);
        using var session = await BrowserSession.SignUpAsync(app);
        await app.SetPlanAsync(session.WorkspaceId, Core.Billing.PlanCatalog.Creator);

        using var response = await PostBrandAsync(session, "/app/brands/new", BrandFields(
            name: "Acme",
            palette: ["", "red", "#12345"],
            glossary: [("", "", ""), ("down jacket", "", "zh-CN")]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(Ct));
        Assert.Contains("Some fields need your attention.", html, StringComparison.Ordinal);
        Assert.Contains("\"RED\" is not a colour in the form #RRGGBB.", html, StringComparison.Ordinal);
        Assert.Contains("\"#12345\" is not a colour in the form #RRGGBB.", html, StringComparison.Ordinal);
        Assert.Contains("Enter the target term.", html, StringComparison.Ordinal);
        // The form comes back with what was typed, the bad slots marked.
        Assert.Contains("value=\"Acme\"", html, StringComparison.Ordinal);
        Assert.Matches("id=\"palette-0\" name=\"Form.Palette\" value=\"red\"[^>]*class=\"input-validation-error\"", html);
        Assert.Matches("name=\"Form.Glossary\\[0\\].Target\"[^>]*class=\"input-validation-error\"", html);
        Assert.DoesNotMatch("name=\"Form.Glossary\\[0\\].Source\"[^>]*class=\"input-validation-error\"", html);
        Assert.Equal(0, await app.QueryAsync(session, db => db.Brands.CountAsync(Ct)));
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Logo_UploadRejectAndRemove_StoredAsAssetAndShownAsThumbnail(DatabaseKind kind)
    {
        await using var app = await AppFactory.StartAsync(kind);
        using var session = await BrowserSession.SignUpAsync(app);
        await app.SetPlanAsync(session.WorkspaceId, Core.Billing.PlanCatalog.Creator);
        var brandId = await CreateBrandAsync(session, "Acme");
        var page = $"/app/brands/{brandId}";

        using var uploaded = await PostLogoAsync(session, brandId, TestImages.Png(120, 60), "acme-logo.png");

        Assert.Equal(HttpStatusCode.Redirect, uploaded.StatusCode);
        Assert.Equal($"{page}?status=logo", uploaded.Headers.Location!.OriginalString);
        var logoId = (await GetBrandAsync(app, session, brandId)).LogoAssetId;
        Assert.NotNull(logoId);
        var asset = await app.QueryAsync(session, db => db.Assets.SingleAsync(a => a.Id == logoId, Ct));
        Assert.Equal((120, 60, "acme-logo.png"), (asset.Width, asset.Height, asset.OriginalFileName));
        var edit = await GetTextAsync(session, uploaded.Headers.Location!.OriginalString);
        Assert.Contains("Logo updated.", edit, StringComparison.Ordinal);
        Assert.Contains($"src=\"/api/v1/assets/{logoId}/content?variant=thumbnail\"", edit, StringComparison.Ordinal);
        Assert.Contains($"data-logo-asset-id=\"{logoId}\"", edit, StringComparison.Ordinal);
        var hubDetail = await GetTextAsync(session, $"/app/content-hub/{logoId}");
        Assert.Contains($"href=\"/app/brands/{brandId}\">Acme</a>", hubDetail, StringComparison.Ordinal);

        using var rejected = await PostLogoAsync(session, brandId, "hello, not an image"u8.ToArray(), "notes.png");

        Assert.Equal(HttpStatusCode.BadRequest, rejected.StatusCode);
        Assert.Contains("This file type is not supported.", WebUtility.HtmlDecode(await rejected.Content.ReadAsStringAsync(Ct)), StringComparison.Ordinal);
        Assert.Equal(logoId, (await GetBrandAsync(app, session, brandId)).LogoAssetId);
        Assert.Equal(1, await app.QueryAsync(session, db => db.Assets.CountAsync(Ct)));

        using var removed = await session.PostFormAsync($"{page}?handler=RemoveLogo", [], page);

        Assert.Equal(HttpStatusCode.Redirect, removed.StatusCode);
        Assert.Null((await GetBrandAsync(app, session, brandId)).LogoAssetId);
        Assert.Equal("Acme", (await GetBrandAsync(app, session, brandId)).Name);
    }

    [Fact]
    public async Task Delete_WithConfirm_RemovesBrandAndSaysSo()
    {
        await using var app = await AppFactory.StartAsync(DatabaseKind.Sqlite);
        using var session = await BrowserSession.SignUpAsync(app);
        await app.SetPlanAsync(session.WorkspaceId, Core.Billing.PlanCatalog.Creator);
        var brandId = await CreateBrandAsync(session, "Doomed");
        var page = $"/app/brands/{brandId}";
        Assert.Contains("data-confirm=\"Delete the brand &quot;Doomed&quot;? Its products stay and lose the brand.\"", await GetTextAsync(session, page), StringComparison.Ordinal);

        using var deleted = await session.PostFormAsync($"{page}?handler=Delete", [], page);

        Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
        Assert.Equal("/app/brands?status=deleted", deleted.Headers.Location!.OriginalString);
        Assert.Equal(0, await app.QueryAsync(session, db => db.Brands.CountAsync(Ct)));
        var list = await GetTextAsync(session, deleted.Headers.Location!.OriginalString);
        Assert.Contains("Brand deleted.", list, StringComparison.Ordinal);
        Assert.Contains("id=\"brands-empty\"", list, StringComparison.Ordinal);
        using var gone = await session.Client.GetAsync(page, Ct);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task BrandPages_OtherWorkspacesBrandOrBadId_NotFoundAndUntouched()
    {
        await using var app = await AppFactory.StartAsync(DatabaseKind.Sqlite);
        using var owner = await BrowserSession.SignUpAsync(app);
        await app.SetPlanAsync(owner.WorkspaceId, Core.Billing.PlanCatalog.Creator);
        using var stranger = await BrowserSession.SignUpAsync(app);
        await app.SetPlanAsync(stranger.WorkspaceId, Core.Billing.PlanCatalog.Creator);
        var brandId = await CreateBrandAsync(owner, "Private");

        using var read = await stranger.Client.GetAsync($"/app/brands/{brandId}", Ct);
        using var write = await PostBrandAsync(stranger, $"/app/brands/{brandId}", BrandFields(name: "Hijacked"), formPage: "/app/brands/new");
        using var delete = await stranger.PostFormAsync($"/app/brands/{brandId}?handler=Delete", [], "/app/brands/new");
        using var bad = await stranger.Client.GetAsync("/app/brands/not-a-brand", Ct);

        Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, write.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, delete.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, bad.StatusCode);
        Assert.Equal("Private", (await GetBrandAsync(app, owner, brandId)).Name);
        Assert.DoesNotContain("Private", await GetTextAsync(stranger, "/app/brands"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BrandPages_Chinese_LabelsTonesAndErrorsInChinese()
    {
        await using var app = await AppFactory.StartAsync(DatabaseKind.Sqlite);
        using var session = await BrowserSession.SignUpAsync(app, language: "zh-CN");
        await app.SetPlanAsync(session.WorkspaceId, Core.Billing.PlanCatalog.Creator);

        var list = await GetTextAsync(session, "/app/brands");
        var form = await GetTextAsync(session, "/app/brands/new");
        using var invalid = await PostBrandAsync(session, "/app/brands/new", BrandFields(name: "", palette: ["blue"]));
        var errors = WebUtility.HtmlDecode(await invalid.Content.ReadAsStringAsync(Ct));

        Assert.Contains("品牌中心", list, StringComparison.Ordinal);
        Assert.Contains("还没有品牌档案", list, StringComparison.Ordinal);
        Assert.Contains("新建品牌", list, StringComparison.Ordinal);
        Assert.Contains("品牌名称", form, StringComparison.Ordinal);
        Assert.Contains(">温暖<", form, StringComparison.Ordinal);
        Assert.Contains(">奢华<", form, StringComparison.Ordinal);
        Assert.Contains("术语表", form, StringComparison.Ordinal);
        Assert.DoesNotContain("Brand name", form, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Contains("“BLUE”不是 #RRGGBB 格式的颜色。", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BrandPages_Markup_HasNoInlineStylesOrScripts()
    {
        await using var app = await AppFactory.StartAsync(DatabaseKind.Sqlite);
        using var session = await BrowserSession.SignUpAsync(app);
        await app.SetPlanAsync(session.WorkspaceId, Core.Billing.PlanCatalog.Creator);
        var brandId = await CreateBrandAsync(session, "Styled", palette: ["#7C3AED", "#F59E0B"]);

        foreach (var path in new[] { "/app/brands", "/app/brands/new", $"/app/brands/{brandId}" })
        {
            var html = await GetTextAsync(session, path);
            Assert.DoesNotMatch("\\sstyle=\"", html);
            Assert.DoesNotMatch("<style[\\s>]", html);
            Assert.DoesNotMatch("<script(?![^>]*\\ssrc=)[^>]*>", html);
        }
    }

    internal static List<KeyValuePair<string, string>> BrandFields(
        string name,
        string voice = "",
        string tone = "",
        IReadOnlyList<string>? palette = null,
        string headingFont = "Noto Sans",
        string bodyFont = "Noto Sans",
        string bannedWords = "",
        IReadOnlyList<(string Source, string Target, string Language)>? glossary = null)
    {
        var fields = new List<KeyValuePair<string, string>>
        {
            new("Form.Name", name),
            new("Form.Voice", voice),
            new("Form.Tone", tone),
            new("Form.HeadingFont", headingFont),
            new("Form.BodyFont", bodyFont),
            new("Form.BannedWords", bannedWords),
        };
        // Like a browser: every palette slot is posted, the blank ones too.
        var slots = palette ?? [];
        fields.AddRange(Enumerable.Range(0, BrandValidator.MaxPaletteColors).Select(i => new KeyValuePair<string, string>("Form.Palette", i < slots.Count ? slots[i] : "")));
        var rows = glossary ?? [];
        for (var i = 0; i < rows.Count; i++)
        {
            fields.Add(new($"Form.Glossary[{i}].Source", rows[i].Source));
            fields.Add(new($"Form.Glossary[{i}].Target", rows[i].Target));
            fields.Add(new($"Form.Glossary[{i}].Language", rows[i].Language));
        }

        return fields;
    }

    internal static async Task<HttpResponseMessage> PostBrandAsync(BrowserSession session, string path, List<KeyValuePair<string, string>> fields, string? formPage = null)
    {
        fields.Add(new("__RequestVerificationToken", await session.AntiforgeryTokenAsync(formPage ?? path)));
        return await session.Client.PostAsync(path, new FormUrlEncodedContent(fields), Ct);
    }

    internal static async Task<Guid> CreateBrandAsync(BrowserSession session, string name, IReadOnlyList<string>? palette = null)
    {
        using var response = await PostBrandAsync(session, "/app/brands/new", BrandFields(name, palette: palette));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return Guid.Parse(SavedLocation().Match(response.Headers.Location!.OriginalString).Groups[1].Value);
    }

    private static async Task<HttpResponseMessage> PostLogoAsync(BrowserSession session, Guid brandId, byte[] bytes, string fileName)
    {
        var content = new MultipartFormDataContent();
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        content.Add(file, "logo", fileName);
        return await session.PostMultipartAsync($"/app/brands/{brandId}?handler=Logo", content, $"/app/brands/{brandId}");
    }

    private static Task<BrandDetails> GetBrandAsync(AppFactory app, BrowserSession session, Guid brandId) =>
        app.InWorkspaceAsync(session, async services =>
        {
            var result = await services.GetRequiredService<GetBrand>().HandleAsync(new GetBrand.Request(brandId), Ct);
            Assert.True(result.IsSuccess, result.ToString());
            return result.Value;
        });

    private static async Task<string> GetTextAsync(BrowserSession session, string path)
    {
        using var response = await session.Client.GetAsync(path, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync(Ct);
    }

    [GeneratedRegex("^/app/brands/([0-9a-f-]{36})\\?status=saved$")]
    private static partial Regex SavedLocation();
}
