using System.Globalization;

namespace CommerceOS.Engines.Imaging.Graphics;

/// <summary>An opaque sRGB colour with the WCAG 2 luminance and contrast maths the renderers choose text colours by.</summary>
public readonly record struct Rgb(byte R, byte G, byte B)
{
    public static readonly Rgb White = new(255, 255, 255);
    public static readonly Rgb Black = new(0, 0, 0);

    /// <summary>Accepts "#RRGGBB", "RRGGBB" and "#RGB" (any case); brand palettes are typed by people.</summary>
    public static bool TryParse(string? text, out Rgb colour)
    {
        colour = default;
        var hex = text?.Trim().TrimStart('#');
        if (hex is { Length: 3 })
        {
            hex = string.Concat(hex.Select(c => new string(c, 2)));
        }

        if (hex is not { Length: 6 } || !int.TryParse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value))
        {
            return false;
        }

        colour = new Rgb((byte)(value >> 16), (byte)(value >> 8), (byte)value);
        return true;
    }

    public static Rgb Parse(string text) => TryParse(text, out var colour) ? colour : throw new FormatException($"'{text}' is not a #RRGGBB colour.");

    public string Hex => string.Create(CultureInfo.InvariantCulture, $"#{R:X2}{G:X2}{B:X2}");

    /// <summary>WCAG 2 relative luminance (0 black to 1 white).</summary>
    public double Luminance => (0.2126 * Linear(R)) + (0.7152 * Linear(G)) + (0.0722 * Linear(B));

    public double[] Bands => [R, G, B];

    /// <summary>WCAG 2 contrast ratio, 1 to 21; body text needs at least 4.5.</summary>
    public static double Contrast(Rgb a, Rgb b)
    {
        var (light, dark) = a.Luminance >= b.Luminance ? (a.Luminance, b.Luminance) : (b.Luminance, a.Luminance);
        return (light + 0.05) / (dark + 0.05);
    }

    /// <summary>This colour moved <paramref name="amount"/> (0 to 1) of the way to <paramref name="other"/>.</summary>
    public Rgb Mix(Rgb other, double amount) => new(Lerp(R, other.R, amount), Lerp(G, other.G, amount), Lerp(B, other.B, amount));

    /// <summary>
    /// <paramref name="preferred"/> if it reaches <paramref name="minimum"/> contrast against every background, else the
    /// smallest step of it towards black or white that does, else black or white: the brand colour is kept wherever it is readable.
    /// </summary>
    public static Rgb Readable(Rgb preferred, IReadOnlyList<Rgb> backgrounds, double minimum = 4.5)
    {
        ArgumentNullException.ThrowIfNull(backgrounds);
        for (var step = 0; step <= 20; step++)
        {
            var amount = step / 20.0;
            foreach (var target in new[] { Black, White })
            {
                var candidate = preferred.Mix(target, amount);
                if (backgrounds.All(b => Contrast(candidate, b) >= minimum))
                {
                    return candidate;
                }
            }
        }

        // No shade passes against all backgrounds at once (one dark, one light): take the best compromise.
        return backgrounds.Min(b => Contrast(Black, b)) >= backgrounds.Min(b => Contrast(White, b)) ? Black : White;
    }

    public override string ToString() => Hex;

    private static double Linear(byte channel)
    {
        var c = channel / 255.0;
        return c <= 0.04045 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4);
    }

    private static byte Lerp(byte from, byte to, double amount) => (byte)Math.Clamp(Math.Round(from + ((to - from) * amount)), 0, 255);
}
