namespace CommerceOS.Core.Generation;

/// <summary>
/// Straight (not premultiplied) 8-bit sRGB RGBA pixels, row-major, 4 bytes a pixel. The hand-off
/// between imaging stages: raw pixels cost a copy, where PNG between stages would cost an encode
/// and a decode of every image.
/// </summary>
public sealed class RgbaImage
{
    public RgbaImage(int width, int height, byte[] pixels)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentNullException.ThrowIfNull(pixels);
        if (pixels.LongLength != (long)width * height * 4)
        {
            throw new ArgumentException($"{width}x{height} RGBA needs {(long)width * height * 4} bytes, got {pixels.LongLength}.", nameof(pixels));
        }

        Width = width;
        Height = height;
        Pixels = pixels;
    }

    public int Width { get; }

    public int Height { get; }

    public byte[] Pixels { get; }
}

/// <summary>A rectangle in pixels; X and Y are the top-left corner.</summary>
public readonly record struct PixelBox(int X, int Y, int Width, int Height)
{
    public int Right => X + Width;

    public int Bottom => Y + Height;
}
