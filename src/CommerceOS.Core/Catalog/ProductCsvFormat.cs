using System.Buffers;
using System.Text;

namespace CommerceOS.Core.Catalog;

/// <summary>
/// The product CSV format shared by <see cref="ImportProductsCsv"/> and <see cref="ExportProductsCsv"/>.
/// </summary>
/// <remarks>
/// <para><b>File.</b> RFC 4180: comma-separated, UTF-8 (a BOM is accepted and written), CRLF or LF,
/// fields with commas, quotes or line breaks in double quotes. The first line is the header; column
/// names are case-insensitive and may come in any order. <c>sku</c> and <c>title</c> are required;
/// any other column may be left out (on update, a missing column keeps the stored value); an unknown
/// column refuses the file.</para>
/// <para><b>Rows.</b> One row per variant; the product columns repeat on each row of the product (a
/// later row may also leave them empty). Rows are grouped by <c>sku</c>; they need not be adjacent. A
/// product without variants is one row with empty variant columns. Blank lines are skipped.</para>
/// <para><b>Columns.</b> <c>sku, title, description, brand</c> (brand <em>name</em> of the
/// workspace), <c>category, status</c> (draft, active or archived; empty = draft),
/// <c>target_audience, selling_points, attributes, variant_sku, variant_options, price, currency,
/// stock</c>. <c>price</c> is in major units with '.' as decimal point and at most as many decimals as
/// the currency has (JPY 1999, USD 19.99); <c>stock</c> is a whole number (empty = 0).</para>
/// <para><b>Lists inside a cell.</b> <c>selling_points</c>: items separated by <c>" | "</c>.
/// <c>variant_options</c>: <c>Name=Value</c> pairs separated by <c>"; "</c> (<c>Color=Red; Size=M</c>).
/// <c>attributes</c>: entries separated by <c>"; "</c>, each <c>Name[:type]=Value[[unit]]</c>:
/// <c>Material=Cotton</c> (text), <c>Weight=1.5[kg]</c> (a unit in brackets makes a measurement),
/// <c>Pieces:number=4</c>, <c>Waterproof:boolean=true</c>, <c>Colours:list=Red, Blue</c>. Types are
/// text (default), number, boolean, measurement, list. Inside names, values and units a backslash
/// escapes the next character, so <c>\; \= \| \: \[ \] \\</c> are literal (<c>Note=a\; b</c>). The
/// exporter escapes exactly these characters, so export then import gives the same data.</para>
/// <para><b>Formulas.</b> The exporter writes an apostrophe before a cell that starts with
/// <c>= + - @</c>, tab or CR, so a spreadsheet shows it as text instead of running it (CSV injection);
/// the importer removes that apostrophe again (<see cref="UnprotectCell"/>).</para>
/// </remarks>
public static class ProductCsvFormat
{
    public const string Sku = "sku";
    public const string Title = "title";
    public const string Description = "description";
    public const string Brand = "brand";
    public const string Category = "category";
    public const string Status = "status";
    public const string TargetAudience = "target_audience";
    public const string SellingPoints = "selling_points";
    public const string Attributes = "attributes";
    public const string VariantSku = "variant_sku";
    public const string VariantOptions = "variant_options";
    public const string Price = "price";
    public const string Currency = "currency";
    public const string Stock = "stock";

    /// <summary>Every column, in the order the exporter writes them.</summary>
    public static readonly IReadOnlyList<string> Columns =
    [
        Sku, Title, Description, Brand, Category, Status, TargetAudience, SellingPoints, Attributes,
        VariantSku, VariantOptions, Price, Currency, Stock,
    ];

    public static readonly IReadOnlyList<string> RequiredColumns = [Sku, Title];

    /// <summary>Columns describing the product (repeated on each of its rows).</summary>
    public static readonly IReadOnlyList<string> ProductColumns =
        [Title, Description, Brand, Category, Status, TargetAudience, SellingPoints, Attributes];

    /// <summary>Columns describing one variant.</summary>
    public static readonly IReadOnlyList<string> VariantColumns = [VariantSku, VariantOptions, Price, Currency, Stock];

    private const string InjectionCharacters = "=+-@\t\r";

    private static readonly SearchValues<char> SpecialCharacters = SearchValues.Create("\\;=|:[]");

    public static string FormatStatus(ProductStatus status) => status switch
    {
        ProductStatus.Draft => "draft",
        ProductStatus.Active => "active",
        ProductStatus.Archived => "archived",
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };

    public static bool TryParseStatus(string text, out ProductStatus status)
    {
        switch (text.Trim().ToLowerInvariant())
        {
            case "" or "draft":
                status = ProductStatus.Draft;
                return true;
            case "active":
                status = ProductStatus.Active;
                return true;
            case "archived":
                status = ProductStatus.Archived;
                return true;
            default:
                status = default;
                return false;
        }
    }

    public static string FormatSellingPoints(IEnumerable<string> sellingPoints) =>
        string.Join(" | ", sellingPoints.Select(Escape));

    public static IReadOnlyList<string> ParseSellingPoints(string text) =>
        SplitUnescaped(text, '|').Select(s => Unescape(s.Trim())).Where(s => s.Length > 0).ToList();

    public static string FormatOptions(IReadOnlyDictionary<string, string> options) =>
        string.Join("; ", options.Select(o => $"{Escape(o.Key)}={Escape(o.Value)}"));

    /// <summary>Parses <c>Name=Value; ...</c>; false when an entry has no '=' or a name repeats.</summary>
    public static bool TryParseOptions(string text, out Dictionary<string, string> options)
    {
        options = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in SplitUnescaped(text, ';'))
        {
            if (entry.Trim().Length == 0)
            {
                continue;
            }

            var equals = IndexOfUnescaped(entry, '=');
            if (equals < 0 || !options.TryAdd(Unescape(entry[..equals].Trim()), Unescape(entry[(equals + 1)..].Trim())))
            {
                return false;
            }
        }

        return true;
    }

    public static string FormatAttributes(IEnumerable<ProductAttribute> attributes) =>
        string.Join("; ", attributes.Select(FormatAttribute));

    /// <summary>Parses <c>Name[:type]=Value[[unit]]; ...</c>; false on an entry without '=', an
    /// unknown type or unbalanced brackets.</summary>
    public static bool TryParseAttributes(string text, out List<ProductAttribute> attributes)
    {
        attributes = [];
        foreach (var entry in SplitUnescaped(text, ';'))
        {
            if (entry.Trim().Length == 0)
            {
                continue;
            }

            if (!TryParseAttribute(entry.Trim(), out var attribute))
            {
                return false;
            }

            attributes.Add(attribute);
        }

        return true;
    }

    /// <summary>
    /// Undoes the exporter's protection against CSV injection: a cell that starts with an apostrophe
    /// followed by <c>= + - @</c>, tab or CR (which a spreadsheet would otherwise run as a formula) loses
    /// the apostrophe.
    /// </summary>
    public static string UnprotectCell(string value) =>
        value.Length >= 2 && value[0] == '\'' && InjectionCharacters.Contains(value[1], StringComparison.Ordinal) ? value[1..] : value;

    /// <summary>Backslash-escapes the characters that structure a cell.</summary>
    public static string Escape(string value)
    {
        if (value.AsSpan().IndexOfAny(SpecialCharacters) < 0)
        {
            return value;
        }

        var builder = new StringBuilder(value.Length + 4);
        foreach (var c in value)
        {
            if (SpecialCharacters.Contains(c))
            {
                builder.Append('\\');
            }

            builder.Append(c);
        }

        return builder.ToString();
    }

    public static string Unescape(string value)
    {
        if (!value.Contains('\\', StringComparison.Ordinal))
        {
            return value;
        }

        var builder = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '\\' && i + 1 < value.Length)
            {
                i++;
            }

            builder.Append(value[i]);
        }

        return builder.ToString();
    }

    private static string FormatAttribute(ProductAttribute attribute)
    {
        var name = Escape(attribute.Name);
        var value = Escape(attribute.Value);
        return attribute switch
        {
            { Type: AttributeType.Text, Unit: null } => $"{name}={value}",
            { Type: AttributeType.Measurement, Unit: { } unit } => $"{name}={value}[{Escape(unit)}]",
            { Unit: { } unit } => $"{name}:{ProductValidator.TypeName(attribute.Type)}={value}[{Escape(unit)}]",
            _ => $"{name}:{ProductValidator.TypeName(attribute.Type)}={value}",
        };
    }

    private static bool TryParseAttribute(string entry, out ProductAttribute attribute)
    {
        attribute = null!;
        var equals = IndexOfUnescaped(entry, '=');
        if (equals < 0)
        {
            return false;
        }

        var key = entry[..equals].Trim();
        var rawValue = entry[(equals + 1)..].Trim();
        AttributeType? type = null;
        var colon = LastIndexOfUnescaped(key, ':');
        if (colon >= 0)
        {
            type = key[(colon + 1)..].Trim().ToLowerInvariant() switch
            {
                "text" => AttributeType.Text,
                "number" => AttributeType.Number,
                "boolean" => AttributeType.Boolean,
                "measurement" => AttributeType.Measurement,
                "list" => AttributeType.List,
                _ => null,
            };
            if (type is null)
            {
                return false;
            }

            key = key[..colon].Trim();
        }

        string? unit = null;
        var open = IndexOfUnescaped(rawValue, '[');
        if (open >= 0)
        {
            var close = IndexOfUnescaped(rawValue, ']');
            if (close != rawValue.Length - 1 || close < open)
            {
                return false;
            }

            unit = Unescape(rawValue[(open + 1)..close].Trim());
            rawValue = rawValue[..open].Trim();
        }
        else if (IndexOfUnescaped(rawValue, ']') >= 0)
        {
            return false;
        }

        attribute = new ProductAttribute(
            Unescape(key),
            type ?? (unit is null ? AttributeType.Text : AttributeType.Measurement),
            Unescape(rawValue),
            unit);
        return true;
    }

    /// <summary>Splits on <paramref name="separator"/> where it is not escaped; parts stay escaped.</summary>
    private static List<string> SplitUnescaped(string text, char separator)
    {
        var parts = new List<string>();
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\')
            {
                i++;
            }
            else if (text[i] == separator)
            {
                parts.Add(text[start..i]);
                start = i + 1;
            }
        }

        parts.Add(text[start..]);
        return parts;
    }

    private static int IndexOfUnescaped(string text, char c)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\')
            {
                i++;
            }
            else if (text[i] == c)
            {
                return i;
            }
        }

        return -1;
    }

    private static int LastIndexOfUnescaped(string text, char c)
    {
        var last = -1;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\')
            {
                i++;
            }
            else if (text[i] == c)
            {
                last = i;
            }
        }

        return last;
    }
}
