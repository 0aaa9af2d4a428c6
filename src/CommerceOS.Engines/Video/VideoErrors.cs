namespace CommerceOS.Engines.Video;

/// <summary>Stable error codes of the local video engine (texts in Web/Resources/*/VideoEngine.json).</summary>
public static class VideoErrors
{
    /// <summary>The upload is not MP3, AAC/M4A, WAV, OGG or FLAC by its bytes.</summary>
    public const string MusicUnsupported = "video.music.unsupported";

    /// <summary>It claims to be audio but ffmpeg cannot decode it, or it has no sound stream.</summary>
    public const string MusicUndecodable = "video.music.undecodable";

    public const string MusicTooShort = "video.music.too_short";

    public const string MusicTooLong = "video.music.too_long";

    /// <summary>A provider's clip is not MP4/MOV or WebM by its bytes.</summary>
    public const string ClipUnsupported = "video.clip.unsupported";

    public const string ClipUndecodable = "video.clip.undecodable";
}
