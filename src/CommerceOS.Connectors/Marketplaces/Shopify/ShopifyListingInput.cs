using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CommerceOS.Connectors.Images;
using CommerceOS.Core.Common;
using CommerceOS.Core.Publishing;

namespace CommerceOS.Connectors.Marketplaces.Shopify;

/// <summary>
/// A <see cref="ListingDraft"/> as <c>productSet</c> input (external-apis.md section 7.3 A), and Shopify's
/// <c>userErrors</c> back in our <see cref="ListingFields"/>.
/// </summary>
internal static class ShopifyListingInput
{
    /// <summary>The <c>id</c>-typed product metafield that holds our listing key: productSet's custom identifier.</summary>
    public const string KeyNamespace = "commerceos";
    public const string KeyName = "listing_key";

    /// <summary>Shopify's name for the only option of a product without variants (as in its product CSV).</summary>
    private const string DefaultOptionName = "Title";
    private const string DefaultOptionValue = "Default Title";

    private const string TaxonomyPrefix = "gid://shopify/TaxonomyCategory/";

    public static JsonObject ByKey(ListingDraft listing) => new()
    {
        ["customId"] = new JsonObject { ["namespace"] = KeyNamespace, ["key"] = KeyName, ["value"] = listing.ListingKey },
    };

    public static JsonObject ById(string productId) => new() { ["id"] = productId };

    /// <summary>
    /// Everything the listing says. Omitted scalars stay as they are on Shopify; the lists sent replace Shopify's
    /// (section 7.3), which is why the listing-key metafield goes only with an upsert by that key
    /// (<paramref name="withKey"/>): an update by id leaves the product's metafields, the seller's own among them, alone.
    /// </summary>
    public static JsonObject Product(ListingDraft listing, JsonArray files, string? locationId, string? shopCurrency, bool withKey)
    {
        var input = new JsonObject
        {
            ["title"] = listing.Title,
            ["handle"] = listing.Handle,
            ["status"] = "ACTIVE",
            ["tags"] = new JsonArray([.. listing.Tags.Select(tag => (JsonNode)tag)]),
            ["files"] = files.DeepClone(),
        };
        if (withKey)
        {
            input["metafields"] = new JsonArray(new JsonObject { ["namespace"] = KeyNamespace, ["key"] = KeyName, ["type"] = "id", ["value"] = listing.ListingKey });
        }
        if (listing.DescriptionHtml is { } description)
        {
            input["descriptionHtml"] = description;
        }

        if (listing.Brand is { } brand)
        {
            input["vendor"] = brand;
        }

        if (listing.Attributes.TryGetValue("product_type", out var productType))
        {
            input["productType"] = productType;
        }

        if (listing.SeoTitle is not null || listing.SeoDescription is not null)
        {
            input["seo"] = new JsonObject { ["title"] = listing.SeoTitle, ["description"] = listing.SeoDescription };
        }

        if (listing.CategoryId is { } category && category.StartsWith(TaxonomyPrefix, StringComparison.Ordinal))
        {
            input["category"] = category;
        }

        AddOffers(input, listing, locationId, shopCurrency);
        return input;
    }

    /// <summary>
    /// Only options and variants ("keep in sync"). Section 7.3: list fields are replaced, missing entries deleted, so
    /// every variant goes, complete (SKU, barcode, weight too), or Shopify would drop or blank the ones left out.
    /// </summary>
    public static JsonObject Offers(ListingDraft listing, string? locationId, string? shopCurrency)
    {
        var input = new JsonObject();
        AddOffers(input, listing, locationId, shopCurrency);
        return input;
    }

    public static JsonObject Archive() => new() { ["status"] = "ARCHIVED" };

    /// <summary>One <c>files</c> entry (<c>FileSetInput</c>): a public URL Shopify fetches, or a staged upload's <c>resourceUrl</c>.</summary>
    public static JsonObject File(ListingDraft listing, ListingImage image, string originalSource) => new()
    {
        ["originalSource"] = originalSource,
        ["alt"] = listing.Title,
        ["contentType"] = "IMAGE",
        ["filename"] = image.FileName,
    };

    /// <summary>Shopify prices in the shop's currency: a variant priced in another one cannot be sent as it is.</summary>
    public static IReadOnlyList<PlatformIssue> CurrencyIssues(ListingDraft listing, string? shopCurrency) =>
        shopCurrency is null
            ? []
            : [.. listing.Variants
                .Where(variant => variant.PriceMinor is not null && variant.Currency is { } currency && !string.Equals(currency, shopCurrency, StringComparison.OrdinalIgnoreCase))
                .Select(variant => new PlatformIssue(
                    ListingFields.Price,
                    "CURRENCY_MISMATCH",
                    $"The shop sells in {shopCurrency}; variant {variant.Sku} is priced in {variant.Currency}.",
                    PlatformIssueSeverity.Error,
                    "variants.price"))];

    /// <summary><c>userErrors [{ field: ["input","variants","0","price"], message, code }]</c> (section 7.7) as issues.</summary>
    public static List<PlatformIssue> Issues(JsonElement userErrors, string defaultField = ListingFields.Listing)
    {
        var issues = new List<PlatformIssue>();
        if (userErrors.ValueKind != JsonValueKind.Array)
        {
            return issues;
        }

        foreach (var error in userErrors.EnumerateArray())
        {
            var path = error.TryGetProperty("field", out var field) && field.ValueKind == JsonValueKind.Array
                ? field.EnumerateArray().Select(part => part.ToString()).SkipWhile(part => part is "input" or "product").ToList()
                : [];
            issues.Add(new PlatformIssue(
                path.Count == 0 ? defaultField : FieldOf(path),
                error.GetString("code") ?? "INVALID",
                error.GetString("message") ?? "Shopify gave no message.",
                PlatformIssueSeverity.Error,
                path.Count == 0 ? null : string.Join('.', path)));
        }

        return issues;
    }

    /// <summary>A <c>ProductSetInput</c> path (without <c>input</c>) in our field names.</summary>
    public static string FieldOf(IReadOnlyList<string> path) => path[0] switch
    {
        "title" => ListingFields.Title,
        "descriptionHtml" or "bodyHtml" => ListingFields.Description,
        "handle" or "seo" => ListingFields.Seo,
        "vendor" => ListingFields.Brand,
        "category" or "productType" => ListingFields.Category,
        "tags" => ListingFields.Keywords,
        "files" or "media" => ListingFields.Images,
        "productOptions" => ListingFields.Variants,
        "metafields" => ListingFields.Attributes,
        "variants" => VariantFieldOf(path.Skip(1).SkipWhile(part => part.All(char.IsAsciiDigit)).ToList()),
        _ => ListingFields.Listing,
    };

    private static string VariantFieldOf(List<string> rest) => rest.FirstOrDefault() switch
    {
        "price" or "compareAtPrice" => ListingFields.Price,
        "sku" or "barcode" => ListingFields.Sku,
        "inventoryQuantities" or "inventoryPolicy" => ListingFields.Stock,
        "inventoryItem" when rest.Contains("measurement") || rest.Contains("weight") => ListingFields.Weight,
        "inventoryItem" when rest.Contains("sku") => ListingFields.Sku,
        "inventoryItem" => ListingFields.Stock,
        "file" => ListingFields.Images,
        _ => ListingFields.Variants,
    };

    private static void AddOffers(JsonObject input, ListingDraft listing, string? locationId, string? shopCurrency)
    {
        var names = listing.OptionNames.Count == 0 ? [DefaultOptionName] : listing.OptionNames;
        input["productOptions"] = new JsonArray([.. names.Select((name, index) => (JsonNode)new JsonObject
        {
            ["name"] = name,
            ["position"] = index + 1,
            ["values"] = new JsonArray([.. listing.Variants
                .Select(variant => OptionValue(listing, variant, name))
                .Distinct(StringComparer.Ordinal)
                .Select(value => (JsonNode)new JsonObject { ["name"] = value })]),
        })]);
        input["variants"] = new JsonArray([.. listing.Variants.Select(variant => (JsonNode)Variant(listing, variant, names, locationId, shopCurrency))]);
    }

    private static JsonObject Variant(ListingDraft listing, ListingVariant variant, IReadOnlyList<string> names, string? locationId, string? shopCurrency)
    {
        var inventoryItem = new JsonObject { ["tracked"] = true };
        if (listing.WeightGrams is { } grams)
        {
            // UNCONFIRMED (section 7.3 B): InventoryItemInput.measurement.weight { value, unit } on productSet variants.
            inventoryItem["measurement"] = new JsonObject { ["weight"] = new JsonObject { ["value"] = grams, ["unit"] = "GRAMS" } };
        }

        // UNCONFIRMED (section 7.3 A): sub-fields of ProductVariantSetInput beyond optionValues and price.
        var node = new JsonObject
        {
            ["optionValues"] = new JsonArray([.. names.Select(name => (JsonNode)new JsonObject { ["optionName"] = name, ["name"] = OptionValue(listing, variant, name) })]),
            ["sku"] = variant.Sku,
            ["inventoryItem"] = inventoryItem,
        };
        if (variant.PriceMinor is { } price)
        {
            node["price"] = Currencies.FormatMajor(price, variant.Currency ?? shopCurrency ?? "USD");
        }

        if (variant.Barcode is { } barcode)
        {
            node["barcode"] = barcode;
        }

        if (locationId is not null)
        {
            node["inventoryQuantities"] = new JsonArray(new JsonObject
            {
                ["locationId"] = locationId,
                ["name"] = "available",
                ["quantity"] = variant.Stock,
            });
        }

        return node;
    }

    private static string OptionValue(ListingDraft listing, ListingVariant variant, string name) =>
        listing.OptionNames.Count == 0
            ? DefaultOptionValue
            : variant.Options.FirstOrDefault(option => string.Equals(option.Key, name, StringComparison.Ordinal)).Value ?? variant.Sku;

    /// <summary>The numeric tail of <c>gid://shopify/Product/123</c>.</summary>
    public static string NumericId(string gid) => gid[(gid.LastIndexOf('/') + 1)..];

    public static bool IsProductGid(string? value) =>
        value is not null
        && value.StartsWith("gid://shopify/Product/", StringComparison.Ordinal)
        && NumericId(value) is { Length: > 0 } number
        && long.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out _);

    /// <summary>Every image's <c>status</c> and first <c>mediaErrors</c> entry from <c>product.media.nodes</c>.</summary>
    public static IEnumerable<(string Status, string? Code, string? Message)> Media(JsonElement product)
    {
        if (!product.TryGetProperty("media", out var media) || !media.TryGetProperty("nodes", out var nodes) || nodes.ValueKind != JsonValueKind.Array)
        {
            yield break;
        }

        foreach (var node in nodes.EnumerateArray())
        {
            JsonElement? error = node.TryGetProperty("mediaErrors", out var errors) && errors.ValueKind == JsonValueKind.Array && errors.GetArrayLength() > 0 ? errors[0] : null;
            yield return (node.GetString("status") ?? "UNKNOWN", error?.GetString("code"), error?.GetString("message"));
        }
    }
}
