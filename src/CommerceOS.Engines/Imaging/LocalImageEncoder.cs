using CommerceOS.Core.Assets;
using CommerceOS.Core.Generation;
using NetVips;

namespace CommerceOS.Engines.Imaging;

/// <summary><see cref="IImageEncoder"/> on <see cref="ImageOutput"/>.</summary>
public sealed class LocalImageEncoder : IImageEncoder
{
    public EncodedImage Encode(RgbaImage image, OutputSpec output)
    {
        using var vips = RgbaInterop.ToVips(image);
        return ImageOutput.Encode(vips, output);
    }

    public EncodedImage Finish(byte[] rendered, OutputSpec output)
    {
        // Only our own renders come here, but they are still checked like any other bytes.
        ImageHeaderReader.Read(rendered);
        using var image = Image.NewFromBuffer(rendered, failOn: Enums.FailOn.Error);
        return ImageOutput.Encode(image, output);
    }
}
