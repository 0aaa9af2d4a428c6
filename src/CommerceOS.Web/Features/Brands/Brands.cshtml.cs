using CommerceOS.Core.Catalog;
using CommerceOS.Core.Workspaces;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CommerceOS.Web.Features.Brands;

[Authorize(Policy = Accounts.AccountsWebExtensions.MemberPolicy)]
public sealed class BrandsModel(ListBrands listBrands, WorkspaceContext workspace) : PageModel
{
    public IReadOnlyList<ListBrands.Item> Brands { get; private set; } = [];

    public bool CanEdit => workspace.Can(WorkspaceRole.Editor);

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
        return Page();
    }
}
