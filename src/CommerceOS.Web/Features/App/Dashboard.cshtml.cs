using System.Globalization;
using CommerceOS.Core.Billing;
using CommerceOS.Core.Data;
using CommerceOS.Core.Jobs;
using CommerceOS.Core.Workspaces;
using CommerceOS.Web.Shared.Localization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Web.Features.App;

[Authorize(Policy = Accounts.AccountsWebExtensions.MemberPolicy)]
public sealed class DashboardModel(AppDbContext db, WorkspaceContext workspace, UsageLedger usage, TimeProvider time) : PageModel
{
    public string DisplayName { get; private set; } = "";
    public string PlanName { get; private set; } = "";
    public int DaysUntilReset { get; private set; }
    public int Products { get; private set; }
    public int Brands { get; private set; }
    public int Assets { get; private set; }
    public int RunningJobs { get; private set; }
    public IReadOnlyList<MeterUsage> Usage { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var workspaceId = workspace.RequiredWorkspaceId;
        DisplayName = await db.Users.Where(u => u.Id == workspace.UserId).Select(u => u.DisplayName).SingleAsync(cancellationToken);
        Products = await db.Products.CountAsync(cancellationToken);
        Brands = await db.Brands.CountAsync(cancellationToken);
        Assets = await db.Assets.CountAsync(cancellationToken);
        RunningJobs = await db.Jobs.CountAsync(j => j.Status == JobStatus.Queued || j.Status == JobStatus.Running, cancellationToken);
        Usage = [.. (await usage.GetUsageAsync(workspaceId, cancellationToken)).Where(m => m.Meter is Meters.Images or Meters.Videos or Meters.Copy)];
        var subscription = await db.Subscriptions.SingleAsync(cancellationToken);
        var plan = await db.Plans.SingleAsync(p => p.Code == subscription.PlanCode, cancellationToken);
        PlanName = StringCatalog.IsChinese(CultureInfo.CurrentUICulture) ? plan.NameZh : plan.NameEn;
        DaysUntilReset = Math.Max(0, (int)Math.Ceiling((subscription.CurrentPeriodEnd - time.GetUtcNow().UtcDateTime).TotalDays));
    }
}
