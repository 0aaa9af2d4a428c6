using System.Text;

namespace CommerceOS.Core.Seo;

/// <summary>How a marketplace counts a text field.</summary>
public enum LengthUnit
{
    /// <summary>Unicode characters (text elements: an emoji or a surrogate pair counts once).</summary>
    Characters = 0,

    /// <summary>UTF-8 bytes (Amazon backend search terms).</summary>
    Utf8Bytes = 1,

    /// <summary>
    /// Double-byte counting: ASCII is 1, anything else 2. marketplace-rules.md §4 states Taobao's title
    /// as "30 Chinese characters = 60 bytes", which is this (GBK-style) count, not UTF-8 (that would be 90).
    /// </summary>
    DoubleByte = 2,

    /// <summary>A number of items (Etsy's 13 tags).</summary>
    Items = 3,
}

public static class TextMeasure
{
    public static int Measure(string text, LengthUnit unit) => unit switch
    {
        LengthUnit.Characters => Characters(text),
        LengthUnit.Utf8Bytes => Encoding.UTF8.GetByteCount(text),
        LengthUnit.DoubleByte => DoubleBytes(text),
        // A single text is one item; a set of tags is counted by its caller.
        LengthUnit.Items => text.Length == 0 ? 0 : 1,
        _ => throw new ArgumentOutOfRangeException(nameof(unit), unit, null),
    };

    /// <summary>Characters as a reader counts them: one per text element, so 😀 or a combining accent is one.</summary>
    public static int Characters(string text)
    {
        if (text.Length == 0)
        {
            return 0;
        }

        var count = 0;
        var enumerator = System.Globalization.StringInfo.GetTextElementEnumerator(text);
        while (enumerator.MoveNext())
        {
            count++;
        }

        return count;
    }

    public static int DoubleBytes(string text)
    {
        var count = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            count += rune.Value < 0x80 ? 1 : 2;
        }

        return count;
    }
}
