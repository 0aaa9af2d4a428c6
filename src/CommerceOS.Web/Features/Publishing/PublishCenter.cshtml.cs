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
/// <c>/app/publish</c>, the Publish Center: the workspace's stores (connect with a live test, check, disconnect) against the
/// plan's connections gauge, its listings (unpublish), batch publish to one store, and the publish queue, refreshed by htmx
/// (<c>?handler=live</c>) while a publication is still under way. The Core use cases decide; this page shows their answers.
/// </summary>
[Authorize(Policy = Accounts.AccountsWebExtensions.MemberPolicy)]
public sealed class PublishCenterModel(
    AppDbContext db,
    WorkspaceContext workspace,
    MarketplacePublishers publishers,
    UsageLedger ledger,
    ListConnections listConnections,
    ConnectMarketplace connect,
    CheckConnection check,
    DisconnectMarketplace disconnect,
    RequestPublication request,
    PublicationQueries queries,
    PreviewListing preview,
    TimeProvider time,
    IStringLocalizer localizer) : PageModel
{
    public const string QueueId = "publish-queue";

    public const int QueueSize = 20;

    public const int ListingsShown = 100;

    /// <summary>Products one batch publishes (each is gated and queued on its own).</summary>
    public const int MaxBatch = 50;

    public const int MaxProducts = 200;

    public const string BatchEmpty = "publishing_ui.batch.empty";

    public const string BatchTooMany = "publishing_ui.batch.too_many";

    public sealed record ProductOption(Guid Id, string Sku, string Title);

    /// <summary>One product of the last batch: queued, blocked by the gate (with what blocks it now) or refused for another reason.</summary>
    public sealed record BatchLine(Guid ProductId, string Sku, string Title, string Outcome, IReadOnlyList<ListingIssue> Issues, string? Reason);

    public sealed class ConnectForm
    {
        public string? Platform { get; set; }

        public string? Name { get; set; }

        public Dictionary<string, string?> Values { get; set; } = [];
    }

    public sealed class BatchForm
    {
        public Guid? Store { get; set; }

        public List<Guid> ProductIds { get; set; } = [];

        /// <summary>Separated by lines, commas or spaces.</summary>
        public string? Skus { get; set; }

        public bool KeepInSync { get; set; }
    }

    [BindProperty]
    public ConnectForm Connect { get; set; } = new();

    [BindProperty]
    public BatchForm Batch { get; set; } = new();

    /// <summary>What the last POST did (PRG notice): connected, checked, disconnected, unpublished.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Done { get; set; }

    /// <summary>The last batch's report, carried by the redirect: the store and each product's outcome.</summary>
    [BindProperty(SupportsGet = true, Name = "store")]
    public Guid? ReportStore { get; set; }

    [BindProperty(SupportsGet = true, Name = "queued")]
    public List<Guid> ReportQueued { get; set; } = [];

    [BindProperty(SupportsGet = true, Name = "blocked")]
    public List<Guid> ReportBlocked { get; set; } = [];

    /// <summary><c>{productId}~{code}</c>: refused for a reason other than the gate.</summary>
    [BindProperty(SupportsGet = true, Name = "failed")]
    public List<string> ReportFailed { get; set; } = [];

    [BindProperty(SupportsGet = true, Name = "unknown")]
    public List<string> ReportUnknown { get; set; } = [];

    public IReadOnlyList<ConnectionView> Connections { get; private set; } = [];

    public IReadOnlyList<ConnectionView> ActiveConnections => [.. Connections.Where(c => c.Status != ConnectionStatus.Disconnected)];

    public (long Used, long? Limit) Gauge { get; private set; }

    public IReadOnlyList<IMarketplacePublisher> Platforms { get; private set; } = [];

    public IReadOnlyList<ListingView> Listings { get; private set; } = [];

    public PublicationsPanel Queue { get; private set; } = PublicationsPanel.Empty;

    public IReadOnlyList<ProductOption> Products { get; private set; } = [];

    public IReadOnlyList<BatchLine> Report { get; private set; } = [];

    public bool HasFeature { get; private set; }

    public bool CanEdit => workspace.Can(WorkspaceRole.Editor);

    public bool CanAdmin => workspace.Can(WorkspaceRole.Admin);

    public List<string> Errors { get; } = [];

    /// <summary>The connect form that was refused, with its messages by field (<c>name</c>, a credential, or "" for the form).</summary>
    public string? RefusedPlatform { get; private set; }

    public Dictionary<string, List<string>> ConnectErrors { get; } = new(StringComparer.Ordinal);

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        await LoadReportAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnGetLiveAsync(CancellationToken cancellationToken)
    {
        Queue = await QueueAsync(cancellationToken);
        return Partial("_Publications", Queue);
    }

    public async Task<IActionResult> OnPostConnectAsync(CancellationToken cancellationToken)
    {
        var platform = publishers.Find(Connect.Platform);
        // Empty boxes of names the platform does not use are dropped; a filled unknown name is refused by the use case.
        var values = Connect.Values.Where(v => !string.IsNullOrEmpty(v.Value) || platform?.Fields.Any(f => f.Name == v.Key) == true)
            .ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal);
        var result = await connect.HandleAsync(new ConnectInput(Connect.Platform, Connect.Name, values), cancellationToken);
        if (result.IsSuccess)
        {
            return Redirect($"{PublishingUi.CenterUrl}?done=connected#connections");
        }

        RefusedPlatform = platform?.Platform;
        foreach (var error in result.Errors)
        {
            var field = error.Field.StartsWith("credentials.", StringComparison.Ordinal) ? error.Field["credentials.".Length..]
                : error.Field == "name" ? "name"
                : "";
            if (!ConnectErrors.TryGetValue(field, out var list))
            {
                ConnectErrors[field] = list = [];
            }

            list.Add(error.Code == CommonErrors.Forbidden ? localizer["publishing_ui.connect.admins_only"] : PublishingUi.Error(localizer, error));
        }

        return await RefusedAsync(result.Status, result.Errors, showErrors: RefusedPlatform is null, cancellationToken);
    }

    public async Task<IActionResult> OnPostCheckAsync(Guid connection, CancellationToken cancellationToken)
    {
        var result = await check.HandleAsync(connection, cancellationToken);
        return result.IsSuccess
            ? Redirect($"{PublishingUi.CenterUrl}?done=checked#connections")
            : await RefusedAsync(result.Status, result.Errors, true, cancellationToken);
    }

    public async Task<IActionResult> OnPostDisconnectAsync(Guid connection, CancellationToken cancellationToken)
    {
        var result = await disconnect.HandleAsync(connection, cancellationToken);
        return result.IsSuccess
            ? Redirect($"{PublishingUi.CenterUrl}?done=disconnected#connections")
            : await RefusedAsync(result.Status, result.Errors, true, cancellationToken);
    }

    public async Task<IActionResult> OnPostUnpublishAsync(Guid listing, CancellationToken cancellationToken)
    {
        var result = await request.UnpublishAsync(listing, cancellationToken);
        return result.IsSuccess
            ? Redirect($"{PublishingUi.CenterUrl}?done=unpublished#{QueueId}")
            : await RefusedAsync(result.Status, result.Errors, true, cancellationToken);
    }

    /// <summary>
    /// Publishes each chosen product (ticked, or named by SKU) to one store through the same use case as the product page:
    /// each is gated on its own; the report after the redirect says which were queued and which were blocked and why.
    /// </summary>
    public async Task<IActionResult> OnPostBatchAsync(CancellationToken cancellationToken)
    {
        if (!CanEdit)
        {
            return await RefusedAsync(ResultStatus.Forbidden, [new FieldError("", CommonErrors.Forbidden)], true, cancellationToken);
        }

        var skus = (Batch.Skus ?? "").Split([',', ';', ' ', '\t', '\r', '\n', '，'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Distinct(StringComparer.Ordinal).Take(MaxBatch + 1).ToList();
        var bySku = await db.Products.AsNoTracking().Where(p => skus.Contains(p.Sku)).Select(p => new { p.Id, p.Sku }).ToListAsync(cancellationToken);
        var unknown = skus.Where(s => bySku.All(p => p.Sku != s)).ToList();
        var ids = Batch.ProductIds.Concat(bySku.Select(p => p.Id)).Distinct().ToList();
        if (ids.Count == 0 && unknown.Count == 0)
        {
            return await RefusedAsync(ResultStatus.Invalid, [new FieldError("batch", BatchEmpty)], true, cancellationToken);
        }

        if (ids.Count > MaxBatch)
        {
            return await RefusedAsync(ResultStatus.Invalid, [FieldError.Of("batch", BatchTooMany, MaxBatch)], true, cancellationToken);
        }

        if (Batch.Store is null)
        {
            return await RefusedAsync(ResultStatus.Invalid, [new FieldError("batch", PublishingErrors.ConnectionRequired)], true, cancellationToken);
        }

        var query = new List<string>();
        foreach (var id in ids)
        {
            var result = await request.PublishAsync(id, new PublishInput(null, Batch.Store, KeepInSync: Batch.KeepInSync ? true : null), cancellationToken);
            if (result.IsSuccess)
            {
                query.Add($"queued={id}");
            }
            else if (result.Status == ResultStatus.Invalid && result.Errors.All(e => e.Field.StartsWith("listing.", StringComparison.Ordinal)))
            {
                query.Add($"blocked={id}");
            }
            else if (result.Status is ResultStatus.Forbidden || result.Errors.Any(e => e.Code == PublishingErrors.FeatureRequired) || result.Errors.Any(e => e.Field == "connectionId"))
            {
                // The same for every product: said once, nothing was published.
                return await RefusedAsync(result.Status, result.Errors, true, cancellationToken);
            }
            else
            {
                query.Add($"failed={id}~{Uri.EscapeDataString(result.Errors.Count > 0 ? result.Errors[0].Code : CommonErrors.NotFound)}");
            }
        }

        query.AddRange(unknown.Select(s => "unknown=" + Uri.EscapeDataString(s)));
        return Redirect($"{PublishingUi.CenterUrl}?store={Batch.Store}&{string.Join('&', query)}#batch-report");
    }

    private async Task<IActionResult> RefusedAsync(ResultStatus status, IReadOnlyList<FieldError> errors, bool showErrors, CancellationToken cancellationToken)
    {
        if (status == ResultStatus.NotFound)
        {
            return NotFound();
        }

        if (showErrors)
        {
            Errors.AddRange(errors.Select(e => PublishingUi.Error(localizer, e)).Distinct());
        }

        Response.StatusCode = PublishingUi.StatusCode(status, errors);
        await LoadAsync(cancellationToken);
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var connections = await listConnections.HandleAsync(cancellationToken);
        Connections = connections.IsSuccess ? connections.Value : [];
        Gauge = await ledger.GetConnectionsGaugeAsync(workspace.RequiredWorkspaceId, cancellationToken);
        Platforms = [.. publishers.All.OrderBy(p => Order(p.Platform)).ThenBy(p => p.Platform, StringComparer.Ordinal)];
        var listings = await queries.ListingsAsync(null, ListingsShown, cancellationToken);
        Listings = listings.IsSuccess ? listings.Value : [];
        HasFeature = await db.WorkspaceHasFeatureAsync(PlanFeatures.PublishCenter, time, cancellationToken);
        Products = await db.Products.AsNoTracking().OrderBy(p => p.Sku).Take(MaxProducts)
            .Select(p => new ProductOption(p.Id, p.Sku, p.Title)).ToListAsync(cancellationToken);
        Queue = await QueueAsync(cancellationToken);
    }

    private static int Order(string platform) =>
        Core.Publishing.Platforms.All.ToList().IndexOf(platform) is var index and >= 0 ? index : int.MaxValue;

    private async Task<PublicationsPanel> QueueAsync(CancellationToken cancellationToken)
    {
        var result = await queries.ListAsync(null, null, QueueSize, cancellationToken);
        return await PublicationsPanel.LoadAsync(db, QueueId, $"{PublishingUi.CenterUrl}?handler=live", result.IsSuccess ? result.Value : [], true, cancellationToken);
    }

    private async Task LoadReportAsync(CancellationToken cancellationToken)
    {
        var failed = ReportFailed.Select(f => f.Split('~', 2)).Where(p => p.Length == 2 && Guid.TryParse(p[0], out _))
            .Select(p => (Id: Guid.Parse(p[0]), Code: p[1])).ToList();
        var ids = ReportQueued.Concat(ReportBlocked).Concat(failed.Select(f => f.Id)).Distinct().Take(MaxBatch).ToList();
        if (ids.Count == 0 && ReportUnknown.Count == 0)
        {
            return;
        }

        var products = await db.Products.AsNoTracking().Where(p => ids.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => (p.Sku, p.Title), cancellationToken);
        var lines = new List<BatchLine>();
        foreach (var id in ids.Where(products.ContainsKey))
        {
            var (sku, title) = products[id];
            if (ReportQueued.Contains(id))
            {
                lines.Add(new BatchLine(id, sku, title, "queued", [], null));
            }
            else if (ReportBlocked.Contains(id))
            {
                // What blocks it now: the same gate the publish ran, so the seller sees the fields to fix.
                var found = ReportStore is { } store ? await preview.HandleAsync(id, store, cancellationToken) : null;
                var issues = found is { IsSuccess: true } ? found.Value.Prepared.Issues.Where(i => i.Blocking).ToList() : [];
                lines.Add(new BatchLine(id, sku, title, "blocked", issues, null));
            }
            else
            {
                var code = failed.First(f => f.Id == id).Code;
                var reason = localizer[code] is { ResourceNotFound: false } text ? text.Value : localizer[CommonErrors.NotFound].Value;
                lines.Add(new BatchLine(id, sku, title, "failed", [], reason));
            }
        }

        lines.AddRange(ReportUnknown.Take(MaxBatch).Select(sku => new BatchLine(Guid.Empty, sku, "", "unknown", [], localizer["publishing_ui.batch.unknown_sku"].Value)));
        Report = lines;
    }
}
