using CommerceOS.Core.Copy;
using CommerceOS.Core.Exports;

namespace CommerceOS.Core.Publishing;

/// <summary>
/// The publish-time compliance check: every image against the marketplace's rules (sizes, formats, bytes, the stored
/// background and fill check of the main image, the free plan's watermark), every text against the copy rules, offers and
/// the platform's required fields. Blocking problems stop the publish with the rule and a fix; warnings let it through.
/// </summary>
public static class PublishGate
{
    public const string Source = "gate";

    public const string Required = "publishing.gate.required";
    public const string NoMainImage = "publishing.gate.no_main_image";
    public const string TooManyImages = "publishing.gate.too_many_images";
    public const string NoPublicUrl = "publishing.gate.no_public_url";
    public const string NoCopy = "publishing.gate.no_copy";
    public const string CopyNotApproved = "publishing.gate.copy_not_approved";
    public const string NoPrice = "publishing.gate.no_price";

    /// <summary>Platforms that take listing images only as public URLs (external-apis.md §8.6: Amazon fetches them).</summary>
    public static readonly IReadOnlySet<string> UrlOnlyPlatforms = new HashSet<string>(StringComparer.Ordinal) { Platforms.Amazon };

    /// <summary>The platform's required fields and whether the draft fills each.</summary>
    public static IReadOnlyList<ChecklistItem> Checklist(IMarketplacePublisher publisher, ListingDraft draft)
    {
        ArgumentNullException.ThrowIfNull(publisher);
        ArgumentNullException.ThrowIfNull(draft);
        return publisher.RequiredFields.Select(field => new ChecklistItem(field, Has(draft, field))).ToList();
    }

    /// <param name="imageFlags">Each chosen image's rule flags, by role.</param>
    /// <param name="copyIssues">The stored rule check of the copy version, null without copy.</param>
    /// <param name="copyApproved">Whether that version is the approved one, null without copy.</param>
    /// <param name="publicUrls">Whether images can be offered by URL.</param>
    public static IReadOnlyList<ListingIssue> Check(
        IMarketplacePublisher publisher,
        ListingDraft draft,
        IReadOnlyList<ChecklistItem> checklist,
        IReadOnlyList<(string Role, KitFlag Flag)> imageFlags,
        IReadOnlyList<CopyIssue>? copyIssues,
        bool? copyApproved,
        bool publicUrls)
    {
        ArgumentNullException.ThrowIfNull(publisher);
        ArgumentNullException.ThrowIfNull(draft);
        ArgumentNullException.ThrowIfNull(checklist);
        ArgumentNullException.ThrowIfNull(imageFlags);
        var issues = new List<ListingIssue>();
        foreach (var missing in checklist.Where(c => !c.Done))
        {
            issues.Add(Block(missing.Field, Required, "publishing.listing_field." + missing.Field));
        }

        if (draft.Images.Count > 0 && draft.Images[0].Role != KitRoles.Main)
        {
            issues.Add(Block(ListingFields.Images, NoMainImage));
        }

        foreach (var (role, flag) in imageFlags)
        {
            issues.Add(new ListingIssue(ListingFields.Images, flag.Code, flag.Args, Blocking: true, Source, Detail: role));
        }

        if (draft.Images.Count > publisher.MaxImages)
        {
            issues.Add(Warn(ListingFields.Images, TooManyImages, publisher.MaxImages.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        if (draft.Images.Count > 0 && UrlOnlyPlatforms.Contains(publisher.Platform) && !publicUrls)
        {
            issues.Add(Block(ListingFields.Images, NoPublicUrl));
        }

        foreach (var variant in draft.Variants.Where(v => v.PriceMinor is null or <= 0))
        {
            issues.Add(Block(ListingFields.Price, NoPrice, variant.Sku));
        }

        if (copyIssues is null)
        {
            issues.Add(Warn(ListingFields.Listing, NoCopy));
        }
        else
        {
            if (copyApproved == false)
            {
                issues.Add(Warn(ListingFields.Listing, CopyNotApproved));
            }

            foreach (var issue in copyIssues.Where(i => i.Severity is CopyIssueSeverity.Error or CopyIssueSeverity.Warning))
            {
                issues.Add(new ListingIssue(FieldOf(issue.Field), issue.MessageKey, issue.Args, issue.Severity == CopyIssueSeverity.Error, Source, Detail: issue.Path));
            }
        }

        return issues;
    }

    /// <summary>Our listing field for a copy field.</summary>
    public static string FieldOf(string copyField) => copyField switch
    {
        CopyFields.Title => ListingFields.Title,
        CopyFields.Bullets => ListingFields.Bullets,
        CopyFields.Description => ListingFields.Description,
        CopyFields.SearchTerms or CopyFields.Hashtags => ListingFields.Keywords,
        CopyFields.MetaTitle or CopyFields.MetaDescription => ListingFields.Seo,
        _ => ListingFields.Listing,
    };

    private static bool Has(ListingDraft draft, string field) => field switch
    {
        ListingFields.Title => !string.IsNullOrWhiteSpace(draft.Title),
        ListingFields.Description => !string.IsNullOrWhiteSpace(draft.DescriptionText),
        ListingFields.Bullets => draft.Bullets.Count > 0,
        ListingFields.Images => draft.Images.Count > 0,
        ListingFields.Price => draft.Variants.All(v => v.PriceMinor > 0),
        ListingFields.Stock => true,
        ListingFields.Sku => !string.IsNullOrWhiteSpace(draft.Sku) && draft.Variants.All(v => !string.IsNullOrWhiteSpace(v.Sku)),
        ListingFields.Variants => draft.Variants.Count > 0,
        ListingFields.Category => !string.IsNullOrWhiteSpace(draft.CategoryId),
        ListingFields.Brand => !string.IsNullOrWhiteSpace(draft.Brand),
        ListingFields.Weight => draft.WeightGrams > 0,
        ListingFields.Attributes => draft.Attributes.Count > 0,
        ListingFields.Keywords => !string.IsNullOrWhiteSpace(draft.SearchTerms) || draft.Tags.Count > 0,
        ListingFields.Seo => !string.IsNullOrWhiteSpace(draft.SeoTitle),
        _ => true,
    };

    private static ListingIssue Block(string field, string code, params string[] args) => new(field, code, args, Blocking: true, Source);

    private static ListingIssue Warn(string field, string code, params string[] args) => new(field, code, args, Blocking: false, Source);
}
