using CommerceOS.Core.Assets;
using CommerceOS.Core.Common;
using CommerceOS.Core.Video;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CommerceOS.Web.Features.Assets;

/// <summary><c>/app/content-hub/{id}</c>: one asset, large (a video plays), with its provenance and where it is used.</summary>
[Authorize(Policy = Accounts.AccountsWebExtensions.MemberPolicy)]
public sealed class ContentHubAssetModel(GetAsset getAsset, ListProductVideos listVideos) : PageModel
{
    public AssetDetails Asset { get; private set; } = null!;

    /// <summary>For a Video Studio video: its cover, subtitles and channel checks.</summary>
    public VideoSummary? Video { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        var result = await getAsset.HandleAsync(new GetAsset.Request(id), cancellationToken);
        switch (result.Status)
        {
            case ResultStatus.Success:
                Asset = result.Value;
                if (Asset.Generation is { Skill: VideoSkills.Video, ProductId: { } productId })
                {
                    var videos = await listVideos.HandleAsync(productId, cancellationToken);
                    Video = videos.IsSuccess ? videos.Value.FirstOrDefault(v => v.AssetId == id) : null;
                }

                return Page();
            case ResultStatus.Forbidden:
                return Forbid();
            default:
                return NotFound();
        }
    }
}
