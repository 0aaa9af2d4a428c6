using CommerceOS.Core.Assets;

namespace CommerceOS.Core.Generation;

/// <summary>The output step for images that are not composed: cut-outs, and finishing an already rendered file.</summary>
public interface IImageEncoder
{
    /// <summary>Encodes raw pixels (PNG keeps the alpha) with watermark and provenance as <paramref name="output"/> says.</summary>
    EncodedImage Encode(RgbaImage image, OutputSpec output);

    /// <summary>Decodes a file the engine rendered and encodes it again as <paramref name="output"/> says (e.g. adds the free-plan watermark).</summary>
    EncodedImage Finish(byte[] rendered, OutputSpec output);
}
