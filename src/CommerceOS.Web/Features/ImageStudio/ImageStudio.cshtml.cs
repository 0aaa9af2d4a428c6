using System.Globalization;
using CommerceOS.Core.Assets;
using CommerceOS.Core.Common;
using CommerceOS.Core.Data;
using CommerceOS.Core.Generation;
using CommerceOS.Core.Marketplaces;
using CommerceOS.Core.Workspaces;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace CommerceOS.Web.Features.ImageStudio;

/// <summary>
/// <c>/app/image-studio</c>: pick a product and photo, skills and marketplaces; watch the jobs;
/// review the gallery with before/after, compliance badges and overlays; regenerate or download.
/// </summary>
[Authorize(Policy = Accounts.AccountsWebExtensions.MemberPolicy)]
public sealed class ImageStudioModel(
    AppDbContext db,
    WorkspaceContext workspace,
    RequestImages requestImages,
    ListProductImages listImages,
    IMarketplaceCatalog catalog,
    IImageComposer composer,
    IEnumerable<IImageProvider> providers,
    IStringLocalizer localizer) : PageModel
{
    public const string ResultsId = "studio-results";

    public const int MaxProducts = 200;

    public const int MaxScenes = 50;

    public sealed record ProductOption(Guid Id, string Sku, string Title);

    public sealed record SelectedProduct(Guid Id, string Sku, string Title, IReadOnlyList<Guid> Photos, int SellingPoints);

    public sealed class StudioForm
    {
        public Guid? SourceAssetId { get; set; }

        public List<string> Skills { get; set; } = [];

        public List<string> Marketplaces { get; set; } = [];

        public bool Shadow { get; set; } = true;

        public string? Style { get; set; }

        public string? SceneId { get; set; }

        public Guid? SceneAssetId { get; set; }

        public string? Prompt { get; set; }

        public string? Layout { get; set; }

        public string? Language { get; set; }

        public bool AiCutout { get; set; }
    }

    [BindProperty(SupportsGet = true, Name = "product")]
    public Guid? ProductId { get; set; }

    [BindProperty(SupportsGet = true)]
    public int? Started { get; set; }

    /// <summary>The photo to preselect (kept across the redirect after Generate).</summary>
    [BindProperty(SupportsGet = true)]
    public Guid? Photo { get; set; }

    [BindProperty]
    public StudioForm Form { get; set; } = new();

    public IReadOnlyList<ProductOption> Products { get; private set; } = [];

    public SelectedProduct? Product { get; private set; }

    public ListProductImages.Response Results { get; private set; } = new([], []);

    public IReadOnlyList<Guid> SceneAssets { get; private set; } = [];

    public IReadOnlyList<MarketplaceProfile> Marketplaces => catalog.All;

    public IReadOnlyList<SceneInfo> Scenes => composer.BuiltInScenes;

    public IImageProvider? Provider { get; } = providers.FirstOrDefault();

    public bool CanEdit => workspace.Can(WorkspaceRole.Editor);

    public List<string> Errors { get; } = [];

    public string DefaultLanguage => CultureInfo.CurrentUICulture.Name.StartsWith("zh", StringComparison.OrdinalIgnoreCase) ? "zh-CN" : "en";

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        Form.Language = DefaultLanguage;
        Form.Marketplaces = ["amazon"];
        Form.Skills = [ImageSkills.MainImage];
        Form.SourceAssetId = Photo;
        return await LoadAsync(cancellationToken) ? Page() : NotFound();
    }

    /// <summary>The jobs and gallery alone, for htmx polling while jobs run.</summary>
    public async Task<IActionResult> OnGetResultsAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken) || Product is null)
        {
            return NotFound();
        }

        return Partial("_StudioResults", this);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (ProductId is not { } productId)
        {
            return NotFound();
        }

        if (Form.Skills.Count == 0)
        {
            Errors.Add(localizer["studio.pick_skill"]);
        }

        var started = 0;
        foreach (var skill in Form.Skills.Distinct(StringComparer.Ordinal))
        {
            var parsed = StudioInput.Parse(
                productId,
                skill,
                // Skills without a marketplace rule take their sizes from the marketplaces picked (2000x2000 without one).
                Form.Marketplaces,
                skill == ImageSkills.Variants ? null : Form.SourceAssetId,
                new ImageStudioEndpoints.ImageOptionsRequest(
                    Form.Shadow, Form.Style, Form.SceneId, Form.SceneAssetId, Form.Prompt, Form.Layout, Form.Language, Form.AiCutout, null, null, null));
            if (parsed.Input is null)
            {
                AddErrors(skill, parsed.Errors);
                continue;
            }

            if (parsed.Input.Skill == ImageSkill.Variants)
            {
                // Variants size the newest main image of the product.
                var latest = await db.Assets.AsNoTracking()
                    .Where(a => a.ProductId == productId && a.Skill == ImageSkills.MainImage)
                    .OrderByDescending(a => a.CreatedAt).ThenByDescending(a => a.Id)
                    .Select(a => (Guid?)a.Id).FirstOrDefaultAsync(cancellationToken);
                parsed = parsed with { Input = parsed.Input with { SourceAssetId = latest } };
            }

            var result = await requestImages.HandleAsync(parsed.Input!, cancellationToken);
            if (result.IsSuccess)
            {
                started++;
            }
            else if (result.Status == ResultStatus.NotFound)
            {
                return NotFound();
            }
            else if (result.Status == ResultStatus.Forbidden)
            {
                return Forbid();
            }
            else
            {
                AddErrors(skill, result.Errors);
                if (result.Errors.Any(e => e.Code == Core.Billing.UsageErrors.QuotaExceeded))
                {
                    Response.StatusCode = StatusCodes.Status402PaymentRequired;
                }
            }
        }

        if (Errors.Count == 0)
        {
            var photo = Form.SourceAssetId is { } chosen ? $"&photo={chosen}" : string.Empty;
            return Redirect($"/app/image-studio?product={productId}&started={started}{photo}#{ResultsId}");
        }

        if (Response.StatusCode == StatusCodes.Status200OK)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }

        Started = started;
        return await LoadAsync(cancellationToken) ? Page() : NotFound();
    }

    /// <summary>Regenerates one image: the same skill, photo and options, for that image's marketplace or size only.</summary>
    public async Task<IActionResult> OnPostRegenerateAsync(Guid assetId, CancellationToken cancellationToken)
    {
        var asset = await db.Assets.AsNoTracking().SingleOrDefaultAsync(a => a.Id == assetId && a.Skill != null, cancellationToken);
        var job = asset?.JobId is { } jobId ? await db.Jobs.AsNoTracking().SingleOrDefaultAsync(j => j.Id == jobId, cancellationToken) : null;
        var input = job?.InputJson is { } json ? System.Text.Json.JsonSerializer.Deserialize<ImageJobInput>(json, GenerationJson.Options) : null;
        if (asset is null || input is null)
        {
            return NotFound();
        }

        var again = input with
        {
            Marketplaces = asset.Marketplace is { } marketplace ? [marketplace] : input.Marketplaces,
            Options = input.Options with
            {
                Template = input.Skill == ImageSkill.Variants ? asset.OutputKey?[(asset.OutputKey.LastIndexOf(':') + 1)..] : null,
                Width = asset.Marketplace is null ? asset.Width : null,
                Height = asset.Marketplace is null ? asset.Height : null,
            },
        };
        var result = await requestImages.HandleAsync(again, cancellationToken);
        ProductId = input.ProductId;
        if (result.IsSuccess)
        {
            return Redirect($"/app/image-studio?product={input.ProductId}&started=1#{ResultsId}");
        }

        if (result.Status == ResultStatus.Forbidden)
        {
            return Forbid();
        }

        AddErrors(input.Skill.ToString(), result.Errors);
        Response.StatusCode = result.Errors.Any(e => e.Code == Core.Billing.UsageErrors.QuotaExceeded)
            ? StatusCodes.Status402PaymentRequired
            : StatusCodes.Status400BadRequest;
        return await LoadAsync(cancellationToken) ? Page() : NotFound();
    }

    public string SkillName(string skill) => localizer[$"studio.skill.{skill}"];

    public string MarketplaceName(string? id) => id is null ? string.Empty : localizer[$"marketplace.{id}"];

    public string ErrorText(string? code) => code is null ? string.Empty : localizer[code];

    public bool AnyRunning => Results.Jobs.Any(j => j.Status is Core.Jobs.JobStatus.Queued or Core.Jobs.JobStatus.Running);

    private void AddErrors(string skill, IReadOnlyList<FieldError> errors)
    {
        foreach (var error in errors)
        {
            var name = ImageSkills.Parse(skill) is { } parsed ? SkillName(ImageSkills.Id(parsed)) : skill;
            Errors.Add($"{name}: {localizer[error.Code, [.. error.Args]]}");
        }
    }

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        Products = await db.Products.AsNoTracking()
            .OrderByDescending(p => p.UpdatedAt).ThenBy(p => p.Id)
            .Take(MaxProducts)
            .Select(p => new ProductOption(p.Id, p.Sku, p.Title))
            .ToListAsync(cancellationToken);
        if (ProductId is not { } productId)
        {
            ProductId = Products.Count > 0 ? Products[0].Id : null;
            if (ProductId is null)
            {
                return true;
            }

            productId = ProductId.Value;
        }

        var product = await db.Products.AsNoTracking().Include(p => p.Photos).SingleOrDefaultAsync(p => p.Id == productId, cancellationToken);
        if (product is null)
        {
            return false;
        }

        Product = new SelectedProduct(
            product.Id,
            product.Sku,
            product.Title,
            product.Photos.OrderBy(p => p.Position).ThenBy(p => p.Id).Select(p => p.AssetId).ToList(),
            product.SellingPoints.Count);
        var listed = await listImages.HandleAsync(product.Id, cancellationToken);
        Results = listed.IsSuccess ? listed.Value : new ListProductImages.Response([], []);
        SceneAssets = await db.Assets.AsNoTracking()
            .Where(a => a.Kind == AssetKind.Upload)
            .OrderByDescending(a => a.CreatedAt).ThenByDescending(a => a.Id)
            .Take(MaxScenes)
            .Select(a => a.Id)
            .ToListAsync(cancellationToken);
        return true;
    }
}
