using CommerceOS.Core.Generation;

namespace CommerceOS.Engines.Imaging.Graphics;

/// <summary>
/// The colours of one graphic, derived from the brand palette (primary first). Every text colour is
/// checked against the fills it sits on (WCAG 4.5:1) and badges against the page (3:1 for graphics),
/// darkening or lightening the brand colour only as far as needed.
/// </summary>
public sealed record GraphicsPalette(
    Rgb Primary,
    Rgb Accent,
    Rgb Background,
    Rgb Surface,
    Rgb Zebra,
    Rgb Title,
    Rgb Text,
    Rgb Muted,
    Rgb OnAccent,
    Rgb HeaderText,
    Rgb Border)
{
    /// <summary>CommerceOS violet, used when a brand has no usable colour.</summary>
    public static readonly Rgb BrandViolet = new(0x7C, 0x3A, 0xED);

    /// <summary>Neutral text (Tailwind gray-800) and note grey (gray-500), the defaults a brand colour replaces.</summary>
    public static readonly Rgb Ink = new(0x1F, 0x29, 0x37);
    public static readonly Rgb Grey = new(0x6B, 0x72, 0x80);

    public static GraphicsPalette From(BrandStyle style)
    {
        ArgumentNullException.ThrowIfNull(style);
        var colours = style.Palette.Select(p => Rgb.TryParse(p, out var c) ? c : (Rgb?)null).OfType<Rgb>().ToList();
        var primary = colours.Count > 0 ? colours[0] : BrandViolet;
        var background = primary.Mix(Rgb.White, 0.92);
        var surface = Rgb.White;
        var zebra = primary.Mix(Rgb.White, 0.88);
        var accent = Rgb.Readable(colours.Count > 1 ? colours[1] : primary, [background, surface], 3.0);

        // A dark brand colour (a navy or charcoal in the palette) reads as on-brand body text; else neutral ink.
        var darkBrand = colours.Skip(1).FirstOrDefault(c => Rgb.Contrast(c, Rgb.White) >= 9);
        var text = Rgb.Readable(darkBrand == default ? Ink : darkBrand, [background, surface, zebra]);
        return new GraphicsPalette(
            Primary: primary,
            Accent: accent,
            Background: background,
            Surface: surface,
            Zebra: zebra,
            Title: Rgb.Readable(primary, [background, surface]),
            Text: text,
            Muted: Rgb.Readable(Grey, [background, surface]),
            OnAccent: BestOn(accent),
            HeaderText: BestOn(primary),
            Border: primary.Mix(Rgb.White, 0.7));
    }

    /// <summary>White on a fill that allows it (the usual look of a badge or header), else ink darkened as far as needed.</summary>
    /// <remarks>White and black contrast with any colour multiply to 21, so one of them always reaches 4.58.</remarks>
    public static Rgb BestOn(Rgb fill) =>
        Rgb.Contrast(Rgb.White, fill) >= 4.5 ? Rgb.White : Rgb.Readable(Ink, [fill]);
}
