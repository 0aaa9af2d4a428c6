using CommerceOS.Core.Catalog;
using CommerceOS.Core.Data;
using CommerceOS.Core.Workspaces;
using CommerceOS.Web.Features.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace CommerceOS.Web.Features.Catalog;

/// <summary><c>/app/products/new</c>: the product form, saved through <see cref="CreateProduct"/>. Editors and above.</summary>
[Authorize(Policy = AccountsWebExtensions.MemberPolicy)]
public sealed class ProductNewModel(AppDbContext db, WorkspaceContext workspace, ListBrands listBrands, IStringLocalizer localizer)
    : ProductFormPageModel(db, workspace, listBrands, localizer)
{
    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        await LoadChoicesAsync(cancellationToken);
        if (!CanEdit)
        {
            return ForbiddenPage();
        }

        PadRows();
        return Page();
    }

    public async Task<IActionResult> OnPostAsync([FromServices] CreateProduct create, CancellationToken cancellationToken)
    {
        await LoadChoicesAsync(cancellationToken);
        if (!CanEdit)
        {
            return ForbiddenPage();
        }

        if (HandleAddRow())
        {
            return Page();
        }

        var parsed = Form.ToInput();
        if (await RejectUnreadableAsync(parsed, cancellationToken))
        {
            return Page();
        }

        var result = await create.HandleAsync(new CreateProduct.Request(parsed.Input), cancellationToken);
        if (result.IsSuccess)
        {
            return Redirect($"/app/products/{result.Value.Id}?done=created");
        }

        ShowFailure(result.Status, result.Errors, parsed);
        return Page();
    }
}
