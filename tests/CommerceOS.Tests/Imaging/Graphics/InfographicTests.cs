using CommerceOS.Core.Assets;
using CommerceOS.Core.Generation;
using CommerceOS.Engines.Imaging;
using CommerceOS.Engines.Imaging.Graphics;
using Microsoft.Extensions.DependencyInjection;

namespace CommerceOS.Tests.Imaging.Graphics;

public sealed class InfographicTests
{
    private static readonly XmpProvenance Provenance = new(DigitalSourceType.CompositeSynthetic, "local", "infographic/1");
    private static readonly OutputSpec Png = new(ImageFormat.Png, Provenance, Watermark: false);
    private static readonly BrandStyle Teal = new(["#0F766E", "#B45309"], "Inter", "Noto Sans");
    private static readonly LocalGraphicsRenderer Renderer = new();
    private static readonly RgbaImage Product = Pixels.Cutout();

    private static readonly string[] English =
    [
        "Waterproof to 50 m, tested in salt water",
        "48-hour battery life on a single charge",
        "Sapphire glass & <b>steel</b> case",
        "Free returns within 30 days",
    ];

    private static InfographicRequest Request(InfographicLayout layout, int width, int height, IReadOnlyList<string>? callouts = null, BrandStyle? style = null, string language = "en", string title = "Ocean Pro Dive Watch") =>
        new(layout, width, height, title, callouts ?? English, language, style ?? Teal);

    [Theory]
    [InlineData(InfographicLayout.Split, 2000, 2000)]
    [InlineData(InfographicLayout.Radial, 2000, 2000)]
    [InlineData(InfographicLayout.Grid, 2000, 2000)]
    [InlineData(InfographicLayout.Split, 375, 500)]
    [InlineData(InfographicLayout.Radial, 375, 500)]
    [InlineData(InfographicLayout.Grid, 375, 500)]
    [InlineData(InfographicLayout.Split, 732, 300)]
    [InlineData(InfographicLayout.Radial, 732, 300)]
    [InlineData(InfographicLayout.Grid, 732, 300)]
    public void Every_layout_renders_at_the_requested_size_with_provenance(InfographicLayout layout, int width, int height)
    {
        var encoded = Renderer.Infographic(Product, Request(layout, width, height), new OutputSpec(ImageFormat.Jpeg, Provenance, Watermark: false));

        Assert.Equal((width, height), (encoded.Width, encoded.Height));
        Assert.Equal(ImageFormat.Jpeg, encoded.Format);
        var decoded = Pixels.Decode(encoded.Bytes);
        Assert.Equal((width, height), (decoded.Width, decoded.Height));
        Assert.Equal(Provenance, ImageOutput.ReadProvenance(encoded.Bytes));
    }

    [Fact]
    public void Watermark_is_drawn_only_when_asked_and_rendering_is_deterministic()
    {
        var request = Request(InfographicLayout.Split, 480, 480);
        var plain = Pixels.Decode(Renderer.Infographic(Product, request, Png).Bytes);
        var again = Pixels.Decode(Renderer.Infographic(Product, request, Png).Bytes);
        var marked = Pixels.Decode(Renderer.Infographic(Product, request, Png with { Watermark = true }).Bytes);

        Assert.Equal(0, plain.MeanDifference(again));
        Assert.True(plain.MeanDifference(marked) > 1, $"watermark changed only {plain.MeanDifference(marked):F2}");
    }

    [Theory]
    [InlineData(InfographicLayout.Split, 600, 600)]
    [InlineData(InfographicLayout.Radial, 640, 480)]
    [InlineData(InfographicLayout.Grid, 450, 600)]
    public void The_product_is_inside_its_area_and_fills_it(InfographicLayout layout, int width, int height)
    {
        var image = Pixels.Decode(Renderer.Infographic(Product, Request(layout, width, height), Png).Bytes);
        var plan = InfographicGeometry.Plan(layout, width, height, English.Length);

        var red = image.Bounds(c => Pixels.Distance(c, Pixels.ProductRed) <= 12)!.Value;
        Assert.True(red.X >= plan.Product.X && red.Y >= plan.Product.Y && red.Right <= plan.Product.Right && red.Bottom <= plan.Product.Bottom, $"product {red} outside {plan.Product}");
        // Scaled to fit: the red body spans most of the area's limiting side (the cap and shadow take the rest).
        var fill = Math.Max((double)red.Width / plan.Product.Width, (double)red.Height / plan.Product.Height);
        Assert.True(fill > 0.55, $"product fills {fill:P0} of its area");
        Assert.True(image.Count(plan.Product, c => Pixels.Distance(c, Pixels.ProductRed) <= 12) > red.Width * red.Height * 0.8);
    }

    [Theory]
    [InlineData(InfographicLayout.Split, 600, 600)]
    [InlineData(InfographicLayout.Split, 375, 500)]
    [InlineData(InfographicLayout.Grid, 600, 600)]
    [InlineData(InfographicLayout.Grid, 732, 300)]
    public void Long_text_never_leaves_its_box(InfographicLayout layout, int width, int height)
    {
        var longText = string.Join(' ', Enumerable.Repeat("Extraordinarily long selling point that goes on and on", 6));
        string[] callouts = [longText, "Short", longText + " 中文也要换行不能出界", "Supercalifragilisticexpialidociousandmore"];
        var request = Request(layout, width, height, callouts, title: longText);
        var image = Pixels.Decode(Renderer.Infographic(Product, request, Png).Bytes);
        var plan = InfographicGeometry.Plan(layout, width, height, callouts.Length);
        var background = GraphicsPalette.From(Teal).Background;

        // Everything drawn lies in a planned box: title, product, badges, text boxes, cards.
        var boxes = new List<PixelBox> { plan.Title, plan.Product };
        foreach (var slot in plan.Callouts)
        {
            boxes.Add(slot.Badge);
            boxes.Add(slot.Text);
            if (slot.Card is { } card)
            {
                boxes.Add(card with { Height = card.Height + 3 }); // the card's offset shadow
            }
        }

        var stray = 0;
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                if (!boxes.Any(b => x >= b.X && x < b.Right && y >= b.Y && y < b.Bottom) && Pixels.Distance(image.At(x, y), background) > 2)
                {
                    stray++;
                }
            }
        }

        Assert.Equal(0, stray);
        // And the text really is there, wrapped over most of its box.
        var first = plan.Callouts[0].Text;
        var inked = image.Bounds(c => Rgb.Contrast(c, background) > 3 && Pixels.Distance(c, Pixels.ProductRed) > 40)!.Value;
        Assert.True(inked.Bottom >= first.Y + (first.Height / 2));
    }

    [Fact]
    public void Layouts_differ_substantially()
    {
        var split = Pixels.Decode(Renderer.Infographic(Product, Request(InfographicLayout.Split, 480, 480), Png).Bytes);
        var radial = Pixels.Decode(Renderer.Infographic(Product, Request(InfographicLayout.Radial, 480, 480), Png).Bytes);
        var grid = Pixels.Decode(Renderer.Infographic(Product, Request(InfographicLayout.Grid, 480, 480), Png).Bytes);

        Assert.True(split.MeanDifference(radial) > 8, $"split/radial {split.MeanDifference(radial):F1}");
        Assert.True(split.MeanDifference(grid) > 8, $"split/grid {split.MeanDifference(grid):F1}");
        Assert.True(radial.MeanDifference(grid) > 8, $"radial/grid {radial.MeanDifference(grid):F1}");
    }

    [Fact]
    public void Brand_colours_appear_and_text_reaches_wcag_contrast()
    {
        // A pale primary: the title must be darkened until it is readable, the tint and badges still on brand.
        var pale = new BrandStyle(["#FDBA74", "#0EA5E9"], "Liberation Sans", "Liberation Sans");
        var palette = GraphicsPalette.From(pale);
        var image = Pixels.Decode(Renderer.Infographic(Product, Request(InfographicLayout.Split, 600, 600, style: pale), Png).Bytes);
        var plan = InfographicGeometry.Plan(InfographicLayout.Split, 600, 600, English.Length);

        Assert.Equal(palette.Background, image.At(2, 2));
        Assert.True(image.Count(plan.Callouts[0].Badge, c => Pixels.Distance(c, palette.Accent) <= 3) > plan.Callouts[0].Badge.Width * plan.Callouts[0].Badge.Height / 3);
        Assert.True(image.Count(plan.Title, c => Pixels.Distance(c, palette.Title) <= 3) > 200, "solid title ink in the brand's (darkened) colour");

        // The most contrasting pixel of the title and of each callout (glyph interiors) against the background.
        foreach (var box in plan.Callouts.Select(s => s.Text).Prepend(plan.Title))
        {
            var best = 1.0;
            for (var y = box.Y; y < box.Bottom; y++)
            {
                for (var x = box.X; x < box.Right; x++)
                {
                    best = Math.Max(best, Rgb.Contrast(image.At(x, y), palette.Background));
                }
            }

            Assert.True(best >= 4.5, $"text in {box} reaches only {best:F2}:1");
        }
    }

    [Fact]
    public void Chinese_callouts_render_as_glyphs_even_with_a_latin_only_brand_font()
    {
        string[] zh = ["防水五十米海水测试", "单次充电续航两天", "蓝宝石玻璃耐刮耐磨"];
        var latinBrand = new BrandStyle(["#0F766E"], "Noto Sans CJK SC", "DejaVu Sans");
        var cjkBrand = latinBrand with { BodyFont = "Noto Sans CJK SC" };
        var withLatin = Pixels.Decode(Renderer.Infographic(Product, Request(InfographicLayout.Radial, 480, 480, zh, latinBrand, "zh-CN", "潜水表"), Png).Bytes);
        var withCjk = Pixels.Decode(Renderer.Infographic(Product, Request(InfographicLayout.Radial, 480, 480, zh, cjkBrand, "zh-CN", "潜水表"), Png).Bytes);

        // DejaVu has no Han glyphs: the stack falls back to Noto Sans CJK SC, so the pixels are those of the CJK face.
        Assert.True(withLatin.MeanDifference(withCjk) < 0.5, $"differs by {withLatin.MeanDifference(withCjk):F2}");
        var plan = InfographicGeometry.Plan(InfographicLayout.Radial, 480, 480, zh.Length);
        var background = GraphicsPalette.From(latinBrand).Background;
        Assert.True(withLatin.Count(plan.Callouts[0].Text, c => Pixels.Distance(c, background) > 60) > 100);
    }

    [Fact]
    public void Markup_and_odd_input_render_without_throwing()
    {
        string[] hostile = ["<b>bold</b> & <i>", "</span><span size='99999'>", "\u0001\u0002", "  ", "R&amp;D", "1", "2", "3", "4", "5", "6", "7", "8"];
        var encoded = Renderer.Infographic(Product, Request(InfographicLayout.Grid, 400, 400, hostile, new BrandStyle(["nope"], "", "Evil, Bold 500px")), Png);
        Assert.Equal((400, 400), (encoded.Width, encoded.Height));

        var empty = Renderer.Infographic(Product, Request(InfographicLayout.Radial, 300, 300, [], title: ""), Png);
        Assert.Equal((300, 300), (empty.Width, empty.Height));
        Assert.Throws<ArgumentOutOfRangeException>(() => Renderer.Infographic(Product, Request(InfographicLayout.Split, 10, 10), Png));
    }

    [Fact]
    public void Plans_keep_every_box_inside_the_frame()
    {
        foreach (var layout in Enum.GetValues<InfographicLayout>())
        {
            foreach (var (width, height) in new[] { (2000, 2000), (750, 1000), (1464, 600), (1125, 400), (1080, 1920) })
            {
                for (var n = 0; n <= InfographicGeometry.MaxCallouts + 1; n++)
                {
                    var plan = InfographicGeometry.Plan(layout, width, height, n);
                    Assert.Equal(Math.Min(n, InfographicGeometry.MaxCallouts), plan.Callouts.Count);
                    var boxes = plan.Callouts.SelectMany(s => new[] { s.Badge, s.Text, s.Card ?? s.Text }).Append(plan.Title).Append(plan.Product);
                    foreach (var box in boxes)
                    {
                        Assert.True(box.X >= 0 && box.Y >= 0 && box.Right <= width && box.Bottom <= height && box.Width > 0 && box.Height > 0, $"{layout} {width}x{height} n={n}: {box}");
                        Assert.False(Overlaps(box, plan.Product) && box != plan.Product && plan.Callouts.Count > 0 && plan.Callouts.Any(s => s.Text == box), $"text box {box} overlaps the product");
                    }
                }
            }
        }
    }

    [Fact]
    public void Registration_provides_the_local_renderer()
    {
        using var provider = new ServiceCollection().AddLocalGraphics().BuildServiceProvider();
        Assert.IsType<LocalGraphicsRenderer>(provider.GetRequiredService<IGraphicsRenderer>());
        Assert.Same(provider.GetRequiredService<IGraphicsRenderer>(), provider.GetRequiredService<IGraphicsRenderer>());
    }

    private static bool Overlaps(PixelBox a, PixelBox b) => a.X < b.Right && b.X < a.Right && a.Y < b.Bottom && b.Y < a.Bottom;
}
