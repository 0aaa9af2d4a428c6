using CommerceOS.Core.Assets;
using CommerceOS.Core.Catalog;
using CommerceOS.Core.Common;
using CommerceOS.Core.Data;
using CommerceOS.Core.Workspaces;
using CommerceOS.Web.Features.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using CommerceOS.Web.Features.Assets;

namespace CommerceOS.Web.Features.Catalog;

/// <summary>
/// <c>/app/products/{id}</c>: the product form (<see cref="UpdateProduct"/> with the stale-edit
/// check), photos (upload, move, remove), duplicate and delete. Every handler first reads the product
/// through <see cref="GetProduct"/>, so another workspace's id is a 404 everywhere. Viewers see it read-only.
/// </summary>
[Authorize(Policy = AccountsWebExtensions.MemberPolicy)]
public sealed class ProductEditModel(AppDbContext db, WorkspaceContext workspace, ListBrands listBrands, GetProduct getProduct, IStringLocalizer localizer)
    : ProductFormPageModel(db, workspace, listBrands, localizer)
{
    private static readonly string[] Notices = ["created", "saved", "duplicated", "uploaded", "reordered", "removed"];

    [FromRoute]
    public Guid Id { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Done { get; set; }

    /// <summary>The product as stored (the form may hold unsaved edits).</summary>
    public ProductDetails Product { get; private set; } = null!;

    public IReadOnlyList<PhotoView> Photos { get; private set; } = [];

    /// <summary>A refused photo upload, shown next to the upload field.</summary>
    public string? UploadMessage { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return NotFound();
        }

        Form = ProductForm.From(Product);
        if (CanEdit)
        {
            PadRows();
        }

        if (Done is not null && Notices.Contains(Done, StringComparer.Ordinal))
        {
            Notice = Localizer[$"products.notice_{Done}"];
        }

        return Page();
    }

    public async Task<IActionResult> OnPostAsync([FromServices] UpdateProduct update, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return NotFound();
        }

        if (!CanEdit)
        {
            Form = ProductForm.From(Product);
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

        // A missing or garbled version can only be stale.
        var expected = Form.TryGetExpectedUpdatedAt(out var updatedAt) ? updatedAt : DateTime.MinValue;
        var result = await update.HandleAsync(new UpdateProduct.Request(Id, expected, parsed.Input), cancellationToken);
        if (result.IsSuccess)
        {
            return Redirect($"/app/products/{Id}?done=saved");
        }

        if (result.Status == ResultStatus.NotFound)
        {
            return NotFound();
        }

        ShowFailure(result.Status, result.Errors, parsed);
        return Page();
    }

    /// <summary>
    /// Multipart field <c>photos</c>: each file goes through <see cref="UploadAsset"/> (sniffing,
    /// limits, re-encoding) and then <see cref="AddPhoto"/>, in order. The first refusal stops; the
    /// status is 413 (too large), 415 (not a supported image) or 422 (empty, damaged, too many pixels).
    /// </summary>
    public async Task<IActionResult> OnPostUploadAsync([FromServices] UploadAsset upload, [FromServices] AddPhoto addPhoto, CancellationToken cancellationToken)
    {
        if (!await LoadForActionAsync(cancellationToken))
        {
            return NotFound();
        }

        if (!CanEdit)
        {
            return ForbiddenPage();
        }

        var files = Request.HasFormContentType ? Request.Form.Files.GetFiles("photos") : [];
        if (files.Count == 0 || files.All(f => f.Length == 0))
        {
            return await RefuseUploadAsync(StatusCodes.Status422UnprocessableEntity, Localizer[UploadErrors.Code(UploadError.Empty)], cancellationToken);
        }

        foreach (var file in files)
        {
            UploadAsset.Response response;
            await using (var stream = file.OpenReadStream())
            {
                response = await upload.HandleAsync(new UploadAsset.Request(stream, file.FileName, file.ContentType), cancellationToken);
            }

            if (!response.Succeeded)
            {
                var status = UploadStatus.For(response.Rejection.Error);
                var message = Localizer["products.upload_refused", file.FileName, Localizer[response.Rejection.Code, [.. response.Rejection.Arguments]]];
                return await RefuseUploadAsync(status, message, cancellationToken);
            }

            var added = await addPhoto.HandleAsync(new AddPhoto.Request(Id, response.Asset.Id), cancellationToken);
            if (!added.IsSuccess)
            {
                return await RefuseUploadAsync(StatusCodes.Status422UnprocessableEntity, Message(added.Errors[0]), cancellationToken);
            }
        }

        return Redirect($"/app/products/{Id}?done=uploaded#photos");
    }

    /// <summary>Moves one photo a place to the <c>left</c> or <c>right</c> via <see cref="ReorderPhotos"/>.</summary>
    public async Task<IActionResult> OnPostMoveAsync(Guid assetId, string? direction, [FromServices] ReorderPhotos reorder, CancellationToken cancellationToken)
    {
        if (!await LoadForActionAsync(cancellationToken))
        {
            return NotFound();
        }

        if (!CanEdit)
        {
            return ForbiddenPage();
        }

        var order = Product.PhotoAssetIds.ToList();
        var from = order.IndexOf(assetId);
        var to = direction == "left" ? from - 1 : from + 1;
        if (from >= 0 && to >= 0 && to < order.Count)
        {
            (order[from], order[to]) = (order[to], order[from]);
        }

        var result = await reorder.HandleAsync(new ReorderPhotos.Request(Id, order), cancellationToken);
        return await AfterPhotoChangeAsync(result, "reordered", cancellationToken);
    }

    public async Task<IActionResult> OnPostRemoveAsync(Guid assetId, [FromServices] RemovePhoto remove, CancellationToken cancellationToken)
    {
        if (!await LoadForActionAsync(cancellationToken))
        {
            return NotFound();
        }

        if (!CanEdit)
        {
            return ForbiddenPage();
        }

        var result = await remove.HandleAsync(new RemovePhoto.Request(Id, assetId), cancellationToken);
        return await AfterPhotoChangeAsync(result, "removed", cancellationToken);
    }

    public async Task<IActionResult> OnPostDuplicateAsync([FromServices] DuplicateProduct duplicate, CancellationToken cancellationToken)
    {
        if (!await LoadForActionAsync(cancellationToken))
        {
            return NotFound();
        }

        if (!CanEdit)
        {
            return ForbiddenPage();
        }

        var result = await duplicate.HandleAsync(new DuplicateProduct.Request(Id), cancellationToken);
        if (result.IsSuccess)
        {
            return Redirect($"/app/products/{result.Value.Id}?done=duplicated");
        }

        ShowFailure(result.Status, result.Errors, null);
        Alert ??= string.Join(" ", result.Errors.Select(Message));
        return Page();
    }

    public async Task<IActionResult> OnPostDeleteAsync([FromServices] DeleteProduct delete, CancellationToken cancellationToken)
    {
        if (!await LoadForActionAsync(cancellationToken))
        {
            return NotFound();
        }

        if (!CanEdit)
        {
            return ForbiddenPage();
        }

        var result = await delete.HandleAsync(new DeleteProduct.Request(Id), cancellationToken);
        if (result.IsSuccess)
        {
            return Redirect("/app/products?done=deleted");
        }

        if (result.Status == ResultStatus.NotFound)
        {
            return NotFound();
        }

        ShowFailure(result.Status, result.Errors, null);
        return Page();
    }

    private async Task<IActionResult> AfterPhotoChangeAsync(Result<ProductPhotos> result, string done, CancellationToken cancellationToken)
    {
        if (result.IsSuccess)
        {
            return Redirect($"/app/products/{Id}?done={done}#photos");
        }

        if (result.Status == ResultStatus.NotFound)
        {
            return NotFound();
        }

        await LoadAsync(cancellationToken);
        Form = ProductForm.From(Product);
        PadRows();
        ShowFailure(result.Status, result.Errors, null);
        Alert ??= string.Join(" ", result.Errors.Select(Message));
        return Page();
    }

    private async Task<IActionResult> RefuseUploadAsync(int status, string message, CancellationToken cancellationToken)
    {
        // Files before the refused one may have been attached: show the gallery as it is now.
        await LoadAsync(cancellationToken);
        Form = ProductForm.From(Product);
        PadRows();
        Response.StatusCode = status;
        UploadMessage = message;
        return Page();
    }

    /// <summary>For the photo, duplicate and delete buttons: the page is shown with the stored values if something goes wrong.</summary>
    private async Task<bool> LoadForActionAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return false;
        }

        Form = ProductForm.From(Product);
        if (CanEdit)
        {
            PadRows();
        }

        return true;
    }

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        var result = await getProduct.HandleAsync(new GetProduct.Request(Id), cancellationToken);
        if (!result.IsSuccess)
        {
            return false;
        }

        Product = result.Value;
        await LoadChoicesAsync(cancellationToken);
        var ids = Product.PhotoAssetIds.ToList();
        var withThumbnail = await Db.Assets.AsNoTracking()
            .Where(a => ids.Contains(a.Id) && a.ThumbnailBlobKey != null)
            .Select(a => a.Id)
            .ToListAsync(cancellationToken);
        Photos = ids.Select((assetId, index) => new PhotoView(assetId, index, PhotoUrls.For(assetId, withThumbnail.Contains(assetId)))).ToList();
        return true;
    }
}

/// <param name="Index">0-based position; the first photo is the main image.</param>
public sealed record PhotoView(Guid AssetId, int Index, string Url);

public static class PhotoUrls
{
    /// <summary>The thumbnail once the background job has made it, the original until then.</summary>
    public static string For(Guid assetId, bool hasThumbnail) =>
        hasThumbnail ? $"/api/v1/assets/{assetId}/content?variant=thumbnail" : $"/api/v1/assets/{assetId}/content";
}
