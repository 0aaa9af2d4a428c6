namespace CommerceOS.Core.Video;

/// <summary>The local engine's video templates (issue 5).</summary>
public enum VideoTemplate
{
    /// <summary>Camera moves over the product's photos and scenes, cross-faded.</summary>
    Showcase = 0,

    /// <summary>Vertical, creator-style: a hook line in the first seconds, quick cuts, captions throughout.</summary>
    Ugc = 1,

    /// <summary>One selling point per shot, written over the photo.</summary>
    Highlights = 2,

    /// <summary>Two photos, the first labelled "before", wiped to the second labelled "after".</summary>
    BeforeAfter = 3,

    /// <summary>A 360-style turn: the angles in order, quick dissolves, several turns.</summary>
    Turntable = 4,

    /// <summary>A brand card in the brand's colours with its name (and logo), then the product, then the card again.</summary>
    BrandCard = 5,
}

/// <summary>Wire ids, names and the photos each template needs.</summary>
public static class VideoTemplates
{
    public static readonly IReadOnlyList<VideoTemplate> All = Enum.GetValues<VideoTemplate>();

    public static string Id(VideoTemplate template) => template switch
    {
        VideoTemplate.Showcase => "showcase",
        VideoTemplate.Ugc => "ugc",
        VideoTemplate.Highlights => "highlights",
        VideoTemplate.BeforeAfter => "before-after",
        VideoTemplate.Turntable => "turntable",
        VideoTemplate.BrandCard => "brand-card",
        _ => throw new ArgumentOutOfRangeException(nameof(template), template, null),
    };

    public static VideoTemplate? Find(string? id) => All.Cast<VideoTemplate?>().FirstOrDefault(t => Id(t!.Value) == id?.Trim().ToLowerInvariant());

    /// <summary>Fewest product images the template can be made from.</summary>
    public static int MinImages(VideoTemplate template) => template switch
    {
        VideoTemplate.BeforeAfter => 2,
        VideoTemplate.Turntable => 3,
        _ => 1,
    };

    /// <summary>Most images one video uses; extra images are left out.</summary>
    public const int MaxImages = 12;
}
