using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using CommerceOS.Connectors.Images;
using CommerceOS.Core.Common;
using CommerceOS.Core.Publishing;

namespace CommerceOS.Connectors.Marketplaces.TikTokShop;

/// <summary>
/// The draft in TikTok's words: the product body of section 9.6 (create and edit take the same one), the checks that
/// would only waste an upload, and TikTok's error texts and audit reasons mapped to our <see cref="ListingFields"/>.
/// </summary>
internal static class TikTokShopListing
{
    public const int MaxImages = 9;
    private const int MaxQuantity = 999_999;

    /// <summary>What TikTok requires and the draft lacks, found before any upload.</summary>
    public static List<PlatformIssue> Check(ListingDraft listing)
    {
        var issues = new List<PlatformIssue>();
        void Missing(string field, string message) => issues.Add(new PlatformIssue(field, "MISSING", message, PlatformIssueSeverity.Error));

        if (string.IsNullOrWhiteSpace(listing.Title))
        {
            Missing(ListingFields.Title, "title is required.");
        }

        if (string.IsNullOrWhiteSpace(listing.DescriptionHtml) && string.IsNullOrWhiteSpace(listing.DescriptionText))
        {
            Missing(ListingFields.Description, "description is required.");
        }

        if (string.IsNullOrWhiteSpace(listing.CategoryId))
        {
            Missing(ListingFields.Category, "category_id is required (a leaf category).");
        }

        if (listing.Images.Count == 0)
        {
            Missing(ListingFields.Images, "main_images needs at least one image.");
        }

        if (listing.Variants.Any(variant => variant.PriceMinor is null || string.IsNullOrEmpty(variant.Currency)))
        {
            Missing(ListingFields.Price, "skus[].price needs an amount and a currency for every SKU.");
        }

        return issues;
    }

    public static string Body(ListingDraft listing, IReadOnlyList<string> imageUris, string warehouseId)
    {
        var skus = new JsonArray();
        foreach (var variant in listing.Variants)
        {
            var sku = new JsonObject
            {
                ["seller_sku"] = variant.Sku,
                ["price"] = Price(variant),
                ["inventory"] = new JsonArray(Inventory(variant, warehouseId)),
            };
            if (variant.Options.Count > 0)
            {
                sku["sales_attributes"] = new JsonArray([.. variant.Options.Select(option => (JsonNode)new JsonObject { ["name"] = option.Key, ["value_name"] = option.Value })]);
            }

            if (Identifier(variant.Barcode) is { } identifier)
            {
                sku["identifier_code"] = identifier;
            }

            skus.Add(sku);
        }

        var body = new JsonObject
        {
            ["save_mode"] = "LISTING",
            ["title"] = listing.Title,
            ["description"] = Description(listing),
            ["category_id"] = listing.CategoryId,
            ["main_images"] = new JsonArray([.. imageUris.Select(uri => (JsonNode)new JsonObject { ["uri"] = uri })]),
            ["skus"] = skus,
            // Our idempotency key, kept by TikTok with the product (section 9.6).
            ["external_product_id"] = listing.ListingKey,
        };
        if (listing.WeightGrams is { } grams)
        {
            body["package_weight"] = new JsonObject { ["value"] = (grams / 1000m).ToString("0.###", CultureInfo.InvariantCulture), ["unit"] = "KILOGRAM" };
        }

        if (listing.Attributes.Count > 0)
        {
            // UNCONFIRMED: a value by name only (no value id) is accepted for attributes that take free values.
            body["product_attributes"] = new JsonArray([.. listing.Attributes.Select(attribute => (JsonNode)new JsonObject
            {
                ["id"] = attribute.Key,
                ["values"] = new JsonArray(new JsonObject { ["name"] = attribute.Value }),
            })]);
        }

        return body.ToJsonString();
    }

    public static JsonObject Price(ListingVariant variant) => new()
    {
        ["amount"] = Currencies.FormatMajor(variant.PriceMinor ?? 0, variant.Currency ?? ""),
        ["currency"] = variant.Currency,
    };

    public static JsonObject Inventory(ListingVariant variant, string warehouseId) => new()
    {
        ["warehouse_id"] = warehouseId,
        ["quantity"] = Math.Clamp(variant.Stock, 0, MaxQuantity),
    };

    /// <summary>One issue for a refused write: the field is read from TikTok's message, which is kept as it came.</summary>
    public static PlatformIssue FromReply(TikTokReply reply) =>
        new(FieldOf(reply.Message), reply.Code.ToString(CultureInfo.InvariantCulture), reply.Message, PlatformIssueSeverity.Error);

    /// <summary>The create answer's <c>data.warnings[].message</c>.</summary>
    public static List<PlatformIssue> Warnings(JsonElement data) =>
        [.. Items(data, "warnings").Select(warning => warning.GetString("message")).OfType<string>()
            .Select(message => new PlatformIssue(FieldOf(message), "WARNING", message, PlatformIssueSeverity.Warning))];

    /// <summary>
    /// <c>audit_failed_reasons[{position, reasons[], suggestions[]}]</c> of a FAILED product (values UNCONFIRMED): the
    /// position names the part of the listing ("Product Name", "Main Image").
    /// </summary>
    public static List<PlatformIssue> AuditReasons(JsonElement data)
    {
        var issues = new List<PlatformIssue>();
        foreach (var reason in Items(data, "audit_failed_reasons"))
        {
            var position = reason.GetString("position");
            var texts = Items(reason, "reasons").Concat(Items(reason, "suggestions"))
                .Where(text => text.ValueKind == JsonValueKind.String).Select(text => text.GetString()!).ToList();
            var message = texts.Count > 0 ? string.Join(" ", texts) : position ?? "The product failed TikTok Shop's audit.";
            issues.Add(new PlatformIssue(FieldOf(position ?? message), "AUDIT_FAILED", message, PlatformIssueSeverity.Error, position));
        }

        return issues.Count > 0 ? issues : [new PlatformIssue(ListingFields.Listing, "AUDIT_FAILED", "The product failed TikTok Shop's audit.", PlatformIssueSeverity.Error)];
    }

    public static IEnumerable<JsonElement> Items(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var items) && items.ValueKind == JsonValueKind.Array
            ? items.EnumerateArray()
            : [];

    /// <summary>Our field for a TikTok field name or message; the first match wins, so the specific names come first.</summary>
    public static string FieldOf(string text)
    {
        (string Needle, string Field)[] words =
        [
            ("sales_attribute", ListingFields.Variants), ("sales attribute", ListingFields.Variants), ("variation", ListingFields.Variants),
            ("attribute", ListingFields.Attributes), ("category", ListingFields.Category), ("brand", ListingFields.Brand),
            ("title", ListingFields.Title), ("product name", ListingFields.Title), ("description", ListingFields.Description),
            ("image", ListingFields.Images), ("price", ListingFields.Price), ("inventory", ListingFields.Stock),
            ("quantity", ListingFields.Stock), ("weight", ListingFields.Weight), ("package", ListingFields.Weight),
            ("seller_sku", ListingFields.Sku), ("sku", ListingFields.Sku),
        ];
        return words.FirstOrDefault(word => text.Contains(word.Needle, StringComparison.OrdinalIgnoreCase)).Field ?? ListingFields.Listing;
    }

    /// <summary>A refusal that only says the product is gone (UNCONFIRMED code and wording).</summary>
    public static bool IsNotFound(long code, string? message) =>
        code == TikTokShopCodes.ProductNotFound
        || (message is not null && (message.Contains("not exist", StringComparison.OrdinalIgnoreCase) || message.Contains("not found", StringComparison.OrdinalIgnoreCase)));

    private static string Description(ListingDraft listing) =>
        !string.IsNullOrWhiteSpace(listing.DescriptionHtml)
            ? listing.DescriptionHtml
            : $"<p>{WebUtility.HtmlEncode(listing.DescriptionText ?? "")}</p>";

    /// <summary>GTIN-14, EAN-13 or UPC-A by length; other barcodes are left out rather than mislabelled.</summary>
    private static JsonObject? Identifier(string? barcode) =>
        barcode is null || !barcode.All(char.IsAsciiDigit) ? null : barcode.Length switch
        {
            12 => new JsonObject { ["code"] = barcode, ["type"] = "UPC" },
            13 => new JsonObject { ["code"] = barcode, ["type"] = "EAN" },
            14 => new JsonObject { ["code"] = barcode, ["type"] = "GTIN" },
            _ => null,
        };
}
