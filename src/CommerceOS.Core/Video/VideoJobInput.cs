namespace CommerceOS.Core.Video;

/// <summary>
/// A Video Studio request as the job stores it: ids and parameters only. The texts are the seller's listing words (a hook,
/// selling points, caption lines), never personal data.
/// </summary>
/// <param name="Template">A <see cref="VideoTemplates"/> id.</param>
/// <param name="Formats">Ids of <see cref="VideoFormats"/>: one video (and one unit of the videos meter) each.</param>
/// <param name="Engine"><see cref="VideoEngines.Local"/>, or <see cref="VideoEngines.Ai"/> for the configured provider.</param>
/// <param name="Images">Asset ids in showing order; empty lets the studio choose from the product's photos and scenes.</param>
/// <param name="Language">Language of the texts ("en", "zh-CN"...): chooses the font.</param>
/// <param name="MusicAssetId">Background music the seller uploaded, or null.</param>
public sealed record VideoJobInput(
    Guid ProductId,
    string Template,
    IReadOnlyList<string> Formats,
    int DurationSeconds,
    string Engine = VideoEngines.Local,
    IReadOnlyList<Guid>? Images = null,
    string Language = "en",
    string? Title = null,
    IReadOnlyList<string>? Captions = null,
    IReadOnlyList<string>? Points = null,
    Guid? MusicAssetId = null,
    string? Prompt = null);

public static class VideoEngines
{
    public const string Local = "local";
    public const string Ai = "ai";
}

/// <summary>Stable error codes of the Video Studio (texts in Web/Resources/*/Video.json).</summary>
public static class VideoErrors
{
    public const string TemplateUnknown = "video.template_unknown";
    public const string FormatUnknown = "video.format_unknown";
    public const string FormatRequired = "video.format_required";
    public const string DurationRange = "video.duration_range";
    public const string EngineUnknown = "video.engine_unknown";
    public const string AiUnavailable = "video.ai_unavailable";
    public const string NotEnoughImages = "video.not_enough_images";
    public const string ImageNotFound = "video.image_not_found";
    public const string TooManyImages = "video.too_many_images";
    public const string LanguageUnknown = "video.language_unknown";
    public const string TextTooLong = "video.text_too_long";
    public const string TooManyLines = "video.too_many_lines";
    public const string NoPoints = "video.no_points";
    public const string MusicNotFound = "video.music_not_found";
    public const string PromptTooLong = "video.prompt_too_long";

    /// <summary>An image or the music stored for the video can no longer be read (job failure).</summary>
    public const string SourceUnreadable = "video.source_unreadable";

    /// <summary>ffmpeg failed on this input (job failure after the retries).</summary>
    public const string RenderFailed = "video.render_failed";

    public const string MusicTooLarge = "video.music.too_large";
    public const string MusicEmpty = "video.music.empty";
}

/// <summary>The limits of a request, shared by the request's validation and the page.</summary>
public static class VideoLimits
{
    public const int MaxTitleLength = 80;
    public const int MaxLineLength = 120;
    public const int MaxCaptionLines = 20;
    public const int MaxPoints = 8;
    public const int MaxPromptLength = 1000;

    /// <summary>Largest music upload before decoding.</summary>
    public const long MaxMusicBytes = 20L * 1024 * 1024;
}
