using CommerceOS.Core.Assets;
using CommerceOS.Core.Generation;
using CommerceOS.Engines.Imaging;
using CommerceOS.Engines.Imaging.Graphics;

namespace CommerceOS.Tests.Imaging.Graphics;

public sealed class SizeChartRendererTests
{
    private static readonly XmpProvenance Provenance = new(DigitalSourceType.AlgorithmicMedia, "local", "size-chart/1");
    private static readonly OutputSpec Png = new(ImageFormat.Png, Provenance, Watermark: false);
    private static readonly BrandStyle Style = new(["#0F766E"], "Inter", "Noto Sans");
    private static readonly LocalGraphicsRenderer Renderer = new();

    private static SizeChartRequest Chart(int width, int height, int rows, IReadOnlyList<string>? columns = null, string title = "Size chart 尺码表", string? note = "Measured flat, ±1 cm. 平铺测量。")
    {
        columns ??= ["Size", "Chest (cm)", "Length (cm)", "Shoulder (cm)"];
        string[] sizes = ["XS", "S", "M", "L", "XL", "XXL", "3XL", "4XL", "5XL", "6XL"];
        var data = Enumerable.Range(0, rows).Select(r => (IReadOnlyList<string>)[sizes[r % sizes.Length], .. columns.Skip(1).Select((_, c) => (84 + (4 * r) + c).ToString(System.Globalization.CultureInfo.InvariantCulture))]).ToList();
        return new SizeChartRequest(width, height, title, columns, data, note, "en", Style);
    }

    /// <summary>Runs of header, zebra and white rows down a column just inside the table's left edge.</summary>
    private static List<char> Bands(Pixels image, GraphicsPalette palette)
    {
        var header = Header(image, palette);
        var x = header.X + 4;
        var runs = new List<char>();
        for (var y = header.Y; y < image.Height; y++)
        {
            var c = image.At(x, y);
            var kind = Pixels.Distance(c, palette.Primary) <= 2 ? 'H' : Pixels.Distance(c, palette.Zebra) <= 2 ? 'Z' : Pixels.Distance(c, Rgb.White) <= 2 ? 'W' : '-';
            if (runs.Count == 0 || runs[^1] != kind)
            {
                runs.Add(kind);
            }
        }

        return runs;
    }

    /// <summary>The header row: the first rows mostly in the primary colour (the title above is in it too, but narrow).</summary>
    private static PixelBox Header(Pixels image, GraphicsPalette palette)
    {
        int top = -1, bottom = -1, left = image.Width;
        for (var y = 0; y < image.Height; y++)
        {
            var row = new PixelBox(0, y, image.Width, 1);
            if (image.Count(row, c => Pixels.Distance(c, palette.Primary) <= 2) > image.Width / 2)
            {
                top = top < 0 ? y : top;
                bottom = y;
                left = Math.Min(left, Enumerable.Range(0, image.Width).First(x => Pixels.Distance(image.At(x, y), palette.Primary) <= 2));
            }
            else if (top >= 0)
            {
                break;
            }
        }

        Assert.True(top >= 0, "no header row");
        var right = Enumerable.Range(0, image.Width).Last(x => Pixels.Distance(image.At(x, top), palette.Primary) <= 2);
        return new PixelBox(left, top, right - left + 1, bottom - top + 1);
    }

    [Theory]
    [InlineData(800, 700, 6)]
    [InlineData(600, 800, 9)]
    [InlineData(1000, 400, 3)]
    public void Header_and_zebra_rows_match_the_data(int width, int height, int rows)
    {
        var encoded = Renderer.SizeChart(Chart(width, height, rows), Png);
        var image = Pixels.Decode(encoded.Bytes);
        var palette = GraphicsPalette.From(Style);

        Assert.Equal((width, height), (encoded.Width, encoded.Height));
        Assert.Equal(Provenance, ImageOutput.ReadProvenance(encoded.Bytes));
        var bands = Bands(image, palette);
        // Header, then alternating zebra/white data rows, then the table's bottom border.
        var expected = new List<char> { 'H' };
        expected.AddRange(Enumerable.Range(0, rows).Select(r => r % 2 == 0 ? 'Z' : 'W'));
        Assert.Equal(string.Concat(expected), string.Concat(bands.Take(rows + 1)));
        Assert.Equal('-', bands[rows + 1]);
    }

    [Theory]
    [InlineData(400, 300)]
    [InlineData(300, 600)]
    public void Many_long_columns_still_fit_inside_the_margins(int width, int height)
    {
        string[] columns = ["尺码 Size", "Chest circumference (cm)", "Body length (cm)", "Shoulder width (cm)", "Sleeve length (cm)", "Hem width (cm)", "袖口 (cm)"];
        var image = Pixels.Decode(Renderer.SizeChart(Chart(width, height, 8, columns, "A very long size chart title that has to shrink or wrap to fit"), Png).Bytes);

        Assert.Equal((width, height), (image.Width, image.Height));
        var margin = (int)Math.Round(0.05 * Math.Min(width, height));
        var outside = 0;
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var inside = x >= margin && x < width - margin && y >= margin && y < height - margin;
                if (!inside && Pixels.Distance(image.At(x, y), Rgb.White) > 2)
                {
                    outside++;
                }
            }
        }

        Assert.Equal(0, outside);
        // The header row is present and spans the table width.
        var header = Header(image, GraphicsPalette.From(Style));
        Assert.InRange(header.Width, width - (2 * margin) - 2, width - (2 * margin));
    }

    [Fact]
    public void Text_on_header_and_rows_is_readable()
    {
        var image = Pixels.Decode(Renderer.SizeChart(Chart(640, 480, 4), Png).Bytes);
        var palette = GraphicsPalette.From(Style);
        var header = Header(image, palette);
        var headerText = image.Count(header, c => Pixels.Distance(c, palette.HeaderText) <= 3);
        Assert.True(headerText > 100, "header labels drawn in the header text colour");
        Assert.True(Rgb.Contrast(palette.HeaderText, palette.Primary) >= 4.5);
        var body = header with { Y = header.Bottom, Height = header.Height * 4 };
        Assert.True(image.Count(body, c => Rgb.Contrast(c, palette.Zebra) >= 4.5 && Rgb.Contrast(c, Rgb.White) >= 4.5) > 200, "cell digits in readable ink");
    }
}
