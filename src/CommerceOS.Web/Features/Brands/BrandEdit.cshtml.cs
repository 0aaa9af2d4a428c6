using CommerceOS.Core.Assets;
using CommerceOS.Core.Billing;
using CommerceOS.Core.Catalog;
using CommerceOS.Core.Common;
using CommerceOS.Core.Data;
using CommerceOS.Core.Workspaces;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace CommerceOS.Web.Features.Brands;

/// <summary>
/// <c>/app/brands/new</c> and <c>/app/brands/{id}</c>: the brand profile form, its logo and delete.
/// The logo has its own multipart form on an existing brand, so a rejected brand form never leaves an
/// uploaded file behind and a rejected logo never touches the brand.
/// </summary>
[Authorize(Policy = Accounts.AccountsWebExtensions.MemberPolicy)]
public sealed class BrandEditModel(
    GetBrand getBrand,
    CreateBrand createBrand,
    UpdateBrand updateBrand,
    DeleteBrand deleteBrand,
    UploadAsset uploadAsset,
    WorkspaceContext workspace,
    AppDbContext db,
    TimeProvider time,
    IStringLocalizer localizer) : PageModel
{
    public const string NewKey = "new";

    [BindProperty(SupportsGet = true)]
    public string Id { get; set; } = "";

    [BindProperty]
    public BrandForm Form { get; set; } = new();

    /// <summary>"saved", "logo" or "logo-removed" after a redirect.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Status { get; set; }

    public BrandDetails? Brand { get; private set; }

    public FormErrors Errors { get; } = new();

    public bool IsNew => Brand is null;

    public bool CanEdit => workspace.Can(WorkspaceRole.Editor);

    /// <summary>The plan has the Brand Center: without it a brand can be read and deleted, not created or changed.</summary>
    public bool HasBrandCenter { get; private set; }

    public bool CanEditKit => CanEdit && HasBrandCenter;

    public override async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(next);
        HasBrandCenter = await db.WorkspaceHasFeatureAsync(PlanFeatures.BrandCenter, time, HttpContext.RequestAborted);
        await next();
    }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (IsNewRoute)
        {
            return CanEdit ? Page() : Forbid();
        }

        var loaded = await LoadAsync(cancellationToken);
        if (loaded is not null)
        {
            return loaded;
        }

        Form = BrandForm.From(Brand!);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!CanEdit)
        {
            return Forbid();
        }

        if (IsNewRoute)
        {
            var created = await createBrand.HandleAsync(new CreateBrand.Request(Form.ToInput(null)), cancellationToken);
            return created.IsSuccess ? Saved(created.Value.Id, "saved") : Failed(created.Status, created.Errors);
        }

        var loaded = await LoadAsync(cancellationToken);
        if (loaded is not null)
        {
            return loaded;
        }

        var updated = await updateBrand.HandleAsync(new UpdateBrand.Request(Brand!.Id, Form.ToInput(Brand.LogoAssetId)), cancellationToken);
        return updated.IsSuccess ? Saved(Brand.Id, "saved") : Failed(updated.Status, updated.Errors);
    }

    public async Task<IActionResult> OnPostLogoAsync(IFormFile? logo, CancellationToken cancellationToken)
    {
        if (!CanEdit)
        {
            return Forbid();
        }

        var loaded = await LoadAsync(cancellationToken);
        if (loaded is not null)
        {
            return loaded;
        }

        Form = BrandForm.From(Brand!);
        if (!HasBrandCenter)
        {
            // Before the upload, so a refused logo leaves no file behind.
            return StatusPage(StatusCodes.Status402PaymentRequired);
        }

        if (logo is null || logo.Length == 0)
        {
            Errors.Add("logo", localizer["brands.logo_required"].Value);
            return StatusPage(StatusCodes.Status400BadRequest);
        }

        UploadAsset.Response upload;
        await using (var content = logo.OpenReadStream())
        {
            upload = await uploadAsset.HandleAsync(new UploadAsset.Request(content, logo.FileName, logo.ContentType), cancellationToken);
        }

        if (!upload.Succeeded)
        {
            Errors.Add("logo", localizer[upload.Rejection.Code, [.. upload.Rejection.Arguments]].Value);
            return StatusPage(StatusCodes.Status400BadRequest);
        }

        return await SetLogoAsync(upload.Asset.Id, "logo", cancellationToken);
    }

    public async Task<IActionResult> OnPostRemoveLogoAsync(CancellationToken cancellationToken)
    {
        if (!CanEdit)
        {
            return Forbid();
        }

        var loaded = await LoadAsync(cancellationToken);
        if (loaded is not null)
        {
            return loaded;
        }

        Form = BrandForm.From(Brand!);
        return await SetLogoAsync(null, "logo-removed", cancellationToken);
    }

    public async Task<IActionResult> OnPostDeleteAsync(CancellationToken cancellationToken)
    {
        if (!CanEdit)
        {
            return Forbid();
        }

        if (!Guid.TryParse(Id, out var brandId))
        {
            return NotFound();
        }

        var deleted = await deleteBrand.HandleAsync(new DeleteBrand.Request(brandId), cancellationToken);
        return deleted.Status switch
        {
            ResultStatus.Success => Redirect("/app/brands?status=deleted"),
            ResultStatus.Forbidden => Forbid(),
            _ => NotFound(),
        };
    }

    private bool IsNewRoute => string.Equals(Id, NewKey, StringComparison.OrdinalIgnoreCase);

    /// <returns>Null when <see cref="Brand"/> was loaded; otherwise the response to send.</returns>
    private async Task<IActionResult?> LoadAsync(CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(Id, out var brandId))
        {
            return NotFound();
        }

        var result = await getBrand.HandleAsync(new GetBrand.Request(brandId), cancellationToken);
        if (result.Status == ResultStatus.Forbidden)
        {
            return Forbid();
        }

        if (!result.IsSuccess)
        {
            return NotFound();
        }

        Brand = result.Value;
        return null;
    }

    private async Task<IActionResult> SetLogoAsync(Guid? logoAssetId, string status, CancellationToken cancellationToken)
    {
        var input = BrandForm.From(Brand!).ToInput(logoAssetId);
        var updated = await updateBrand.HandleAsync(new UpdateBrand.Request(Brand!.Id, input), cancellationToken);
        return updated.IsSuccess ? Saved(Brand.Id, status) : Failed(updated.Status, updated.Errors);
    }

    private RedirectResult Saved(Guid brandId, string status) => Redirect($"/app/brands/{brandId}?status={status}");

    private IActionResult Failed(ResultStatus status, IReadOnlyList<FieldError> errors)
    {
        switch (status)
        {
            case ResultStatus.Forbidden:
                return Forbid();
            case ResultStatus.NotFound:
                return NotFound();
        }

        if (errors.Any(e => e.Code == CatalogErrors.BrandCenterRequired))
        {
            // The page's upgrade notice says it; the form keeps what was typed.
            HasBrandCenter = false;
            return StatusPage(StatusCodes.Status402PaymentRequired);
        }

        Errors.Add(errors, localizer);
        Form.Compact();
        return StatusPage(status == ResultStatus.Conflict ? StatusCodes.Status409Conflict : StatusCodes.Status400BadRequest);
    }

    private PageResult StatusPage(int statusCode)
    {
        Status = null;
        Response.StatusCode = statusCode;
        return Page();
    }
}
