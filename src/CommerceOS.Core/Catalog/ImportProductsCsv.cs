using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using CommerceOS.Core.Common;
using CommerceOS.Core.Data;
using CommerceOS.Core.Workspaces;
using CsvHelper;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Core.Catalog;

public enum CsvImportMode
{
    /// <summary>A SKU that already exists is a row error (<c>catalog.sku_taken</c>).</summary>
    CreateOnly = 0,

    /// <summary>A SKU that already exists updates that product: columns in the file replace the
    /// stored values, columns left out of the file keep them (photos are never touched).</summary>
    Upsert = 1,
}

public enum CsvRowOutcome
{
    Created = 0,
    Updated = 1,
    Error = 2,

    /// <summary>A blank line.</summary>
    Skipped = 3,
}

/// <summary>
/// Imports products from a CSV in <see cref="ProductCsvFormat"/>. Editors and above.
/// </summary>
/// <remarks>
/// <para>Rows are grouped by SKU into products; each product is validated with
/// <see cref="ProductValidator"/> (the same rules as the form and the API) and written as one unit:
/// a product is written completely or not at all, and a bad product never blocks the others.</para>
/// <para>Writes are batched: up to <see cref="ChunkSize"/> valid products per <c>SaveChanges</c>
/// (one transaction). If the database rejects a batch (e.g. a SKU created concurrently), the batch is
/// rolled back and retried product by product, so only the offending product fails. Existing SKUs,
/// variant SKUs and brands are loaded once up front.</para>
/// <para>The file is refused as a whole (Invalid, nothing written) only for header problems
/// (<c>catalog.csv_missing_column</c>, <c>catalog.csv_unknown_column</c>,
/// <c>catalog.csv_duplicate_column</c>), an empty file, more than <see cref="MaxRows"/> rows or a file
/// that is not CSV. Everything else is reported per row.</para>
/// <para>Row numbers count CSV records with the header as row 1 (a quoted cell with line breaks is
/// still one row), like the row numbers a spreadsheet shows.</para>
/// </remarks>
public sealed class ImportProductsCsv(AppDbContext db, WorkspaceContext workspace, TimeProvider timeProvider)
{
    public const int MaxRows = 100_000;
    public const int ChunkSize = 500;

    /// <param name="Csv">Read to the end; not disposed.</param>
    public sealed record Request(Stream Csv, CsvImportMode Mode = CsvImportMode.Upsert);

    /// <param name="Rows">Data rows read (header and blank lines excluded).</param>
    /// <param name="Report">One entry per data row (blank lines as <see cref="CsvRowOutcome.Skipped"/>), by row number.</param>
    public sealed record Response(int Rows, int ProductsCreated, int ProductsUpdated, int ProductsFailed, IReadOnlyList<RowReport> Report);

    /// <param name="Errors">Each error's <see cref="FieldError.Field"/> is the CSV column name (empty for the whole row).</param>
    public sealed record RowReport(int Row, string Sku, CsvRowOutcome Outcome, IReadOnlyList<FieldError> Errors);

    public async Task<Result<Response>> HandleAsync(Request request, CancellationToken cancellationToken)
    {
        if (!workspace.Can(WorkspaceRole.Editor))
        {
            return Result.Forbidden();
        }

        var file = await CsvFile.ReadAsync(request.Csv, cancellationToken);
        if (file.Errors.Count > 0)
        {
            return Result.Invalid(file.Errors);
        }

        var run = new ImportRun(db, workspace.RequiredWorkspaceId, timeProvider.GetUtcNowForDatabase(), request.Mode, file);
        await run.ExecuteAsync(cancellationToken);
        return run.ToResponse();
    }

    internal sealed class CsvRow(int number, string[] values)
    {
        public int Number { get; } = number;

        public string this[int column] => values[column];

        public bool IsBlank => values.All(v => v.Trim().Length == 0);

        /// <summary>Broken quoting, or values beyond the header's columns.</summary>
        public bool Malformed { get; init; }
    }

    /// <summary>The parsed file: rows with values in <see cref="ProductCsvFormat.Columns"/> order ("" for absent columns).</summary>
    internal sealed class CsvFile
    {
        public List<CsvRow> Rows { get; } = [];

        public bool[] Present { get; } = new bool[ProductCsvFormat.Columns.Count];

        public List<FieldError> Errors { get; } = [];

        public bool Has(string column) => Present[Index(column)];

        public static int Index(string column)
        {
            for (var i = 0; i < ProductCsvFormat.Columns.Count; i++)
            {
                if (ProductCsvFormat.Columns[i] == column)
                {
                    return i;
                }
            }

            throw new ArgumentOutOfRangeException(nameof(column));
        }

        public static async Task<CsvFile> ReadAsync(Stream stream, CancellationToken cancellationToken)
        {
            var file = new CsvFile();
            var malformed = new HashSet<long>();
            var options = CsvReaderOptions.Default with
            {
                Separator = ',',
                HasHeader = false,
                SkipEmptyLines = false,
                TrimWhitespace = false,
                OnMalformedRecord = record => malformed.Add(record.RecordNumber),
            };
            await using var reader = CsvReader.Create(stream, options, leaveOpen: true);
            int[]? map = null;
            try
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    var record = new string[reader.FieldCount];
                    for (var i = 0; i < record.Length; i++)
                    {
                        record[i] = ProductCsvFormat.UnprotectCell(reader.GetString(i));
                    }

                    if (map is null)
                    {
                        map = ReadHeader(record, file);
                        if (file.Errors.Count > 0)
                        {
                            return file;
                        }

                        continue;
                    }

                    if (file.Rows.Count >= MaxRows)
                    {
                        file.Errors.Add(FieldError.Of("", CatalogErrors.CsvTooManyRows, MaxRows));
                        return file;
                    }

                    var values = new string[ProductCsvFormat.Columns.Count];
                    Array.Fill(values, "");
                    var extra = false;
                    for (var i = 0; i < record.Length; i++)
                    {
                        if (i < map.Length)
                        {
                            if (map[i] >= 0)
                            {
                                values[map[i]] = record[i];
                            }
                        }
                        else if (record[i].Trim().Length > 0)
                        {
                            extra = true;
                        }
                    }

                    var number = (int)reader.RowNumber;
                    file.Rows.Add(new CsvRow(number, values) { Malformed = extra || malformed.Contains(number) });
                }
            }
            catch (CsvFormatException exception)
            {
                file.Errors.Add(FieldError.Of("", CatalogErrors.CsvMalformed, exception.RecordNumber));
                return file;
            }

            if (map is null)
            {
                file.Errors.Add(new FieldError("", CatalogErrors.CsvEmpty));
            }

            return file;
        }

        private static int[] ReadHeader(string[] header, CsvFile file)
        {
            var map = new int[header.Length];
            Array.Fill(map, -1);
            for (var i = 0; i < header.Length; i++)
            {
                var name = header[i].Trim().TrimStart('\uFEFF').ToLowerInvariant();
                var index = -1;
                for (var c = 0; c < ProductCsvFormat.Columns.Count; c++)
                {
                    if (ProductCsvFormat.Columns[c] == name)
                    {
                        index = c;
                    }
                }

                if (index < 0)
                {
                    file.Errors.Add(FieldError.Of(name, CatalogErrors.CsvUnknownColumn, name, string.Join(", ", ProductCsvFormat.Columns)));
                    continue;
                }

                if (file.Present[index])
                {
                    file.Errors.Add(FieldError.Of(name, CatalogErrors.CsvDuplicateColumn, name));
                }

                file.Present[index] = true;
                map[i] = index;
            }

            foreach (var required in ProductCsvFormat.RequiredColumns)
            {
                if (!file.Present[Index(required)])
                {
                    file.Errors.Add(FieldError.Of(required, CatalogErrors.CsvMissingColumn, required));
                }
            }

            return map;
        }
    }

    private sealed record Planned(Group Group, ProductInput Input, Guid ProductId, bool IsUpdate);

    private sealed class Group(string sku)
    {
        public string Sku { get; } = sku;

        public List<CsvRow> Rows { get; } = [];

        /// <summary>Rows that carried a variant, in variant order (index i = variants[i]).</summary>
        public List<CsvRow> VariantRows { get; } = [];

        public bool VariantsFromFile { get; set; }

        public List<(CsvRow Row, FieldError Error)> Errors { get; } = [];

        public void Error(CsvRow row, string column, string code, params object[] args) =>
            Errors.Add((row, FieldError.Of(column, code, args)));
    }

    private sealed class ImportRun(AppDbContext db, Guid workspaceId, DateTime now, CsvImportMode mode, CsvFile file)
    {
        private static readonly int Sku = CsvFile.Index(ProductCsvFormat.Sku);

        private readonly List<RowReport> _report = [];
        private readonly Dictionary<string, Guid> _brands = new(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<string, Guid> _products = new(StringComparer.Ordinal);
        private readonly Dictionary<string, Guid> _variantOwners = new(StringComparer.Ordinal);
        private int _created;
        private int _updated;
        private int _failed;

        public async Task ExecuteAsync(CancellationToken cancellationToken)
        {
            var groups = GroupRows();
            await PreloadAsync(cancellationToken);
            foreach (var chunk in groups.Chunk(ChunkSize))
            {
                await ImportChunkAsync(chunk, cancellationToken);
            }
        }

        public Response ToResponse() => new(
            file.Rows.Count(r => !r.IsBlank),
            _created,
            _updated,
            _failed,
            _report.OrderBy(r => r.Row).ToList());

        private List<Group> GroupRows()
        {
            var groups = new List<Group>();
            var bySku = new Dictionary<string, Group>(StringComparer.Ordinal);
            foreach (var row in file.Rows)
            {
                if (row.IsBlank)
                {
                    _report.Add(new RowReport(row.Number, "", CsvRowOutcome.Skipped, []));
                    continue;
                }

                var sku = row[Sku].Trim();
                if (sku.Length == 0)
                {
                    _report.Add(new RowReport(row.Number, "", CsvRowOutcome.Error, [new FieldError(ProductCsvFormat.Sku, CatalogErrors.SkuRequired)]));
                    _failed++;
                    continue;
                }

                if (!bySku.TryGetValue(sku, out var group))
                {
                    group = new Group(sku);
                    bySku.Add(sku, group);
                    groups.Add(group);
                }

                group.Rows.Add(row);
            }

            return groups;
        }

        private async Task PreloadAsync(CancellationToken cancellationToken)
        {
            foreach (var brand in await db.Brands.AsNoTracking().Select(b => new { b.Name, b.Id }).ToListAsync(cancellationToken))
            {
                _brands.TryAdd(brand.Name, brand.Id);
            }

            foreach (var product in await db.Products.AsNoTracking().Select(p => new { p.Sku, p.Id }).ToListAsync(cancellationToken))
            {
                _products[product.Sku] = product.Id;
            }

            foreach (var variant in await db.ProductVariants.AsNoTracking().Select(v => new { v.Sku, v.ProductId }).ToListAsync(cancellationToken))
            {
                _variantOwners[variant.Sku] = variant.ProductId;
            }
        }

        private async Task ImportChunkAsync(Group[] chunk, CancellationToken cancellationToken)
        {
            var existingIds = mode == CsvImportMode.Upsert
                ? chunk.Select(g => _products.GetValueOrDefault(g.Sku)).Where(id => id != Guid.Empty).ToList()
                : [];
            var existing = existingIds.Count == 0
                ? []
                : await db.Products.Include(p => p.Variants).AsSplitQuery()
                    .Where(p => existingIds.Contains(p.Id))
                    .ToDictionaryAsync(p => p.Sku, StringComparer.Ordinal, cancellationToken);

            var planned = new List<Planned>();
            foreach (var group in chunk)
            {
                if (TryPlan(group, existing.GetValueOrDefault(group.Sku), out var plan))
                {
                    planned.Add(plan);
                }
                else
                {
                    ReportFailure(group);
                }
            }

            foreach (var plan in planned)
            {
                Write(plan, existing.GetValueOrDefault(plan.Group.Sku));
            }

            // New rows are marked Added explicitly, so a full DetectChanges over thousands of entries
            // is only needed when the batch modified products loaded for an update.
            var batchFailed = false;
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            try
            {
                if (planned.Any(p => p.IsUpdate))
                {
                    db.ChangeTracker.DetectChanges();
                }

                await db.SaveChangesAsync(cancellationToken);
                foreach (var plan in planned)
                {
                    ReportSuccess(plan);
                }
            }
            catch (DbUpdateException)
            {
                batchFailed = true;
            }
            finally
            {
                db.ChangeTracker.AutoDetectChangesEnabled = true;
            }

            if (batchFailed)
            {
                // One product the database refused must not sink the batch: redo it one by one.
                db.ChangeTracker.Clear();
                foreach (var plan in planned)
                {
                    await WriteOneAsync(plan, cancellationToken);
                }
            }

            db.ChangeTracker.Clear();
        }

        private async Task WriteOneAsync(Planned plan, CancellationToken cancellationToken)
        {
            Product? tracked = null;
            if (plan.IsUpdate)
            {
                tracked = await db.Products.Include(p => p.Variants).AsSplitQuery().FirstOrDefaultAsync(p => p.Id == plan.ProductId, cancellationToken);
                if (tracked is null)
                {
                    plan.Group.Error(plan.Group.Rows[0], "", CommonErrors.NotFound);
                    ReportFailure(plan.Group);
                    return;
                }
            }

            Write(plan, tracked);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                ReportSuccess(plan);
            }
            catch (DbUpdateException exception)
            {
                var conflict = UniqueViolation.Is(exception)
                    ? ProductWriter.ConflictFor(exception, plan.Input).Errors[0]
                    : new FieldError("", CatalogErrors.CsvDatabaseError);
                var column = conflict.Field == "sku" ? ProductCsvFormat.Sku : conflict.Field.Length == 0 ? "" : ProductCsvFormat.VariantSku;
                plan.Group.Errors.Add((plan.Group.Rows[0], conflict with { Field = column }));
                ReportFailure(plan.Group);
            }
            finally
            {
                db.ChangeTracker.Clear();
            }
        }

        private void Write(Planned plan, Product? tracked)
        {
            if (tracked is null)
            {
                var product = new Product { Id = plan.ProductId, Sku = plan.Input.Sku!, Title = plan.Input.Title!, CreatedAt = now, UpdatedAt = now };
                ProductWriter.Apply(db, product, plan.Input, workspaceId);
                db.Products.Add(product);
            }
            else
            {
                ProductWriter.Apply(db, tracked, plan.Input, workspaceId);
                tracked.UpdatedAt = now;
            }
        }

        private bool TryPlan(Group group, Product? existing, [NotNullWhen(true)] out Planned? plan)
        {
            plan = null;
            var first = group.Rows[0];
            foreach (var row in group.Rows.Where(r => r.Malformed))
            {
                group.Error(row, "", CatalogErrors.CsvMalformed, row.Number);
            }

            if (_products.ContainsKey(group.Sku) && mode == CsvImportMode.CreateOnly)
            {
                group.Error(first, ProductCsvFormat.Sku, CatalogErrors.SkuTaken, group.Sku);
            }

            CheckRepeatedProductColumns(group);
            var input = BuildInput(group, existing);
            if (group.Errors.Count > 0)
            {
                return false;
            }

            input = input.Normalized();
            foreach (var error in ProductValidator.Validate(input, _ => true))
            {
                var (row, column) = Locate(group, error.Field);
                group.Errors.Add((row, error with { Field = column }));
            }

            var productId = existing?.Id ?? Guid.CreateVersion7();
            var variants = input.Variants ?? [];
            for (var i = 0; i < variants.Count; i++)
            {
                if (_variantOwners.TryGetValue(variants[i].Sku!, out var owner) && owner != productId)
                {
                    var (row, _) = Locate(group, $"variants[{i}].sku");
                    group.Error(row, ProductCsvFormat.VariantSku, CatalogErrors.VariantSkuTaken, variants[i].Sku!);
                }
            }

            if (group.Errors.Count > 0)
            {
                return false;
            }

            // Claim the SKUs now, so a later product of the same file cannot take them too.
            _products[group.Sku] = productId;
            foreach (var variant in variants)
            {
                _variantOwners[variant.Sku!] = productId;
            }

            plan = new Planned(group, input, productId, existing is not null);
            return true;
        }

        private void CheckRepeatedProductColumns(Group group)
        {
            var first = group.Rows[0];
            foreach (var column in ProductCsvFormat.ProductColumns.Where(file.Has))
            {
                var index = CsvFile.Index(column);
                var expected = first[index].Trim();
                foreach (var row in group.Rows.Skip(1))
                {
                    var value = row[index].Trim();
                    if (value.Length > 0 && value != expected)
                    {
                        group.Error(row, column, CatalogErrors.CsvProductMismatch, first.Number);
                    }
                }
            }
        }

        private ProductInput BuildInput(Group group, Product? existing)
        {
            var first = group.Rows[0];
            var input = existing is null ? new ProductInput(group.Sku, null) : ProductDetails.From(existing).ToInput();
            input = input with { Sku = group.Sku, Title = Cell(first, ProductCsvFormat.Title) };
            if (file.Has(ProductCsvFormat.Description))
            {
                input = input with { Description = Cell(first, ProductCsvFormat.Description) };
            }

            if (file.Has(ProductCsvFormat.Category))
            {
                input = input with { Category = Cell(first, ProductCsvFormat.Category) };
            }

            if (file.Has(ProductCsvFormat.TargetAudience))
            {
                input = input with { TargetAudience = Cell(first, ProductCsvFormat.TargetAudience) };
            }

            if (file.Has(ProductCsvFormat.Brand))
            {
                var name = Cell(first, ProductCsvFormat.Brand).Trim();
                Guid? brandId = null;
                if (name.Length > 0)
                {
                    if (_brands.TryGetValue(name, out var id))
                    {
                        brandId = id;
                    }
                    else
                    {
                        group.Error(first, ProductCsvFormat.Brand, CatalogErrors.BrandNotFound, name);
                    }
                }

                input = input with { BrandId = brandId };
            }

            if (file.Has(ProductCsvFormat.Status))
            {
                if (ProductCsvFormat.TryParseStatus(Cell(first, ProductCsvFormat.Status), out var status))
                {
                    input = input with { Status = status };
                }
                else
                {
                    group.Error(first, ProductCsvFormat.Status, CatalogErrors.StatusInvalid);
                }
            }

            if (file.Has(ProductCsvFormat.SellingPoints))
            {
                input = input with { SellingPoints = ProductCsvFormat.ParseSellingPoints(Cell(first, ProductCsvFormat.SellingPoints)) };
            }

            if (file.Has(ProductCsvFormat.Attributes))
            {
                if (ProductCsvFormat.TryParseAttributes(Cell(first, ProductCsvFormat.Attributes), out var attributes))
                {
                    input = input with { Attributes = attributes };
                }
                else
                {
                    group.Error(first, ProductCsvFormat.Attributes, CatalogErrors.AttributeFormat);
                }
            }

            if (ProductCsvFormat.VariantColumns.Any(file.Has))
            {
                input = input with { Variants = BuildVariants(group) };
            }

            return input;
        }

        private static List<VariantInput> BuildVariants(Group group)
        {
            group.VariantsFromFile = true;
            var variants = new List<VariantInput>();
            var withVariant = group.Rows.Where(r => ProductCsvFormat.VariantColumns.Any(c => Cell(r, c).Trim().Length > 0)).ToList();
            if (withVariant.Count == 0)
            {
                return variants;
            }

            foreach (var row in group.Rows.Except(withVariant))
            {
                group.Error(row, ProductCsvFormat.VariantSku, CatalogErrors.CsvVariantMissing);
            }

            foreach (var row in withVariant)
            {
                var currency = Cell(row, ProductCsvFormat.Currency).Trim().ToUpperInvariant();
                var priceText = Cell(row, ProductCsvFormat.Price).Trim();
                long price = 0;
                if (priceText.Length == 0)
                {
                    group.Error(row, ProductCsvFormat.Price, CatalogErrors.PriceInvalid, priceText);
                }
                else if (Currencies.IsKnown(currency) && !Currencies.TryParseMajor(priceText, currency, out price, out var tooPrecise))
                {
                    if (tooPrecise)
                    {
                        group.Error(row, ProductCsvFormat.Price, CatalogErrors.PricePrecision, currency, Currencies.Exponent(currency));
                    }
                    else
                    {
                        group.Error(row, ProductCsvFormat.Price, CatalogErrors.PriceInvalid, priceText);
                    }
                }

                var stockText = Cell(row, ProductCsvFormat.Stock).Trim();
                var stock = 0;
                if (stockText.Length > 0 && !int.TryParse(stockText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out stock))
                {
                    group.Error(row, ProductCsvFormat.Stock, CatalogErrors.StockInvalid, stockText);
                }

                if (!ProductCsvFormat.TryParseOptions(Cell(row, ProductCsvFormat.VariantOptions), out var options))
                {
                    group.Error(row, ProductCsvFormat.VariantOptions, CatalogErrors.VariantOptionsFormat);
                }

                variants.Add(new VariantInput(Cell(row, ProductCsvFormat.VariantSku), options, price, currency, stock));
                group.VariantRows.Add(row);
            }

            return variants;
        }

        /// <summary>Maps a validator field path to the row and CSV column it came from.</summary>
        private static (CsvRow Row, string Column) Locate(Group group, string field)
        {
            var first = group.Rows[0];
            if (field.StartsWith("variants[", StringComparison.Ordinal))
            {
                var close = field.IndexOf(']', StringComparison.Ordinal);
                var index = int.Parse(field.AsSpan(9, close - 9), CultureInfo.InvariantCulture);
                var row = group.VariantsFromFile && index < group.VariantRows.Count ? group.VariantRows[index] : first;
                var column = field[(close + 1)..].TrimStart('.') switch
                {
                    "options" => ProductCsvFormat.VariantOptions,
                    "priceMinor" => ProductCsvFormat.Price,
                    "currency" => ProductCsvFormat.Currency,
                    "stock" => ProductCsvFormat.Stock,
                    _ => ProductCsvFormat.VariantSku,
                };
                return (row, column);
            }

            var root = field.Split('[', '.')[0];
            return (first, root switch
            {
                "variants" => ProductCsvFormat.VariantSku,
                "brandId" => ProductCsvFormat.Brand,
                "targetAudience" => ProductCsvFormat.TargetAudience,
                "sellingPoints" => ProductCsvFormat.SellingPoints,
                _ => root,
            });
        }

        private void ReportSuccess(Planned plan)
        {
            var outcome = plan.IsUpdate ? CsvRowOutcome.Updated : CsvRowOutcome.Created;
            if (plan.IsUpdate)
            {
                _updated++;
            }
            else
            {
                _created++;
            }

            foreach (var row in plan.Group.Rows)
            {
                _report.Add(new RowReport(row.Number, plan.Group.Sku, outcome, []));
            }
        }

        private void ReportFailure(Group group)
        {
            _failed++;
            var firstErrorRow = group.Errors.Min(e => e.Row.Number);
            foreach (var row in group.Rows)
            {
                var errors = group.Errors.Where(e => e.Row == row).Select(e => e.Error).ToList();
                if (errors.Count == 0)
                {
                    errors.Add(FieldError.Of("", CatalogErrors.CsvProductRejected, firstErrorRow));
                }

                _report.Add(new RowReport(row.Number, group.Sku, CsvRowOutcome.Error, errors));
            }
        }

        private static string Cell(CsvRow row, string column) => row[CsvFile.Index(column)];
    }
}
