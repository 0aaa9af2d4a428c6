using CommerceOS.Core.Assets;
using CommerceOS.Core.Generation;
using System.Runtime.InteropServices;
using NetVips;

namespace CommerceOS.Engines.Imaging.Cutout;

/// <summary>
/// Classical cut-out for the common seller photo (a product on a plain or near-plain backdrop, with
/// shadows and reflections): libvips decodes and shrinks, then plain loops over pixel arrays segment at up
/// to <see cref="SegmentationMaxSide"/> px and matte the edge at the working size. See
/// <see cref="CutoutSegmenter"/> and <see cref="EdgeMatting"/> for the method, <see cref="CutoutConfidence"/>
/// for when to suggest an AI provider instead.
/// </summary>
public sealed class LocalCutoutEngine : ICutoutEngine
{
    /// <summary>Segmentation runs at most at this size (the edge is matted at the full working size): ~4x less work at 2000-2400 px.</summary>
    public const int SegmentationMaxSide = 1200;

    /// <summary>Alpha at or above this counts as product when measuring bounds of an AI provider's cut-out (its faint fringe noise does not).</summary>
    public const byte FromAlphaBoundsThreshold = 8;

    public CutoutResult Cut(byte[] image, int maxSide = ICutoutEngine.WorkingSide)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSide, 16);
        var (rgb, w, h) = DecodeRgb(image, maxSide);
        Segmentation? segmentation = null;
        EdgeMatting? matting = null;
        try
        {
            var k = Math.Max(1, (int)Math.Ceiling(Math.Max(w, h) / (double)SegmentationMaxSide));
            if (k == 1)
            {
                segmentation = CutoutSegmenter.Segment(rgb, w, h, w);
            }
            else
            {
                var (coarse, cw, ch) = BoxShrink(rgb, w, h, k);
                segmentation = CutoutSegmenter.Segment(coarse, cw, ch, w);
                Planes.Return(coarse);
            }

            if (segmentation.Area == 0)
            {
                return WholeFrame(rgb, w, h);
            }

            matting = new EdgeMatting(rgb, w, h, segmentation, k);
            matting.Run();
            return Assemble(rgb, w, h, segmentation, matting);
        }
        finally
        {
            // The planes go back for the next photo; nothing returned to the caller points into them.
            Planes.Return(rgb, segmentation?.Mask, matting?.Alpha);
        }
    }

    private static CutoutResult Assemble(byte[] rgb, int w, int h, Segmentation segmentation, EdgeMatting matting)
    {
        var alpha = matting.Alpha;
        var bounds = AlphaBounds(alpha, w, h, 1);
        if (bounds is null)
        {
            return WholeFrame(rgb, w, h);
        }

        var box = bounds.Value;
        var pixels = new byte[box.Width * box.Height * 4];
        for (var y = 0; y < box.Height; y++)
        {
            var src = ((box.Y + y) * w) + box.X;
            var dst = y * box.Width * 4;
            for (var x = 0; x < box.Width; x++)
            {
                var i = src + x;
                var o = dst + (4 * x);
                var a = alpha[i];
                if (a == 0)
                {
                    continue;
                }

                pixels[o] = rgb[3 * i];
                pixels[o + 1] = rgb[(3 * i) + 1];
                pixels[o + 2] = rgb[(3 * i) + 2];
                pixels[o + 3] = a;
            }
        }

        foreach (var (index, colour) in matting.Colours)
        {
            var x = (index % w) - box.X;
            var y = (index / w) - box.Y;
            var o = ((y * box.Width) + x) * 4;
            pixels[o] = (byte)(colour >> 16);
            pixels[o + 1] = (byte)(colour >> 8);
            pixels[o + 2] = (byte)colour;
        }

        var confidence = CutoutConfidence.Score(segmentation);
        return new CutoutResult(new RgbaImage(box.Width, box.Height, pixels), box, w, h, confidence);
    }

    public CutoutResult FromAlpha(byte[] pngWithAlpha, int maxSide = ICutoutEngine.WorkingSide)
    {
        ArgumentNullException.ThrowIfNull(pngWithAlpha);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSide, 16);
        var frame = DecodeRgba(pngWithAlpha, maxSide);
        var w = frame.Width;
        var h = frame.Height;
        var alpha = new byte[w * h];
        for (var i = 0; i < alpha.Length; i++)
        {
            alpha[i] = frame.Pixels[(4 * i) + 3];
        }

        var bounds = AlphaBounds(alpha, w, h, FromAlphaBoundsThreshold);
        if (bounds is null)
        {
            // Nothing left after the provider's cut: the frame as it is, with no confidence at all.
            return new CutoutResult(frame, new PixelBox(0, 0, w, h), w, h, 0);
        }

        var box = bounds.Value;
        var pixels = new byte[box.Width * box.Height * 4];
        for (var y = 0; y < box.Height; y++)
        {
            Buffer.BlockCopy(frame.Pixels, (((box.Y + y) * w) + box.X) * 4, pixels, y * box.Width * 4, box.Width * 4);
        }

        return new CutoutResult(new RgbaImage(box.Width, box.Height, pixels), box, w, h, CutoutConfidence.Crispness(alpha, w, h));
    }

    private static CutoutResult WholeFrame(byte[] rgb, int w, int h)
    {
        // No product found: hand back the frame, opaque, with zero confidence (the UI then suggests an AI provider).
        var pixels = new byte[w * h * 4];
        for (var i = 0; i < w * h; i++)
        {
            pixels[4 * i] = rgb[3 * i];
            pixels[(4 * i) + 1] = rgb[(3 * i) + 1];
            pixels[(4 * i) + 2] = rgb[(3 * i) + 2];
            pixels[(4 * i) + 3] = 255;
        }

        return new CutoutResult(new RgbaImage(w, h, pixels), new PixelBox(0, 0, w, h), w, h, 0);
    }

    private static PixelBox? AlphaBounds(byte[] alpha, int w, int h, byte threshold)
    {
        int left = w, right = -1, top = h, bottom = -1;
        for (var y = 0; y < h; y++)
        {
            var o = y * w;
            var rowLeft = -1;
            var rowRight = -1;
            for (var x = 0; x < w; x++)
            {
                if (alpha[o + x] >= threshold)
                {
                    rowLeft = x;
                    break;
                }
            }

            if (rowLeft < 0)
            {
                continue;
            }

            for (var x = w - 1; x >= rowLeft; x--)
            {
                if (alpha[o + x] >= threshold)
                {
                    rowRight = x;
                    break;
                }
            }

            left = Math.Min(left, rowLeft);
            right = Math.Max(right, rowRight);
            top = Math.Min(top, y);
            bottom = y;
        }

        return right < 0 ? null : new PixelBox(left, top, right - left + 1, bottom - top + 1);
    }

    private static (byte[] Coarse, int Width, int Height) BoxShrink(byte[] rgb, int w, int h, int k)
    {
        var cw = w / k;
        var ch = h / k;
        var coarse = Planes.Rent<byte>(cw * ch * 3, clear: false);
        var sums = new int[cw * 3];
        var area = k * k;
        for (var cy = 0; cy < ch; cy++)
        {
            Array.Clear(sums);
            for (var dy = 0; dy < k; dy++)
            {
                var row = ((cy * k) + dy) * w * 3;
                for (var cx = 0; cx < cw; cx++)
                {
                    var src = row + (cx * k * 3);
                    for (var dx = 0; dx < k; dx++)
                    {
                        sums[3 * cx] += rgb[src];
                        sums[(3 * cx) + 1] += rgb[src + 1];
                        sums[(3 * cx) + 2] += rgb[src + 2];
                        src += 3;
                    }
                }
            }

            var dst = cy * cw * 3;
            for (var j = 0; j < cw * 3; j++)
            {
                coarse[dst + j] = (byte)((sums[j] + (area / 2)) / area);
            }
        }

        return (coarse, cw, ch);
    }

    private static (byte[] Rgb, int Width, int Height) DecodeRgb(byte[] data, int maxSide)
    {
        using var owned = new VipsScope();
        var image = Load(data, maxSide, owned);
        try
        {
            if (image.HasAlpha())
            {
                image = owned.Add(image.Flatten(background: [255, 255, 255]));
            }

            // Into a reused plane: a fresh 13 MB array per photo is what kept the large-object heap growing.
            var pointer = image.WriteToMemory(out var size);
            try
            {
                var rgb = Planes.Rent<byte>(checked((int)size), clear: false);
                Marshal.Copy(pointer, rgb, 0, rgb.Length);
                return (rgb, image.Width, image.Height);
            }
            finally
            {
                NetVips.NetVips.Free(pointer);
            }
        }
        catch (VipsException e)
        {
            throw new ImageRejectedException(UploadError.Corrupt, FirstLine(e.Message));
        }
    }

    private static RgbaImage DecodeRgba(byte[] data, int maxSide)
    {
        using var owned = new VipsScope();
        var image = Load(data, maxSide, owned);
        try
        {
            return RgbaInterop.FromVips(image);
        }
        catch (VipsException e)
        {
            throw new ImageRejectedException(UploadError.Corrupt, FirstLine(e.Message));
        }
    }

    /// <summary>Sniffed header first (never libvips' own sniffing, which also takes SVG or PDF), then shrink-on-load, auto-rotation and 8-bit sRGB.</summary>
    private static Image Load(byte[] data, int maxSide, VipsScope owned)
    {
        var header = ImageHeaderReader.Read(data);
        try
        {
            var image = header.Format == ImageFormat.Jpeg ? LoadJpeg(data, header, maxSide, owned) : null;
            image ??= owned.Add(Image.ThumbnailBuffer(data, maxSide, height: maxSide, size: Enums.Size.Down, failOn: Enums.FailOn.Error));
            if (image.Interpretation != Enums.Interpretation.Srgb || image.Format != Enums.BandFormat.Uchar)
            {
                image = owned.Add(image.Colourspace(Enums.Interpretation.Srgb));
            }

            if (image.Format != Enums.BandFormat.Uchar)
            {
                image = owned.Add(image.Cast(Enums.BandFormat.Uchar));
            }

            return image;
        }
        catch (VipsException e)
        {
            throw new ImageRejectedException(UploadError.Corrupt, FirstLine(e.Message));
        }
    }

    /// <summary>
    /// A plain sRGB JPEG decoded at the largest DCT reduction (1/2, 1/4, 1/8) that still covers the working size,
    /// auto-rotated, then resized only if it is still larger: what the thumbnail operation does for it, without its
    /// overhead (a camera's 4000x3000 photo to 2000 px in about 60 ms instead of 110-150). Anything with a colour
    /// profile or other bands is left to the thumbnail operation (null).
    /// </summary>
    private static Image? LoadJpeg(byte[] data, ImageInfo header, int maxSide, VipsScope owned)
    {
        var longSide = Math.Max(header.Width, header.Height);
        var shrink = 1;
        while (shrink < 8 && longSide / (shrink * 2) >= maxSide)
        {
            shrink *= 2;
        }

        var decoded = owned.Add(Image.JpegloadBuffer(data, shrink: shrink, failOn: Enums.FailOn.Error));
        if (decoded.Contains("icc-profile-data") || decoded.Bands != 3 || decoded.Interpretation != Enums.Interpretation.Srgb)
        {
            return null;
        }

        var image = owned.Add(decoded.Autorot());
        var side = Math.Max(image.Width, image.Height);
        return side > maxSide ? owned.Add(image.Resize(maxSide / (double)side)) : image;
    }

    private static string FirstLine(string message) => message.Split('\n', 2)[0].Trim();
}
