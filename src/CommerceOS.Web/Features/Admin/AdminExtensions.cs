using CommerceOS.Web.Features.Accounts;
using CommerceOS.Web.Shared.Authentication;
using Hangfire;
using Hangfire.Dashboard;

namespace CommerceOS.Web.Features.Admin;

public static class AdminExtensions
{
    public const string HangfirePath = "/admin/hangfire";

    /// <summary>The Hangfire dashboard for system admins only (the endpoint policy and the dashboard filter both check).</summary>
    public static WebApplication MapAdmin(this WebApplication app)
    {
        app.MapHangfireDashboard(HangfirePath, new DashboardOptions
        {
            AppPath = "/admin",
            DisplayStorageConnectionString = false,
            Authorization = [new SystemAdminDashboardFilter()],
        }).RequireAuthorization(AccountsWebExtensions.AdminPolicy);
        return app;
    }

    private sealed class SystemAdminDashboardFilter : IDashboardAuthorizationFilter
    {
        public bool Authorize(DashboardContext context) =>
            context.GetHttpContext().User.HasClaim(AuthClaims.Admin, "true");
    }
}
