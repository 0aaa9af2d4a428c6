using System.Globalization;
using CommerceOS.Core.Common;
using CommerceOS.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Core.Catalog;

/// <summary>
/// The product rules, shared by every entry point. Field paths are camelCase as in the JSON request
/// (<c>variants[1].currency</c>); the CSV importer maps them to its column names.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>SKU (product and variant): required, at most 64 characters of ASCII letters, digits and
/// <c>- _ . /</c>.</item>
/// <item>Title required, at most 500; description 20,000; category 200; target audience 500.</item>
/// <item>At most 10 selling points of at most 500 characters each.</item>
/// <item>At most 100 attributes with unique names (case-insensitive, at most 100 characters) and
/// values of at most 1,000 characters: Number parses with the invariant culture ("1.5", never
/// "1,5"); Boolean is true or false; Measurement is a number plus a unit; Text and List are free text.</item>
/// <item>At most 100 variants with unique SKUs, a known upper-case ISO 4217 currency (one currency per
/// product, so a price range is meaningful), price and stock not negative, option names and values
/// non-empty (at most 50 and 100 characters).</item>
/// </list>
/// Uniqueness against the database (SKU taken) is checked by the use cases, not here.
/// </remarks>
public static class ProductValidator
{
    public const int MaxSkuLength = 64;
    public const int MaxTitleLength = 500;
    public const int MaxDescriptionLength = 20_000;
    public const int MaxCategoryLength = 200;
    public const int MaxTargetAudienceLength = 500;
    public const int MaxSellingPoints = 10;
    public const int MaxSellingPointLength = 500;
    public const int MaxAttributes = 100;
    public const int MaxAttributeNameLength = 100;
    public const int MaxAttributeValueLength = 1_000;
    public const int MaxVariants = 100;
    public const int MaxOptionNameLength = 50;
    public const int MaxOptionValueLength = 100;

    /// <summary>Validates a <see cref="ProductInput.Normalized"/> input.</summary>
    /// <param name="brandExists">Whether a brand id belongs to the workspace; called only when a brand is set.</param>
    public static IReadOnlyList<FieldError> Validate(ProductInput input, Func<Guid, bool> brandExists)
    {
        var errors = new List<FieldError>();
        ValidateSku(input.Sku, "sku", errors);

        if (string.IsNullOrEmpty(input.Title))
        {
            errors.Add(new FieldError("title", CatalogErrors.TitleRequired));
        }
        else if (input.Title.Length > MaxTitleLength)
        {
            errors.Add(FieldError.Of("title", CatalogErrors.TitleTooLong, MaxTitleLength));
        }

        MaxLength(input.Description, MaxDescriptionLength, "description", CatalogErrors.DescriptionTooLong, errors);
        MaxLength(input.Category, MaxCategoryLength, "category", CatalogErrors.CategoryTooLong, errors);
        MaxLength(input.TargetAudience, MaxTargetAudienceLength, "targetAudience", CatalogErrors.TargetAudienceTooLong, errors);

        if (!Enum.IsDefined(input.Status))
        {
            errors.Add(new FieldError("status", CatalogErrors.StatusInvalid));
        }

        if (input.BrandId is { } brandId && !brandExists(brandId))
        {
            errors.Add(new FieldError("brandId", CatalogErrors.BrandNotFound));
        }

        var sellingPoints = input.SellingPoints ?? [];
        if (sellingPoints.Count > MaxSellingPoints)
        {
            errors.Add(FieldError.Of("sellingPoints", CatalogErrors.TooManySellingPoints, MaxSellingPoints));
        }

        for (var i = 0; i < sellingPoints.Count; i++)
        {
            MaxLength(sellingPoints[i], MaxSellingPointLength, $"sellingPoints[{i}]", CatalogErrors.SellingPointTooLong, errors);
        }

        ValidateAttributes(input.Attributes ?? [], errors);
        ValidateVariants(input.Variants ?? [], errors);
        return errors;
    }

    /// <summary>Validates with the brand looked up in <paramref name="db"/> (tenant-filtered).</summary>
    public static async Task<IReadOnlyList<FieldError>> ValidateAsync(AppDbContext db, ProductInput input, CancellationToken cancellationToken)
    {
        var brandFound = input.BrandId is not { } brandId || await db.Brands.AnyAsync(b => b.Id == brandId, cancellationToken);
        return Validate(input, _ => brandFound);
    }

    public static bool IsValidSku(string? sku) =>
        !string.IsNullOrEmpty(sku) && sku.Length <= MaxSkuLength && sku.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/');

    /// <summary>True when <paramref name="value"/> is a number in the invariant culture ("-1.5", "2e3").</summary>
    public static bool IsInvariantNumber(string value) =>
        value.Length > 0 && !value.Contains(',', StringComparison.Ordinal)
        && decimal.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _);

    private static void ValidateSku(string? sku, string field, List<FieldError> errors)
    {
        if (string.IsNullOrEmpty(sku))
        {
            errors.Add(new FieldError(field, CatalogErrors.SkuRequired));
        }
        else if (!IsValidSku(sku))
        {
            errors.Add(FieldError.Of(field, CatalogErrors.SkuInvalid, MaxSkuLength));
        }
    }

    private static void ValidateAttributes(IReadOnlyList<ProductAttribute> attributes, List<FieldError> errors)
    {
        if (attributes.Count > MaxAttributes)
        {
            errors.Add(FieldError.Of("attributes", CatalogErrors.TooManyAttributes, MaxAttributes));
        }

        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < attributes.Count; i++)
        {
            var attribute = attributes[i];
            var field = $"attributes[{i}]";
            if (string.IsNullOrEmpty(attribute.Name))
            {
                errors.Add(new FieldError($"{field}.name", CatalogErrors.AttributeNameRequired));
            }
            else if (attribute.Name.Length > MaxAttributeNameLength)
            {
                errors.Add(FieldError.Of($"{field}.name", CatalogErrors.AttributeNameTooLong, MaxAttributeNameLength));
            }
            else if (!names.Add(attribute.Name))
            {
                errors.Add(FieldError.Of($"{field}.name", CatalogErrors.AttributeDuplicate, attribute.Name));
            }

            if (attribute.Value.Length > MaxAttributeValueLength)
            {
                errors.Add(FieldError.Of($"{field}.value", CatalogErrors.AttributeValueTooLong, MaxAttributeValueLength));
                continue;
            }

            var valid = attribute.Type switch
            {
                AttributeType.Text or AttributeType.List => attribute.Value.Length > 0 && attribute.Unit is null,
                AttributeType.Number => IsInvariantNumber(attribute.Value) && attribute.Unit is null,
                AttributeType.Boolean => attribute.Value is "true" or "false" && attribute.Unit is null,
                AttributeType.Measurement => IsInvariantNumber(attribute.Value) && attribute.Unit is { Length: > 0 and <= 20 },
                _ => false,
            };
            if (!valid)
            {
                errors.Add(FieldError.Of($"{field}.value", CatalogErrors.AttributeInvalid, attribute.Name, TypeName(attribute.Type)));
            }
        }
    }

    /// <summary>The lower-case name used in error arguments and the CSV format.</summary>
    public static string TypeName(AttributeType type) => type switch
    {
        AttributeType.Text => "text",
        AttributeType.Number => "number",
        AttributeType.Boolean => "boolean",
        AttributeType.Measurement => "measurement",
        AttributeType.List => "list",
        _ => "unknown",
    };

    private static void ValidateVariants(IReadOnlyList<VariantInput> variants, List<FieldError> errors)
    {
        if (variants.Count > MaxVariants)
        {
            errors.Add(FieldError.Of("variants", CatalogErrors.TooManyVariants, MaxVariants));
        }

        var skus = new HashSet<string>(StringComparer.Ordinal);
        string? firstCurrency = null;
        for (var i = 0; i < variants.Count; i++)
        {
            var variant = variants[i];
            var field = $"variants[{i}]";
            ValidateSku(variant.Sku, $"{field}.sku", errors);
            if (!string.IsNullOrEmpty(variant.Sku) && !skus.Add(variant.Sku))
            {
                errors.Add(FieldError.Of($"{field}.sku", CatalogErrors.VariantSkuDuplicate, variant.Sku));
            }

            if (!Currencies.IsKnown(variant.Currency))
            {
                errors.Add(FieldError.Of($"{field}.currency", CatalogErrors.CurrencyInvalid, variant.Currency ?? ""));
            }
            else if (firstCurrency is null)
            {
                firstCurrency = variant.Currency;
            }
            else if (variant.Currency != firstCurrency)
            {
                errors.Add(FieldError.Of($"{field}.currency", CatalogErrors.CurrencyMixed, firstCurrency));
            }

            if (variant.PriceMinor < 0)
            {
                errors.Add(new FieldError($"{field}.priceMinor", CatalogErrors.PriceNegative));
            }

            if (variant.Stock < 0)
            {
                errors.Add(new FieldError($"{field}.stock", CatalogErrors.StockNegative));
            }

            foreach (var (name, value) in variant.Options ?? new Dictionary<string, string>())
            {
                if (name.Length is 0 or > MaxOptionNameLength || value.Length is 0 or > MaxOptionValueLength)
                {
                    errors.Add(FieldError.Of($"{field}.options", CatalogErrors.VariantOptionInvalid, name, MaxOptionNameLength, MaxOptionValueLength));
                }
            }
        }
    }

    private static void MaxLength(string? value, int max, string field, string code, List<FieldError> errors)
    {
        if (value is not null && value.Length > max)
        {
            errors.Add(FieldError.Of(field, code, max));
        }
    }
}
