namespace CommerceOS.Engines.Video;

/// <summary>
/// Names a seller's or provider's file from its first bytes, before ffmpeg sees it: ffmpeg's own probing accepts
/// playlists, image sequences and dozens of formats nobody uploads as music, so the demuxer is forced to the one sniffed.
/// </summary>
public static class MediaSniffer
{
    /// <summary>The ffmpeg demuxer for an audio file ("mp3", "aac", "mov", "wav", "ogg", "flac"), or null for anything else.</summary>
    public static string? Audio(ReadOnlySpan<byte> head)
    {
        if (head.Length < 12)
        {
            return null;
        }

        if (head[..3].SequenceEqual("ID3"u8))
        {
            return "mp3";
        }

        if (head[4..8].SequenceEqual("ftyp"u8))
        {
            return "mov";
        }

        if (head[..4].SequenceEqual("RIFF"u8) && head[8..12].SequenceEqual("WAVE"u8))
        {
            return "wav";
        }

        if (head[..4].SequenceEqual("OggS"u8))
        {
            return "ogg";
        }

        if (head[..4].SequenceEqual("fLaC"u8))
        {
            return "flac";
        }

        // An MPEG audio frame sync is 11 set bits; layer bits 00 mean ADTS (raw AAC) rather than an MP3 layer.
        if (head[0] == 0xFF && (head[1] & 0xE0) == 0xE0)
        {
            return (head[1] & 0x06) == 0 ? "aac" : "mp3";
        }

        return null;
    }

    /// <summary>The ffmpeg demuxer for a provider's clip: "mov" for MP4/MOV, "matroska" for WebM/MKV, else null.</summary>
    public static string? Video(ReadOnlySpan<byte> head)
    {
        if (head.Length >= 12 && head[4..8].SequenceEqual("ftyp"u8))
        {
            return "mov";
        }

        return head.Length >= 4 && head[..4].SequenceEqual((byte[])[0x1A, 0x45, 0xDF, 0xA3]) ? "matroska" : null;
    }

    public static async Task<byte[]> HeadAsync(string path, CancellationToken cancellationToken)
    {
        var buffer = new byte[16];
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, useAsync: true);
        var read = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken);
        return buffer[..read];
    }
}
