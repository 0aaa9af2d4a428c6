using System.Net;
using CommerceOS.Core.Accounts;
using CommerceOS.Core.Data;
using CommerceOS.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CommerceOS.Tests.Privacy;

/// <summary>
/// Rectification is audited (privacy policy section 6) and the security and privacy audit trail is visible to the seller
/// for their own account and to administrators for everyone (issue: "Security, regions and records").
/// </summary>
public sealed class AuditTrailTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Rectification_IsAuditedWithFieldNamesOnly_AndOnlyWhenSomethingChanged(DatabaseKind kind)
    {
        await using var app = await AppFactory.StartAsync(kind);
        using var session = await BrowserSession.SignUpAsync(app, displayName: "Old Name");

        using (var corrected = await session.PostFormAsync("/app/settings?handler=Profile", new() { ["DisplayName"] = "Corrected Name", ["PreferredLanguage"] = "en" }, "/app/settings"))
        {
            Assert.Equal(HttpStatusCode.Redirect, corrected.StatusCode);
        }

        using (var unchanged = await session.PostFormAsync("/app/settings?handler=Profile", new() { ["DisplayName"] = "Corrected Name", ["PreferredLanguage"] = "en" }, "/app/settings"))
        {
            Assert.Equal(HttpStatusCode.Redirect, unchanged.StatusCode);
        }

        using (var language = await session.PostFormAsync("/app/settings?handler=Profile", new() { ["DisplayName"] = "Corrected Name", ["PreferredLanguage"] = "zh-CN" }, "/app/settings"))
        {
            Assert.Equal(HttpStatusCode.Redirect, language.StatusCode);
        }

        await using var db = app.Database.CreateContext();
        Assert.Equal("Corrected Name", (await db.Users.SingleAsync(u => u.Id == session.UserId, Ct)).DisplayName);
        var audits = await db.AuditEvents.Where(a => a.Action == AuditActions.ProfileUpdate).OrderBy(a => a.OccurredAt).ThenBy(a => a.Id).ToListAsync(Ct);
        Assert.Equal(["display_name", "preferred_language"], audits.Select(a => a.Target));
        Assert.All(audits, a => Assert.Equal((session.UserId, AuditOutcomes.Success), (a.UserId, a.Outcome)));
        Assert.DoesNotContain(audits, a => (a.Target ?? "").Contains("Name", StringComparison.Ordinal) || (a.Target ?? "").Contains("zh", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task SellerSeesOwnTrailOnly_AdministratorSeesAnyonesAndIsAudited(DatabaseKind kind)
    {
        await using var app = await AppFactory.StartAsync(kind);
        using var seller = await BrowserSession.SignUpAsync(app);
        using var other = await BrowserSession.SignUpAsync(app, language: "zh-CN");

        // A failed sign-in of each account, and 60 more events for the seller so the trail has a second page.
        using (var failed = await BrowserSession.SignInAsync(app.CreateBrowserClient(), seller.Email, "wrong password for the seller"))
        using (var otherFailed = await BrowserSession.SignInAsync(app.CreateBrowserClient(), other.Email, "wrong password for the other"))
        {
        }

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var audit = scope.ServiceProvider.GetRequiredService<AuditLog>();
            for (var i = 0; i < 60; i++)
            {
                audit.Add(AuditActions.ApiKeyCreate, AuditOutcomes.Success, seller.UserId, seller.WorkspaceId, target: $"key-{i}", ipAddress: "192.0.2.1",
                    userAgent: "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0");
            }

            await scope.ServiceProvider.GetRequiredService<AppDbContext>().SaveChangesAsync(Ct);
        }

        var first = await seller.Client.GetStringAsync("/app/settings/activity", Ct);
        Assert.Contains("id=\"audit-older\"", first, StringComparison.Ordinal);
        Assert.Equal(50, CountRows(first));
        Assert.Contains("API key created", first, StringComparison.Ordinal);
        Assert.Contains("firefox · linux · desktop", first, StringComparison.Ordinal);

        var second = await seller.Client.GetStringAsync("/app/settings/activity?p=1", Ct);
        Assert.Contains("data-action=\"authn_login_fail\" data-outcome=\"failure\"", second, StringComparison.Ordinal);
        Assert.Contains("data-action=\"authn_register\"", second, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"audit-older\"", second, StringComparison.Ordinal);

        await using (var db = app.Database.CreateContext())
        {
            Assert.Equal(await db.AuditEvents.CountAsync(a => a.UserId == seller.UserId, Ct), CountRows(first) + CountRows(second));
        }

        // The other account's trail (in Chinese, its language) holds its own events, none of the seller's.
        var otherTrail = await other.Client.GetStringAsync("/app/settings/activity", Ct);
        Assert.DoesNotContain("key-1", otherTrail, StringComparison.Ordinal);
        Assert.Contains("data-action=\"authn_login_fail\"", otherTrail, StringComparison.Ordinal);
        Assert.Contains("登录失败", otherTrail, StringComparison.Ordinal);

        // Sellers cannot open the administrators' view.
        using (var refused = await seller.Client.GetAsync($"/admin/audit?email={Uri.EscapeDataString(other.Email)}", Ct))
        {
            Assert.NotEqual(HttpStatusCode.OK, refused.StatusCode);
        }

        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<AppDbContext>().Users.Where(u => u.Id == other.UserId)
                .ExecuteUpdateAsync(u => u.SetProperty(x => x.IsAdmin, true), Ct);
        }

        using var admin = app.CreateBrowserClient();
        using (await BrowserSession.SignInAsync(admin, other.Email))
        {
        }

        var filtered = await admin.GetStringAsync($"/admin/audit?email={Uri.EscapeDataString(seller.Email.ToUpperInvariant())}&action=authn_login_fail", Ct);
        Assert.Equal(1, CountRows(filtered));
        Assert.Contains(seller.Email, filtered, StringComparison.Ordinal);
        Assert.DoesNotContain(other.Email, filtered[filtered.IndexOf("<tbody>", StringComparison.Ordinal)..], StringComparison.Ordinal);

        var unknown = await admin.GetStringAsync("/admin/audit?email=nobody%40example.com", Ct);
        Assert.Contains("id=\"audit-unknown-user\"", unknown, StringComparison.Ordinal);

        await using (var db = app.Database.CreateContext())
        {
            var read = await db.AuditEvents.SingleAsync(a => a.Action == "admin_audit_read", Ct);
            Assert.Equal((other.UserId, seller.UserId.ToString()), (read.UserId, read.Target));
        }
    }

    private static int CountRows(string html) =>
        System.Text.RegularExpressions.Regex.Count(html, "<tr data-action=");
}
