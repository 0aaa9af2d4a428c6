using CommerceOS.Core.Assets;

namespace CommerceOS.Core.Marketplaces;

/// <summary>A rule that blocks a listing, or one the marketplace only recommends.</summary>
public enum RuleSeverity
{
    Error = 0,
    Warning = 1,
}

/// <summary>The rule kinds the compliance checker measures (marketplace-rules.md).</summary>
public static class RuleKinds
{
    /// <summary>Border pixels are pure white (255,255,255). Measured: share of border pixels that are not.</summary>
    public const string Background = "background";

    /// <summary>Product extent along its longest axis over the frame. Min/Max are fractions.</summary>
    public const string Fill = "fill";

    /// <summary>The image's shorter side in px ("min 500×500" means both sides are at least 500).</summary>
    public const string MinSide = "min-side";

    /// <summary>
    /// The image's longer side in px. Some marketplaces (Amazon's 500 px minimum and 1,000 px zoom
    /// threshold) state the minimum on the longest side; measuring the shorter side would refuse images they accept.
    /// </summary>
    public const string MinLongSide = "min-long-side";

    /// <summary>The image's longer side in px.</summary>
    public const string MaxSide = "max-side";

    /// <summary>Width over height. Min/Max are ratios.</summary>
    public const string Aspect = "aspect";

    /// <summary>File format; Allowed lists "jpeg", "png", "webp", "tiff", "gif".</summary>
    public const string Format = "format";

    /// <summary>Max is bytes.</summary>
    public const string FileSize = "file-size";

    /// <summary>Allowed lists colour spaces ("srgb").</summary>
    public const string ColourSpace = "colour-space";

    public static readonly IReadOnlyList<string> All = [Background, Fill, MinSide, MinLongSide, MaxSide, Aspect, Format, FileSize, ColourSpace];
}

/// <summary>One measurable rule as data, with where the value came from.</summary>
/// <param name="Source">A URL, or "(product prototype)" for design intent (marketplace-rules.md).</param>
/// <param name="Note">Why this value (which source, which conflict was resolved how), for people reading the rule.</param>
public sealed record ImageRule(
    string Kind,
    RuleSeverity Severity,
    string Source,
    DateOnly LastVerified,
    double? Min = null,
    double? Max = null,
    IReadOnlyList<string>? Allowed = null,
    string? Note = null);

/// <summary>What the engine renders as this marketplace's main image.</summary>
/// <param name="TargetFill">Fill the renderer aims for: at least the rule's minimum, with a margin.</param>
/// <param name="Note">Why this size, fill and shadow choice.</param>
public sealed record MainImageProfile(int Width, int Height, double TargetFill, bool ShadowAllowed, ImageFormat Format, long? MaxBytes, string? Note = null);

public enum TemplatePurpose
{
    Main = 0,
    Detail = 1,
    Banner = 2,
    Cover = 3,
    Social = 4,
}

/// <summary>An image size the marketplace wants (the pixel size is authoritative, not the ratio label).</summary>
/// <param name="Name">The template's display name in the source ("A+ Content Banner").</param>
public sealed record ImageTemplate(string Key, int Width, int Height, TemplatePurpose Purpose, string? Name = null, string? Note = null);

/// <summary>A marketplace's image rules, as data.</summary>
/// <param name="Id">Stable id used in URLs, API bodies and resources ("amazon", "taobao", "tiktok-shop"...).</param>
/// <param name="Name">Display name ("Taobao / Tmall"); the UI localises around it.</param>
public sealed record MarketplaceProfile(
    string Id,
    MainImageProfile Main,
    IReadOnlyList<ImageRule> MainImageRules,
    IReadOnlyList<ImageTemplate> Templates,
    string? Name = null,
    string? Note = null);

/// <summary>Every marketplace CommerceOS knows, loaded from data.</summary>
public interface IMarketplaceCatalog
{
    IReadOnlyList<MarketplaceProfile> All { get; }

    /// <summary>Null for an unknown id (case-insensitive).</summary>
    MarketplaceProfile? Find(string id);
}
