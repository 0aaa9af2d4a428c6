using CommerceOS.Core.Billing;
using CommerceOS.Core.Catalog;
using CommerceOS.Core.Data;
using CommerceOS.Core.Workspaces;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CommerceOS.Web.Features.Brands;

[Authorize(Policy = Accounts.AccountsWebExtensions.MemberPolicy)]
public sealed class BrandsModel(ListBrands listBrands, WorkspaceContext workspace, AppDbContext db, TimeProvider time) : PageModel
{
    public IReadOnlyList<ListBrands.Item> Brands { get; private set; } = [];

    /// <summary>The plan has the Brand Center; without it the brands stay listed and can be opened and deleted.</summary>
    public bool HasBrandCenter { get; private set; }

    public bool CanEdit => workspace.Can(WorkspaceRole.Editor);

    public bool CanCreate => CanEdit && HasBrandCenter;

    /// <summary>"deleted" after a brand was deleted.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Status { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var result = await listBrands.HandleAsync(new ListBrands.Request(), cancellationToken);
        if (!result.IsSuccess)
        {
            return Forbid();
        }

        Brands = result.Value;
        HasBrandCenter = await db.WorkspaceHasFeatureAsync(PlanFeatures.BrandCenter, time, cancellationToken);
        return Page();
    }
}
