using System.Globalization;
using CommerceOS.Core.Catalog;
using CommerceOS.Core.Common;
using CommerceOS.Core.Data;
using CommerceOS.Core.Workspaces;
using CommerceOS.Web.Features.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace CommerceOS.Web.Features.Catalog;

/// <summary>
/// <c>/app/products</c>: the product table through <see cref="ListProducts"/>. A plain GET form
/// (works without JavaScript); with htmx, a request targeting <c>#products-results</c> gets only
/// that fragment (table and pager).
/// </summary>
[Authorize(Policy = AccountsWebExtensions.MemberPolicy)]
public sealed class ProductsModel(ListProducts listProducts, ListBrands listBrands, AppDbContext db, WorkspaceContext workspace, IStringLocalizer localizer) : PageModel
{
    public const int PageSize = 25;
    public const string ResultsId = "products-results";

    public static readonly IReadOnlyList<string> SortChoices = ["updated", "created", "title", "sku"];
    public static readonly IReadOnlyList<string> StatusChoices = ["draft", "active", "archived"];

    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Search { get; set; }

    [BindProperty(SupportsGet = true, Name = "category")]
    public string? Category { get; set; }

    [BindProperty(SupportsGet = true, Name = "brand")]
    public string? Brand { get; set; }

    [BindProperty(SupportsGet = true, Name = "status")]
    public string? Status { get; set; }

    [BindProperty(SupportsGet = true, Name = "sort")]
    public string? Sort { get; set; }

    /// <summary>Query name <c>p</c>: "page" is a route value in Razor Pages.</summary>
    [BindProperty(SupportsGet = true, Name = "p")]
    public int PageNumber { get; set; } = 1;

    [BindProperty(SupportsGet = true, Name = "done")]
    public string? Done { get; set; }

    public ListProducts.Response Result { get; private set; } = new([], 0, 1, PageSize);

    public IReadOnlyList<string> Errors { get; private set; } = [];

    public IReadOnlyList<ListBrands.Item> Brands { get; private set; } = [];

    public IReadOnlyList<string> Categories { get; private set; } = [];

    public IReadOnlySet<Guid> WithThumbnail { get; private set; } = new HashSet<Guid>();

    public string? Notice { get; private set; }

    public bool CanEdit => workspace.Can(WorkspaceRole.Editor);

    public bool Filtered => !string.IsNullOrWhiteSpace(Search) || !string.IsNullOrWhiteSpace(Category)
        || !string.IsNullOrWhiteSpace(Brand) || !string.IsNullOrWhiteSpace(Status);

    public int PageCount => Math.Max(1, (Result.TotalCount + PageSize - 1) / PageSize);

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var brands = await listBrands.HandleAsync(new ListBrands.Request(), cancellationToken);
        Brands = brands.IsSuccess ? brands.Value : [];
        Categories = await ProductCategories.ListAsync(db, cancellationToken);

        var sort = (Sort ?? "").Trim().ToLowerInvariant() switch
        {
            "created" => ProductSort.Created,
            "title" => ProductSort.Title,
            "sku" => ProductSort.Sku,
            _ => ProductSort.Updated,
        };
        ProductStatus? status = ProductCsvFormat.TryParseStatus(Status ?? "", out var parsed) && !string.IsNullOrWhiteSpace(Status) ? parsed : null;
        Guid? brandId = Guid.TryParse(Brand, out var brand) ? brand : null;
        var result = await listProducts.HandleAsync(
            new ListProducts.Request(Search, Category, brandId, status, sort, null, Math.Max(1, PageNumber), PageSize),
            cancellationToken);
        if (result.IsSuccess)
        {
            Result = result.Value;
            var photoIds = Result.Items.Where(i => i.FirstPhotoAssetId is not null).Select(i => i.FirstPhotoAssetId!.Value).ToList();
            WithThumbnail = (await db.Assets.AsNoTracking()
                .Where(a => photoIds.Contains(a.Id) && a.ThumbnailBlobKey != null)
                .Select(a => a.Id)
                .ToListAsync(cancellationToken)).ToHashSet();
        }
        else
        {
            Response.StatusCode = result.Status == ResultStatus.Forbidden ? StatusCodes.Status403Forbidden : StatusCodes.Status400BadRequest;
            Errors = result.Errors.Select(e => (string)localizer[e.Code, [.. e.Args]]).ToList();
        }

        if (Done == "deleted")
        {
            Notice = localizer["products.notice_deleted"];
        }

        Response.Headers.Vary = "HX-Request";
        if (Request.Headers["HX-Request"] == "true" && Request.Headers["HX-Target"] == ResultsId)
        {
            return Partial("_ProductsResults", this);
        }

        return Page();
    }

    public string BrandName(Guid? id) => Brands.FirstOrDefault(b => b.Id == id)?.Name ?? "";

    public string PriceRange(ListProducts.Item item)
    {
        if (item.MinPriceMinor is not { } min || item.Currency is not { } currency)
        {
            return "";
        }

        var low = Currencies.FormatMajor(min, currency);
        var high = Currencies.FormatMajor(item.MaxPriceMinor ?? min, currency);
        return low == high ? $"{low} {currency}" : $"{low}–{high} {currency}";
    }

    /// <summary>This list's URL with the same search, filters and sort, on page <paramref name="page"/>.</summary>
    public string PageUrl(int page)
    {
        var query = new Dictionary<string, string?>(StringComparer.Ordinal);
        Add("q", Search);
        Add("category", Category);
        Add("brand", Brand);
        Add("status", Status);
        Add("sort", Sort);
        query["p"] = page.ToString(CultureInfo.InvariantCulture);
        return QueryHelpers.AddQueryString("/app/products", query);

        void Add(string name, string? value)
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                query[name] = value;
            }
        }
    }
}

public static class ProductBadges
{
    public static string For(ProductStatus status) => status switch
    {
        ProductStatus.Active => "badge-ok",
        ProductStatus.Archived => "badge-muted",
        ProductStatus.Draft => "",
        _ => "",
    };
}
