using System.Globalization;
using CommerceOS.Core.Assets;
using CommerceOS.Core.Billing;
using CommerceOS.Core.Catalog;
using CommerceOS.Core.Common;
using CommerceOS.Core.Data;
using CommerceOS.Core.Marketplaces;
using CommerceOS.Core.Workflows;
using CommerceOS.Core.Workspaces;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace CommerceOS.Web.Features.Workflows;

/// <summary>
/// <c>/app/new</c>, the closed loop (product-scope.md A6): photos and a name (facts optional) and the marketplaces; it
/// creates the product (<see cref="CreateProduct"/>, <see cref="AddPhoto"/>), starts the listing kit for those
/// marketplaces and opens the run, where the seller reviews and approves. Nothing is created when the plan has no
/// workflows or a photo is refused.
/// </summary>
[Authorize(Policy = Accounts.AccountsWebExtensions.MemberPolicy)]
public sealed class NewProjectModel(
    AppDbContext db,
    WorkspaceContext workspace,
    UploadAsset upload,
    CreateProduct createProduct,
    AddPhoto addPhoto,
    StartWorkflowRuns start,
    IMarketplaceCatalog marketplaces,
    TimeProvider time,
    IStringLocalizer localizer) : PageModel
{
    public const string Template = "listing-kit";

    public const string PhotosRequired = "workflows_ui.new.photos_required";

    public const string TooManyPhotos = "workflows_ui.new.too_many_photos";

    /// <summary>Photos one form takes; more can be added on the product page later.</summary>
    public const int MaxPhotos = 10;

    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public string? Description { get; set; }

    /// <summary>One selling point per line.</summary>
    [BindProperty]
    public string? SellingPoints { get; set; }

    [BindProperty]
    public List<string> Marketplaces { get; set; } = [];

    [BindProperty]
    public List<IFormFile> Photos { get; set; } = [];

    public IReadOnlyList<MarketplaceProfile> AllMarketplaces => marketplaces.All;

    public bool CanEdit => workspace.Can(WorkspaceRole.Editor);

    public List<string> Errors { get; } = [];

    public bool NeedsUpgrade { get; private set; }

    /// <summary>The product was created but the run was refused (quota): the seller can open it and run it later.</summary>
    public Guid? CreatedProductId { get; private set; }

    public IActionResult OnGet()
    {
        Marketplaces = [.. BuiltInTemplates.Find(Template)?.Marketplaces ?? []];
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!CanEdit)
        {
            return Refuse(StatusCodes.Status403Forbidden, localizer[CommonErrors.Forbidden]);
        }

        var photos = Photos.Where(p => p.Length > 0).ToList();
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(Name))
        {
            problems.Add(localizer[CatalogErrors.TitleRequired]);
        }

        if (photos.Count == 0)
        {
            problems.Add(localizer[PhotosRequired]);
        }
        else if (photos.Count > MaxPhotos)
        {
            problems.Add(localizer[TooManyPhotos, MaxPhotos]);
        }

        problems.AddRange(WorkflowPlanner.ValidateMarketplaces(Marketplaces, marketplaces).Select(e => WorkflowsUi.Field(localizer, e)).Distinct());
        if (problems.Count > 0)
        {
            return Refuse(StatusCodes.Status400BadRequest, [.. problems]);
        }

        if (!await db.WorkspaceHasFeatureAsync(PlanFeatures.WorkflowOrchestrator, time, cancellationToken))
        {
            NeedsUpgrade = true;
            return Refuse(StatusCodes.Status402PaymentRequired, localizer[WorkflowErrors.FeatureRequired]);
        }

        // Every photo is checked (sniffed, re-encoded) before the product exists, so a refused one leaves no half project.
        var assets = new List<Guid>(photos.Count);
        foreach (var photo in photos)
        {
            UploadAsset.Response uploaded;
            await using (var stream = photo.OpenReadStream())
            {
                uploaded = await upload.HandleAsync(new UploadAsset.Request(stream, photo.FileName, photo.ContentType), cancellationToken);
            }

            if (!uploaded.Succeeded)
            {
                var reason = localizer[uploaded.Rejection.Code, [.. uploaded.Rejection.Arguments]];
                return Refuse(Assets.UploadStatus.For(uploaded.Rejection.Error), localizer["products.upload_refused", photo.FileName, reason]);
            }

            assets.Add(uploaded.Asset.Id);
        }

        var points = (SellingPoints ?? "").Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        var created = await createProduct.HandleAsync(
            new CreateProduct.Request(new ProductInput(NewSku(), Name, string.IsNullOrWhiteSpace(Description) ? null : Description, SellingPoints: points)),
            cancellationToken);
        if (!created.IsSuccess)
        {
            return Refuse(StatusCodes.Status400BadRequest, [.. created.Errors.Select(e => WorkflowsUi.Field(localizer, e))]);
        }

        var productId = created.Value.Id;
        foreach (var asset in assets)
        {
            var added = await addPhoto.HandleAsync(new AddPhoto.Request(productId, asset), cancellationToken);
            if (!added.IsSuccess)
            {
                CreatedProductId = productId;
                return Refuse(StatusCodes.Status400BadRequest, [.. added.Errors.Select(e => WorkflowsUi.Field(localizer, e))]);
            }
        }

        var started = await start.HandleAsync(new StartWorkflowRuns.Request(Template, [productId], false, Marketplaces, WorkflowsUi.Culture), cancellationToken);
        if (started.IsSuccess)
        {
            return Redirect($"/app/workflows/runs/{started.Value.Runs[0].Id}");
        }

        CreatedProductId = productId;
        NeedsUpgrade = started.Errors.Any(e => e.Code == WorkflowErrors.FeatureRequired);
        var status = started.Errors.Any(e => e.Code is WorkflowErrors.FeatureRequired or WorkflowErrors.QuotaInsufficient)
            ? StatusCodes.Status402PaymentRequired
            : StatusCodes.Status400BadRequest;
        return Refuse(status, [.. started.Errors.Select(e => e.Code == WorkflowErrors.QuotaInsufficient && e.Args.Count == 3
            ? localizer[e.Code, localizer[$"workflows_ui.meter.{e.Args[0]}"], e.Args[1], e.Args[2]].Value
            : WorkflowsUi.Field(localizer, e))]);
    }

    /// <summary>The seller gives a name only; the SKU is made up (date and a random part) and can be changed on the product.</summary>
    private string NewSku() =>
        string.Create(CultureInfo.InvariantCulture, $"NEW-{time.GetUtcNow():yyyyMMdd}-{Guid.NewGuid().ToString("N")[..8].ToUpperInvariant()}");

    private PageResult Refuse(int status, params string[] errors)
    {
        Errors.AddRange(errors);
        Response.StatusCode = status;
        return Page();
    }
}
