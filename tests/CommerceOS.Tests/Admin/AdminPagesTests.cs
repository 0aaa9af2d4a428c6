using System.Net;
using CommerceOS.Core.Data;
using CommerceOS.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CommerceOS.Tests.Admin;

public sealed class AdminPagesTests
{
    private static readonly string[] AdminPaths = ["/admin", "/admin/users", "/admin/mail", "/admin/hangfire", "/admin/workspaces", "/admin/audit", "/admin/legal"];

    [Fact]
    public async Task AdminArea_IsClosedToSellers()
    {
        await using var app = await AppFactory.StartAsync(DatabaseKind.Sqlite);
        using var seller = await BrowserSession.SignUpAsync(app);

        foreach (var path in AdminPaths)
        {
            using var response = await seller.Client.GetAsync(path, TestContext.Current.CancellationToken);
            Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Fact]
    public async Task AdminArea_ShowsUsersMailAndJobDashboardToAdmins()
    {
        await using var app = await AppFactory.StartAsync(DatabaseKind.Sqlite);
        using var seller = await BrowserSession.SignUpAsync(app, displayName: "Seller One");
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            await db.Users.Where(u => u.Id == seller.UserId).ExecuteUpdateAsync(u => u.SetProperty(x => x.IsAdmin, true), TestContext.Current.CancellationToken);
        }

        // Claims are issued at sign-in: sign in again to become an admin session.
        using var admin = app.CreateBrowserClient();
        using var login = await BrowserSession.SignInAsync(admin, seller.Email);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);

        var users = await admin.GetStringAsync("/admin/users", TestContext.Current.CancellationToken);
        Assert.Contains(seller.Email, users, StringComparison.Ordinal);

        var mailList = await admin.GetStringAsync("/admin/mail", TestContext.Current.CancellationToken);
        var link = System.Text.RegularExpressions.Regex.Match(mailList, "href=\"(/admin/mail/[^\"]+)\"");
        Assert.True(link.Success, "The verification e-mail sent at sign-up is listed.");
        var message = await admin.GetStringAsync(link.Groups[1].Value, TestContext.Current.CancellationToken);
        Assert.Contains("/account/confirm-email", message, StringComparison.Ordinal);

        // The workspace form offers every feature as a grant on top of the plan, none ticked on a new workspace.
        var workspaces = await admin.GetStringAsync($"/admin/workspaces?edit={seller.WorkspaceId}", TestContext.Current.CancellationToken);
        Assert.Equal(Core.Billing.PlanFeatures.All.Count, System.Text.RegularExpressions.Regex.Count(workspaces, "type=\"checkbox\" name=\"Grants\""));
        Assert.Contains("name=\"Grants\" value=\"api_access\" />", workspaces, StringComparison.Ordinal);

        using var dashboard = await admin.GetAsync("/admin/hangfire", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);

        using var missing = await admin.GetAsync("/admin/mail/..%2F..%2Fetc%2Fpasswd", TestContext.Current.CancellationToken);
        Assert.NotEqual(HttpStatusCode.OK, missing.StatusCode);

        await using var check = app.Services.CreateAsyncScope();
        var audit = check.ServiceProvider.GetRequiredService<AppDbContext>().AuditEvents;
        Assert.Equal(1, await audit.CountAsync(a => a.Action == "admin_mail_read" && a.UserId == seller.UserId, TestContext.Current.CancellationToken));
    }
}
