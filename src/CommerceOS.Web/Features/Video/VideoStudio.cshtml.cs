using System.Globalization;
using System.Text.Json;
using CommerceOS.Core.Common;
using CommerceOS.Core.Copy;
using CommerceOS.Core.Data;
using CommerceOS.Core.Generation;
using CommerceOS.Core.Jobs;
using CommerceOS.Core.Video;
using CommerceOS.Core.Workspaces;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace CommerceOS.Web.Features.Video;

/// <summary>
/// <c>/app/video-studio</c>: pick a product, template, formats, duration, texts (pre-filled from the listing copy) and
/// music; watch the render jobs with live progress and cancel them; play, check per channel, download and regenerate the
/// videos. Viewers see everything read-only.
/// </summary>
[Authorize(Policy = Accounts.AccountsWebExtensions.MemberPolicy)]
public sealed class VideoStudioModel(
    AppDbContext db,
    WorkspaceContext workspace,
    RequestVideos requestVideos,
    ListProductVideos listVideos,
    ListMusic listMusic,
    UploadMusic uploadMusic,
    CancelJob cancelJob,
    IEnumerable<IVideoProvider> providers,
    IStringLocalizer localizer) : PageModel
{
    public const string ResultsId = "video-results";

    public const int MaxProducts = 200;

    public const int RecentJobs = 20;

    /// <summary>A hook line reads in a glance: listing titles are cut to this many characters (at a word where there is one).</summary>
    public const int HookLength = 60;

    /// <summary>Caption lines burned into a video stay short; listing bullets are cut to this.</summary>
    public const int CaptionLength = 90;

    public static readonly IReadOnlyList<string> TextLanguages = ["en", "zh-CN"];

    private static readonly System.Buffers.SearchValues<char> ClauseEnds = System.Buffers.SearchValues.Create(",，、|–—:：;；。");

    public sealed record ProductOption(Guid Id, string Sku, string Title);

    public sealed record SelectedProduct(Guid Id, string Sku, string Title, int Photos);

    /// <summary>One render job as the studio lists it.</summary>
    public sealed record VideoJobRow(Guid JobId, string Template, IReadOnlyList<string> Formats, int DurationSeconds, string Engine, JobStatus Status, double Progress, string? ErrorCode, DateTime CreatedAt)
    {
        public bool CanCancel => Status is JobStatus.Queued or JobStatus.Running;
    }

    public sealed class VideoForm
    {
        public string Template { get; set; } = VideoTemplates.Id(VideoTemplate.Showcase);

        public List<string> Formats { get; set; } = [];

        public int DurationSeconds { get; set; } = VideoEndpoints.DefaultDurationSeconds;

        public string Engine { get; set; } = VideoEngines.Local;

        public string Language { get; set; } = "en";

        public string? Title { get; set; }

        /// <summary>One caption per line.</summary>
        public string? Captions { get; set; }

        /// <summary>One selling point per line.</summary>
        public string? Points { get; set; }

        public Guid? MusicAssetId { get; set; }

        public string? Prompt { get; set; }
    }

    [BindProperty(SupportsGet = true, Name = "product")]
    public Guid? ProductId { get; set; }

    [BindProperty(SupportsGet = true)]
    public int? Started { get; set; }

    /// <summary>Set after a music upload (kept across the redirect): the new track is preselected.</summary>
    [BindProperty(SupportsGet = true)]
    public Guid? Music { get; set; }

    [BindProperty]
    public VideoForm Form { get; set; } = new();

    public IReadOnlyList<ProductOption> Products { get; private set; } = [];

    public SelectedProduct? Product { get; private set; }

    public IReadOnlyList<VideoSummary> Videos { get; private set; } = [];

    public IReadOnlyList<VideoJobRow> Jobs { get; private set; } = [];

    public IReadOnlyList<MusicSummary> MusicTracks { get; private set; } = [];

    /// <summary>The text language each video's job asked for, by job id (the captions track's <c>srclang</c>).</summary>
    public IReadOnlyDictionary<Guid, string> JobLanguages { get; private set; } = new Dictionary<Guid, string>();

    /// <summary>Where the pre-filled texts came from: <c>copy</c> (listing copy), <c>product</c> (selling points) or null.</summary>
    public string? PrefilledFrom { get; private set; }

    public IVideoProvider? Provider { get; } = providers.FirstOrDefault();

    public bool CanEdit => workspace.Can(WorkspaceRole.Editor);

    public List<string> Errors { get; } = [];

    public bool AnyRunning => Jobs.Any(j => j.CanCancel);

    public string DefaultLanguage => CultureInfo.CurrentUICulture.Name.StartsWith("zh", StringComparison.OrdinalIgnoreCase) ? "zh-CN" : "en";

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        Form.Language = DefaultLanguage;
        Form.Formats = [VideoFormats.Vertical.Id];
        Form.MusicAssetId = Music;
        if (!await LoadAsync(cancellationToken))
        {
            return NotFound();
        }

        if (Product is not null)
        {
            await PrefillAsync(Product.Id, cancellationToken);
        }

        return Page();
    }

    /// <summary>The jobs and videos alone, for htmx polling while jobs run.</summary>
    public async Task<IActionResult> OnGetResultsAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken) || Product is null)
        {
            return NotFound();
        }

        return Partial("_VideoResults", this);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (ProductId is not { } productId)
        {
            return NotFound();
        }

        var input = new VideoJobInput(
            productId,
            Form.Template,
            Form.Formats,
            Form.DurationSeconds,
            Form.Engine,
            null,
            Form.Language,
            Form.Title,
            Lines(Form.Captions),
            Lines(Form.Points) is { Count: > 0 } points ? points : null,
            Form.MusicAssetId,
            Form.Prompt);
        var result = await requestVideos.HandleAsync(input, cancellationToken);
        if (result.IsSuccess)
        {
            return Redirect($"/app/video-studio?product={productId}&started={Form.Formats.Distinct(StringComparer.Ordinal).Count()}#{ResultsId}");
        }

        return await RefusedAsync(result, cancellationToken);
    }

    /// <summary>Renders one video again: the same request (template, images, texts, music), for that video's format only.</summary>
    public async Task<IActionResult> OnPostRegenerateAsync(Guid assetId, CancellationToken cancellationToken)
    {
        var asset = await db.Assets.AsNoTracking().SingleOrDefaultAsync(a => a.Id == assetId && a.Skill == VideoSkills.Video, cancellationToken);
        var job = asset?.JobId is { } jobId ? await db.Jobs.AsNoTracking().SingleOrDefaultAsync(j => j.Id == jobId, cancellationToken) : null;
        var input = job?.InputJson is { } json ? ReadInput(json) : null;
        if (asset is null || input is null)
        {
            return NotFound();
        }

        ProductId = input.ProductId;
        var again = input with { Formats = asset.OutputKey is { } format ? [format] : input.Formats };
        var result = await requestVideos.HandleAsync(again, cancellationToken);
        if (result.IsSuccess)
        {
            return Redirect($"/app/video-studio?product={input.ProductId}&started={again.Formats.Count}#{ResultsId}");
        }

        return await RefusedAsync(result, cancellationToken);
    }

    public async Task<IActionResult> OnPostCancelAsync(Guid jobId, CancellationToken cancellationToken)
    {
        var result = await cancelJob.HandleAsync(jobId, cancellationToken);
        switch (result.Status)
        {
            case ResultStatus.Success:
                return Redirect($"/app/video-studio?product={result.Value.SubjectId}#{ResultsId}");
            case ResultStatus.NotFound:
                return NotFound();
            case ResultStatus.Forbidden:
                return await ForbiddenAsync(cancellationToken);
            default:
                // Finished meanwhile: the list shows how it ended.
                AddErrors(result.Errors);
                ProductId ??= await db.Jobs.AsNoTracking().Where(j => j.Id == jobId).Select(j => j.SubjectId).SingleOrDefaultAsync(cancellationToken);
                Response.StatusCode = StatusCodes.Status409Conflict;
                return await LoadAsync(cancellationToken) ? Page() : NotFound();
        }
    }

    /// <summary>Uploads background music (the engine decodes and re-encodes it; anything else is refused with the reason).</summary>
    public async Task<IActionResult> OnPostMusicAsync(IFormFile? musicFile, CancellationToken cancellationToken)
    {
        if (!CanEdit)
        {
            return await ForbiddenAsync(cancellationToken);
        }

        if (musicFile is null || musicFile.Length == 0)
        {
            Errors.Add(localizer[VideoErrors.MusicEmpty]);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return await LoadAsync(cancellationToken) ? Page() : NotFound();
        }

        Result<Core.Assets.Asset> result;
        await using (var stream = musicFile.OpenReadStream())
        {
            result = await uploadMusic.HandleAsync(stream, musicFile.FileName, cancellationToken);
        }

        if (result.IsSuccess)
        {
            var product = ProductId is { } id ? $"product={id}&" : "";
            return Redirect($"/app/video-studio?{product}music={result.Value.Id}#video-music");
        }

        if (result.Status == ResultStatus.Forbidden)
        {
            return await ForbiddenAsync(cancellationToken);
        }

        AddErrors(result.Errors);
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return await LoadAsync(cancellationToken) ? Page() : NotFound();
    }

    public string TemplateName(string? template) => string.IsNullOrEmpty(template) ? "" : localizer[$"video.template.{template}"];

    public string MarketplaceName(string marketplace) => localizer[$"marketplace.{marketplace}"];

    public string ErrorText(string? code) => code is null ? string.Empty : localizer[code];

    public string IssueText(VideoRuleIssue issue) => localizer[issue.Code, [.. issue.Arguments]];

    public string TextLanguage(VideoSummary video) =>
        video.JobId is { } jobId && JobLanguages.TryGetValue(jobId, out var language) ? language : DefaultLanguage;

    public static string Size(long bytes) => (bytes / (1024d * 1024d)).ToString("0.0", CultureInfo.CurrentCulture) + " MB";

    private async Task<IActionResult> RefusedAsync(Result<Job> result, CancellationToken cancellationToken)
    {
        switch (result.Status)
        {
            case ResultStatus.NotFound:
                return NotFound();
            case ResultStatus.Forbidden:
                return await ForbiddenAsync(cancellationToken);
        }

        AddErrors(result.Errors);
        Response.StatusCode = result.Errors.Any(e => e.Code == Core.Billing.UsageErrors.QuotaExceeded)
            ? StatusCodes.Status402PaymentRequired
            : StatusCodes.Status400BadRequest;
        return await LoadAsync(cancellationToken) ? Page() : NotFound();
    }

    /// <summary>A viewer's write: the page again with the reason and 403 (a challenge would send a signed-in member to the login page).</summary>
    private async Task<IActionResult> ForbiddenAsync(CancellationToken cancellationToken)
    {
        Errors.Add(localizer[CommonErrors.Forbidden]);
        Response.StatusCode = StatusCodes.Status403Forbidden;
        return await LoadAsync(cancellationToken) ? Page() : NotFound();
    }

    private void AddErrors(IReadOnlyList<FieldError> errors)
    {
        foreach (var error in errors)
        {
            Errors.Add(localizer[error.Code, [.. error.Args]]);
        }
    }

    private static List<string> Lines(string? text) =>
        [.. (text ?? "").Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0)];

    private static VideoJobInput? ReadInput(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<VideoJobInput>(json, GenerationJson.Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// Texts from the product's newest listing copy (in the chosen text language when there is one): its title cut to a
    /// hook, its bullets as captions; else the product's selling points as captions. The seller edits them before rendering.
    /// </summary>
    private async Task PrefillAsync(Guid productId, CancellationToken cancellationToken)
    {
        var copies = await db.ListingCopies.AsNoTracking()
            .Where(c => c.ProductId == productId && c.CurrentVersion > 0)
            .Select(c => new { c.Id, c.Language, c.CurrentVersion, c.UpdatedAt })
            .ToListAsync(cancellationToken);
        var copy = copies.OrderByDescending(c => c.Language == Form.Language).ThenByDescending(c => c.UpdatedAt).FirstOrDefault();
        var version = copy is null
            ? null
            : await db.ListingCopyVersions.AsNoTracking().SingleOrDefaultAsync(v => v.ListingCopyId == copy.Id && v.Number == copy.CurrentVersion, cancellationToken);
        var points = await db.Products.AsNoTracking().Where(p => p.Id == productId).Select(p => p.SellingPoints).SingleAsync(cancellationToken);
        if (version is not null)
        {
            var text = CopyJson.Text(version);
            if (copy!.Language.StartsWith("zh", StringComparison.OrdinalIgnoreCase) && Form.Language != copy.Language && TextLanguages.Contains(copy.Language))
            {
                // The copy is the seller's text: render it in its own language (and font).
                Form.Language = copy.Language;
            }

            Form.Title = Shorten(text.Title, HookLength);
            Form.Captions = string.Join('\n', text.Bullets.Select(b => Shorten(b, CaptionLength)).Where(b => b.Length > 0).Take(VideoLimits.MaxCaptionLines));
            PrefilledFrom = "copy";
        }
        else if (points.Count > 0)
        {
            Form.Captions = string.Join('\n', points.Select(p => Shorten(p, CaptionLength)).Where(p => p.Length > 0).Take(VideoLimits.MaxCaptionLines));
            PrefilledFrom = "product";
        }

        Form.Points = string.Join('\n', points.Select(p => Shorten(p, VideoLimits.MaxLineLength)).Where(p => p.Length > 0).Take(VideoLimits.MaxPoints));
    }

    /// <summary>
    /// At most <paramref name="max"/> text elements: cut after the last clause that fits (a comma, a dash, a colon), else
    /// after the last word, as long as that keeps at least half; else at the limit (Chinese has no spaces).
    /// </summary>
    internal static string Shorten(string? text, int max)
    {
        var clean = string.Join(' ', (text ?? "").Split((char[])[' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries));
        var info = new StringInfo(clean);
        if (info.LengthInTextElements <= max)
        {
            return clean;
        }

        var cut = info.SubstringByTextElements(0, max);
        var clause = cut.AsSpan().LastIndexOfAny(ClauseEnds);
        var word = cut.LastIndexOf(' ');
        if (clause >= cut.Length / 2)
        {
            cut = cut[..clause];
        }
        else if (word >= cut.Length / 2)
        {
            cut = cut[..word];
        }

        return cut.TrimEnd(" ,，、|–—:：;；。".ToCharArray());
    }

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        Products = await db.Products.AsNoTracking()
            .OrderByDescending(p => p.UpdatedAt).ThenBy(p => p.Id)
            .Take(MaxProducts)
            .Select(p => new ProductOption(p.Id, p.Sku, p.Title))
            .ToListAsync(cancellationToken);
        MusicTracks = await listMusic.HandleAsync(cancellationToken);
        if (ProductId is not { } productId)
        {
            ProductId = Products.Count > 0 ? Products[0].Id : null;
            if (ProductId is null)
            {
                return true;
            }

            productId = ProductId.Value;
        }

        var product = await db.Products.AsNoTracking()
            .Where(p => p.Id == productId)
            .Select(p => new SelectedProduct(p.Id, p.Sku, p.Title, p.Photos.Count))
            .SingleOrDefaultAsync(cancellationToken);
        if (product is null)
        {
            return false;
        }

        Product = product;
        var listed = await listVideos.HandleAsync(product.Id, cancellationToken);
        Videos = listed.IsSuccess ? listed.Value : [];
        var jobs = await db.Jobs.AsNoTracking()
            .Where(j => j.Kind == RequestVideos.JobKind && j.SubjectId == product.Id)
            .OrderByDescending(j => j.CreatedAt).ThenByDescending(j => j.Id)
            .Take(RecentJobs)
            .ToListAsync(cancellationToken);
        var videoJobs = Videos.Select(v => v.JobId).OfType<Guid>().Distinct().ToList();
        var inputs = await db.Jobs.AsNoTracking().Where(j => videoJobs.Contains(j.Id)).Select(j => new { j.Id, j.InputJson }).ToListAsync(cancellationToken);
        JobLanguages = inputs.ToDictionary(j => j.Id, j => (j.InputJson is null ? null : ReadInput(j.InputJson))?.Language ?? DefaultLanguage);
        Jobs = jobs.Select(j =>
        {
            var input = j.InputJson is null ? null : ReadInput(j.InputJson);
            return new VideoJobRow(
                j.Id,
                input?.Template ?? "",
                input?.Formats ?? [],
                input?.DurationSeconds ?? 0,
                input?.Engine ?? VideoEngines.Local,
                j.Status,
                j.Progress,
                ErrorCodes.Of(j.LastError),
                j.CreatedAt);
        }).ToList();
        return true;
    }
}
