using System.Globalization;

namespace CommerceOS.Engines.Imaging.Composition;

/// <summary>An sRGB colour in 0..255 (doubles, so mixes do not round twice).</summary>
public readonly record struct Rgb(double R, double G, double B)
{
    public static readonly Rgb White = new(255, 255, 255);
    public static readonly Rgb Black = new(0, 0, 0);

    public double[] ToArray() => [R, G, B];

    /// <summary>Rec. 709 luma in 0..255.</summary>
    public double Luma => (0.2126 * R) + (0.7152 * G) + (0.0722 * B);

    public Rgb Mix(Rgb other, double t) => new(R + ((other.R - R) * t), G + ((other.G - G) * t), B + ((other.B - B) * t));

    public Rgb Lighten(double t) => Mix(White, t);

    public Rgb Darken(double t) => Mix(Black, t);

    public Rgb Scale(double r, double g, double b) => new(Math.Clamp(R * r, 0, 255), Math.Clamp(G * g, 0, 255), Math.Clamp(B * b, 0, 255));

    /// <summary>"#RRGGBB", "RRGGBB" or "#RGB"; null for anything else (palettes are user data).</summary>
    public static Rgb? Parse(string? hex)
    {
        if (string.IsNullOrWhiteSpace(hex))
        {
            return null;
        }

        var text = hex.Trim().TrimStart('#');
        if (text.Length == 3)
        {
            text = string.Concat(text[0], text[0], text[1], text[1], text[2], text[2]);
        }

        if (text.Length != 6 || !int.TryParse(text, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var value))
        {
            return null;
        }

        return new Rgb((value >> 16) & 0xFF, (value >> 8) & 0xFF, value & 0xFF);
    }

    public string ToHex() => string.Create(CultureInfo.InvariantCulture, $"#{(int)Math.Round(R):X2}{(int)Math.Round(G):X2}{(int)Math.Round(B):X2}");
}

/// <summary>The colours a backdrop is painted with: the brand palette's, or tasteful neutrals when it has none.</summary>
public sealed record BackdropColours(Rgb Base, Rgb Accent, Rgb Surface)
{
    /// <summary>Warm paper white, stone grey and a taupe table: neutral enough for any product.</summary>
    public static readonly BackdropColours Neutral = new(new Rgb(0xEE, 0xEB, 0xE6), new Rgb(0xD6, 0xD1, 0xC9), new Rgb(0xC9, 0xC0, 0xB4));

    /// <summary>First valid colour is the base (backdrop), the second the accent (podium), the third the surface.</summary>
    public static BackdropColours From(IReadOnlyList<string>? palette)
    {
        var colours = (palette ?? []).Select(Rgb.Parse).Where(c => c is not null).Select(c => c!.Value).ToList();
        return colours.Count switch
        {
            0 => Neutral,
            1 => new BackdropColours(colours[0], colours[0].Luma > 128 ? colours[0].Darken(0.18) : colours[0].Lighten(0.3), colours[0].Darken(0.1)),
            2 => new BackdropColours(colours[0], colours[1], colours[1].Mix(colours[0], 0.3)),
            _ => new BackdropColours(colours[0], colours[1], colours[2]),
        };
    }
}
