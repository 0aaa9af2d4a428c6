using System.Globalization;
using System.IO.Compression;
using CommerceOS.Core.Common;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace CommerceOS.Core.Exports;

/// <summary>One value of a row: text (written as an inline string) or a number in invariant notation.</summary>
public readonly record struct SheetValue(string Text, bool IsNumber)
{
    public static SheetValue Of(string text) => new(text, false);

    public static SheetValue Number(decimal value) => new(value.ToString("0.##########", CultureInfo.InvariantCulture), true);
}

/// <summary>Where the header is and which of its columns are ours.</summary>
/// <param name="HeaderRow">1-based.</param>
/// <param name="FirstRow">1-based: the first row written.</param>
public sealed record BulkSheetLayout(string Sheet, int HeaderRow, int FirstRow, IReadOnlyList<SheetColumn> Columns);

/// <summary>
/// The seller's own bulk-upload template (Shopee Mass Upload, Taobao/Tmall 千牛 bulk publish), downloaded from their
/// Seller Centre for a category. Its columns vary by category and over time, so nothing here assumes a column list: the
/// header row is found by its names (<see cref="BulkSheetColumns"/>), our rows are written below the header and its
/// instruction rows, and every other sheet, style, validation list and unknown column stays exactly as the template has
/// it. The document is edited in place on a copy (Open XML SDK); cells are inline strings or numbers, never formulas.
/// </summary>
public sealed class BulkSheetTemplate : IDisposable
{
    public const long MaxBytes = 5 * 1024 * 1024;

    /// <summary>All the package's entries unpacked (a zip bomb expands far beyond this).</summary>
    public const long MaxUnpackedBytes = 50 * 1024 * 1024;

    /// <summary>Rows searched for the header.</summary>
    public const int HeaderScanRows = 12;

    public const int MinColumns = 3;

    /// <summary>Excel's limit on the text of a cell.</summary>
    private const int MaxCellText = 32_767;

    private const int MaxEntries = 10_000;

    private const string ContentTypesEntry = "[Content_Types].xml";

    private readonly MemoryStream _stream;
    private readonly SpreadsheetDocument _document;

    private BulkSheetTemplate(MemoryStream stream, SpreadsheetDocument document)
    {
        _stream = stream;
        _document = document;
    }

    /// <summary>
    /// Opens a copy of the template for editing, or the reason it is refused: not an xlsx (no zip, no content types, no
    /// workbook), over <see cref="MaxBytes"/>, or unpacking beyond <see cref="MaxUnpackedBytes"/>.
    /// </summary>
    public static Result<BulkSheetTemplate> Open(byte[]? bytes, string field)
    {
        if (bytes is null || bytes.Length == 0)
        {
            return Result.Invalid(field, BulkSheetErrors.TemplateMissing);
        }

        if (bytes.LongLength > MaxBytes)
        {
            return Result.Invalid(field, BulkSheetErrors.TooLarge, MaxBytes / (1024 * 1024));
        }

        if (bytes.Length < 4 || bytes[0] != 'P' || bytes[1] != 'K' || bytes[2] != 3 || bytes[3] != 4)
        {
            return Result.Invalid(field, BulkSheetErrors.NotXlsx);
        }

        try
        {
            using (var zip = new ZipArchive(new MemoryStream(bytes, writable: false), ZipArchiveMode.Read))
            {
                if (zip.Entries.Count > MaxEntries)
                {
                    return Result.Invalid(field, BulkSheetErrors.Unpacked, MaxUnpackedBytes / (1024 * 1024));
                }

                // The declared sizes first (cheap), then the bytes actually inflated: a header can lie about a bomb.
                if (zip.Entries.Sum(e => e.Length) > MaxUnpackedBytes || Inflated(zip) > MaxUnpackedBytes)
                {
                    return Result.Invalid(field, BulkSheetErrors.Unpacked, MaxUnpackedBytes / (1024 * 1024));
                }

                if (zip.GetEntry(ContentTypesEntry) is null)
                {
                    return Result.Invalid(field, BulkSheetErrors.NotXlsx);
                }
            }

            var stream = new MemoryStream();
            stream.Write(bytes);
            stream.Position = 0;
            var document = SpreadsheetDocument.Open(stream, true, new OpenSettings { AutoSave = false, MaxCharactersInPart = MaxUnpackedBytes });
            if (document.DocumentType != SpreadsheetDocumentType.Workbook || document.WorkbookPart?.Workbook?.Sheets is null)
            {
                document.Dispose();
                stream.Dispose();
                return Result.Invalid(field, BulkSheetErrors.NotXlsx);
            }

            return new BulkSheetTemplate(stream, document);
        }
        catch (Exception exception) when (exception is InvalidDataException or OpenXmlPackageException or IOException or System.Xml.XmlException or InvalidOperationException or NotSupportedException)
        {
            // A damaged archive (an entry that does not inflate, a bad CRC) or a package Open XML cannot read.
            return Result.Invalid(field, BulkSheetErrors.NotXlsx);
        }
    }

    /// <summary>The bytes all entries inflate to, counted while reading and given up just past the limit.</summary>
    private static long Inflated(ZipArchive zip)
    {
        var buffer = new byte[81_920];
        long total = 0;
        foreach (var entry in zip.Entries)
        {
            using var stream = entry.Open();
            int read;
            while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
            {
                total += read;
                if (total > MaxUnpackedBytes)
                {
                    return total;
                }
            }
        }

        return total;
    }

    /// <summary>
    /// In each worksheet, the row among the first <see cref="HeaderScanRows"/> with the most recognised column names;
    /// the best of all sheets wins (the first on a tie). Null when no row has <see cref="MinColumns"/>.
    /// </summary>
    public BulkSheetLayout? FindHeader()
    {
        var workbook = _document.WorkbookPart!;
        BulkSheetLayout? best = null;
        foreach (var sheet in workbook.Workbook.Sheets!.Elements<Sheet>())
        {
            if (sheet.Id?.Value is not { } id || workbook.GetPartById(id) is not WorksheetPart part)
            {
                continue;
            }

            var data = part.Worksheet.GetFirstChild<SheetData>();
            if (data is null)
            {
                continue;
            }

            var rows = Rows(data);
            foreach (var (index, row) in rows.Where(r => r.Index <= HeaderScanRows))
            {
                var columns = Columns(row);
                if (columns.Count >= MinColumns && columns.Count > (best?.Columns.Count ?? 0))
                {
                    best = new BulkSheetLayout(sheet.Name?.Value ?? "", index, FirstRow(rows, index), columns);
                }
            }
        }

        return best;
    }

    /// <summary>Writes the rows from <see cref="BulkSheetLayout.FirstRow"/> on, only into the recognised columns.</summary>
    public void Write(BulkSheetLayout layout, IReadOnlyList<IReadOnlyDictionary<(string Field, int Slot), SheetValue>> values)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(values);
        var workbook = _document.WorkbookPart!;
        var sheet = workbook.Workbook.Sheets!.Elements<Sheet>().First(s => s.Name?.Value == layout.Sheet);
        var part = (WorksheetPart)workbook.GetPartById(sheet.Id!.Value!);
        var data = part.Worksheet.GetFirstChild<SheetData>()!;
        var rowIndex = (uint)layout.FirstRow;
        foreach (var row in values)
        {
            var target = RowAt(data, rowIndex);
            foreach (var column in layout.Columns)
            {
                if (row.TryGetValue((column.Field, column.Slot), out var value) && Convert(column, value) is { } written)
                {
                    SetCell(target, rowIndex, column.Column, written);
                }
            }

            rowIndex++;
        }

        if (values.Count > 0 && part.Worksheet.GetFirstChild<SheetDimension>() is { Reference.Value: { } reference } dimension)
        {
            var last = reference.Split(':')[^1];
            var lastColumn = new string([.. last.TakeWhile(char.IsLetter)]);
            var lastRow = uint.TryParse(last[lastColumn.Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var r) ? r : 1;
            var maxColumn = Math.Max(ColumnIndex(lastColumn), layout.Columns.Max(c => c.Column));
            dimension.Reference = $"{reference.Split(':')[0]}:{ColumnName(maxColumn)}{Math.Max(lastRow, rowIndex - 1)}";
        }

        part.Worksheet.Save();
    }

    /// <summary>The filled workbook.</summary>
    public byte[] Save()
    {
        _document.Save();
        _document.Dispose();
        return _stream.ToArray();
    }

    public void Dispose()
    {
        _document.Dispose();
        _stream.Dispose();
    }

    /// <summary>Text as written: a value that a spreadsheet or a CSV export would run as a formula is prefixed with '.</summary>
    public static string Neutralise(string text)
    {
        var clean = new string([.. text.Where(c => c is '\t' or '\n' or '\r' || !char.IsControl(c))]);
        if (clean.Length > 0 && clean[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            clean = "'" + clean;
        }

        return clean.Length > MaxCellText ? clean[..MaxCellText] : clean;
    }

    public static string ColumnName(int index)
    {
        var name = "";
        for (var n = index + 1; n > 0; n = (n - 1) / 26)
        {
            name = (char)('A' + ((n - 1) % 26)) + name;
        }

        return name;
    }

    private static SheetValue? Convert(SheetColumn column, SheetValue value) => column.Field switch
    {
        SheetFields.Weight when value.IsNumber => column.Unit == "g"
            ? value
            : SheetValue.Number(decimal.Round(decimal.Parse(value.Text, CultureInfo.InvariantCulture) / 1000m, 3)),
        _ => value,
    };

    private List<SheetColumn> Columns(Row row)
    {
        var found = new List<SheetColumn>();
        foreach (var cell in row.Elements<Cell>())
        {
            if (cell.CellReference?.Value is { } reference && BulkSheetColumns.Recognise(Text(cell), ColumnIndex(reference)) is { } column
                && !found.Any(f => f.Field == column.Field && f.Slot == column.Slot))
            {
                found.Add(column);
            }
        }

        // Numbered images count from the cover; without a cover column "Image 1" is the first image.
        if (!found.Any(c => c.Field == SheetFields.Image && c.Slot == 0))
        {
            found = [.. found.Select(c => c.Field == SheetFields.Image ? c with { Slot = c.Slot - 1 } : c)];
        }

        return found;
    }

    /// <summary>Below the header and the instruction rows directly under it, after the last row that holds anything.</summary>
    private int FirstRow(List<(int Index, Row Row)> rows, int header)
    {
        var next = header + 1;
        foreach (var (index, row) in rows.Where(r => r.Index > header))
        {
            var texts = row.Elements<Cell>().Select(Text).Where(t => !string.IsNullOrWhiteSpace(t)).ToList();
            if (index != next || texts.Count == 0 || !texts.All(BulkSheetColumns.IsHint))
            {
                break;
            }

            next++;
        }

        var lastUsed = rows.Where(r => r.Index >= next && r.Row.Elements<Cell>().Any(c => c.CellFormula is not null || !string.IsNullOrWhiteSpace(Text(c))))
            .Select(r => r.Index).DefaultIfEmpty(0).Max();
        return Math.Max(next, lastUsed + 1);
    }

    private static List<(int Index, Row Row)> Rows(SheetData data)
    {
        var rows = new List<(int, Row)>();
        var previous = 0;
        foreach (var row in data.Elements<Row>())
        {
            var index = row.RowIndex?.Value is { } r ? (int)r : previous + 1;
            rows.Add((index, row));
            previous = index;
        }

        return rows;
    }

    private string Text(Cell cell)
    {
        if (cell.DataType?.Value == CellValues.InlineString)
        {
            return cell.InlineString?.InnerText ?? "";
        }

        var raw = cell.CellValue?.Text ?? "";
        if (cell.DataType?.Value == CellValues.SharedString
            && int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var shared)
            && _document.WorkbookPart!.SharedStringTablePart?.SharedStringTable is { } table)
        {
            return table.Elements<SharedStringItem>().ElementAtOrDefault(shared)?.InnerText ?? "";
        }

        return raw;
    }

    private static Row RowAt(SheetData data, uint index)
    {
        Row? before = null;
        foreach (var row in data.Elements<Row>())
        {
            var at = row.RowIndex?.Value ?? 0;
            if (at == index)
            {
                return row;
            }

            if (at > index)
            {
                break;
            }

            before = row;
        }

        var created = new Row { RowIndex = index };
        if (before is null)
        {
            data.PrependChild(created);
        }
        else
        {
            before.InsertAfterSelf(created);
        }

        return created;
    }

    private static void SetCell(Row row, uint rowIndex, int column, SheetValue value)
    {
        var reference = ColumnName(column) + rowIndex.ToString(CultureInfo.InvariantCulture);
        Cell? cell = null;
        Cell? before = null;
        foreach (var existing in row.Elements<Cell>())
        {
            var at = existing.CellReference?.Value is { } r ? ColumnIndex(r) : -1;
            if (at == column)
            {
                cell = existing;
                break;
            }

            if (at > column)
            {
                break;
            }

            before = existing;
        }

        if (cell is null)
        {
            cell = new Cell { CellReference = reference };
            if (before is null)
            {
                row.PrependChild(cell);
            }
            else
            {
                before.InsertAfterSelf(cell);
            }
        }

        // The template's style (number format, fill, validation) stays; value and type are ours.
        cell.CellFormula = null;
        cell.CellValue = null;
        cell.InlineString = null;
        if (value.IsNumber)
        {
            cell.DataType = null;
            cell.CellValue = new CellValue(value.Text);
        }
        else
        {
            cell.DataType = CellValues.InlineString;
            cell.InlineString = new InlineString(new Text(Neutralise(value.Text)) { Space = SpaceProcessingModeValues.Preserve });
        }
    }

    private static int ColumnIndex(string reference)
    {
        var index = 0;
        foreach (var c in reference.TakeWhile(char.IsAsciiLetter))
        {
            index = (index * 26) + (char.ToUpperInvariant(c) - 'A' + 1);
        }

        return index - 1;
    }
}

/// <summary>Refusals of a bulk sheet (texts in <c>Resources/*/Exports.json</c>).</summary>
public static class BulkSheetErrors
{
    /// <summary>Args: the marketplaces with a bulk sheet.</summary>
    public const string MarketplaceUnknown = "exports.sheet.marketplace_unknown";

    public const string TemplateMissing = "exports.sheet.template_missing";

    /// <summary>Args: the limit in MB.</summary>
    public const string TooLarge = "exports.sheet.too_large";

    public const string NotXlsx = "exports.sheet.not_xlsx";

    /// <summary>Args: the limit in MB.</summary>
    public const string Unpacked = "exports.sheet.unpacked_too_large";

    /// <summary>Args: the minimum, the names looked for.</summary>
    public const string NoHeader = "exports.sheet.no_header";
}

/// <summary>What the report of a bulk sheet says about products and the sheet (texts in <c>Resources/*/Exports.json</c>).</summary>
public static class BulkSheetNotes
{
    /// <summary>The product was deleted while the sheet was filled.</summary>
    public const string Gone = "exports.sheet.skipped.gone";

    /// <summary>No variant has a price: the platform refuses the row.</summary>
    public const string NoPrice = "exports.sheet.skipped.no-price";

    /// <summary>The sheet has image columns but CommerceOS has no public address (Publishing:PublicBaseUrl).</summary>
    public const string NoImageLinks = "exports.sheet.note.no-image-links";

    /// <summary>One row per product: variants need the category's property ids; first variant's price, total stock.</summary>
    public const string VariantsNotWritten = "exports.sheet.note.variants-not-written";
}
