using System.Net;
using CommerceOS.Core.Workflows;
using CommerceOS.Tests.Infrastructure;

namespace CommerceOS.Tests.Workflows.Pages;

/// <summary>The Skills, Workflows, start, editor and New project pages as an owner sees them, in English and Chinese.</summary>
public sealed class WorkflowPagesRenderTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("en", "Skills", "Built-in templates", "Complete listing kit", "New project")]
    [InlineData("zh-CN", "技能", "内置模板", "全套上架素材", "新建项目")]
    public async Task Pages_RenderForAnOwner_InTheSessionLanguage(string language, string skills, string builtIn, string listingKit, string newProject)
    {
        await using var app = await AppFactory.StartAsync(DatabaseKind.Sqlite);
        using var session = await BrowserSession.SignUpAsync(app, language: language);

        var catalogue = await session.Client.GetStringAsync("/app/skills", Ct);
        Assert.Contains($"<h1>{skills}</h1>", catalogue, StringComparison.Ordinal);
        Assert.Contains($"data-category=\"\" data-count=\"{SkillCatalog.Default.All.Count}\"", catalogue, StringComparison.Ordinal);
        foreach (var category in SkillCatalog.Categories)
        {
            Assert.Contains($"data-category=\"{category}\" data-count=\"{SkillCatalog.Default.All.Count(s => s.Category == category)}\"", catalogue, StringComparison.Ordinal);
        }

        foreach (var skill in SkillCatalog.Default.All)
        {
            Assert.Contains($"data-skill=\"{skill.Id}\"", catalogue, StringComparison.Ordinal);
            Assert.Contains(skill.Name.For(language), WebUtility.HtmlDecode(catalogue), StringComparison.Ordinal);
        }

        Assert.Contains(newProject, catalogue, StringComparison.Ordinal);
        Assert.Contains("id=\"nav-new-project\"", catalogue, StringComparison.Ordinal);

        var workflows = await session.Client.GetStringAsync("/app/workflows", Ct);
        Assert.Contains(builtIn, workflows, StringComparison.Ordinal);
        Assert.Contains(listingKit, workflows, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"coming-soon\"", workflows, StringComparison.Ordinal);
        foreach (var template in BuiltInTemplates.All)
        {
            Assert.Contains($"data-template-id=\"{template.Id}\" data-built-in=\"true\"", workflows, StringComparison.Ordinal);
            Assert.Contains($"href=\"/app/workflows/start?template={template.Id}\"", workflows, StringComparison.Ordinal);
        }

        var start = await session.Client.GetStringAsync("/app/workflows/start?template=listing-kit", Ct);
        Assert.Contains("name=\"Marketplaces\" value=\"amazon\" checked=\"checked\"", start, StringComparison.Ordinal);
        Assert.Contains("name=\"Marketplaces\" value=\"shopify\" />", start, StringComparison.Ordinal);
        Assert.Contains("id=\"start-mode-csv\"", start, StringComparison.Ordinal);

        var fresh = await session.Client.GetStringAsync("/app/new", Ct);
        Assert.Contains($"<h1>{newProject}</h1>", fresh, StringComparison.Ordinal);
        Assert.Contains("accept=\"image/jpeg,image/png,image/webp", fresh, StringComparison.Ordinal);
        Assert.Contains("id=\"new-submit\"", fresh, StringComparison.Ordinal);

        var editor = await session.Client.GetStringAsync("/app/workflows/templates/new", Ct);
        Assert.Contains("id=\"editor-add-gate\"", editor, StringComparison.Ordinal);
        Assert.Contains("<option value=\"amazon\" selected=\"selected\">", editor, StringComparison.Ordinal);

        foreach (var html in new[] { catalogue, workflows, start, fresh, editor })
        {
            Assert.DoesNotContain("workflows_ui.", html, StringComparison.Ordinal);
            Assert.DoesNotMatch("\\sstyle=\"", html);
            Assert.DoesNotMatch("<script(?![^>]*\\ssrc=)[^>]*>", html);
        }

        using var unknown = await session.Client.GetAsync("/app/workflows/start?template=nope", Ct);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        using var unknownSkill = await session.Client.GetAsync("/app/skills?skill=nope", Ct);
        Assert.Equal(HttpStatusCode.NotFound, unknownSkill.StatusCode);
    }

    [Fact]
    public async Task Skills_SearchesBothLanguages_FiltersByCategory_AndShowsTheSchema()
    {
        await using var app = await AppFactory.StartAsync(DatabaseKind.Sqlite);
        using var session = await BrowserSession.SignUpAsync(app);

        // A Chinese word finds the skill in an English session too.
        var zh = SkillCatalog.Default.Find("image-white-background")!;
        var term = zh.Name.Zh[..2];
        var found = await session.Client.GetStringAsync($"/app/skills?q={Uri.EscapeDataString(term)}", Ct);
        Assert.Contains("data-skill=\"image-white-background\"", found, StringComparison.Ordinal);
        var expected = SkillCatalog.Default.All.Where(s => s.Name.Zh.Contains(term, StringComparison.Ordinal) || s.Description.Zh.Contains(term, StringComparison.Ordinal)
            || s.Name.En.Contains(term, StringComparison.OrdinalIgnoreCase) || s.Description.En.Contains(term, StringComparison.OrdinalIgnoreCase) || s.Id.Contains(term, StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.Contains($"data-category=\"\" data-count=\"{expected.Count}\"", found, StringComparison.Ordinal);
        Assert.DoesNotContain("data-skill=\"seo-keywords\"", found, StringComparison.Ordinal);

        var videos = await session.Client.GetStringAsync("/app/skills?category=video", Ct);
        Assert.Contains("data-skill=\"video-ugc\"", videos, StringComparison.Ordinal);
        Assert.DoesNotContain("data-skill=\"image-main\"", videos, StringComparison.Ordinal);
        Assert.Contains("class=\"active\" href=\"/app/skills?category=video\"", videos, StringComparison.Ordinal);

        var none = await session.Client.GetStringAsync("/app/skills?q=zzzz-no-such-skill", Ct);
        Assert.Contains("id=\"skills-empty\"", none, StringComparison.Ordinal);

        var detail = await session.Client.GetStringAsync("/app/skills?skill=video-ugc", Ct);
        Assert.Contains("id=\"skill-detail\" data-skill=\"video-ugc\"", detail, StringComparison.Ordinal);
        Assert.Contains("<tr data-param=\"durationSeconds\">", detail, StringComparison.Ordinal);
        Assert.Contains("<td data-type>integer</td>", detail, StringComparison.Ordinal);
        Assert.Contains("<td data-min>6</td>", detail, StringComparison.Ordinal);
        Assert.Contains("<td data-max>60</td>", detail, StringComparison.Ordinal);
        Assert.Contains("<td data-type>array&lt;string&gt;</td>", detail, StringComparison.Ordinal);
        Assert.Contains("<td data-allowed>9:16, 1:1, 4:5, 16:9</td>", detail, StringComparison.Ordinal);
        Assert.Contains("id=\"skill-outputs\"", detail, StringComparison.Ordinal);
        Assert.Contains("data-providers>Providers: local, ai", detail, StringComparison.Ordinal);

        var translate = await session.Client.GetStringAsync("/app/skills?skill=translate-listing", Ct);
        // The target languages have a default (Chinese), so a step may leave them out.
        Assert.Contains("<code>targetLanguages</code>", translate, StringComparison.Ordinal);
        Assert.Contains("<td><code>[&quot;zh-CN&quot;]</code></td>", translate, StringComparison.Ordinal);
    }
}
