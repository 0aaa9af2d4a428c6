namespace CommerceOS.Core.Exports;

/// <summary>Error codes of the listing kit export (texts in <c>Resources/*/Exports.json</c>).</summary>
public static class ExportErrors
{
    /// <summary>Args: the known marketplace ids.</summary>
    public const string MarketplaceUnknown = "exports.marketplace_unknown";

    public const string NoProducts = "exports.no_products";

    /// <summary>Args: the maximum.</summary>
    public const string TooManyProducts = "exports.too_many_products";

    public const string NoJobs = "exports.no_jobs";

    /// <summary>Args: the maximum.</summary>
    public const string TooManyJobs = "exports.too_many_jobs";
}

/// <summary>What a product's kit lacks, per product in <c>manifest.json</c> (texts in <c>Resources/*/Exports.json</c>).</summary>
public static class KitMissing
{
    public const string MainImage = "exports.missing.main-image";

    /// <summary>Args: scenes found, scenes wanted.</summary>
    public const string Scenes = "exports.missing.scenes";

    public const string Infographic = "exports.missing.infographic";

    public const string Video = "exports.missing.video";

    /// <summary>No listing copy for the marketplace in any language.</summary>
    public const string Copy = "exports.missing.copy";

    /// <summary>The stored file of an asset could not be read (args: asset id); the kit goes on without it.</summary>
    public const string File = "exports.missing.file";

    /// <summary>
    /// Amazon: the variants are flat SKUs in <c>amazon-listings.json</c>, not a variation family, because these options
    /// fit no variation theme (args: the option names, comma-separated; empty when the variants have no options).
    /// </summary>
    public const string AmazonVariationTheme = "exports.missing.amazon-variation-theme";
}

/// <summary>Why a file in the kit may be refused by the marketplace, per file in <c>manifest.json</c>.</summary>
public static class KitFlags
{
    /// <summary>Prefix of the image size and format rules: <c>exports.flag.{rule kind}</c> (args: the limit).</summary>
    public const string RulePrefix = "exports.flag.";

    /// <summary>Args: the image's size, the template's size.</summary>
    public const string TemplateSize = "exports.flag.template-size";

    /// <summary>The free plan's visible watermark: no marketplace accepts it on listing images.</summary>
    public const string Watermarked = "exports.flag.watermarked";

    /// <summary>The main image's compliance report did not pass.</summary>
    public const string Compliance = "exports.flag.compliance";

    /// <summary>Args: the video rule codes it breaks for this channel.</summary>
    public const string VideoChannel = "exports.flag.video-channel";

    /// <summary>The copy version has rules it breaks (args: the number of errors).</summary>
    public const string CopyErrors = "exports.flag.copy-errors";
}
