using System.Globalization;
using CommerceOS.Core.Billing;
using CommerceOS.Core.Common;
using CommerceOS.Core.Data;
using CommerceOS.Core.Publishing;
using CommerceOS.Core.Workspaces;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace CommerceOS.Web.Features.Publishing;

/// <summary>
/// <c>/app/publish/products/{id}?store=</c>: one product on one connected store. The gate's findings (blocking in red,
/// warnings in amber, each on its field with the fix), the platform's required-field checklist, the category (suggestions
/// one click away) and attribute mapping, schedule and keep-in-sync, Publish; below, the product's publish history with
/// each publication's issues per field, refreshed while one is under way.
/// </summary>
[Authorize(Policy = Accounts.AccountsWebExtensions.MemberPolicy)]
public sealed class ProductPublishModel(
    AppDbContext db,
    WorkspaceContext workspace,
    ListConnections listConnections,
    PreviewListing preview,
    RequestPublication request,
    PublicationQueries queries,
    TimeProvider time,
    IStringLocalizer localizer) : PageModel
{
    public const string HistoryId = "publish-history";

    /// <summary>Empty attribute rows offered below the mapped ones.</summary>
    public const int BlankRows = 3;

    public const string ScheduleInvalid = "publishing_ui.publish.schedule_invalid";

    public const string ScheduleFormat = "yyyy-MM-ddTHH:mm";

    public sealed class AttributeRow
    {
        public string? Name { get; set; }

        public string? Value { get; set; }
    }

    public sealed class PublishForm
    {
        public string? CategoryId { get; set; }

        public List<AttributeRow> Attributes { get; set; } = [];

        /// <summary>A <c>datetime-local</c> value, read as UTC; empty publishes now.</summary>
        public string? ScheduledFor { get; set; }

        public bool KeepInSync { get; set; }
    }

    [BindProperty(SupportsGet = true)]
    public Guid Id { get; set; }

    [BindProperty(SupportsGet = true, Name = "store")]
    public Guid? Store { get; set; }

    /// <summary>What the last POST did (PRG notice): queued or scheduled.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Done { get; set; }

    [BindProperty]
    public PublishForm Form { get; set; } = new();

    public (string Sku, string Title) Product { get; private set; }

    public IReadOnlyList<ConnectionView> Connections { get; private set; } = [];

    public ConnectionView? Connection { get; private set; }

    public ListingPreview? Preview { get; private set; }

    /// <summary>The gate's blocking findings of a refused publish, on their fields.</summary>
    public IReadOnlyList<ListingIssue> Refused { get; private set; } = [];

    public PublicationsPanel History { get; private set; } = PublicationsPanel.Empty;

    public bool HasFeature { get; private set; }

    public bool CanEdit => workspace.Can(WorkspaceRole.Editor);

    public bool CanPublish => CanEdit && HasFeature && Connection is not null;

    public List<string> Errors { get; } = [];

    public Dictionary<string, List<string>> FieldErrors { get; } = new(StringComparer.Ordinal);

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return NotFound();
        }

        PrefillForm();
        return Page();
    }

    public async Task<IActionResult> OnGetLiveAsync(CancellationToken cancellationToken)
    {
        if (!await db.Products.AnyAsync(p => p.Id == Id, cancellationToken))
        {
            return NotFound();
        }

        return Partial("_Publications", await HistoryAsync(cancellationToken));
    }

    public async Task<IActionResult> OnPostPublishAsync(CancellationToken cancellationToken)
    {
        // An unknown product (or another workspace's) is a 404 before anything else is looked at.
        if (!await db.Products.AnyAsync(p => p.Id == Id, cancellationToken))
        {
            return NotFound();
        }

        if (!CanEdit)
        {
            return await RefuseAsync(StatusCodes.Status403Forbidden, [new FieldError("", CommonErrors.Forbidden)], cancellationToken);
        }

        if (Store is null)
        {
            return await RefuseAsync(StatusCodes.Status400BadRequest, [new FieldError("", PublishingErrors.ConnectionRequired)], cancellationToken);
        }

        DateTimeOffset? scheduled = null;
        if (!string.IsNullOrWhiteSpace(Form.ScheduledFor))
        {
            if (!DateTime.TryParseExact(Form.ScheduledFor.Trim(), [ScheduleFormat, "yyyy-MM-ddTHH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at))
            {
                return await RefuseAsync(StatusCodes.Status400BadRequest, [new FieldError("scheduledFor", ScheduleInvalid)], cancellationToken);
            }

            scheduled = new DateTimeOffset(at, TimeSpan.Zero);
        }

        var attributes = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var row in Form.Attributes.Where(r => !string.IsNullOrWhiteSpace(r.Name)))
        {
            attributes[row.Name!.Trim()] = row.Value;
        }

        var category = Form.CategoryId?.Trim() ?? "";
        var path = await CategoryPathAsync(category, cancellationToken);
        var result = await request.PublishAsync(
            Id, new PublishInput(null, Store, scheduled, Form.KeepInSync, category, path, attributes), cancellationToken);
        if (result.IsSuccess)
        {
            var done = result.Value.Status == PublicationStatus.Scheduled ? "scheduled" : "queued";
            return Redirect($"{PublishingUi.ProductUrl(Id, Store)}&done={done}#{HistoryId}");
        }

        if (result.Status == ResultStatus.NotFound)
        {
            return NotFound();
        }

        return await RefuseAsync(PublishingUi.StatusCode(result.Status, result.Errors), result.Errors, cancellationToken);
    }

    /// <summary>The category's path when the id is one of the suggestions (the listing keeps it for the seller to read).</summary>
    private async Task<string?> CategoryPathAsync(string category, CancellationToken cancellationToken)
    {
        if (category.Length == 0 || Store is not { } store)
        {
            return null;
        }

        var found = await preview.HandleAsync(Id, store, cancellationToken);
        return found.IsSuccess ? found.Value.Suggestions.FirstOrDefault(s => s.Id == category)?.Path : null;
    }

    private async Task<IActionResult> RefuseAsync(int status, IReadOnlyList<FieldError> errors, CancellationToken cancellationToken)
    {
        Response.StatusCode = status;
        var blocking = errors.Where(e => e.Field.StartsWith("listing.", StringComparison.Ordinal)).ToList();
        Refused = [.. blocking.Select(e => new ListingIssue(e.Field["listing.".Length..], e.Code, e.Args, true, PublishGate.Source))];
        if (blocking.Count > 0)
        {
            Errors.Add(localizer[PublishingErrors.Blocked]);
        }

        foreach (var error in errors.Except(blocking))
        {
            if (error.Field is "scheduledFor" or "categoryId" or "attributes")
            {
                if (!FieldErrors.TryGetValue(error.Field, out var list))
                {
                    FieldErrors[error.Field] = list = [];
                }

                list.Add(PublishingUi.Error(localizer, error));
            }
            else
            {
                Errors.Add(PublishingUi.Error(localizer, error));
            }
        }

        return await LoadAsync(cancellationToken) ? Page() : NotFound();
    }

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        var product = await db.Products.AsNoTracking().Where(p => p.Id == Id).Select(p => new { p.Sku, p.Title }).FirstOrDefaultAsync(cancellationToken);
        if (product is null)
        {
            return false;
        }

        Product = (product.Sku, product.Title);
        var connections = await listConnections.HandleAsync(cancellationToken);
        Connections = connections.IsSuccess ? [.. connections.Value.Where(c => c.Status != ConnectionStatus.Disconnected)] : [];
        Connection = Connections.FirstOrDefault(c => c.Id == Store) ?? (Store is null && Connections.Count > 0 ? Connections[0] : null);
        Store = Connection?.Id ?? Store;
        if (Connection is not null)
        {
            var found = await preview.HandleAsync(Id, Connection.Id, cancellationToken);
            Preview = found.IsSuccess ? found.Value : null;
        }

        HasFeature = await db.WorkspaceHasFeatureAsync(PlanFeatures.PublishCenter, time, cancellationToken);
        History = await HistoryAsync(cancellationToken);
        return true;
    }

    private async Task<PublicationsPanel> HistoryAsync(CancellationToken cancellationToken)
    {
        var result = await queries.ListAsync(Id, null, PublicationQueries.MaxPage, cancellationToken);
        return await PublicationsPanel.LoadAsync(db, HistoryId, $"{PublishingUi.CenterUrl}/products/{Id}?handler=live", result.IsSuccess ? result.Value : [], false, cancellationToken);
    }

    /// <summary>The listing's confirmed mapping, else the product's attributes with normalised values as a start.</summary>
    private void PrefillForm()
    {
        if (Preview is not { } found)
        {
            return;
        }

        var mapped = ListingDrafts.ReadAttributes(found.Listing.AttributesJson);
        var rows = mapped.Count > 0 ? mapped : found.ProposedAttributes;
        Form = new PublishForm
        {
            CategoryId = found.Listing.CategoryId,
            KeepInSync = found.Listing.KeepInSync,
            Attributes = [.. rows.Select(a => new AttributeRow { Name = a.Key, Value = a.Value })],
        };
    }
}
