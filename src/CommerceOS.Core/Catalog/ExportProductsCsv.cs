using CommerceOS.Core.Common;
using CommerceOS.Core.Data;
using CommerceOS.Core.Workspaces;
using CsvHelper;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Core.Catalog;

/// <summary>
/// Writes every product of the workspace in <see cref="ProductCsvFormat"/> (all columns, UTF-8 with a
/// BOM so spreadsheets detect it, CRLF), ordered by SKU, one row per variant. Reads in pages of
/// <see cref="PageSize"/> products, so memory stays flat for large catalogues. Any member.
/// </summary>
public sealed class ExportProductsCsv(AppDbContext db, WorkspaceContext workspace)
{
    public const int PageSize = 500;

    /// <param name="Output">Written from its current position; not disposed.</param>
    public sealed record Request(Stream Output);

    public sealed record Response(int Products, int Rows);

    public async Task<Result<Response>> HandleAsync(Request request, CancellationToken cancellationToken)
    {
        if (!workspace.Can(WorkspaceRole.Viewer))
        {
            return Result.Forbidden();
        }

        var brands = await db.Brands.AsNoTracking().ToDictionaryAsync(b => b.Id, b => b.Name, cancellationToken);
        var options = CsvWriterOptions.Default with
        {
            WriteByteOrderMark = true,
            Injection = CsvInjection.Escape,
        };
        await using var writer = CsvWriter.Create(request.Output, options, leaveOpen: true);
        writer.WriteRecord(ProductCsvFormat.Columns.ToArray());

        var products = 0;
        var rows = 0;
        string? after = null;
        while (true)
        {
            var query = db.Products.AsNoTracking().Include(p => p.Variants).AsSplitQuery();
            if (after is not null)
            {
                // Keyset paging; translated to SQL "Sku > @after", compared with the same collation as ORDER BY.
#pragma warning disable CA1309
                query = query.Where(p => string.Compare(p.Sku, after) > 0);
#pragma warning restore CA1309
            }

            var page = await query.OrderBy(p => p.Sku).Take(PageSize).ToListAsync(cancellationToken);
            foreach (var product in page)
            {
                products++;
                var variants = product.Variants.OrderBy(v => v.Position).ToList();
                if (variants.Count == 0)
                {
                    WriteRow(writer, product, brands, null);
                    rows++;
                }

                foreach (var variant in variants)
                {
                    WriteRow(writer, product, brands, variant);
                    rows++;
                }
            }

            if (page.Count < PageSize)
            {
                break;
            }

            after = page[^1].Sku;
        }

        await writer.FlushAsync(cancellationToken);
        return new Response(products, rows);
    }

    private static void WriteRow(CsvWriter writer, Product product, Dictionary<Guid, string> brands, ProductVariant? variant)
    {
        string[] fields =
        [
            product.Sku,
            product.Title,
            product.Description ?? "",
            product.BrandId is { } brandId && brands.TryGetValue(brandId, out var brand) ? brand : "",
            product.Category ?? "",
            ProductCsvFormat.FormatStatus(product.Status),
            product.TargetAudience ?? "",
            ProductCsvFormat.FormatSellingPoints(product.SellingPoints),
            ProductCsvFormat.FormatAttributes(product.Attributes),
            variant?.Sku ?? "",
            variant is null ? "" : ProductCsvFormat.FormatOptions(variant.Options),
            variant is null ? "" : Currencies.FormatMajor(variant.PriceMinor, variant.Currency),
            variant?.Currency ?? "",
            variant?.Stock.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "",
        ];
        writer.WriteRecord(fields);
    }
}
