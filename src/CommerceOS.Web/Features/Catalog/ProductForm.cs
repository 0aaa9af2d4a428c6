using System.Globalization;
using System.Text.RegularExpressions;
using CommerceOS.Core.Catalog;
using CommerceOS.Core.Common;

namespace CommerceOS.Web.Features.Catalog;

/// <summary>
/// The product form as the browser posts it: every value is the text the user typed, so a form that
/// fails validation is shown again exactly as it was. <see cref="ToInput"/> turns it into the Core
/// <see cref="ProductInput"/>; the rules themselves stay in <see cref="ProductValidator"/>.
/// </summary>
public sealed class ProductForm
{
    public string? Sku { get; set; }

    public string? Title { get; set; }

    public string? Description { get; set; }

    /// <summary>A brand id, or empty for none.</summary>
    public string? BrandId { get; set; }

    public string? Category { get; set; }

    /// <summary>draft, active or archived.</summary>
    public string? Status { get; set; }

    public string? TargetAudience { get; set; }

    /// <summary>One selling point per line.</summary>
    public string? SellingPoints { get; set; }

    public List<AttributeRow> Attributes { get; set; } = [];

    public List<VariantRow> Variants { get; set; } = [];

    /// <summary>The product version the editor loaded (round-trip "O" format), for the stale-edit check.</summary>
    public string? UpdatedAt { get; set; }

    public static ProductForm From(ProductDetails product) => new()
    {
        Sku = product.Sku,
        Title = product.Title,
        Description = product.Description,
        BrandId = product.BrandId?.ToString(),
        Category = product.Category,
        Status = ProductCsvFormat.FormatStatus(product.Status),
        TargetAudience = product.TargetAudience,
        SellingPoints = string.Join('\n', product.SellingPoints),
        Attributes = product.Attributes.Select(a => new AttributeRow
        {
            Name = a.Name,
            Type = ProductValidator.TypeName(a.Type),
            Value = a.Value,
            Unit = a.Unit,
        }).ToList(),
        Variants = product.Variants.Select(v => new VariantRow
        {
            Sku = v.Sku,
            Options = ProductCsvFormat.FormatOptions(v.Options),
            Price = Currencies.FormatMajor(v.PriceMinor, v.Currency),
            Currency = v.Currency,
            Stock = v.Stock.ToString(CultureInfo.InvariantCulture),
        }).ToList(),
        UpdatedAt = product.UpdatedAt.ToString("O", CultureInfo.InvariantCulture),
    };

    /// <summary>Adds blank rows until there are at least <paramref name="blankAttributes"/> and
    /// <paramref name="blankVariants"/> empty rows at the end (the "N empty rows" of a form without JavaScript).</summary>
    public void PadRows(int blankAttributes, int blankVariants, string defaultCurrency)
    {
        while (Attributes.Count(a => a.IsBlank) < blankAttributes)
        {
            Attributes.Add(new AttributeRow());
        }

        while (Variants.Count(v => v.IsBlank) < blankVariants)
        {
            Variants.Add(new VariantRow { Currency = defaultCurrency });
        }
    }

    public bool TryGetExpectedUpdatedAt(out DateTime updatedAt)
    {
        if (DateTime.TryParse(UpdatedAt, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var parsed))
        {
            updatedAt = parsed.Kind == DateTimeKind.Utc ? parsed : DateTime.SpecifyKind(parsed.ToUniversalTime(), DateTimeKind.Utc);
            return true;
        }

        updatedAt = default;
        return false;
    }

    /// <summary>
    /// The Core input, plus the errors of values that could not even be read (a price that is not a
    /// number, options not in <c>Name=Value; ...</c> form). Blank attribute and variant rows are left
    /// out; <see cref="FormErrors.Add"/> maps Core's row indexes back to the form's rows.
    /// </summary>
    public ParsedForm ToInput()
    {
        var errors = new List<FieldError>();
        var attributeRows = new List<int>();
        var attributes = new List<ProductAttribute>();
        for (var row = 0; row < Attributes.Count; row++)
        {
            var attribute = Attributes[row];
            if (attribute.IsBlank)
            {
                continue;
            }

            attributeRows.Add(row);
            attributes.Add(new ProductAttribute(attribute.Name ?? "", ParseType(attribute.Type), attribute.Value ?? "", attribute.Unit));
        }

        var variantRows = new List<int>();
        var variants = new List<VariantInput>();
        for (var row = 0; row < Variants.Count; row++)
        {
            var variant = Variants[row];
            if (variant.IsBlank)
            {
                continue;
            }

            var index = variants.Count;
            variantRows.Add(row);
            var currency = variant.Currency?.Trim().ToUpperInvariant() ?? "";
            if (!ProductCsvFormat.TryParseOptions(variant.Options ?? "", out var options))
            {
                errors.Add(new FieldError($"variants[{index}].options", CatalogErrors.VariantOptionsFormat));
            }

            var priceText = variant.Price?.Trim() ?? "";
            long price = 0;
            if (!Currencies.TryParseMajor(priceText, currency, out price, out var tooPrecise))
            {
                errors.Add(tooPrecise
                    ? FieldError.Of($"variants[{index}].price", CatalogErrors.PricePrecision, currency, Currencies.Exponent(currency))
                    : FieldError.Of($"variants[{index}].price", CatalogErrors.PriceInvalid, priceText));
                price = 0;
            }

            var stockText = variant.Stock?.Trim() ?? "";
            var stock = 0;
            if (stockText.Length > 0 && !int.TryParse(stockText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out stock))
            {
                errors.Add(FieldError.Of($"variants[{index}].stock", CatalogErrors.StockInvalid, stockText));
                stock = 0;
            }

            variants.Add(new VariantInput(variant.Sku, options, price, currency, stock));
        }

        Guid? brandId = null;
        if (!string.IsNullOrWhiteSpace(BrandId))
        {
            // An id that is not a Guid cannot be a brand of this workspace: Core reports brand_not_found.
            brandId = Guid.TryParse(BrandId, out var parsed) ? parsed : Guid.Empty;
        }

        var input = new ProductInput(
            Sku,
            Title,
            Description,
            brandId,
            Category,
            attributes,
            (SellingPoints ?? "").Split('\n').Select(line => line.TrimEnd('\r')).ToList(),
            TargetAudience,
            ParseStatus(Status),
            variants);
        return new ParsedForm(input, errors, attributeRows, variantRows);
    }

    public static string DefaultCurrencyFor(string culture) =>
        culture.StartsWith("zh", StringComparison.OrdinalIgnoreCase) ? "CNY" : "USD";

    private static ProductStatus ParseStatus(string? status) =>
        string.IsNullOrWhiteSpace(status) ? ProductStatus.Draft
        : ProductCsvFormat.TryParseStatus(status, out var parsed) ? parsed
        : (ProductStatus)(-1); // Core answers catalog.status_invalid.

    private static AttributeType ParseType(string? type) => (type ?? "").Trim().ToLowerInvariant() switch
    {
        "" or "text" => AttributeType.Text,
        "number" => AttributeType.Number,
        "boolean" => AttributeType.Boolean,
        "measurement" => AttributeType.Measurement,
        "list" => AttributeType.List,
        _ => (AttributeType)(-1), // Core answers catalog.attribute_invalid.
    };
}

public sealed class AttributeRow
{
    public string? Name { get; set; }

    /// <summary>text, number, boolean, measurement or list.</summary>
    public string? Type { get; set; } = "text";

    public string? Value { get; set; }

    public string? Unit { get; set; }

    public bool IsBlank => string.IsNullOrWhiteSpace(Name) && string.IsNullOrWhiteSpace(Value) && string.IsNullOrWhiteSpace(Unit);
}

public sealed class VariantRow
{
    public string? Sku { get; set; }

    /// <summary><c>Color=Red; Size=M</c>.</summary>
    public string? Options { get; set; }

    /// <summary>Major units with '.' as decimal point.</summary>
    public string? Price { get; set; }

    public string? Currency { get; set; }

    public string? Stock { get; set; }

    /// <summary>The currency is pre-filled on blank rows, so it does not count.</summary>
    public bool IsBlank => string.IsNullOrWhiteSpace(Sku) && string.IsNullOrWhiteSpace(Options)
        && string.IsNullOrWhiteSpace(Price) && string.IsNullOrWhiteSpace(Stock);
}

/// <param name="ParseErrors">Errors found before Core saw the input; fields use Core's row indexes.</param>
/// <param name="AttributeRows">For each attribute of <paramref name="Input"/>, its row in the form.</param>
/// <param name="VariantRows">For each variant of <paramref name="Input"/>, its row in the form.</param>
public sealed record ParsedForm(ProductInput Input, IReadOnlyList<FieldError> ParseErrors, IReadOnlyList<int> AttributeRows, IReadOnlyList<int> VariantRows);

/// <summary>
/// Localized errors keyed by form field (<c>sku</c>, <c>variants[3].price</c>), with Core's list
/// indexes translated to form rows. Errors without a field go to <see cref="General"/>.
/// </summary>
public sealed partial class FormErrors
{
    private readonly Dictionary<string, List<string>> _byField = new(StringComparer.Ordinal);

    public List<string> General { get; } = [];

    public bool Any => General.Count > 0 || _byField.Count > 0;

    public void Add(FieldError error, string message, ParsedForm? parsed = null)
    {
        var field = error.Field;
        if (field.Length == 0)
        {
            General.Add(message);
            return;
        }

        var match = IndexedField().Match(field);
        if (match.Success && parsed is not null)
        {
            var list = match.Groups[1].Value;
            var index = int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
            var rows = list == "attributes" ? parsed.AttributeRows : parsed.VariantRows;
            var sub = match.Groups[3].Value switch
            {
                ".priceMinor" => ".price",
                var other => other,
            };
            field = index < rows.Count ? $"{list}[{rows[index]}]{sub}" : list;
        }
        else if (field.StartsWith("sellingPoints", StringComparison.Ordinal))
        {
            field = "sellingPoints";
        }

        if (!_byField.TryGetValue(field, out var messages))
        {
            _byField[field] = messages = [];
        }

        messages.Add(message);
    }

    public IReadOnlyList<string> For(string field) => _byField.TryGetValue(field, out var messages) ? messages : [];

    [GeneratedRegex(@"^(attributes|variants)\[(\d+)\](.*)$")]
    private static partial Regex IndexedField();
}
