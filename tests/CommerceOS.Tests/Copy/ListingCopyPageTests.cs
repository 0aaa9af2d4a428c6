using System.Net;
using System.Text.RegularExpressions;
using CommerceOS.Core.Catalog;
using CommerceOS.Core.Copy;
using CommerceOS.Core.Seo;
using CommerceOS.Core.Jobs;
using CommerceOS.Core.Workspaces;
using CommerceOS.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CommerceOS.Tests.Copy;

/// <summary>The Listing Copy page (<c>/app/listing-copy/{id}</c>) over the copy use cases, in a real host.</summary>
public sealed partial class ListingCopyPageTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly string[] Bullets =
    [
        "Keeps drinks cold through a long day outdoors",
        "Stainless steel body that shrugs off knocks",
        "Leak-proof lid that closes with one hand",
        "Fits most car cup holders and backpack pockets",
        "Wide mouth that takes ice cubes and is easy to clean",
    ];

    private const string GoodTitle = "Aurora Insulated Steel Water Bottle for Hiking, Gym and Office Use";

    [Fact]
    public async Task Page_WithoutCopy_RendersTabsAndGenerateForm_InEnglishAndChinese()
    {
        await using var app = await AppFactory.StartAsync(DatabaseKind.Sqlite);
        using var english = await BrowserSession.SignUpAsync(app);
        await app.SetPlanAsync(english.WorkspaceId, Core.Billing.PlanCatalog.Creator);
        using var chinese = await BrowserSession.SignUpAsync(app, language: "zh-CN");
        await app.SetPlanAsync(chinese.WorkspaceId, Core.Billing.PlanCatalog.Creator);
        var id = await ProductAsync(app, english, "EN-1");
        var zhId = await ProductAsync(app, chinese, "ZH-1");

        var page = await english.Client.GetStringAsync($"/app/listing-copy/{id}", Ct);
        Assert.Contains("<h1>Listing Copy</h1>", page, StringComparison.Ordinal);
        Assert.Equal(CopyProfiles.Ids.Count, Regex.Count(page, "<a href=\"/app/listing-copy/[^\"]+\" [^>]*data-marketplace="));
        Assert.Equal(13, CopyProfiles.Ids.Count);
        Assert.Contains("id=\"copy-empty\"", page, StringComparison.Ordinal);
        Assert.Contains("id=\"copy-generate-form\"", page, StringComparison.Ordinal);
        Assert.Contains("<option value=\"warm\">Warm</option>", page, StringComparison.Ordinal);
        // An empty Amazon editor: title, five bullets and the rest, each with its counter against the limit.
        Assert.Contains("name=\"Edit.Bullets[4]\"", page, StringComparison.Ordinal);
        Assert.Contains("data-unit=\"bytes\" data-limit=\"249\"", page, StringComparison.Ordinal);
        Assert.Contains("/js/copy.js", page, StringComparison.Ordinal);
        AssertNoInlineScriptOrStyle(page);

        // TikTok Shop's caption limit counts the hashtags posted with it, so its counter reads both boxes.
        var tiktok = await english.Client.GetStringAsync($"/app/listing-copy/{id}?marketplace=tiktok-shop", Ct);
        Assert.Contains("name=\"Edit.Caption\" rows=\"3\" data-unit=\"characters\" data-limit=\"150\" data-separator=\"\" data-with=\"f-hashtags\"", tiktok, StringComparison.Ordinal);
        Assert.Contains("id=\"f-hashtags\" name=\"Edit.Hashtags\" rows=\"2\" data-unit=\"items\" data-limit=\"5\" data-separator=\" \"", tiktok, StringComparison.Ordinal);

        // Without an id the page shows the newest product; the picker's GET lands on the product's own address.
        var first = await english.Client.GetStringAsync("/app/listing-copy", Ct);
        Assert.Contains($"value=\"{id}\" selected=\"selected\"", first, StringComparison.Ordinal);
        using (var picked = await english.Client.GetAsync($"/app/listing-copy?product={id}", Ct))
        {
            Assert.Equal(HttpStatusCode.Redirect, picked.StatusCode);
            Assert.Equal($"/app/listing-copy/{id}", picked.Headers.Location!.OriginalString);
        }

        // Taobao writes Chinese by default and counts its title in double bytes.
        var zh = await chinese.Client.GetStringAsync($"/app/listing-copy/{zhId}?marketplace=taobao", Ct);
        Assert.Contains("<h1>商品文案</h1>", zh, StringComparison.Ordinal);
        Assert.Contains("淘宝", zh, StringComparison.Ordinal);
        Assert.Contains("data-language=\"zh-CN\"", zh, StringComparison.Ordinal);
        Assert.Contains("data-unit=\"double-bytes\" data-limit=\"60\"", zh, StringComparison.Ordinal);
        Assert.Contains("data-field=\"live-script\"", zh, StringComparison.Ordinal);
        AssertNoInlineScriptOrStyle(zh);
    }

    [Fact]
    public async Task Generate_RunsTheJob_ThenRegenerateOneField_ThenTranslate_ShowEachVersion()
    {
        await using var app = await AppFactory.StartAsync(DatabaseKind.Sqlite);
        using var session = await BrowserSession.SignUpAsync(app);
        await app.SetPlanAsync(session.WorkspaceId, Core.Billing.PlanCatalog.Creator);
        var id = await RichProductAsync(app, session, "GEN-1");
        var url = $"/app/listing-copy/{id}?marketplace=amazon&lang=en";

        using (var started = await session.PostFormAsync(
            $"{url}&handler=generate",
            new() { ["Generate.Tone"] = "warm", ["Generate.Language"] = "en", ["Generate.Competitors"] = "Hydro Flask, Yeti" },
            url))
        {
            Assert.Equal(HttpStatusCode.Redirect, started.StatusCode);
            Assert.Equal($"/app/listing-copy/{id}?marketplace=amazon&lang=en&done=generate#copy-jobs", started.Headers.Location!.OriginalString);
        }

        await WaitForJobsAsync(app, session, RequestCopy.JobKind, 1);
        var page = await session.Client.GetStringAsync(url + "&done=generate", Ct);
        Assert.Contains("data-version=\"1\"", page, StringComparison.Ordinal);
        Assert.Contains("data-status=\"succeeded\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("hx-trigger", page, StringComparison.Ordinal);
        var first = await app.QueryAsync(session, db => db.ListingCopyVersions.SingleAsync(Ct));
        var text = CopyJson.Text(first);
        Assert.Equal(5, text.Bullets.Count);
        Assert.Equal("warm", first.Tone);
        for (var i = 0; i < 5; i++)
        {
            Assert.Matches($"<textarea id=\"f-bullets-{i}\" name=\"Edit.Bullets\\[{i}\\]\" rows=\"3\" data-unit=\"characters\" data-limit=\"500\"", page);
            Assert.Contains($"id=\"f-bullets-{i}-count\" data-over=\"false\"", page, StringComparison.Ordinal);
            Assert.Contains($"<span data-count>{Core.Seo.TextMeasure.Characters(text.Bullets[i])}</span> / <span data-limit>500</span>", page, StringComparison.Ordinal);
        }

        // One badge per rule the version breaks today, as the use case reports them.
        var issues = await app.InWorkspaceAsync(session, async services =>
            (await services.GetRequiredService<GetListingCopy>().HandleAsync(new GetListingCopy.Request(id, "amazon", "en"), Ct)).Value.Listings[0].Version!.Issues);
        Assert.Equal(issues.Count, Regex.Count(page, "<p class=\"copy-issue\" data-rule="));
        Assert.DoesNotContain(issues, i => i.Severity == CopyIssueSeverity.Error);

        // Nothing running: the jobs poll tells htmx to reload the page so the new version shows.
        using (var poll = await session.Client.GetAsync(url + "&handler=jobs", Ct))
        {
            Assert.Equal(HttpStatusCode.OK, poll.StatusCode);
            Assert.Equal("true", poll.Headers.GetValues("HX-Refresh").Single());
        }

        using (var again = await session.PostFormAsync($"{url}&handler=regenerate&field=title", EditFields(1, text), url))
        {
            Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        }

        await WaitForJobsAsync(app, session, RequestCopy.JobKind, 2);
        var jobs = await app.QueryAsync(session, db => db.Jobs.Where(j => j.Kind == RequestCopy.JobKind).OrderBy(j => j.CreatedAt).ToListAsync(Ct));
        var regenerated = CopyJson.Read<CopyJobInput?>(jobs[1].InputJson, null)!;
        Assert.Equal(["title"], regenerated.Fields);
        Assert.Equal("warm", regenerated.Tone);
        Assert.NotEqual(CopyJson.Read<CopyJobInput?>(jobs[0].InputJson, null)!.Seed, regenerated.Seed);
        var second = await app.QueryAsync(session, db => db.ListingCopyVersions.SingleAsync(v => v.Number == 2, Ct));
        Assert.Equal(text.Bullets, CopyJson.Text(second).Bullets);
        Assert.Equal(text.Description, CopyJson.Text(second).Description);
        Assert.Contains("data-version=\"2\"", await session.Client.GetStringAsync(url, Ct), StringComparison.Ordinal);

        using (var translate = await session.PostFormAsync($"{url}&handler=translate", new() { ["Targets"] = "de" }, url))
        {
            Assert.Equal(HttpStatusCode.Redirect, translate.StatusCode);
        }

        await WaitForJobsAsync(app, session, RequestTranslations.JobKind, 1);
        var german = await session.Client.GetStringAsync($"/app/listing-copy/{id}?marketplace=amazon&lang=de", Ct);
        Assert.Contains("<a href=\"/app/listing-copy/" + id + "?marketplace=amazon&amp;lang=de\" class=\"active\" data-language=\"de\">", german, StringComparison.Ordinal);
        Assert.Matches("<tr data-language=\"de\">\\s*<td><a [^>]+>German</a></td>\\s*<td>English · Version 2</td>\\s*<td>[1-9]", german);
        Assert.Contains("<tr data-language=\"en\">", german, StringComparison.Ordinal);
        Assert.Contains("Written in this language", german, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generate_OnAThinProduct_ShowsTheDraftsErrorBadges_RefusesApproval_AndShowsAFailedGenerationsRules()
    {
        await using var app = await AppFactory.StartAsync(DatabaseKind.Sqlite);
        using var session = await BrowserSession.SignUpAsync(app);
        await app.SetPlanAsync(session.WorkspaceId, Core.Billing.PlanCatalog.Creator);
        // Two selling points and one attribute cannot fill Amazon's five bullets without inventing facts.
        var id = await ProductAsync(app, session, "THIN-1");
        var url = $"/app/listing-copy/{id}?marketplace=amazon&lang=en";

        using (var started = await session.PostFormAsync($"{url}&handler=generate", new() { ["Generate.Language"] = "en" }, url))
        {
            Assert.Equal(HttpStatusCode.Redirect, started.StatusCode);
        }

        await WaitForJobsAsync(app, session, RequestCopy.JobKind, 1);
        var page = await session.Client.GetStringAsync(url, Ct);
        Assert.Contains("data-version=\"1\"", page, StringComparison.Ordinal);
        Assert.Matches("<p class=\"copy-issue\" data-rule=\"bullet-count\" data-severity=\"error\"><span class=\"badge badge-bad\">Number of bullet points</span> [0-4] bullet points; the marketplace expects 5\\.", page);
        Assert.Matches("<span class=\"badge badge-bad\" data-errors=\"[1-9]", page);

        using (var approve = await session.PostFormAsync($"{url}&handler=approve", new() { ["approve"] = "1" }, url))
        {
            Assert.Equal(HttpStatusCode.BadRequest, approve.StatusCode);
            Assert.Matches("This version breaks [1-9]\\d* rule\\(s\\)\\. Fix them before approving\\.", await approve.Content.ReadAsStringAsync(Ct));
        }

        Assert.False(await app.QueryAsync(session, db => db.ListingCopies.AnyAsync(c => c.Locked, Ct)));

        // A generation that never passed the rules (the LLM engine's last attempt) leaves them on the copy: the page lists them.
        await app.InWorkspaceAsync(session, async services =>
        {
            var store = services.GetRequiredService<CopyStore>();
            var copy = await store.FindAsync(id, "amazon", "en", Ct);
            await store.RecordFailureAsync(copy!, Guid.CreateVersion7(),
                [new CopyIssue("title", 0, CopyRules.TooLong, CopyIssueSeverity.Error, ["231", "200", "copy.unit.characters"], "marketplace-rules.md §1.1", "too long")], Ct);
            return 0;
        });
        var failed = await session.Client.GetStringAsync(url, Ct);
        Assert.Contains("id=\"copy-last-failure\"", failed, StringComparison.Ordinal);
        Assert.Contains("<li data-rule=\"too-long\" data-severity=\"error\"><span class=\"badge badge-bad\">Length limit</span> Title: 231 characters; the limit is 200.</li>", failed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Page_WithCopy_ShowsCountersRuleBadgesWithLocalizedArgsAndHistory()
    {
        await using var app = await AppFactory.StartAsync(DatabaseKind.Sqlite);
        using var session = await BrowserSession.SignUpAsync(app, language: "zh-CN");
        await app.SetPlanAsync(session.WorkspaceId, Core.Billing.PlanCatalog.Creator);
        var id = await ProductAsync(app, session, "BADGE-1");
        // A short title is a warning on Amazon (a score band, §1.2), so the edit is kept with its badge.
        await EditAsync(app, session, id, 0, AmazonText() with { Title = "Aurora Steel Bottle" });

        var page = await session.Client.GetStringAsync($"/app/listing-copy/{id}?marketplace=amazon&lang=en", Ct);
        Assert.Contains("data-version=\"1\"", page, StringComparison.Ordinal);
        Assert.Contains("id=\"f-title-count\" data-over=\"false\"", page, StringComparison.Ordinal);
        Assert.Contains("<span data-count>19</span> / <span data-limit>200</span> <span>个字符</span>", page, StringComparison.Ordinal);
        Assert.Contains("data-rule=\"too-short\" data-severity=\"warning\"", page, StringComparison.Ordinal);
        // The unit argument (copy.unit.characters) is itself localized inside the message.
        Assert.Contains("19 个字符；至少需要 60。", page, StringComparison.Ordinal);
        Assert.Equal("最短长度", LocalizedRule(page, "too-short"));
        Assert.Contains(Bullets[2], page, StringComparison.Ordinal);
        Assert.Contains("id=\"copy-history\"", page, StringComparison.Ordinal);
        Assert.Contains("手动编辑", page, StringComparison.Ordinal);
        Assert.Contains("id=\"copy-approve\"", page, StringComparison.Ordinal);
        Assert.Contains("data-regenerate=\"title\"", page, StringComparison.Ordinal);
        AssertNoInlineScriptOrStyle(page);
    }

    [Fact]
    public async Task Save_OverTheLimit_IsRefusedWithTheLocalizedMessageNextToTheField_AndNothingIsSaved()
    {
        await using var app = await AppFactory.StartAsync(DatabaseKind.Sqlite);
        using var session = await BrowserSession.SignUpAsync(app);
        await app.SetPlanAsync(session.WorkspaceId, Core.Billing.PlanCatalog.Creator);
        var id = await ProductAsync(app, session, "LIMIT-1");
        await EditAsync(app, session, id, 0, AmazonText());
        var longTitle = GoodTitle + string.Concat(Enumerable.Repeat(" and more", 20));

        using var refused = await session.PostFormAsync(
            $"/app/listing-copy/{id}?marketplace=amazon&lang=en&handler=save", EditFields(1, AmazonText() with { Title = longTitle }), $"/app/listing-copy/{id}");

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var html = await refused.Content.ReadAsStringAsync(Ct);
        Assert.Contains("Nothing was saved", html, StringComparison.Ordinal);
        Assert.Contains($"<p class=\"field-error\" data-error-for=\"title\">{longTitle.Length} characters; the limit is 200.</p>", html, StringComparison.Ordinal);
        // The seller's text stays in the box, with its counter over the limit.
        Assert.Contains(longTitle, html, StringComparison.Ordinal);
        Assert.Contains("id=\"f-title-count\" data-over=\"true\"", html, StringComparison.Ordinal);
        Assert.Equal(1, await VersionsAsync(app, session));

        // A bullet error lands next to that bullet (bullets[2]).
        using var bullet = await session.PostFormAsync(
            $"/app/listing-copy/{id}?marketplace=amazon&lang=en&handler=save",
            EditFields(1, AmazonText() with { Bullets = [.. Bullets.Select((b, i) => i == 2 ? b + " ™" : b)] }),
            $"/app/listing-copy/{id}");
        Assert.Equal(HttpStatusCode.BadRequest, bullet.StatusCode);
        Assert.Contains("data-error-for=\"bullets[2]\">Remove these characters: ™", await bullet.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(1, await VersionsAsync(app, session));

        using var saved = await session.PostFormAsync(
            $"/app/listing-copy/{id}?marketplace=amazon&lang=en&handler=save", EditFields(1, AmazonText() with { Title = GoodTitle + " Blue" }), $"/app/listing-copy/{id}");
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal($"/app/listing-copy/{id}?marketplace=amazon&lang=en&done=saved", saved.Headers.Location!.OriginalString);
        Assert.Equal(2, await VersionsAsync(app, session));
    }

    [Fact]
    public async Task Approve_LocksTheText_EditsAreRefused_UnlockOpensItAgain()
    {
        await using var app = await AppFactory.StartAsync(DatabaseKind.Sqlite);
        using var session = await BrowserSession.SignUpAsync(app);
        await app.SetPlanAsync(session.WorkspaceId, Core.Billing.PlanCatalog.Creator);
        var id = await ProductAsync(app, session, "LOCK-1");
        await EditAsync(app, session, id, 0, AmazonText());
        var url = $"/app/listing-copy/{id}?marketplace=amazon&lang=en";

        using (var approved = await session.PostFormAsync($"{url}&handler=approve", new() { ["approve"] = "1" }, url))
        {
            Assert.Equal(HttpStatusCode.Redirect, approved.StatusCode);
        }

        var locked = await session.Client.GetStringAsync(url, Ct);
        Assert.Contains("id=\"copy-locked\"", locked, StringComparison.Ordinal);
        Assert.Contains("id=\"copy-unlock\"", locked, StringComparison.Ordinal);
        Assert.Contains("<fieldset class=\"plain\" disabled=\"disabled\">", locked, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"copy-save\"", locked, StringComparison.Ordinal);
        Assert.DoesNotContain("data-regenerate=", locked, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"copy-generate-form\"", locked, StringComparison.Ordinal);

        using (var edit = await session.PostFormAsync($"{url}&handler=save", EditFields(1, AmazonText() with { Title = GoodTitle + " Blue" }), url))
        {
            Assert.Equal(HttpStatusCode.Conflict, edit.StatusCode);
            Assert.Contains("This text is approved and locked.", await edit.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }

        using (var generate = await session.PostFormAsync($"{url}&handler=generate", new() { ["Generate.Tone"] = "warm" }, url))
        {
            Assert.Equal(HttpStatusCode.Conflict, generate.StatusCode);
        }

        Assert.Equal(1, await VersionsAsync(app, session));
        Assert.Equal(0, await app.QueryAsync(session, db => db.Jobs.CountAsync(j => j.Kind == RequestCopy.JobKind, Ct)));

        using (var unlocked = await session.PostFormAsync($"{url}&handler=unlock", [], url))
        {
            Assert.Equal(HttpStatusCode.Redirect, unlocked.StatusCode);
        }

        var open = await session.Client.GetStringAsync(url + "&done=unlocked", Ct);
        Assert.Contains("data-done=\"unlocked\"", open, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"copy-locked\"", open, StringComparison.Ordinal);
        Assert.Contains("id=\"copy-save\"", open, StringComparison.Ordinal);
        using (var edit = await session.PostFormAsync($"{url}&handler=save", EditFields(1, AmazonText() with { Title = GoodTitle + " Blue" }), url))
        {
            Assert.Equal(HttpStatusCode.Redirect, edit.StatusCode);
        }

        Assert.Equal(2, await VersionsAsync(app, session));
    }

    [Fact]
    public async Task Compare_ShowsRemovedAndAddedWords_AndAnOldVersionIsReadOnly()
    {
        await using var app = await AppFactory.StartAsync(DatabaseKind.Sqlite);
        using var session = await BrowserSession.SignUpAsync(app);
        await app.SetPlanAsync(session.WorkspaceId, Core.Billing.PlanCatalog.Creator);
        var id = await ProductAsync(app, session, "DIFF-1");
        await EditAsync(app, session, id, 0, AmazonText());
        await EditAsync(app, session, id, 1, AmazonText() with { Title = GoodTitle.Replace("Hiking", "Camping", StringComparison.Ordinal) });
        var url = $"/app/listing-copy/{id}?marketplace=amazon&lang=en";

        var page = await session.Client.GetStringAsync(url, Ct);
        Assert.Contains("id=\"copy-compare-form\"", page, StringComparison.Ordinal);
        var diff = await session.Client.GetStringAsync($"{url}&from=1&to=2", Ct);
        Assert.Contains("id=\"copy-diff\" data-from=\"1\" data-to=\"2\"", diff, StringComparison.Ordinal);
        Assert.Contains("<div class=\"copy-diff-item\" data-field=\"title\" data-index=\"0\">", diff, StringComparison.Ordinal);
        Assert.Contains("<del>Hiking</del><ins>Camping</ins>", diff, StringComparison.Ordinal);
        Assert.DoesNotContain("data-field=\"bullets\" data-index=", diff, StringComparison.Ordinal);

        var old = await session.Client.GetStringAsync($"{url}&version=1", Ct);
        Assert.Contains("id=\"copy-old-version\"", old, StringComparison.Ordinal);
        Assert.Contains("for Hiking, Gym", old, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"copy-save\"", old, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnotherWorkspacesProduct_IsNotFoundLikeARandomOne_ForTheGetAndEveryPostHandler()
    {
        await using var app = await AppFactory.StartAsync(DatabaseKind.Sqlite);
        using var owner = await BrowserSession.SignUpAsync(app, displayName: "Owner");
        await app.SetPlanAsync(owner.WorkspaceId, Core.Billing.PlanCatalog.Creator);
        using var intruder = await BrowserSession.SignUpAsync(app, displayName: "Intruder");
        await app.SetPlanAsync(intruder.WorkspaceId, Core.Billing.PlanCatalog.Creator);
        var id = await ProductAsync(app, owner, "OWN-1");
        await EditAsync(app, owner, id, 0, AmazonText());
        await ProductAsync(app, intruder, "MINE-1");
        var token = await intruder.AntiforgeryTokenAsync("/app/listing-copy");

        foreach (var target in new[] { id, Guid.CreateVersion7() })
        {
            var url = $"/app/listing-copy/{target}?marketplace=amazon&lang=en";
            using (var get = await intruder.Client.GetAsync(url, Ct))
            {
                Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
            }

            using (var jobs = await intruder.Client.GetAsync(url + "&handler=jobs", Ct))
            {
                Assert.Equal(HttpStatusCode.NotFound, jobs.StatusCode);
            }

            foreach (var handler in new[] { "generate", "regenerate&field=title", "save", "approve", "unlock", "translate" })
            {
                var fields = EditFields(1, AmazonText() with { Title = "Hijacked" });
                fields["__RequestVerificationToken"] = token;
                fields["approve"] = "1";
                fields["Targets"] = "de";
                using var post = await intruder.Client.PostAsync($"{url}&handler={handler}", new FormUrlEncodedContent(fields), Ct);
                Assert.True(post.StatusCode == HttpStatusCode.NotFound, $"{handler}: {post.StatusCode}");
            }
        }

        Assert.Equal(1, await VersionsAsync(app, owner));
        Assert.False(await app.QueryAsync(owner, db => db.ListingCopies.AnyAsync(c => c.Locked, Ct)));
        Assert.Equal(0, await app.QueryAsync(owner, db => db.Jobs.CountAsync(j => j.Kind == RequestCopy.JobKind || j.Kind == RequestTranslations.JobKind, Ct)));
    }

    [Fact]
    public async Task Viewer_SeesEverythingReadOnly_AndCannotPost()
    {
        await using var app = await AppFactory.StartAsync(DatabaseKind.Sqlite);
        using var session = await BrowserSession.SignUpAsync(app);
        await app.SetPlanAsync(session.WorkspaceId, Core.Billing.PlanCatalog.Creator);
        var id = await ProductAsync(app, session, "VIEW-1");
        await EditAsync(app, session, id, 0, AmazonText());
        var url = $"/app/listing-copy/{id}?marketplace=amazon&lang=en";
        await using (var db = app.Database.CreateContext())
        {
            var membership = await db.WorkspaceMembers.SingleAsync(m => m.UserId == session.UserId && m.WorkspaceId == session.WorkspaceId, Ct);
            membership.Role = WorkspaceRole.Viewer;
            await db.SaveChangesAsync(Ct);
        }

        var page = await session.Client.GetStringAsync(url, Ct);
        Assert.Contains("id=\"copy-read-only\"", page, StringComparison.Ordinal);
        Assert.Contains(Bullets[0], page, StringComparison.Ordinal);
        Assert.Contains("id=\"copy-history\"", page, StringComparison.Ordinal);
        Assert.Contains("<fieldset class=\"plain\" disabled=\"disabled\">", page, StringComparison.Ordinal);
        foreach (var hidden in new[] { "copy-generate-form", "copy-save", "copy-approve", "copy-unlock", "copy-translate", "copy-add-language" })
        {
            Assert.DoesNotContain($"id=\"{hidden}\"", page, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("method=\"post\" action=\"/app/listing-copy", page, StringComparison.Ordinal);
        var token = await session.AntiforgeryTokenAsync("/app/dashboard");
        foreach (var handler in new[] { "generate", "regenerate&field=title", "save", "approve", "unlock", "translate" })
        {
            var fields = EditFields(1, AmazonText() with { Title = GoodTitle + " Viewer" });
            fields["__RequestVerificationToken"] = token;
            fields["approve"] = "1";
            fields["Targets"] = "de";
            using var post = await session.Client.PostAsync($"{url}&handler={handler}", new FormUrlEncodedContent(fields), Ct);
            Assert.True(post.StatusCode == HttpStatusCode.Forbidden, $"{handler}: {post.StatusCode}");
        }

        Assert.Equal(1, await VersionsAsync(app, session));
        Assert.False(await app.QueryAsync(session, db => db.ListingCopies.AnyAsync(c => c.Locked, Ct)));
        Assert.Equal(0, await app.QueryAsync(session, db => db.Jobs.CountAsync(Ct)));
    }

    [Fact]
    public async Task Page_ShowsTheListingScoreOfTheCopy_WithOneClickFixes()
    {
        await using var app = await AppFactory.StartAsync(DatabaseKind.Sqlite);
        using var session = await BrowserSession.SignUpAsync(app);
        var id = await ProductAsync(app, session, "SCORE-1");
        // Four search terms: Amazon's score wants five (§1.2), and the copy's own field is what it counts.
        await EditAsync(app, session, id, 0, AmazonText());

        // On Starter the copy works; the score is SEO optimization, which the page explains with the way to upgrade.
        var starter = await session.Client.GetStringAsync($"/app/listing-copy/{id}?marketplace=amazon&lang=en", Ct);
        Assert.Contains("id=\"seo-upgrade\"", starter, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"copy-score\"", starter, StringComparison.Ordinal);

        await app.SetPlanAsync(session.WorkspaceId, Core.Billing.PlanCatalog.Creator);
        var page = await session.Client.GetStringAsync($"/app/listing-copy/{id}?marketplace=amazon&lang=en", Ct);
        Assert.DoesNotContain("id=\"seo-upgrade\"", page, StringComparison.Ordinal);

        var expected = await app.InWorkspaceAsync(session, async services =>
            (await services.GetRequiredService<GetProductSeo>().HandleAsync(new GetProductSeo.Request(id, "amazon", new Uri("http://localhost/")), Ct)).Value.Score);
        Assert.Contains($"id=\"copy-score\" data-score=\"{expected.Score}\"", page, StringComparison.Ordinal);
        Assert.Equal(expected.Rules.Count, System.Text.RegularExpressions.Regex.Count(page, "<tr data-rule=\""));
        Assert.Contains("<tr data-rule=\"search-terms-count\" data-passed=\"false\">", page, StringComparison.Ordinal);
        Assert.Matches("handler=regenerate(&|&amp;)field=search-terms\"", page);
        Assert.Contains("data-fix=\"rebuild-search-terms\">Rebuild the search terms</button>", page, StringComparison.Ordinal);
        Assert.Contains($"href=\"/app/image-studio?product={id}\" data-fix=\"generate-infographic\"", page, StringComparison.Ordinal);
        Assert.Contains("<tr data-rule=\"bullets-count\" data-passed=\"true\">", page, StringComparison.Ordinal);
    }

    private static ListingText AmazonText() => new()
    {
        Title = GoodTitle,
        Bullets = Bullets,
        Description = "A steel bottle for every day. It keeps drinks cold on the trail and warm at the desk. The lid closes with one hand and the wide mouth is easy to clean.",
        SearchTerms = "flask thermos canteen tumbler",
    };

    private static Dictionary<string, string> EditFields(int baseVersion, ListingText text)
    {
        var fields = new Dictionary<string, string>
        {
            ["Edit.BaseVersion"] = baseVersion.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Edit.Title"] = text.Title,
            ["Edit.Description"] = text.Description,
            ["Edit.SearchTerms"] = text.SearchTerms,
        };
        for (var i = 0; i < text.Bullets.Count; i++)
        {
            fields[$"Edit.Bullets[{i}]"] = text.Bullets[i];
        }

        return fields;
    }

    private static Task<Guid> ProductAsync(AppFactory app, BrowserSession session, string sku) =>
        app.InWorkspaceAsync(session, async services =>
        {
            var product = await services.GetRequiredService<CreateProduct>().HandleAsync(
                new CreateProduct.Request(new ProductInput(
                    sku,
                    "Aurora steel water bottle",
                    "An insulated steel bottle.",
                    Category: "Water bottles",
                    Attributes: [new ProductAttribute("Material", AttributeType.Text, "Stainless steel")],
                    SellingPoints: ["Keeps drinks cold", "Leak-proof lid"])),
                Ct);
            Assert.True(product.IsSuccess, product.ToString());
            return product.Value.Id;
        });

    /// <summary>Enough facts for every Amazon field: five selling points, measurable attributes.</summary>
    private static Task<Guid> RichProductAsync(AppFactory app, BrowserSession session, string sku) =>
        app.InWorkspaceAsync(session, async services =>
        {
            var product = await services.GetRequiredService<CreateProduct>().HandleAsync(
                new CreateProduct.Request(new ProductInput(
                    sku,
                    "Aurora insulated steel water bottle",
                    "A double-wall insulated bottle for hikes, the gym and the office.",
                    Category: "Water bottles",
                    Attributes:
                    [
                        new ProductAttribute("Material", AttributeType.Text, "Stainless steel"),
                        new ProductAttribute("Capacity", AttributeType.Measurement, "750", "ml"),
                        new ProductAttribute("Color", AttributeType.Text, "Ocean blue"),
                        new ProductAttribute("Dishwasher safe", AttributeType.Boolean, "true"),
                    ],
                    SellingPoints:
                    [
                        "Keeps drinks cold for a full day",
                        "Leak-proof screw lid",
                        "Wide mouth fits ice cubes",
                        "Powder-coated grip that does not slip",
                        "Fits most car cup holders",
                    ],
                    TargetAudience: "Hikers and commuters")),
                Ct);
            Assert.True(product.IsSuccess, product.ToString());
            return product.Value.Id;
        });

    private static Task<int> EditAsync(AppFactory app, BrowserSession session, Guid id, int baseVersion, ListingText text) =>
        app.InWorkspaceAsync(session, async services =>
        {
            var edited = await services.GetRequiredService<EditListingCopy>().HandleAsync(new EditListingCopy.Request(id, "amazon", "en", baseVersion, text), Ct);
            Assert.True(edited.IsSuccess, edited.ToString());
            return edited.Value;
        });

    private static Task<int> VersionsAsync(AppFactory app, BrowserSession session) =>
        app.QueryAsync(session, db => db.ListingCopyVersions.CountAsync(Ct));

    private static string LocalizedRule(string page, string rule) =>
        Regex.Match(page, $"data-rule=\"{rule}\"[^>]*><span class=\"badge[^\"]*\">([^<]+)</span>").Groups[1].Value;

    private static void AssertNoInlineScriptOrStyle(string html)
    {
        Assert.DoesNotMatch("\\sstyle=\"", html);
        Assert.DoesNotMatch("<style[\\s>]", html);
        Assert.DoesNotMatch("<script(?![^>]*\\ssrc=)[^>]*>", html);
    }

    internal static async Task WaitForJobsAsync(AppFactory app, BrowserSession session, string kind, int count)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var jobs = await app.QueryAsync(session, db => db.Jobs.AsNoTracking().Where(j => j.Kind == kind).ToListAsync(Ct));
            if (jobs.Count >= count && jobs.All(j => j.IsTerminal))
            {
                Assert.All(jobs, j => Assert.True(j.Status == JobStatus.Succeeded, j.LastError));
                return;
            }

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"{kind} jobs did not finish");
            await Task.Delay(100, Ct);
        }
    }
}
