using System.Globalization;
using System.Text;
using NetVips;

namespace CommerceOS.Engines.Imaging.Graphics;

/// <param name="Families">A Pango family list from <see cref="FontStacks.For"/>.</param>
/// <param name="Language">The request's language ("en", "zh-CN"): Pango uses it for font choice and line breaking.</param>
public sealed record TextStyle(string Families, bool Bold, Rgb Colour, Enums.Align Align, string Language);

/// <summary>Text rendered to fit a box: straight-alpha RGBA, cropped to the ink, never larger than the box.</summary>
public sealed class FittedText(Image image, int px, bool ellipsized) : IDisposable
{
    public Image Image { get; } = image;

    /// <summary>The font size it was rendered at, in pixels.</summary>
    public int Px { get; } = px;

    /// <summary>True when even the smallest size did not fit and the end of the text was cut off with "…".</summary>
    public bool Ellipsized { get; } = ellipsized;

    public int Width => Image.Width;

    public int Height => Image.Height;

    public void Dispose() => Image.Dispose();
}

/// <summary>
/// Pango text through libvips: user text is escaped into markup, wrapped to the box width, and shrunk
/// until it fits the box height. libvips crops the result to the ink rectangle, so measuring the image
/// measures every glyph (italic overhangs, CJK punctuation) and nothing is clipped.
/// </summary>
public static class GraphicsText
{
    private const string Ellipsis = "…";

    /// <summary>
    /// Escapes the five markup characters and drops what GMarkup refuses (control characters, lone
    /// surrogates), so seller text like "&lt;b&gt;" or "R&amp;D" renders literally and never throws.
    /// </summary>
    public static string Escape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var builder = new StringBuilder(text.Length + 16);
        foreach (var rune in EnumerateRunesLossy(text))
        {
            switch (rune.Value)
            {
                case '&': builder.Append("&amp;"); break;
                case '<': builder.Append("&lt;"); break;
                case '>': builder.Append("&gt;"); break;
                case '"': builder.Append("&quot;"); break;
                case '\'': builder.Append("&apos;"); break;
                case '\n': builder.Append('\n'); break;
                case '\t': builder.Append(' '); break;
                case < 0x20 or (>= 0x7F and < 0xA0) or 0xFFFE or 0xFFFF: break;
                default: builder.Append(rune.ToString()); break;
            }
        }

        return builder.ToString();
    }

    /// <summary>
    /// The markup for <paramref name="text"/> at <paramref name="px"/>: escaped text between two invisible
    /// struts, tiny transparent dots raised to 0.95 em above the baseline at the start and lowered to 0.3 em
    /// below it at the end.
    /// </summary>
    /// <remarks>
    /// libvips crops rendered text to its ink, so "Size" and "Chest (cm)" would come back with different
    /// tops and left edges and sit on different baselines in one row. The struts make the ink box start at
    /// the pen origin and span a fixed height around the baseline, so boxes align like logical extents;
    /// glyphs reaching further still widen the box, so nothing is ever clipped.
    /// </remarks>
    public static string Markup(string text, TextStyle style, int px)
    {
        ArgumentNullException.ThrowIfNull(style);
        var lang = PangoLanguage(style.Language, text);
        var above = (int)Math.Round(px * 0.95 * 1024);
        var below = (int)Math.Round(px * 0.30 * 1024);
        return string.Create(CultureInfo.InvariantCulture, $"<span foreground=\"{style.Colour.Hex}\" lang=\"{lang}\">{Strut(above)}{Escape(text)}{Strut(-below)}</span>");
    }

    /// <summary>Pango font description: family list, weight, size in pixels (at 72 dpi a point is a pixel).</summary>
    public static string FontDescription(TextStyle style, int px)
    {
        ArgumentNullException.ThrowIfNull(style);
        return string.Create(CultureInfo.InvariantCulture, $"{style.Families}{(style.Bold ? " Bold" : string.Empty)} {px}px");
    }

    /// <summary>Renders <paramref name="text"/> at <paramref name="px"/>, wrapped at <paramref name="wrapWidth"/> when given.</summary>
    public static Image Render(string text, TextStyle style, int px, int? wrapWidth)
    {
        ArgumentNullException.ThrowIfNull(style);
        return Image.Text(
            Markup(text, style, px),
            font: FontDescription(style, px),
            width: wrapWidth,
            align: style.Align,
            dpi: 72,
            rgba: true,
            wrap: Enums.TextWrap.WordChar);
    }

    /// <summary>True when there is nothing to draw (libvips refuses empty text).</summary>
    public static bool IsBlank(string? text) => string.IsNullOrWhiteSpace(text) || Escape(text).Trim().Length == 0;

    /// <summary>
    /// The largest size from <paramref name="maxPx"/> down to <paramref name="minPx"/> at which the text, wrapped
    /// to <paramref name="width"/>, fits <paramref name="width"/> x <paramref name="height"/>; if none does, the
    /// text is cut with "…" at <paramref name="minPx"/>. Null for blank text.
    /// </summary>
    public static FittedText? Fit(string text, TextStyle style, int width, int height, int maxPx, int minPx)
    {
        if (IsBlank(text))
        {
            return null;
        }

        text = text.Trim();
        width = Math.Max(1, width);
        height = Math.Max(1, height);
        minPx = Math.Max(1, Math.Min(minPx, maxPx));
        var fitted = LargestFit(text, style, width, height, minPx, maxPx);
        return fitted ?? Ellipsize(text, style, width, height, minPx);
    }

    /// <summary>
    /// The largest size at which every text fits the same box, so callouts of one graphic share one size
    /// (a layout with one callout in 40 px and its neighbour in 22 px looks broken). At least <paramref name="minPx"/>.
    /// </summary>
    public static int CommonSize(IEnumerable<string> texts, TextStyle style, int width, int height, int maxPx, int minPx)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var size = maxPx;
        // Longest first: it usually decides the size, and the others then fit on their first try.
        foreach (var text in texts.Where(t => !IsBlank(t)).OrderByDescending(t => Weight(t)))
        {
            using var fitted = LargestFit(text.Trim(), style, Math.Max(1, width), Math.Max(1, height), minPx, size);
            size = fitted?.Px ?? minPx;
            if (size <= minPx)
            {
                return minPx;
            }
        }

        return size;
    }

    private static FittedText? LargestFit(string text, TextStyle style, int width, int height, int minPx, int maxPx)
    {
        var best = TryRender(text, style, maxPx, width, height);
        if (best is not null)
        {
            return new FittedText(best, maxPx, ellipsized: false);
        }

        var bestPx = 0;
        var low = minPx - 1; // the largest size known to fit (none yet)
        var high = maxPx;    // the smallest size known not to fit
        // The size is found by bisection: ~7 renders for 2000 px graphics instead of one per step down.
        while (high - low > 1)
        {
            var mid = low + ((high - low) / 2);
            var image = TryRender(text, style, mid, width, height);
            if (image is null)
            {
                high = mid;
            }
            else
            {
                best?.Dispose();
                (best, bestPx, low) = (image, mid, mid);
            }
        }

        return best is null ? null : new FittedText(best, bestPx, ellipsized: false);
    }

    private static FittedText Ellipsize(string text, TextStyle style, int width, int height, int px)
    {
        var elements = TextElements(text);
        Image? best = null;
        var low = 0; // elements kept in the longest prefix known to fit
        var high = elements.Count;
        while (high - low > 1)
        {
            var mid = low + ((high - low) / 2);
            var image = TryRender(string.Concat(elements.Take(mid)).TrimEnd() + Ellipsis, style, px, width, height);
            if (image is null)
            {
                high = mid;
            }
            else
            {
                best?.Dispose();
                (best, low) = (image, mid);
            }
        }

        // Even "…" alone may not fit a tiny box: then draw nothing rather than ink outside it.
        best ??= TryRender(Ellipsis, style, px, width, height) ?? Transparent();
        return new FittedText(best, px, ellipsized: true);
    }

    private static Image Transparent()
    {
        using var black = Image.Black(1, 1, bands: 4);
        using var uchar = black.Cast(Enums.BandFormat.Uchar);
        return uchar.Copy(interpretation: Enums.Interpretation.Srgb);
    }

    private static Image? TryRender(string text, TextStyle style, int px, int width, int height)
    {
        var image = Render(text, style, px, width);
        if (image.Width <= width && image.Height <= height)
        {
            return image;
        }

        image.Dispose();
        return null;
    }

    private static List<string> TextElements(string text)
    {
        var elements = new List<string>();
        var enumerator = StringInfo.GetTextElementEnumerator(text);
        while (enumerator.MoveNext())
        {
            elements.Add(enumerator.GetTextElement());
        }

        return elements;
    }

    /// <summary>Rough rendered length: CJK characters are about twice as wide as Latin letters.</summary>
    private static int Weight(string text) => text.Sum(c => c >= 0x2E80 ? 2 : 1);

    /// <summary>A 1 pt transparent dot at <paramref name="rise"/> Pango units from the baseline: ink for the box, nothing visible.</summary>
    private static string Strut(int rise) =>
        string.Create(CultureInfo.InvariantCulture, $"<span font_family=\"DejaVu Sans\" size=\"1024\" fgalpha=\"1\" rise=\"{rise}\">.</span>");

    private static string PangoLanguage(string? language, string text) =>
        language is not null && language.StartsWith("zh", StringComparison.OrdinalIgnoreCase) || FontStacks.HasCjk(text) ? "zh-cn" : "en";

    private static IEnumerable<Rune> EnumerateRunesLossy(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (Rune.TryGetRuneAt(text, i, out var rune))
            {
                yield return rune;
                i += rune.Utf16SequenceLength - 1;
            }
        }
    }
}
