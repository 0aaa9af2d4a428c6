using System.Net;
using System.Text.Json;
using CommerceOS.Connectors.Images;
using CommerceOS.Core.Exports;
using CommerceOS.Core.Generation;
using CommerceOS.Core.Publishing;

namespace CommerceOS.Connectors.Marketplaces.Amazon;

/// <summary>What Amazon said about one SKU's submission (<c>ListingsItemSubmissionResponse</c>, §8.3).</summary>
/// <param name="Status"><c>ACCEPTED</c>, <c>INVALID</c>, or <c>NOT_FOUND</c> for a 404 (a delete of a SKU already gone).</param>
internal sealed record AmazonSubmission(string Sku, string Status, string? SubmissionId, IReadOnlyList<PlatformIssue> Issues)
{
    public const string Accepted = "ACCEPTED";
    public const string Invalid = "INVALID";
    public const string NotFound = "NOT_FOUND";

    /// <summary>
    /// Reads the answer of a put, patch or delete. Amazon answers 200 even for an invalid listing; a 400 ErrorList
    /// (a malformed body or product type) is about the listing too, so it becomes issues on the whole listing.
    /// </summary>
    /// <param name="variation">The family's theme, whose attributes are about the variants.</param>
    public static AmazonSubmission Read(string sku, HttpStatusCode status, JsonElement body, string what, AmazonVariation? variation = null)
    {
        if (status == HttpStatusCode.NotFound)
        {
            return new AmazonSubmission(sku, NotFound, null, AmazonIssues.FromErrors(body));
        }

        if (status is HttpStatusCode.BadRequest or HttpStatusCode.RequestEntityTooLarge or HttpStatusCode.UnprocessableEntity)
        {
            return new AmazonSubmission(sku, Invalid, null, AmazonIssues.FromErrors(body));
        }

        if ((int)status is < 200 or >= 300)
        {
            throw new ProviderException(ProviderFailure.Transient, $"Amazon {what} for SKU {sku} answered {(int)status}: {AmazonSpApi.FirstError(body)}");
        }

        // UNCONFIRMED: VALID is what newer versions answer in VALIDATION_PREVIEW mode (we do not send that mode).
        var verdict = body.GetString("status") switch
        {
            Accepted or "VALID" => Accepted,
            Invalid => Invalid,
            var other => throw new ProviderException(ProviderFailure.Transient, $"Amazon {what} for SKU {sku} answered an unknown status '{other ?? "(none)"}'."),
        };
        return new AmazonSubmission(sku, verdict, body.GetString("submissionId"), AmazonIssues.Read(body, variation));
    }
}

/// <summary>Amazon's issues in our terms: each attribute it names mapped to one of <see cref="ListingFields"/>.</summary>
internal static class AmazonIssues
{
    /// <summary>The <c>issues</c> array of a submission response or a listings item (code, message, severity, attributeNames).</summary>
    /// <param name="variation">The family's theme: its attributes (<c>color</c>, <c>size</c>) are then about the variants.</param>
    public static IReadOnlyList<PlatformIssue> Read(JsonElement container, AmazonVariation? variation = null)
    {
        var issues = new List<PlatformIssue>();
        if (container.ValueKind != JsonValueKind.Object || !container.TryGetProperty("issues", out var array) || array.ValueKind != JsonValueKind.Array)
        {
            return issues;
        }

        foreach (var issue in array.EnumerateArray())
        {
            var code = issue.GetString("code") ?? "";
            var message = issue.GetString("message") ?? "";
            var severity = issue.GetString("severity") switch
            {
                "ERROR" => PlatformIssueSeverity.Error,
                "WARNING" => PlatformIssueSeverity.Warning,
                _ => PlatformIssueSeverity.Info,
            };
            var names = issue.TryGetProperty("attributeNames", out var list) && list.ValueKind == JsonValueKind.Array
                ? [.. list.EnumerateArray().Where(n => n.ValueKind == JsonValueKind.String).Select(n => n.GetString()!)]
                : new List<string>();
            if (names.Count == 0)
            {
                issues.Add(new PlatformIssue(ListingFields.Listing, code, message, severity));
            }

            // One issue per attribute, so each lands under its own field in the checklist.
            issues.AddRange(names.Select(name => new PlatformIssue(FieldOf(name, variation), code, message, severity, name)));
        }

        return issues;
    }

    /// <summary>An <c>ErrorList</c> (§8.5) as errors on the whole listing.</summary>
    public static IReadOnlyList<PlatformIssue> FromErrors(JsonElement body) =>
        body.ValueKind == JsonValueKind.Object && body.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array
            ? [.. errors.EnumerateArray().Select(e => new PlatformIssue(ListingFields.Listing, e.GetString("code") ?? "", ProviderHttp.Truncate(e.GetString("message") ?? ""), PlatformIssueSeverity.Error))]
            : [];

    /// <summary>Amazon's attribute names (the ones <see cref="Core.Exports.AmazonListingJson"/> writes) to our fields.</summary>
    /// <param name="variation">A family's theme: the attributes carrying its option values belong to the variants
    /// (outside a family <c>material</c> is an attribute like any other).</param>
    public static string FieldOf(string attribute, AmazonVariation? variation = null) => attribute switch
    {
        // UNCONFIRMED: the variation attributes follow Amazon's public product-type schemas, not the reference.
        "parentage_level" or "child_parent_sku_relationship" or "variation_theme" => ListingFields.Variants,
        _ when variation?.Theme is not null && variation.Attributes.Values.Contains(attribute, StringComparer.Ordinal) => ListingFields.Variants,
        // UNCONFIRMED: the offer and image attribute names are the widely used ones (§8.3); a product type's schema rules.
        "item_name" => ListingFields.Title,
        "bullet_point" => ListingFields.Bullets,
        "product_description" => ListingFields.Description,
        "purchasable_offer" => ListingFields.Price,
        "fulfillment_availability" => ListingFields.Stock,
        "brand" => ListingFields.Brand,
        "generic_keyword" => ListingFields.Keywords,
        "productType" => ListingFields.Category,
        _ when attribute.Contains("_image_locator", StringComparison.Ordinal) => ListingFields.Images,
        _ => ListingFields.Attributes,
    };
}
