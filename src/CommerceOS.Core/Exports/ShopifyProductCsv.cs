using System.Text;

namespace CommerceOS.Core.Exports;

/// <summary>One product as Shopify's product CSV needs it.</summary>
/// <param name="Handle">The <c>URL handle</c>, on every row of the product.</param>
/// <param name="DescriptionHtml">Shopify's description is HTML (the Shopify copy profile writes safe HTML).</param>
/// <param name="Variants">At least one; a product without variants is one "Default Title" variant.</param>
/// <param name="Images">Public absolute URLs, in gallery order (Shopify fetches them on import).</param>
public sealed record ShopifyCsvProduct(
    string Handle,
    string Title,
    string? DescriptionHtml,
    string? Vendor,
    string? Type,
    IReadOnlyList<string> Tags,
    IReadOnlyList<ShopifyCsvVariant> Variants,
    IReadOnlyList<ShopifyCsvImage> Images,
    string? SeoTitle,
    string? SeoDescription);

/// <param name="Options">Option name and value pairs in the product's option order (at most three).</param>
/// <param name="Price">Major units with the currency's decimals ("12.50").</param>
public sealed record ShopifyCsvVariant(string Sku, IReadOnlyList<KeyValuePair<string, string>> Options, string Price, int Quantity);

public sealed record ShopifyCsvImage(string Url, string? Alt);

/// <summary>
/// Shopify's product import CSV in its current layout (external-apis.md §7.8): the header row in exactly Shopify's column
/// order, one row per variant, extra rows for images beyond the variants, <c>URL handle</c> on every row and the product's
/// own fields (title, option names, status) on its first row only. Products are written as drafts, unpublished, so the
/// seller reviews them in Shopify before they go live. UTF-8, CRLF line ends, RFC 4180 quoting.
/// </summary>
public static class ShopifyProductCsv
{
    public const string FileName = "shopify-products.csv";

    /// <summary>Shopify's limit on options per product.</summary>
    public const int MaxOptions = 3;

    /// <summary>What a single-variant product's option is called in Shopify's own exports.</summary>
    public const string DefaultOptionName = "Title";

    public const string DefaultOptionValue = "Default Title";

    public static readonly IReadOnlyList<string> Columns =
    [
        "Title", "URL handle", "Description", "Vendor", "Product category", "Type", "Tags", "Published on online store",
        "Status", "SKU", "Barcode", "Option1 name", "Option1 value", "Option1 Linked To", "Option2 name", "Option2 value",
        "Option2 Linked To", "Option3 name", "Option3 value", "Option3 Linked To", "Price", "Compare-at price", "Cost per item",
        "Charge tax", "Tax code", "Inventory tracker", "Inventory quantity", "Continue selling when out of stock",
        "Weight value (grams)", "Weight unit for display", "Requires shipping", "Fulfillment service", "Product image URL",
        "Image position", "Image alt text", "Variant image URL", "Gift card", "SEO title", "SEO description",
        "Color (product.metafields.shopify.color-pattern)", "Google Shopping / Google product category",
        "Google Shopping / Gender", "Google Shopping / Age group", "Google Shopping / Manufacturer part number (MPN)",
        "Google Shopping / Ad group name", "Google Shopping / Ads labels", "Google Shopping / Condition",
        "Google Shopping / Custom product", "Google Shopping / Custom label 0", "Google Shopping / Custom label 1",
        "Google Shopping / Custom label 2", "Google Shopping / Custom label 3", "Google Shopping / Custom label 4",
    ];

    private static readonly Dictionary<string, int> Index = Columns.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => x.i, StringComparer.Ordinal);

    public static string Header() => Line(Columns);

    /// <summary>The product's rows, each ending in CRLF.</summary>
    public static string Rows(ShopifyCsvProduct product)
    {
        ArgumentNullException.ThrowIfNull(product);
        if (product.Variants.Count == 0)
        {
            throw new ArgumentException("A product has at least one variant.", nameof(product));
        }

        var optionNames = product.Variants.SelectMany(v => v.Options.Select(o => o.Key)).Distinct(StringComparer.Ordinal).ToList();
        if (optionNames.Count > MaxOptions)
        {
            throw new ArgumentException($"Shopify takes at most {MaxOptions} options; {product.Handle} has {optionNames.Count}.", nameof(product));
        }

        var single = optionNames.Count == 0;
        var builder = new StringBuilder();
        var rows = Math.Max(product.Variants.Count, product.Images.Count);
        for (var i = 0; i < rows; i++)
        {
            var row = new string[Columns.Count];
            Set(row, "URL handle", product.Handle);
            if (i == 0)
            {
                Set(row, "Title", product.Title);
                Set(row, "Description", product.DescriptionHtml);
                Set(row, "Vendor", product.Vendor);
                Set(row, "Type", product.Type);
                // Shopify splits tags on commas: a comma inside a keyword would make two tags.
                Set(row, "Tags", string.Join(", ", product.Tags.Select(t => string.Join(' ', t.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries))).Where(t => t.Length > 0)));
                Set(row, "Published on online store", "FALSE");
                Set(row, "Status", "Draft");
                Set(row, "Gift card", "FALSE");
                Set(row, "SEO title", product.SeoTitle);
                Set(row, "SEO description", product.SeoDescription);
                for (var o = 0; o < (single ? 1 : optionNames.Count); o++)
                {
                    Set(row, $"Option{o + 1} name", single ? DefaultOptionName : optionNames[o]);
                }
            }

            if (i < product.Variants.Count)
            {
                var variant = product.Variants[i];
                Set(row, "SKU", variant.Sku);
                for (var o = 0; o < (single ? 1 : optionNames.Count); o++)
                {
                    var value = single ? DefaultOptionValue
                        : variant.Options.FirstOrDefault(p => string.Equals(p.Key, optionNames[o], StringComparison.Ordinal)).Value;
                    Set(row, $"Option{o + 1} value", value);
                }

                Set(row, "Price", variant.Price);
                Set(row, "Charge tax", "TRUE");
                Set(row, "Inventory tracker", "shopify");
                Set(row, "Inventory quantity", variant.Quantity.ToString(System.Globalization.CultureInfo.InvariantCulture));
                Set(row, "Continue selling when out of stock", "DENY");
                Set(row, "Requires shipping", "TRUE");
                Set(row, "Fulfillment service", "manual");
            }

            if (i < product.Images.Count)
            {
                Set(row, "Product image URL", product.Images[i].Url);
                Set(row, "Image position", (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
                Set(row, "Image alt text", product.Images[i].Alt);
            }

            builder.Append(Line(row));
        }

        return builder.ToString();
    }

    /// <summary>RFC 4180: a field with a comma, quote, CR or LF is quoted and its quotes doubled.</summary>
    public static string Field(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }

        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }

    private static void Set(string[] row, string column, string? value) => row[Index[column]] = value ?? "";

    private static string Line(IEnumerable<string?> fields) => string.Join(',', fields.Select(Field)) + "\r\n";
}
