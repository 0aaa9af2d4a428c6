using System.Globalization;
using CommerceOS.Core.Billing;
using CommerceOS.Core.Data;
using CommerceOS.Web.Features.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace CommerceOS.Web.Features.Admin;

/// <summary>
/// Workspaces and their plans for system administrators, and the one place Enterprise is set (by contact, with the
/// contract's limits per meter; an empty limit is unlimited) and features are granted on top of a plan.
/// </summary>
[Authorize(Policy = AccountsWebExtensions.AdminPolicy)]
public sealed class AdminWorkspacesModel(AppDbContext db, SetEnterprisePlan setEnterprise, UserManager<Core.Accounts.AppUser> users, IStringLocalizer localizer) : PageModel
{
    public const int MaxShown = 500;

    public sealed record Row(Guid Id, string Name, string Plan, SubscriptionStatus Status, DateTime PeriodEnd, IReadOnlyDictionary<string, long?> Limits, IReadOnlyList<string> Grants);

    public IReadOnlyList<Row> Rows { get; private set; } = [];

    [BindProperty(SupportsGet = true)] public Guid? Edit { get; set; }

    [BindProperty] public bool Enterprise { get; set; }

    [BindProperty] public Dictionary<string, string?> Limits { get; set; } = [];

    /// <summary>Features granted on top of the plan (a contract's add-on, such as API access on Business).</summary>
    [BindProperty] public List<string> Grants { get; set; } = [];

    [BindProperty(SupportsGet = true)] public string? Done { get; set; }

    public List<string> Errors { get; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (Edit is not { } workspaceId || await users.GetUserAsync(User) is not { } admin)
        {
            return NotFound();
        }

        var limits = new Dictionary<string, long?>(StringComparer.Ordinal);
        foreach (var meter in Meters.All)
        {
            var text = Limits.GetValueOrDefault(meter)?.Trim();
            if (string.IsNullOrEmpty(text))
            {
                limits[meter] = null;
            }
            else if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                limits[meter] = value;
            }
            else
            {
                Errors.Add(localizer[BillingErrors.LimitOutOfRange, SetEnterprisePlan.MaxLimit]);
            }
        }

        if (Errors.Count == 0)
        {
            var result = await setEnterprise.HandleAsync(admin.Id, new EnterpriseTerms(workspaceId, Enterprise, limits, Grants), cancellationToken);
            if (result.IsSuccess)
            {
                return LocalRedirect($"/admin/workspaces?edit={workspaceId}&done=1");
            }

            if (result.Status == Core.Common.ResultStatus.NotFound)
            {
                return NotFound();
            }

            Errors.AddRange(result.Errors.Select(e => localizer[e.Code, [.. e.Args]].Value));
        }

        await LoadAsync(cancellationToken);
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
#pragma warning disable RS0030 // The system administrator's overview of every workspace.
        var rows = await db.Workspaces.IgnoreQueryFilters().AsNoTracking()
            .Join(db.Subscriptions.IgnoreQueryFilters().AsNoTracking(), w => w.Id, s => s.WorkspaceId, (w, s) => new { w.Id, w.Name, w.CreatedAt, s.PlanCode, s.Status, s.CurrentPeriodEnd, s.CustomLimits, s.GrantedFeatures })
            .OrderByDescending(x => x.CreatedAt)
            .Take(MaxShown)
            .ToListAsync(cancellationToken);
#pragma warning restore RS0030
        Rows = [.. rows.Select(x => new Row(x.Id, x.Name, x.PlanCode, x.Status, x.CurrentPeriodEnd, x.CustomLimits, x.GrantedFeatures))];
        if (Edit is { } id && Rows.FirstOrDefault(r => r.Id == id) is { } editing && Limits.Count == 0)
        {
            Enterprise = editing.Plan == PlanCatalog.Enterprise;
            Limits = Meters.All.ToDictionary(m => m, m => editing.Limits.GetValueOrDefault(m)?.ToString(CultureInfo.InvariantCulture), StringComparer.Ordinal);
            Grants = [.. editing.Grants];
        }
    }
}
