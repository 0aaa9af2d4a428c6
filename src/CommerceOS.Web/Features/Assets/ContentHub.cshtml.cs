using System.Globalization;
using CommerceOS.Core.Assets;
using CommerceOS.Core.Common;
using CommerceOS.Core.Workspaces;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace CommerceOS.Web.Features.Assets;

/// <summary>
/// <c>/app/content-hub</c>: every asset of the workspace as a gallery with filters, search, sorting
/// and paging (htmx swaps <c>#hub-results</c>), plus a multipart upload straight into the hub.
/// </summary>
[Authorize(Policy = Accounts.AccountsWebExtensions.MemberPolicy)]
public sealed class ContentHubModel(
    ListAssets listAssets,
    UploadAsset uploadAsset,
    WorkspaceContext workspace,
    IOptions<AssetsOptions> assetsOptions,
    IStringLocalizer localizer) : PageModel
{
    public const string Path = "/app/content-hub";
    public const int MaxFilesPerUpload = 20;

    /// <summary>uploads or generated.</summary>
    [BindProperty(SupportsGet = true)] public string? Kind { get; set; }

    /// <summary>image or video.</summary>
    [BindProperty(SupportsGet = true)] public string? Type { get; set; }

    /// <summary>in-products or unused.</summary>
    [BindProperty(SupportsGet = true)] public string? Usage { get; set; }

    [BindProperty(SupportsGet = true)] public Guid? Product { get; set; }

    /// <summary>yyyy-MM-dd, inclusive (UTC day).</summary>
    [BindProperty(SupportsGet = true)] public string? From { get; set; }

    /// <summary>yyyy-MM-dd, inclusive (UTC day).</summary>
    [BindProperty(SupportsGet = true)] public string? To { get; set; }

    [BindProperty(SupportsGet = true)] public string? Q { get; set; }

    /// <summary>newest, oldest or largest.</summary>
    [BindProperty(SupportsGet = true)] public string? Sort { get; set; }

    [BindProperty(SupportsGet = true)] public int? P { get; set; }

    /// <summary>Number of files just uploaded (after the redirect).</summary>
    [BindProperty(SupportsGet = true)] public int? Uploaded { get; set; }

    public ListAssets.Response Results { get; private set; } = new([], 0, 1, ListAssets.DefaultPageSize);

    public List<string> Errors { get; } = [];

    public int UploadedNow { get; private set; }

    public bool CanUpload => workspace.Can(WorkspaceRole.Editor);

    public double MaxUploadMegabytes => Math.Round(assetsOptions.Value.MaxUploadBytes / (1024d * 1024d), 1);

    public bool HasFilters =>
        Kind is not null || Type is not null || Usage is not null || Product is not null || !string.IsNullOrWhiteSpace(From)
        || !string.IsNullOrWhiteSpace(To) || !string.IsNullOrWhiteSpace(Q);

    /// <summary>Title of the product filtered by, when its photos are on this page.</summary>
    public string? ProductTitle => Product is { } id
        ? Results.Items.SelectMany(a => a.Products).FirstOrDefault(p => p.ProductId == id)?.Title
        : null;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return Forbid();
        }

        // htmx filter and pager requests get the results fragment only (htmx swaps 200 responses only).
        if (Request.Headers["HX-Request"] == "true")
        {
            return Partial("_HubResults", this);
        }

        if (Errors.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }

        return Page();
    }

    public async Task<IActionResult> OnPostUploadAsync(List<IFormFile> files, CancellationToken cancellationToken)
    {
        if (!CanUpload)
        {
            return Forbid();
        }

        var chosen = files.Where(f => f.Length > 0 || !string.IsNullOrEmpty(f.FileName)).ToList();
        if (chosen.Count == 0)
        {
            Errors.Add(localizer["hub.upload_none"].Value);
        }
        else if (chosen.Count > MaxFilesPerUpload)
        {
            Errors.Add(localizer["hub.upload_too_many", MaxFilesPerUpload].Value);
        }
        else
        {
            foreach (var file in chosen)
            {
                UploadAsset.Response upload;
                await using (var content = file.OpenReadStream())
                {
                    upload = await uploadAsset.HandleAsync(new UploadAsset.Request(content, file.FileName, file.ContentType), cancellationToken);
                }

                if (upload.Succeeded)
                {
                    UploadedNow++;
                }
                else
                {
                    var reason = localizer[upload.Rejection.Code, [.. upload.Rejection.Arguments]].Value;
                    Errors.Add(localizer["hub.upload_failed_file", System.IO.Path.GetFileName(file.FileName), reason].Value);
                }
            }
        }

        if (Errors.Count == 0)
        {
            return Redirect($"{Path}?uploaded={UploadedNow}");
        }

        if (!await LoadAsync(cancellationToken))
        {
            return Forbid();
        }

        Response.StatusCode = UploadedNow == 0 ? StatusCodes.Status400BadRequest : StatusCodes.Status200OK;
        return Page();
    }

    /// <summary>The current filters with some replaced, as a query string for links (paging, clearing the product).</summary>
    public string FilterUrl(int? page = null, bool keepProduct = true)
    {
        var query = new List<KeyValuePair<string, string?>>
        {
            new("kind", Kind),
            new("type", Type),
            new("usage", Usage),
            new("product", keepProduct ? Product?.ToString() : null),
            new("from", From),
            new("to", To),
            new("q", Q),
            new("sort", Sort),
            new("p", page is > 1 ? page.Value.ToString(CultureInfo.InvariantCulture) : null),
        };
        var pairs = query.Where(q => !string.IsNullOrWhiteSpace(q.Value)).Select(q => new KeyValuePair<string, string>(q.Key, q.Value!)).ToList();
        return pairs.Count == 0 ? Path : Path + new QueryBuilder(pairs);
    }

    /// <summary>Runs the query for the current filters; errors go to <see cref="Errors"/>. False when the role may not list assets.</summary>
    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        var errorsBefore = Errors.Count;
        var request = new ListAssets.Request(
            Kind: Kind switch { "uploads" => AssetKind.Upload, "generated" => AssetKind.Generated, _ => null },
            MediaType: Type switch { "image" => AssetMediaType.Image, "video" => AssetMediaType.Video, _ => null },
            InProducts: Usage switch { "in-products" => true, "unused" => false, _ => null },
            ProductId: Product,
            CreatedFrom: ParseDay(From, "from"),
            CreatedBefore: ParseDay(To, "to")?.AddDays(1),
            Search: Q,
            Sort: Sort switch { "oldest" => AssetSort.Oldest, "largest" => AssetSort.Largest, _ => AssetSort.Newest },
            Page: P ?? 1);
        if (Errors.Count > errorsBefore)
        {
            return true;
        }

        var result = await listAssets.HandleAsync(request, cancellationToken);
        switch (result.Status)
        {
            case ResultStatus.Success:
                Results = result.Value;
                return true;
            case ResultStatus.Forbidden:
                return false;
            default:
                Errors.AddRange(result.Errors.Select(e => localizer[e.Code, [.. e.Args]].Value));
                return true;
        }
    }

    private DateTime? ParseDay(string? text, string field)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        }

        Errors.Add(localizer["hub.date_invalid", localizer[$"hub.filter.{field}"].Value].Value);
        return null;
    }
}
