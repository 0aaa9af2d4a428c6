using CommerceOS.Core.Assets;
using CommerceOS.Core.Generation;
using NetVips;

namespace CommerceOS.Engines.Imaging.Composition;

/// <summary>
/// Renders an encoded image at another size without distortion. An image with a uniform border (a white
/// main image, a plain studio backdrop) gets its canvas extended in that colour, keeping the content's
/// fill; anything else is cover-cropped around its most interesting part (libvips smartcrop, attention).
/// Decoding is always shrink-on-load (JPEG DCT scaling, WebP scaled decode) through libvips' thumbnail.
/// </summary>
public static class CanvasFit
{
    private const int PreviewSide = 512;

    /// <summary>A ring pixel further than this from the ring's median colour breaks uniformity (JPEG noise stays under it).</summary>
    private const int UniformTolerance = 6;

    /// <summary>Share of ring pixels that must be within tolerance.</summary>
    private const double UniformShare = 0.995;

    public static EncodedImage Fit(byte[] image, int width, int height, OutputSpec output)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ImageHeaderReader.Read(image);
        try
        {
            // Provenance travels with the pixels: the source's own XMP wins over the caller's default.
            var spec = output with { Provenance = ImageOutput.ReadProvenance(image) ?? output.Provenance };
            using var s = new VipsScope();
            var (sourceW, sourceH) = OrientedSize(s, image);
            // Thumbnail pipelines are sequential: render the small preview once, then measure it as often as needed.
            var preview = s.Add(Flattened(s, s.Add(Image.ThumbnailBuffer(image, PreviewSide, height: PreviewSide, size: Enums.Size.Down, failOn: Enums.FailOn.Error))).CopyMemory());
            if (UniformBorder(preview) is { } border && ContentBox(preview, border) is { } box)
            {
                // Content box as fractions of the source; keep its fill max(w/W, h/H) in the new frame.
                var fill = Math.Max(box.Width, box.Height);
                var scale = fill / Math.Max(box.Width * sourceW / width, box.Height * sourceH / height);
                var scaledW = Math.Max(1, (int)Math.Round(sourceW * scale));
                var scaledH = Math.Max(1, (int)Math.Round(sourceH * scale));
                var centreX = box.X + (box.Width / 2);
                var centreY = box.Y + (box.Height / 2);
                // The content's centre keeps its relative position, clamped so the content stays inside the frame.
                var contentW = box.Width * scaledW;
                var contentH = box.Height * scaledH;
                var targetX = Math.Clamp(centreX * width, contentW / 2, width - (contentW / 2));
                var targetY = Math.Clamp(centreY * height, contentH / 2, height - (contentH / 2));
                var ox = (int)Math.Round(targetX - (centreX * scaledW));
                var oy = (int)Math.Round(targetY - (centreY * scaledH));
                var placed = Place(s, image, scaledW, scaledH, ox, oy, width, height, border);
                return ImageOutput.Encode(placed, spec);
            }

            var cropped = Flattened(s, s.Add(Image.ThumbnailBuffer(image, width, height: height, size: Enums.Size.Both, crop: Enums.Interesting.Attention, failOn: Enums.FailOn.Error)));
            return ImageOutput.Encode(Srgb(s, cropped), spec);
        }
        catch (VipsException e)
        {
            throw new ImageRejectedException(UploadError.Corrupt, e.Message.Split('\n', 2)[0].Trim());
        }
    }

    /// <summary>
    /// Fit-and-encode: the image scaled to fit inside width x height (shrink-on-load), centred on a canvas
    /// of <paramref name="background"/>, finished by <see cref="ImageOutput.Encode"/>. The hot path measured
    /// by bench/fit-encode.sh.
    /// </summary>
    public static EncodedImage Contain(byte[] image, int width, int height, Rgb background, OutputSpec output)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(output);
        ImageHeaderReader.Read(image);
        try
        {
            using var s = new VipsScope();
            var thumb = Flattened(s, s.Add(Image.ThumbnailBuffer(image, width, height: height, size: Enums.Size.Both, failOn: Enums.FailOn.Error)));
            var placed = Embed(s, Srgb(s, thumb), (width - thumb.Width) / 2, (height - thumb.Height) / 2, width, height, background);
            return ImageOutput.Encode(placed, output);
        }
        catch (VipsException e)
        {
            throw new ImageRejectedException(UploadError.Corrupt, e.Message.Split('\n', 2)[0].Trim());
        }
    }

    /// <summary>The source scaled to exactly scaledW x scaledH (shrink-on-load), its top-left at (x, y) of a width x height canvas of <paramref name="background"/>; parts outside are cut.</summary>
    private static Image Place(VipsScope s, byte[] image, int scaledW, int scaledH, int x, int y, int width, int height, Rgb background)
    {
        var thumb = Flattened(s, s.Add(Image.ThumbnailBuffer(image, scaledW, height: scaledH, size: Enums.Size.Force, failOn: Enums.FailOn.Error)));
        return Embed(s, Srgb(s, thumb), x, y, width, height, background);
    }

    private static Image Embed(VipsScope s, Image image, int x, int y, int width, int height, Rgb background)
    {
        if (x == 0 && y == 0 && image.Width == width && image.Height == height)
        {
            return image;
        }

        return s.Add(image.Embed(x, y, width, height, extend: Enums.Extend.Background, background: background.ToArray()));
    }

    /// <summary>Width and height after EXIF auto-rotation (thumbnail rotates; the header does not).</summary>
    private static (double Width, double Height) OrientedSize(VipsScope s, byte[] image)
    {
        var header = s.Add(Image.NewFromBuffer(image, access: Enums.Access.Sequential));
        var orientation = header.Contains("orientation") ? (int)header.Get("orientation") : 1;
        return orientation >= 5 ? (header.Height, header.Width) : (header.Width, header.Height);
    }

    /// <summary>Transparency is composed on white (the marketplace default) so borders are measured as seen.</summary>
    private static Image Flattened(VipsScope s, Image image) =>
        image.HasAlpha() ? s.Add(image.Flatten(background: [255, 255, 255])) : image;

    private static Image Srgb(VipsScope s, Image image)
    {
        var srgb = image.Interpretation is Enums.Interpretation.Srgb or Enums.Interpretation.Rgb && image.Format == Enums.BandFormat.Uchar && image.Bands == 3
            ? image
            : s.Add(image.Colourspace(Enums.Interpretation.Srgb));
        return srgb.Format == Enums.BandFormat.Uchar ? srgb : s.Add(srgb.Cast(Enums.BandFormat.Uchar));
    }

    /// <summary>The colour of a uniform outer ring (2 pixels wide), or null when the border is busy.</summary>
    internal static Rgb? UniformBorder(Image preview)
    {
        using var s = new VipsScope();
        var rgb = Srgb(s, preview);
        var w = rgb.Width;
        var h = rgb.Height;
        if (w < 8 || h < 8)
        {
            return null;
        }

        var pixels = rgb.WriteToMemory<byte>();
        var ring = new List<(byte R, byte G, byte B)>((2 * w) + (2 * h));
        for (var y = 0; y < h; y++)
        {
            for (var x = 0; x < w; x++)
            {
                if (x >= 2 && x < w - 2 && y >= 2 && y < h - 2)
                {
                    x = w - 3;
                    continue;
                }

                var i = ((y * w) + x) * 3;
                ring.Add((pixels[i], pixels[i + 1], pixels[i + 2]));
            }
        }

        var median = new Rgb(Median(ring.Select(p => p.R)), Median(ring.Select(p => p.G)), Median(ring.Select(p => p.B)));
        var close = ring.Count(p => Math.Abs(p.R - median.R) <= UniformTolerance && Math.Abs(p.G - median.G) <= UniformTolerance && Math.Abs(p.B - median.B) <= UniformTolerance);
        return close >= ring.Count * UniformShare ? median : null;
    }

    /// <summary>The content's box as fractions of the preview, or null for a blank image.</summary>
    private static (double X, double Y, double Width, double Height)? ContentBox(Image preview, Rgb border)
    {
        var (left, top, width, height) = preview.Trim(12, border.ToArray());
        if (width <= 0 || height <= 0 || (width >= preview.Width && height >= preview.Height))
        {
            return null;
        }

        return (left / (double)preview.Width, top / (double)preview.Height, width / (double)preview.Width, height / (double)preview.Height);
    }

    private static double Median(IEnumerable<byte> values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }
}
