using System.Globalization;
using System.Text.Encodings.Web;
using CommerceOS.Core.Common;
using CommerceOS.Core.Copy;
using CommerceOS.Core.Data;
using CommerceOS.Core.Jobs;
using CommerceOS.Core.Seo;
using CommerceOS.Core.Translation;
using CommerceOS.Core.Workspaces;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace CommerceOS.Web.Features.Copy;

/// <summary>
/// <c>/app/listing-copy/{id?}</c>: a product's listing copy per marketplace and language. Generate (and regenerate one
/// field), hand edit with live length counters, rule badges, approve and lock, version history and diff, translation
/// status and translate. The Core use cases decide everything; this page only shows their answers.
/// </summary>
[Authorize(Policy = Accounts.AccountsWebExtensions.MemberPolicy)]
public sealed class ListingCopyModel(
    AppDbContext db,
    WorkspaceContext workspace,
    RequestCopy requestCopy,
    GetListingCopy getCopy,
    EditListingCopy editCopy,
    ApproveListingCopy approveCopy,
    UnlockListingCopy unlockCopy,
    DiffListingCopy diffCopy,
    RequestTranslations requestTranslations,
    GetProductSeo getSeo,
    IStringLocalizer localizer) : PageModel
{
    public const string JobsId = "copy-jobs";

    public const int MaxProducts = 200;

    public const int RecentJobs = 10;

    public sealed record ProductOption(Guid Id, string Sku, string Title);

    public sealed record CopyTab(string Marketplace, string Language, int CurrentVersion, bool Locked);

    public sealed record CopyJob(Guid Id, string Kind, string? Marketplace, IReadOnlyList<string> Languages, IReadOnlyList<string> Fields, JobStatus Status, double Progress, string? ErrorCode);

    /// <summary>One editable box: a field, or one item of a list field shown one box per item (bullets).</summary>
    /// <param name="Path">The field path the use cases report errors on (<c>title</c>, <c>bullets[2]</c>, <c>searchTerms</c>).</param>
    /// <param name="Name">The form field name.</param>
    /// <param name="Unit">The counter's unit for copy.js: characters, bytes, double-bytes or items.</param>
    /// <param name="Limit">0 when the marketplace sets no maximum.</param>
    /// <param name="With">The id of a box counted together with this one (a caption's hashtags).</param>
    public sealed record FieldBox(string Field, int Index, string Path, string Name, string Value, string Unit, string? Separator, int Limit, int Count, int Rows, string? With = null);

    public sealed class GenerateForm
    {
        public string? Tone { get; set; }

        public string? Language { get; set; }

        /// <summary>Comma- or line-separated.</summary>
        public string? Keywords { get; set; }

        public string? Competitors { get; set; }
    }

    public sealed class EditForm
    {
        public int BaseVersion { get; set; }

        public string? Title { get; set; }

        public List<string?> Bullets { get; set; } = [];

        public string? Description { get; set; }

        public string? SearchTerms { get; set; }

        public string? MetaTitle { get; set; }

        public string? MetaDescription { get; set; }

        public string? Caption { get; set; }

        /// <summary>Space-, comma- or line-separated, with or without <c>#</c>.</summary>
        public string? Hashtags { get; set; }

        /// <summary>One script line per text line.</summary>
        public string? LiveScript { get; set; }

        public ListingText ToText() => new()
        {
            Title = Title ?? "",
            Bullets = [.. Bullets.Select(b => b ?? "")],
            Description = Description ?? "",
            SearchTerms = SearchTerms ?? "",
            MetaTitle = MetaTitle ?? "",
            MetaDescription = MetaDescription ?? "",
            Caption = Caption ?? "",
            Hashtags = Split(Hashtags, [' ', ',', '\n', '\r', '\t', '，']) ?? [],
            LiveScript = Split(LiveScript, ['\n', '\r']) ?? [],
        };
    }

    [BindProperty(SupportsGet = true)]
    public Guid? Id { get; set; }

    /// <summary>The product picker's GET form names the product in the query; the page lives under its id.</summary>
    [BindProperty(SupportsGet = true, Name = "product")]
    public Guid? PickedProduct { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Marketplace { get; set; }

    [BindProperty(SupportsGet = true, Name = "lang")]
    public string? Lang { get; set; }

    [BindProperty(SupportsGet = true)]
    public int? Version { get; set; }

    [BindProperty(SupportsGet = true)]
    public int? From { get; set; }

    [BindProperty(SupportsGet = true)]
    public int? To { get; set; }

    /// <summary>What the last POST did (PRG notice): generate, regenerate, translate, saved, approved, unlocked.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Done { get; set; }

    [BindProperty]
    public GenerateForm Generate { get; set; } = new();

    [BindProperty]
    public EditForm Edit { get; set; } = new();

    [BindProperty]
    public List<string> Targets { get; set; } = [];

    public IReadOnlyList<ProductOption> Products { get; private set; } = [];

    public ProductOption? Product { get; private set; }

    public CopyProfile Profile { get; private set; } = CopyProfiles.Get("amazon");

    public string Language { get; private set; } = "en";

    public IReadOnlyList<CopyTab> Tabs { get; private set; } = [];

    /// <summary>Every language of the chosen marketplace, each with its current version (translation status included).</summary>
    public IReadOnlyList<GetListingCopy.Listing> Languages { get; private set; } = [];

    public GetListingCopy.Listing? Listing { get; private set; }

    /// <summary>The text the boxes show: the shown version's, or what the seller posted when the save was refused.</summary>
    public ListingText Text { get; private set; } = new();

    public DiffListingCopy.Response? Diff { get; private set; }

    public IReadOnlyList<CopyJob> Jobs { get; private set; } = [];

    public List<string> Errors { get; } = [];

    /// <summary>Refused edit's messages by field path (<c>bullets[2]</c>).</summary>
    public Dictionary<string, List<string>> FieldErrors { get; } = new(StringComparer.Ordinal);

    public bool CanEdit => workspace.Can(WorkspaceRole.Editor);

    public bool Locked => Listing?.Locked == true;

    /// <summary>Old versions are shown read-only: edits always start from the newest.</summary>
    public bool ShowingCurrent => Listing is null || Listing.Version is null || Listing.Version.Number == Listing.CurrentVersion;

    public bool Editable => CanEdit && !Locked && ShowingCurrent;

    public bool AnyRunning => Jobs.Any(j => j.Status is JobStatus.Queued or JobStatus.Running);

    /// <summary>
    /// What each SEO fix does here: regenerate a copy field (one click, the same as the field's own button) or open the
    /// Image Studio for image rules. Fixes without an entry are shown as text only.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> FixFields = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["shorten-title"] = CopyFields.Title,
        ["remove-forbidden-characters"] = CopyFields.Title,
        ["fix-title-case"] = CopyFields.Title,
        ["dedupe-title-words"] = CopyFields.Title,
        ["add-keyword"] = CopyFields.Title,
        ["remove-competitor-brand"] = CopyFields.Description,
        ["shorten-bullets"] = CopyFields.Bullets,
        ["shorten-description"] = CopyFields.Description,
        ["rebuild-search-terms"] = CopyFields.SearchTerms,
        ["rebuild-tags"] = CopyFields.SearchTerms,
        ["generate-meta-title"] = CopyFields.MetaTitle,
        ["generate-meta-description"] = CopyFields.MetaDescription,
    };

    public static readonly IReadOnlySet<string> ImageFixes = new HashSet<string>(StringComparer.Ordinal)
    {
        "generate-main-image", "generate-scene-images", "generate-infographic", "add-alt-text",
    };

    /// <summary>The marketplace's listing score of this copy (its approved version, else the newest), itemized by rule.</summary>
    public ListingScore? Score { get; private set; }

    /// <summary>The plan has no SEO optimization: the score and its fixes give way to the upgrade notice.</summary>
    public bool SeoLocked { get; private set; }

    /// <summary>The copy field a fix regenerates on this marketplace, or null.</summary>
    public string? FixField(string? fixId) =>
        fixId is not null && FixFields.TryGetValue(fixId, out var field) && Profile.Fields.Contains(field) ? field : null;

    public IReadOnlyList<string> Marketplaces => CopyProfiles.Ids;

    public IReadOnlyList<string> AllLanguages { get; } = [.. TranslationLanguages.All.Select(l => l.Code)];

    public string PageUrl(string? marketplace = null, string? language = null, string? extra = null) =>
        $"/app/listing-copy/{Product?.Id}?marketplace={Uri.EscapeDataString(marketplace ?? Profile.Marketplace)}&lang={Uri.EscapeDataString(language ?? Language)}{extra}";

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (Id is null && PickedProduct is { } picked)
        {
            return Redirect($"/app/listing-copy/{picked}");
        }

        if (!await LoadAsync(cancellationToken))
        {
            return NotFound();
        }

        if (Product is not null && From is { } from && To is { } to && Listing is not null)
        {
            var diff = await diffCopy.HandleAsync(new DiffListingCopy.Request(Product.Id, Profile.Marketplace, Language, from, to), cancellationToken);
            if (diff.IsSuccess)
            {
                Diff = diff.Value;
            }
            else
            {
                AddErrors(diff.Errors);
            }
        }

        return Page();
    }

    /// <summary>The jobs list alone, for htmx polling; once nothing runs the page reloads to show the new versions.</summary>
    public async Task<IActionResult> OnGetJobsAsync(CancellationToken cancellationToken)
    {
        if (Id is not { } id || !await db.Products.AnyAsync(p => p.Id == id, cancellationToken))
        {
            return NotFound();
        }

        Product = new ProductOption(id, "", "");
        Profile = CopyProfiles.Find(Marketplace) ?? Profile;
        Language = TranslationLanguages.TryFind(Lang, out var language) ? language.Code : Profile.SourceLanguage;
        Jobs = await JobsAsync(id, cancellationToken);
        if (!AnyRunning)
        {
            Response.Headers["HX-Refresh"] = "true";
        }

        return Partial("_CopyJobs", this);
    }

    public async Task<IActionResult> OnPostGenerateAsync(CancellationToken cancellationToken)
    {
        if (await ProductAsync(cancellationToken) is not { } id)
        {
            return NotFound();
        }

        var result = await requestCopy.HandleAsync(
            new CopyJobInput(id, Marketplace ?? "", Generate.Language ?? Lang, Generate.Tone, null, null, Split(Generate.Keywords, [',', '\n', '\r', '，']), Split(Generate.Competitors, [',', '\n', '\r', '，'])),
            cancellationToken);
        if (result.IsSuccess)
        {
            var input = CopyJson.Read<CopyJobInput?>(result.Value.InputJson, null);
            return Redirect($"/app/listing-copy/{id}?marketplace={input?.Marketplace}&lang={Uri.EscapeDataString(input?.Language ?? "")}&done=generate#{JobsId}");
        }

        return await RefusedAsync(result.WithoutValue(), cancellationToken);
    }

    /// <summary>Regenerates one field with a fresh seed and the current version's tone; the other fields stay as they are.</summary>
    public async Task<IActionResult> OnPostRegenerateAsync(string? field, CancellationToken cancellationToken)
    {
        if (await ProductAsync(cancellationToken) is not { } id)
        {
            return NotFound();
        }

        var tone = await CurrentToneAsync(id, cancellationToken);
        var result = await requestCopy.HandleAsync(new CopyJobInput(id, Marketplace ?? "", Lang, tone, null, [field ?? ""]), cancellationToken);
        if (result.IsSuccess)
        {
            return Redirect(Back(id, "regenerate") + $"#{JobsId}");
        }

        return await RefusedAsync(result.WithoutValue(), cancellationToken);
    }

    public async Task<IActionResult> OnPostSaveAsync(CancellationToken cancellationToken)
    {
        if (await ProductAsync(cancellationToken) is not { } id)
        {
            return NotFound();
        }

        var posted = Edit.ToText();
        var result = await editCopy.HandleAsync(new EditListingCopy.Request(id, Marketplace, Lang, Edit.BaseVersion, posted), cancellationToken);
        if (result.IsSuccess)
        {
            return Redirect(Back(id, "saved"));
        }

        return await RefusedAsync(result.WithoutValue(), cancellationToken, posted);
    }

    public async Task<IActionResult> OnPostApproveAsync(int? approve, CancellationToken cancellationToken)
    {
        if (await ProductAsync(cancellationToken) is not { } id)
        {
            return NotFound();
        }

        var result = await approveCopy.HandleAsync(new ApproveListingCopy.Request(id, Marketplace, Lang, approve ?? 0), cancellationToken);
        return result.IsSuccess ? Redirect(Back(id, "approved")) : await RefusedAsync(result, cancellationToken);
    }

    public async Task<IActionResult> OnPostUnlockAsync(CancellationToken cancellationToken)
    {
        if (await ProductAsync(cancellationToken) is not { } id)
        {
            return NotFound();
        }

        var result = await unlockCopy.HandleAsync(new UnlockListingCopy.Request(id, Marketplace, Lang), cancellationToken);
        return result.IsSuccess ? Redirect(Back(id, "unlocked")) : await RefusedAsync(result, cancellationToken);
    }

    public async Task<IActionResult> OnPostTranslateAsync(CancellationToken cancellationToken)
    {
        if (await ProductAsync(cancellationToken) is not { } id)
        {
            return NotFound();
        }

        var result = await requestTranslations.HandleAsync(new RequestTranslations.Request(id, Marketplace, Lang, Targets), cancellationToken);
        return result.IsSuccess ? Redirect(Back(id, "translate") + $"#{JobsId}") : await RefusedAsync(result.WithoutValue(), cancellationToken);
    }

    public string MarketplaceName(string id) => localizer[$"marketplace.{id}"];

    public string LanguageName(string? code) => code is null ? "" : localizer[$"translation.language.{code}"];

    public string FieldName(string field) => localizer[$"copy.field.{field}"];

    public string ItemName(string field, int index) => field == CopyFields.Bullets ? localizer["copy.page.bullet_n", index + 1] : FieldName(field);

    /// <summary>Where an issue is: the bullet it names, or the field for rules about the field as a whole (the number of bullets).</summary>
    public string IssuePlace(CopyIssue issue) => issue.RuleId == CopyRules.BulletCount ? FieldName(issue.Field) : ItemName(issue.Field, issue.Index);

    public string RuleName(string rule) => rule.StartsWith("llm.", StringComparison.Ordinal) ? localizer["copy.page.rule_reply"] : localizer[$"copy.rule.{rule}"];

    /// <summary>The issue's message; arguments that are resource keys (a unit such as <c>copy.unit.bytes</c>) are localized too.</summary>
    public string Message(CopyIssue issue) => Localize(issue.MessageKey, issue.Args);

    public string Localize(string code, IReadOnlyList<string> args) =>
        localizer[code, [.. args.Select(a => a.StartsWith("copy.unit.", StringComparison.Ordinal) ? localizer[a].Value : a)]];

    public string UnitName(string unit) => localizer[unit switch
    {
        "bytes" => "copy.unit.bytes",
        "double-bytes" => "copy.unit.double_bytes",
        "items" => "copy.unit.items",
        _ => "copy.unit.characters",
    }];

    public string ErrorText(string? code) => code is null ? "" : localizer[code];

    /// <summary>One diff item on one line: removed words in <c>del</c>, added in <c>ins</c> (the paragraph keeps white space).</summary>
    public HtmlString DiffHtml(IReadOnlyList<DiffPiece> pieces)
    {
        var html = new System.Text.StringBuilder();
        foreach (var piece in pieces)
        {
            var text = HtmlEncoder.Default.Encode(piece.Text);
            html.Append(piece.Kind switch
            {
                DiffKind.Removed => $"<del>{text}</del>",
                DiffKind.Added => $"<ins>{text}</ins>",
                _ => text,
            });
        }

        return new HtmlString(html.ToString());
    }

    public string Date(DateTime value) => value.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    /// <summary>The boxes of a field: one per bullet (at least the marketplace's count), one for every other field.</summary>
    public IReadOnlyList<FieldBox> Boxes(string field)
    {
        var path = CopyIssue.JsonName(field);
        switch (field)
        {
            case CopyFields.Bullets:
                var bullets = Text.Bullets;
                return [.. Enumerable.Range(0, Math.Max(Profile.Bullets.Count, bullets.Count)).Select(i =>
                    Box(field, i, $"{path}[{i}]", $"Edit.Bullets[{i}]", i < bullets.Count ? bullets[i] : "", LengthUnit.Characters, null, Profile.Bullets.MaxCharacters, 3))];
            case CopyFields.Title:
                return [Box(field, 0, path, "Edit.Title", Text.Title, Profile.Title.Unit, null, Profile.Title.Max, 2)];
            case CopyFields.Description:
                return [Box(field, 0, path, "Edit.Description", Text.Description, LengthUnit.Characters, null, Profile.Description.MaxCharacters, 8)];
            case CopyFields.SearchTerms:
                var rule = Profile.SearchTerms!;
                return [Box(field, 0, path, "Edit.SearchTerms", Text.SearchTerms, rule.Unit, rule.Unit == LengthUnit.Items ? "," : null, rule.Limit, 2)];
            case CopyFields.MetaTitle:
                return [Box(field, 0, path, "Edit.MetaTitle", Text.MetaTitle, LengthUnit.Characters, null, SeoMarketplaceRules.MetaTitleMax, 2)];
            case CopyFields.MetaDescription:
                return [Box(field, 0, path, "Edit.MetaDescription", Text.MetaDescription, LengthUnit.Characters, null, SeoMarketplaceRules.MetaDescriptionMax, 3)];
            case CopyFields.Caption:
                // The limit holds for the caption as posted, its hashtags included (CopyValidator): counted together.
                var posted = string.Join(" ", new[] { Text.Caption }.Concat(Text.Hashtags.Select(h => "#" + h)));
                return [Box(field, 0, path, "Edit.Caption", Text.Caption, LengthUnit.Characters, null, Profile.CaptionMax, 3) with
                {
                    Count = TextMeasure.Characters(posted),
                    With = "f-hashtags",
                }];
            case CopyFields.Hashtags:
                return [Box(field, 0, path, "Edit.Hashtags", string.Join(" ", Text.Hashtags.Select(h => "#" + h)), LengthUnit.Items, " ", Profile.HashtagCount, 2)];
            case CopyFields.LiveScript:
                return [Box(field, 0, path, "Edit.LiveScript", string.Join("\n", Text.LiveScript), LengthUnit.Items, "\n", 0, 6)];
            default:
                return [];
        }
    }

    /// <summary>The shown version's issues on one box; a list field shown as one box (hashtags, script) takes all of its items'.</summary>
    public IReadOnlyList<CopyIssue> IssuesOf(FieldBox box) =>
        Listing?.Version?.Issues.Where(i => i.Field == box.Field && (box.Field != CopyFields.Bullets || (i.Index == box.Index && i.RuleId != CopyRules.BulletCount))).ToList() ?? [];

    /// <summary>Issues about a field as a whole (the number of bullets) or the whole text.</summary>
    public IReadOnlyList<CopyIssue> GroupIssues(string field) =>
        Listing?.Version?.Issues.Where(i => i.Field == field && field == CopyFields.Bullets && i.RuleId == CopyRules.BulletCount).ToList() ?? [];

    public IReadOnlyList<string> ErrorsOf(string path) =>
        FieldErrors.TryGetValue(path, out var errors) ? errors : (IReadOnlyList<string>)[];

    private static FieldBox Box(string field, int index, string path, string name, string value, LengthUnit unit, string? separator, int limit, int rows)
    {
        var unitName = unit switch
        {
            LengthUnit.Utf8Bytes => "bytes",
            LengthUnit.DoubleByte => "double-bytes",
            LengthUnit.Items => "items",
            _ => "characters",
        };
        var count = unit == LengthUnit.Items
            ? (separator == "\n" ? value.Split('\n') : value.Split([',', ' '])).Count(s => s.Trim().Length > 0)
            : TextMeasure.Measure(value, unit);
        // int.MaxValue is "no maximum" in the rules (Taobao's description): no limit to show.
        return new FieldBox(field, index, path, name, value, unitName, separator, limit is int.MaxValue or < 0 ? 0 : limit, count, rows);
    }

    private static List<string>? Split(string? value, char[] separators)
    {
        var parts = (value ?? "").Split(separators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        return parts.Count == 0 ? null : parts;
    }

    private string Back(Guid id, string done) =>
        $"/app/listing-copy/{id}?marketplace={Uri.EscapeDataString(CopyProfiles.Find(Marketplace)?.Marketplace ?? "")}&lang={Uri.EscapeDataString(Lang ?? "")}&done={done}";

    /// <summary>The product the POST names, if the caller's workspace has it: another workspace's id answers exactly like a random one.</summary>
    private async Task<Guid?> ProductAsync(CancellationToken cancellationToken) =>
        Id is { } id && await db.Products.AnyAsync(p => p.Id == id, cancellationToken) ? id : null;

    private async Task<string?> CurrentToneAsync(Guid productId, CancellationToken cancellationToken)
    {
        var marketplace = CopyProfiles.Find(Marketplace)?.Marketplace;
        var language = TranslationLanguages.TryFind(Lang, out var found) ? found.Code : null;
        return await db.ListingCopies.AsNoTracking()
            .Where(c => c.ProductId == productId && c.Marketplace == marketplace && c.Language == language)
            .Join(db.ListingCopyVersions, c => new { c.Id, Number = c.CurrentVersion }, v => new { Id = v.ListingCopyId, v.Number }, (c, v) => v.Tone)
            .FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>A refused POST: the reasons on the page (next to their fields for an edit), nothing changed, a 4xx status.</summary>
    private async Task<IActionResult> RefusedAsync(Result result, CancellationToken cancellationToken, ListingText? posted = null)
    {
        switch (result.Status)
        {
            case ResultStatus.NotFound:
                return NotFound();
            case ResultStatus.Forbidden:
                Response.StatusCode = StatusCodes.Status403Forbidden;
                break;
            case ResultStatus.Conflict:
                Response.StatusCode = result.Errors.Any(e => e.Code == Core.Billing.UsageErrors.QuotaExceeded)
                    ? StatusCodes.Status402PaymentRequired
                    : StatusCodes.Status409Conflict;
                break;
            default:
                Response.StatusCode = StatusCodes.Status400BadRequest;
                break;
        }

        if (posted is not null && result.Status == ResultStatus.Invalid)
        {
            Errors.Add(localizer["copy.page.not_saved"]);
            foreach (var error in result.Errors)
            {
                var message = Localize(error.Code, error.Args);
                if (error.Field.Length > 0 && error.Field is not ("marketplace" or "language"))
                {
                    if (!FieldErrors.TryGetValue(error.Field, out var list))
                    {
                        FieldErrors[error.Field] = list = [];
                    }

                    list.Add(message);
                }
                else
                {
                    Errors.Add(message);
                }
            }
        }
        else
        {
            AddErrors(result.Errors);
        }

        if (!await LoadAsync(cancellationToken))
        {
            return NotFound();
        }

        if (posted is not null && result.Status == ResultStatus.Invalid)
        {
            // The seller's words stay in the boxes so the refused edit can be fixed, not retyped.
            Text = posted;
        }

        return Page();
    }

    private void AddErrors(IReadOnlyList<FieldError> errors)
    {
        foreach (var error in errors)
        {
            Errors.Add(Localize(error.Code, error.Args));
        }
    }

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        Products = await db.Products.AsNoTracking()
            .OrderByDescending(p => p.UpdatedAt).ThenBy(p => p.Id)
            .Take(MaxProducts)
            .Select(p => new ProductOption(p.Id, p.Sku, p.Title))
            .ToListAsync(cancellationToken);
        Profile = CopyProfiles.Find(Marketplace?.Trim().ToLowerInvariant()) ?? CopyProfiles.Get("amazon");
        var productId = Id ?? (Products.Count > 0 ? Products[0].Id : null);
        if (productId is not { } id)
        {
            Language = TranslationLanguages.TryFind(Lang, out var none) ? none.Code : Profile.SourceLanguage;
            return true;
        }

        Product = await db.Products.AsNoTracking().Where(p => p.Id == id)
            .Select(p => new ProductOption(p.Id, p.Sku, p.Title)).SingleOrDefaultAsync(cancellationToken);
        if (Product is null)
        {
            return false;
        }

        Tabs = await db.ListingCopies.AsNoTracking()
            .Where(c => c.ProductId == id && c.CurrentVersion > 0)
            .OrderBy(c => c.Marketplace).ThenBy(c => c.Language)
            .Select(c => new CopyTab(c.Marketplace, c.Language, c.CurrentVersion, c.Locked))
            .ToListAsync(cancellationToken);
        var all = await getCopy.HandleAsync(new GetListingCopy.Request(id, Profile.Marketplace), cancellationToken);
        var listings = all.IsSuccess ? all.Value.Listings : [];
        Languages = [.. listings.Where(l => l.CurrentVersion > 0)];
        Language = TranslationLanguages.TryFind(Lang, out var found) ? found.Code
            : Languages.Any(l => l.Language == Profile.SourceLanguage) || Languages.Count == 0 ? Profile.SourceLanguage
            : Languages[0].Language;
        // A language whose only generation failed has a row without versions: its last failure still shows.
        Listing = listings.FirstOrDefault(l => l.Language == Language);
        if (Version is { } version && Listing is not null && version != Listing.CurrentVersion)
        {
            var chosen = await getCopy.HandleAsync(new GetListingCopy.Request(id, Profile.Marketplace, Language, version), cancellationToken);
            if (chosen.IsSuccess && chosen.Value.Listings.Count == 1)
            {
                Listing = chosen.Value.Listings[0];
            }
            else
            {
                AddErrors(chosen.Errors);
            }
        }

        var origin = new Uri($"{Request.Scheme}://{Request.Host}/");
        var seo = await getSeo.HandleAsync(new GetProductSeo.Request(id, Profile.Marketplace, origin), cancellationToken);
        Score = seo.IsSuccess ? seo.Value.Score : null;
        SeoLocked = seo.Errors.Any(e => e.Code == SeoErrors.FeatureRequired);
        Text = Listing?.Version?.Text ?? new ListingText();
        Edit.BaseVersion = Listing?.CurrentVersion ?? 0;
        Generate.Language ??= Language;
        Jobs = await JobsAsync(id, cancellationToken);
        return true;
    }

    private async Task<IReadOnlyList<CopyJob>> JobsAsync(Guid productId, CancellationToken cancellationToken)
    {
        var jobs = await db.Jobs.AsNoTracking()
            .Where(j => (j.Kind == RequestCopy.JobKind || j.Kind == RequestTranslations.JobKind) && j.SubjectId == productId)
            .OrderByDescending(j => j.CreatedAt).ThenByDescending(j => j.Id)
            .Take(RecentJobs)
            .ToListAsync(cancellationToken);
        return [.. jobs.Select(j =>
        {
            if (j.Kind == RequestCopy.JobKind)
            {
                var input = CopyJson.Read<CopyJobInput?>(j.InputJson, null);
                return new CopyJob(j.Id, j.Kind, input?.Marketplace, input?.Language is { } language ? [language] : [], input?.Fields ?? [], j.Status, j.Progress, ErrorCodes.Of(j.LastError));
            }

            var translate = CopyJson.Read<TranslateJobInput?>(j.InputJson, null);
            return new CopyJob(j.Id, j.Kind, translate?.Marketplace, translate?.TargetLanguages ?? [], [], j.Status, j.Progress, ErrorCodes.Of(j.LastError));
        })];
    }
}
