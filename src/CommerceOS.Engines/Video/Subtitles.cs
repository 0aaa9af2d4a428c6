using System.Globalization;
using System.Text;

namespace CommerceOS.Engines.Video;

/// <summary>One caption on screen from <see cref="Start"/> to <see cref="End"/>.</summary>
public sealed record Cue(TimeSpan Start, TimeSpan End, string Text);

/// <summary>
/// Captions as subtitle files (issue 5: SRT and WebVTT beside every video) and as the file ffmpeg burns in: the seller's
/// words travel in a file, never in the filter graph, so no caption can be read as filter syntax.
/// </summary>
public static class Subtitles
{
    /// <summary>Spreads <paramref name="lines"/> evenly over <paramref name="duration"/>, one at a time, in order.</summary>
    public static IReadOnlyList<Cue> Spread(IReadOnlyList<string> lines, TimeSpan duration)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var kept = lines.Select(Clean).Where(l => l.Length > 0).ToList();
        if (kept.Count == 0)
        {
            return [];
        }

        var each = duration / kept.Count;
        return kept.Select((line, i) => new Cue(each * i, i == kept.Count - 1 ? duration : each * (i + 1), line)).ToList();
    }

    public static string Srt(IReadOnlyList<Cue> cues)
    {
        var text = new StringBuilder();
        for (var i = 0; i < cues.Count; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"{i + 1}\n{Time(cues[i].Start, ',')} --> {Time(cues[i].End, ',')}\n{Clean(cues[i].Text)}\n\n");
        }

        return text.ToString();
    }

    public static string WebVtt(IReadOnlyList<Cue> cues)
    {
        var text = new StringBuilder("WEBVTT\n\n");
        foreach (var cue in cues)
        {
            // In WebVTT cue text '&' and '<' start entities and tags, and "-->" would end the cue's timing line.
            var body = Clean(cue.Text).Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal)
                .Replace(">", "&gt;", StringComparison.Ordinal);
            text.Append(CultureInfo.InvariantCulture, $"{Time(cue.Start, '.')} --> {Time(cue.End, '.')}\n{body}\n\n");
        }

        return text.ToString();
    }

    /// <summary>One line, no control characters, no blank line that would end a cue early.</summary>
    private static string Clean(string text) =>
        string.Join(' ', (text ?? "").Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Where(c => !char.IsControl(c)).Aggregate(new StringBuilder(), (b, c) => b.Append(c)).ToString().Replace("-->", "->", StringComparison.Ordinal);

    private static string Time(TimeSpan t, char separator) =>
        string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalHours:00}:{t.Minutes:00}:{t.Seconds:00}{separator}{t.Milliseconds:000}");
}
