using CommerceOS.Core.Data;
using CommerceOS.Core.Jobs;
using CommerceOS.Web.Features.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Web.Features.Admin;

[Authorize(Policy = AccountsWebExtensions.AdminPolicy)]
public sealed class AdminIndexModel(AppDbContext db) : PageModel
{
    public int Users { get; private set; }
    public int Workspaces { get; private set; }
    public int ActiveJobs { get; private set; }
    public IReadOnlyList<Job> DeadLettered { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Users = await db.Users.CountAsync(cancellationToken);
        Workspaces = await db.Workspaces.CountAsync(cancellationToken);
        // The operator's view spans every workspace; it shows job kinds and error codes, never inputs.
#pragma warning disable RS0030 // Admin overview: cross-tenant by design, behind the system-admin policy.
        var jobs = db.Jobs.IgnoreQueryFilters().AsNoTracking();
#pragma warning restore RS0030
        ActiveJobs = await jobs.CountAsync(j => j.Status == JobStatus.Queued || j.Status == JobStatus.Running, cancellationToken);
        DeadLettered = await jobs.Where(j => j.Status == JobStatus.DeadLettered)
            .OrderByDescending(j => j.FinishedAt).Take(50).ToListAsync(cancellationToken);
    }
}
