using CommerceOS.Core.Catalog;
using CommerceOS.Core.Common;
using CommerceOS.Core.Data;
using CommerceOS.Core.Publishing;
using CommerceOS.Core.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Core.Exports;

/// <summary>How a marketplace's bulk sheet lays out a product. Another marketplace is one more entry in <see cref="BulkSheetFormats"/>.</summary>
/// <param name="RowPerVariant">
/// One row per variant sharing the parent SKU (Shopee) whatever the template; else one row per variant only when the
/// seller's template has variation columns, and one row per product otherwise.
/// </param>
/// <param name="DescriptionHtml">The description column takes HTML (Taobao 宝贝描述), else plain text.</param>
/// <param name="CategoryAttribute">The product attribute holding the platform's category id.</param>
/// <param name="NewCondition">The condition column's value for new goods.</param>
public sealed record BulkSheetFormat(string Marketplace, bool RowPerVariant, bool DescriptionHtml, string CategoryAttribute, string NewCondition);

public static class BulkSheetFormats
{
    public static readonly IReadOnlyList<BulkSheetFormat> All =
    [
        new(Platforms.Shopee, RowPerVariant: true, DescriptionHtml: false, "Shopee category id", "New"),

        // Taobao's SKUs need the category's sale properties (销售属性). Only the templates of categories that have them carry
        // their columns (销售属性1 / 销售属性值1, named in the category's own words, which the platform validates on import):
        // with them, one row per variant under the same 商家编码; without them, one row per product with the first
        // variant's price and the total stock, and a note.
        new(Platforms.Taobao, RowPerVariant: false, DescriptionHtml: true, "Taobao category id", "全新"),
    ];

    public static BulkSheetFormat? Find(string? marketplace) =>
        All.FirstOrDefault(f => string.Equals(f.Marketplace, marketplace?.Trim(), StringComparison.OrdinalIgnoreCase));
}

public sealed record BulkSheetRequest(string? Marketplace, byte[]? Template, IReadOnlyList<Guid>? ProductIds);

/// <summary>Which column of the template one of our fields went to.</summary>
/// <param name="Column">The column's letter (A, B ... AA).</param>
public sealed record BulkSheetFieldColumn(string Field, int Slot, string Column, string Header);

public sealed record BulkSheetSkip(Guid ProductId, string? Sku, string Reason);

/// <param name="Unmatched">Our fields the template has no column for.</param>
/// <param name="Skipped">At most <see cref="FillBulkSheet.MaxListedSkips"/>; <paramref name="SkippedCount"/> counts all.</param>
/// <param name="Notes">Codes of <see cref="BulkSheetNotes"/> that apply to the whole sheet.</param>
public sealed record BulkSheetReport(
    string Marketplace,
    string Sheet,
    int HeaderRow,
    int FirstRow,
    int RowsWritten,
    int ProductsWritten,
    IReadOnlyList<BulkSheetFieldColumn> Columns,
    IReadOnlyList<string> Unmatched,
    int SkippedCount,
    IReadOnlyList<BulkSheetSkip> Skipped,
    IReadOnlyList<string> Notes);

public sealed record BulkSheetResult(byte[] Workbook, BulkSheetReport Report);

/// <summary>
/// Fills the seller's own bulk-upload template (<see cref="BulkSheetTemplate"/>) with products, as the Publish Center
/// would send them (<see cref="ListingDrafts"/>): the sheet is valid against the platform's format by construction, and
/// every column CommerceOS does not know stays as the template has it. Any member (Viewer and above); another
/// workspace's product is NotFound.
/// </summary>
public sealed class FillBulkSheet(AppDbContext db, WorkspaceContext workspace, ListingDrafts drafts, MarketplacePublishers publishers, PublicMediaLinks links)
{
    public const int MaxProducts = 2_000;

    public const int MaxListedSkips = 50;

    private const int Chunk = 500;

    public async Task<Result<BulkSheetResult>> HandleAsync(BulkSheetRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!workspace.Can(WorkspaceRole.Viewer))
        {
            return Result.Forbidden();
        }

        var errors = new List<FieldError>();
        var format = BulkSheetFormats.Find(request.Marketplace);
        var publisher = publishers.Find(format?.Marketplace);
        if (format is null || publisher is null)
        {
            errors.Add(FieldError.Of("marketplace", BulkSheetErrors.MarketplaceUnknown, string.Join(", ", BulkSheetFormats.All.Select(f => f.Marketplace))));
        }

        var productIds = request.ProductIds?.Distinct().ToList() ?? [];
        if (productIds.Count == 0)
        {
            errors.Add(new FieldError("productIds", ExportErrors.NoProducts));
        }
        else if (productIds.Count > MaxProducts)
        {
            errors.Add(FieldError.Of("productIds", ExportErrors.TooManyProducts, MaxProducts));
        }

        var opened = BulkSheetTemplate.Open(request.Template, "template");
        using var template = opened.IsSuccess ? opened.Value : null;
        if (!opened.IsSuccess)
        {
            errors.AddRange(opened.Errors);
        }

        var layout = template?.FindHeader();
        if (template is not null && layout is null)
        {
            errors.Add(FieldError.Of("template", BulkSheetErrors.NoHeader, BulkSheetTemplate.MinColumns, BulkSheetColumns.Expected));
        }

        if (errors.Count > 0)
        {
            return Result.Invalid(errors);
        }

        // The query filters see only this workspace: another tenant's product counts as missing, like a deleted one.
        var found = 0;
        foreach (var chunk in productIds.Chunk(Chunk))
        {
            found += await db.Products.CountAsync(p => chunk.Contains(p.Id), cancellationToken);
        }

        if (found < productIds.Count)
        {
            return Result.NotFound();
        }

        var rows = new List<IReadOnlyDictionary<(string, int), SheetValue>>();
        var skipped = new List<BulkSheetSkip>();
        var notes = new SortedSet<string>(StringComparer.Ordinal);
        var written = 0;
        var hasImageColumn = layout!.Columns.Any(c => c.Field == SheetFields.Image);
        var perVariant = format!.RowPerVariant || layout.Columns.Any(c => c.Field == SheetFields.VariationOption);
        foreach (var productId in productIds)
        {
            var product = await db.FindWithDetailsAsync(productId, cancellationToken);
            var category = product?.Attributes
                .FirstOrDefault(a => string.Equals(a.Name.Trim(), format!.CategoryAttribute, StringComparison.OrdinalIgnoreCase))?.Value?.Trim();
            var prepared = product is null
                ? null
                : await drafts.PrepareAsync(
                    new MarketplaceListing
                    {
                        WorkspaceId = workspace.RequiredWorkspaceId,
                        ProductId = productId,
                        Platform = format!.Marketplace,
                        CategoryId = string.IsNullOrEmpty(category) ? null : category,
                    },
                    publisher!,
                    cancellationToken);
            if (prepared is null)
            {
                skipped.Add(new BulkSheetSkip(productId, product?.Sku, BulkSheetNotes.Gone));
                continue;
            }

            var draft = prepared.Draft;
            if (draft.Variants.All(v => v.PriceMinor is null))
            {
                skipped.Add(new BulkSheetSkip(productId, draft.Sku, BulkSheetNotes.NoPrice));
                continue;
            }

            if (!perVariant && draft.Variants.Count > 1)
            {
                notes.Add(BulkSheetNotes.VariantsNotWritten);
            }

            var dimensions = Dimensions(product!);
            rows.AddRange(Rows(format, draft, ++written, dimensions, perVariant));
        }

        if (hasImageColumn && !links.Enabled)
        {
            notes.Add(BulkSheetNotes.NoImageLinks);
        }

        template!.Write(layout, rows);
        var matched = layout.Columns.Select(c => c.Field).ToHashSet(StringComparer.Ordinal);
        var report = new BulkSheetReport(
            format!.Marketplace,
            layout.Sheet,
            layout.HeaderRow,
            layout.FirstRow,
            rows.Count,
            written,
            [.. layout.Columns.OrderBy(c => c.Column).Select(c => new BulkSheetFieldColumn(c.Field, c.Slot, BulkSheetTemplate.ColumnName(c.Column), c.Header))],
            [.. SheetFields.All.Where(f => !matched.Contains(f))],
            skipped.Count,
            [.. skipped.Take(MaxListedSkips)],
            [.. notes]);
        return new BulkSheetResult(template.Save(), report);
    }

    /// <summary>A product's rows: one per variant, or one for the product with its first variant's price and the total stock.</summary>
    internal static IEnumerable<Dictionary<(string, int), SheetValue>> Rows(
        BulkSheetFormat format, ListingDraft draft, int group, IReadOnlyDictionary<string, decimal> dimensions, bool perVariant)
    {
        Dictionary<(string, int), SheetValue> Common()
        {
            var row = new Dictionary<(string, int), SheetValue>
            {
                [(SheetFields.Name, 0)] = SheetValue.Of(draft.Title),
                [(SheetFields.ParentSku, 0)] = SheetValue.Of(draft.Sku),
                [(SheetFields.Group, 0)] = SheetValue.Number(group),
                [(SheetFields.Condition, 0)] = SheetValue.Of(format.NewCondition),
            };
            var description = format.DescriptionHtml ? draft.DescriptionHtml : draft.DescriptionText;
            Put(row, SheetFields.Description, 0, description);
            Put(row, SheetFields.Category, 0, draft.CategoryId);
            Put(row, SheetFields.Brand, 0, draft.Brand);
            if (draft.WeightGrams is { } grams)
            {
                row[(SheetFields.Weight, 0)] = SheetValue.Number(grams);
            }

            foreach (var (field, value) in dimensions)
            {
                row[(field, 0)] = SheetValue.Number(value);
            }

            var slot = 0;
            foreach (var image in draft.Images.Where(i => i.PublicUrl is not null))
            {
                row[(SheetFields.Image, slot++)] = SheetValue.Of(image.PublicUrl!);
            }

            return row;
        }

        if (!perVariant)
        {
            var row = Common();
            var first = draft.Variants[0];
            row[(SheetFields.Sku, 0)] = SheetValue.Of(draft.Sku);
            row[(SheetFields.Stock, 0)] = SheetValue.Number(draft.Variants.Sum(v => (long)v.Stock));
            PutPrice(row, draft.Variants.FirstOrDefault(v => v.PriceMinor is not null) ?? first);
            yield return row;
            yield break;
        }

        foreach (var variant in draft.Variants)
        {
            var row = Common();
            row[(SheetFields.Sku, 0)] = SheetValue.Of(variant.Sku);
            row[(SheetFields.Stock, 0)] = SheetValue.Number(variant.Stock);
            PutPrice(row, variant);
            for (var i = 0; i < variant.Options.Count; i++)
            {
                row[(SheetFields.VariationName, i)] = SheetValue.Of(variant.Options[i].Key);
                row[(SheetFields.VariationOption, i)] = SheetValue.Of(variant.Options[i].Value);
            }

            yield return row;
        }
    }

    private static void PutPrice(Dictionary<(string, int), SheetValue> row, ListingVariant variant)
    {
        if (variant.PriceMinor is { } price)
        {
            row[(SheetFields.Price, 0)] = new SheetValue(Currencies.FormatMajor(price, variant.Currency ?? ""), true);
        }
    }

    private static void Put(Dictionary<(string, int), SheetValue> row, string field, int slot, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            row[(field, slot)] = SheetValue.Of(value);
        }
    }

    /// <summary>Length, width and height in centimetres from the product's attributes so named (长度, 宽度, 高度).</summary>
    private static Dictionary<string, decimal> Dimensions(Product product)
    {
        var found = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var (field, names) in new[] { (SheetFields.Length, new[] { "length", "长度", "长" }), (SheetFields.Width, ["width", "宽度", "宽"]), (SheetFields.Height, ["height", "高度", "高"]) })
        {
            var value = product.Attributes
                .Where(a => names.Contains(BulkSheetColumns.Normalize(a.Name)))
                .Select(a => AttributeValues.Normalize(a.Name, a.Value))
                .FirstOrDefault(v => v.Kind == AttributeKinds.Length && v.Number is not null);
            if (value?.Number is { } cm)
            {
                found[field] = decimal.Round((decimal)cm, 2);
            }
        }

        return found;
    }
}
