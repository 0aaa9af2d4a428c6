using CommerceOS.Core.Generation;
using CommerceOS.Engines.Imaging.Graphics;
using NetVips;

namespace CommerceOS.Tests.Imaging.Graphics;

public sealed class GraphicsTextTests
{
    private const string Chinese = "防水透气面料全天舒适";

    private static TextStyle Style(string brandFont, string language = "en", Enums.Align align = Enums.Align.Low) =>
        new(FontStacks.For(brandFont), Bold: false, Rgb.Black, align, language);

    [Theory]
    [InlineData("Inter", "Noto Sans CJK SC")]
    [InlineData("DejaVu Sans", "Noto Sans CJK SC")]
    [InlineData("Liberation Serif", "Noto Serif CJK SC")]
    [InlineData("Some Brand Font", "Noto Sans CJK SC")]
    public void Chinese_renders_with_real_glyphs_whatever_the_brand_font(string brandFont, string cjkFace)
    {
        using var ours = GraphicsText.Render(Chinese, Style(brandFont, "zh-CN"), 40, wrapWidth: null);
        using var noto = Image.Text($"<span foreground=\"#000000\">{Chinese}</span>", font: $"{cjkFace} 40px", dpi: 72, rgba: true);
        // A font without CJK and fallback switched off: what tofu looks like.
        using var tofu = Image.Text($"<span foreground=\"#000000\" fallback=\"false\">{Chinese}</span>", font: "DejaVu Sans 40px", dpi: 72, rgba: true);

        var (oursInk, oursBox) = Pixels.Ink(ours);
        var (notoInk, notoBox) = Pixels.Ink(noto);
        Assert.InRange(oursInk, notoInk * 0.98, notoInk * 1.02);
        Assert.InRange(oursBox.Width, notoBox.Width - 3, notoBox.Width + 3);

        // Shape, not just amount: our ink matches the CJK face glyph for glyph, and tofu boxes do not.
        var toGlyphs = InkDifference(ours, noto);
        var tofuToGlyphs = InkDifference(tofu, noto);
        // Measured: 0.0 for ours (the very same glyphs), over 100 for tofu.
        Assert.True(toGlyphs < 2, $"ours differs from {cjkFace} by {toGlyphs:F1}");
        Assert.True(tofuToGlyphs > 40, $"tofu differs by only {tofuToGlyphs:F1}");
    }

    /// <summary>Mean alpha difference (0-255) of two texts' ink, each cropped to its ink box and scaled to the second's box.</summary>
    private static double InkDifference(Image text, Image reference)
    {
        var (_, box) = Pixels.Ink(text);
        var (_, referenceBox) = Pixels.Ink(reference);
        using var alpha = text[3].ExtractArea(box.X, box.Y, box.Width, box.Height);
        using var scaled = alpha.Resize((double)referenceBox.Width / box.Width, vscale: (double)referenceBox.Height / box.Height);
        using var fitted = scaled.Embed(0, 0, referenceBox.Width, referenceBox.Height);
        using var referenceAlpha = reference[3].ExtractArea(referenceBox.X, referenceBox.Y, referenceBox.Width, referenceBox.Height);
        using var difference = (fitted - referenceAlpha).Abs();
        return difference.Avg();
    }

    [Fact]
    public void Every_stack_ends_with_the_simplified_chinese_face_and_sanitises_the_name()
    {
        foreach (var font in CommerceOS.Core.Catalog.BrandFontFamilies.All)
        {
            Assert.Contains(FontStacks.CjkSans, FontStacks.For(font), StringComparison.Ordinal);
            Assert.StartsWith(font, FontStacks.For(font), StringComparison.Ordinal);
        }

        Assert.Equal("Evil Bold 99px, Noto Sans CJK SC", FontStacks.For("Evil, Bold 99px"));
        Assert.Equal("Noto Sans, Noto Sans CJK SC", FontStacks.For("  "));
        Assert.True(FontStacks.HasCjk("Size 尺码"));
        Assert.False(FontStacks.HasCjk("Size — Größe"));
    }

    [Theory]
    [InlineData("<b>bold</b>")]
    [InlineData("R&D <span foreground='red'>x</span>")]
    [InlineData("&amp; &lt; \u0001 \uD800 ' \"")]
    public void Markup_in_user_text_renders_literally(string text)
    {
        var escaped = GraphicsText.Escape(text);
        Assert.DoesNotContain("<b", escaped, StringComparison.Ordinal);
        Assert.DoesNotContain("<span", escaped, StringComparison.Ordinal);

        using var image = GraphicsText.Render(text, Style("Inter"), 32, null);
        // The characters of the tags are drawn: wider than the same text with the tags taken out.
        using var stripped = GraphicsText.Render(text.Replace("<b>", "", StringComparison.Ordinal).Replace("</b>", "", StringComparison.Ordinal).Replace("&", "", StringComparison.Ordinal), Style("Inter"), 32, null);
        Assert.True(image.Width > stripped.Width, $"{image.Width} <= {stripped.Width}");
    }

    [Fact]
    public void Tags_are_not_interpreted_as_bold()
    {
        using var literal = GraphicsText.Render("<b>WWW</b>", Style("Liberation Sans"), 40, null);
        using var plain = GraphicsText.Render("&lt;b&gt;WWW&lt;/b&gt;", Style("Liberation Sans"), 40, null);
        using var expected = Image.Text("<span foreground=\"#000000\">&lt;b&gt;WWW&lt;/b&gt;</span>", font: "Liberation Sans 40px", dpi: 72, rgba: true);
        Assert.InRange(Pixels.Ink(literal).Ink, Pixels.Ink(expected).Ink * 0.98, Pixels.Ink(expected).Ink * 1.02);
        // ...and an escaped entity typed by the seller stays an entity, characters and all.
        Assert.True(plain.Width > literal.Width);
    }

    [Fact]
    public void Long_text_wraps_and_shrinks_inside_its_box_short_text_keeps_the_largest_size()
    {
        var style = Style("Noto Sans");
        using var shortText = GraphicsText.Fit("Waterproof", style, 400, 120, 48, 12)!;
        Assert.Equal(48, shortText.Px);

        var longText = string.Join(' ', Enumerable.Repeat("Breathable waterproof membrane keeps you dry", 4));
        using var fitted = GraphicsText.Fit(longText, style, 400, 120, 48, 12)!;
        Assert.InRange(fitted.Px, 12, 47);
        Assert.False(fitted.Ellipsized);
        Assert.True(fitted.Width <= 400 && fitted.Height <= 120, $"{fitted.Width}x{fitted.Height}");
        Assert.True(fitted.Height > fitted.Px * 2, "the text wraps onto several lines");
        // One size larger would not have fitted: the size is the largest that does.
        using var larger = GraphicsText.Render(longText, style, fitted.Px + 1, 400);
        Assert.True(larger.Width > 400 || larger.Height > 120);
    }

    [Fact]
    public void Cjk_text_without_spaces_wraps_between_characters()
    {
        var text = string.Concat(Enumerable.Repeat(Chinese, 3));
        using var fitted = GraphicsText.Fit(text, Style("Inter", "zh-CN"), 300, 200, 40, 10)!;
        Assert.True(fitted.Width <= 300 && fitted.Height <= 200);
        Assert.True(fitted.Height > fitted.Px * 2);
    }

    [Fact]
    public void Ellipsis_is_the_last_resort_and_still_fits()
    {
        var text = string.Join(' ', Enumerable.Repeat("Supercalifragilisticexpialidocious", 30));
        using var fitted = GraphicsText.Fit(text, Style("Inter"), 200, 40, 30, 14)!;
        Assert.True(fitted.Ellipsized);
        Assert.Equal(14, fitted.Px);
        Assert.True(fitted.Width <= 200 && fitted.Height <= 40);
        Assert.Null(GraphicsText.Fit(" \u0001 ", Style("Inter"), 200, 40, 30, 14));
    }

    [Fact]
    public void Aligned_texts_share_baseline_and_left_edge()
    {
        // libvips crops to ink; the struts make every box start at the pen and span a fixed height around the
        // baseline, so "ace" sits exactly where it sits inside "ace (Tig)" although the latter has taller ink.
        var style = Style("Liberation Sans");
        using var shortText = GraphicsText.Render("ace", style, 40, null);
        using var longText = GraphicsText.Render("ace (Tig)", style, 40, null);
        Assert.Equal(shortText.Height, longText.Height);
        using var shortAlpha = shortText[3].ExtractArea(0, 0, shortText.Width - 4, shortText.Height);
        using var prefixAlpha = longText[3].ExtractArea(0, 0, shortText.Width - 4, shortText.Height);
        using var difference = (shortAlpha - prefixAlpha).Abs();
        Assert.True(difference.Max() <= 8, $"the common prefix moved (max alpha difference {difference.Max()})");
        Assert.True(Pixels.Ink(shortText).Ink > 0);
    }

    [Theory]
    [InlineData("")]
    [InlineData("#FDE68A|#FEF3C7")]
    [InlineData("#FFFFFF")]
    [InlineData("#000000|#111111")]
    [InlineData("#3B82F6|#22C55E|#0F172A")]
    [InlineData("not a colour|#abc")]
    public void Every_text_colour_reaches_wcag_aa_on_the_fills_it_sits_on(string palette)
    {
        var p = GraphicsPalette.From(new BrandStyle(palette.Split('|', StringSplitOptions.RemoveEmptyEntries), "Inter", "Inter"));

        Assert.True(Rgb.Contrast(p.Title, p.Background) >= 4.5, $"title {p.Title} on {p.Background}");
        Assert.True(Rgb.Contrast(p.Title, p.Surface) >= 4.5);
        foreach (var fill in new[] { p.Background, p.Surface, p.Zebra })
        {
            Assert.True(Rgb.Contrast(p.Text, fill) >= 4.5, $"text {p.Text} on {fill}");
            Assert.True(Rgb.Contrast(p.Muted, fill) >= 4.5 || fill == p.Zebra);
        }

        Assert.True(Rgb.Contrast(p.OnAccent, p.Accent) >= 4.5, $"badge {p.OnAccent} on {p.Accent}");
        Assert.True(Rgb.Contrast(p.HeaderText, p.Primary) >= 4.5, $"header {p.HeaderText} on {p.Primary}");
        Assert.True(Rgb.Contrast(p.Accent, p.Background) >= 3.0, $"badge {p.Accent} on {p.Background}");
    }

    [Fact]
    public void Contrast_matches_the_wcag_reference_values_and_empty_palettes_use_brand_violet()
    {
        Assert.Equal(21.0, Rgb.Contrast(Rgb.Black, Rgb.White), 3);
        Assert.Equal(4.54, Rgb.Contrast(Rgb.Parse("#767676"), Rgb.White), 2);
        Assert.Equal(1.0, Rgb.Contrast(Rgb.Parse("#7C3AED"), Rgb.Parse("7c3aed")), 3);
        Assert.Equal(Rgb.Parse("#AABBCC"), Rgb.Parse("#abc"));

        var fallback = GraphicsPalette.From(new BrandStyle([], "Inter", "Inter"));
        Assert.Equal(GraphicsPalette.BrandViolet, fallback.Primary);
        Assert.Equal(GraphicsPalette.BrandViolet, fallback.Title);
        // A readable brand colour is kept as it is; an unreadable one only darkens as far as needed.
        var yellow = GraphicsPalette.From(new BrandStyle(["#FDE68A"], "Inter", "Inter"));
        Assert.NotEqual(yellow.Primary, yellow.Title);
        Assert.InRange(Rgb.Contrast(yellow.Title, yellow.Background), 4.5, 6.0);
    }
}
