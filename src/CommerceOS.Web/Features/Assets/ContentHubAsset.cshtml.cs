using CommerceOS.Core.Assets;
using CommerceOS.Core.Common;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CommerceOS.Web.Features.Assets;

/// <summary><c>/app/content-hub/{id}</c>: one asset, large, with its provenance and where it is used.</summary>
[Authorize(Policy = Accounts.AccountsWebExtensions.MemberPolicy)]
public sealed class ContentHubAssetModel(GetAsset getAsset) : PageModel
{
    public AssetDetails Asset { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        var result = await getAsset.HandleAsync(new GetAsset.Request(id), cancellationToken);
        switch (result.Status)
        {
            case ResultStatus.Success:
                Asset = result.Value;
                return Page();
            case ResultStatus.Forbidden:
                return Forbid();
            default:
                return NotFound();
        }
    }
}
