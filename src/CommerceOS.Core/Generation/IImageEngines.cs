using CommerceOS.Core.Assets;
using CommerceOS.Core.Marketplaces;

namespace CommerceOS.Core.Generation;

/// <param name="Product">The product cropped to <paramref name="Bounds"/>, with a soft alpha edge.</param>
/// <param name="Bounds">Where the product sits in the (auto-rotated, possibly downscaled) working frame.</param>
/// <param name="FrameWidth">Width of the working frame.</param>
/// <param name="FrameHeight">Height of the working frame.</param>
/// <param name="Confidence">0 to 1: how sure the engine is (plain background: high; clutter: low, suggest an AI provider).</param>
public sealed record CutoutResult(RgbaImage Product, PixelBox Bounds, int FrameWidth, int FrameHeight, double Confidence);

/// <summary>Separates the product from the background of a photo.</summary>
public interface ICutoutEngine
{
    /// <summary>
    /// The default working frame: 2000 px is the largest side any marketplace image takes (Amazon, Shopify, Etsy and
    /// Walmart main images), so the product never needs more pixels than that; and a camera's 4000 px JPEG then
    /// decodes straight at half size (shrink-on-load), about a quarter of the decoding work of any size in between.
    /// </summary>
    public const int WorkingSide = 2000;

    /// <param name="image">Encoded photo (already accepted by the upload checks).</param>
    /// <param name="maxSide">The working frame's longest side; larger photos are downscaled first.</param>
    CutoutResult Cut(byte[] image, int maxSide = WorkingSide);

    /// <summary>Same as <see cref="Cut(byte[], int)"/> for a cut-out made elsewhere (an AI provider's PNG with alpha): trims, measures, keeps the pixels.</summary>
    CutoutResult FromAlpha(byte[] pngWithAlpha, int maxSide = WorkingSide);
}

public sealed record StudioRequest(StudioStyle Style, int Width, int Height, IReadOnlyList<string> Palette);

/// <summary>A scene for the product: exactly one of a built-in scene, a background image (uploaded or AI-generated) or a prompt for the local procedural generator.</summary>
public sealed record SceneRequest(int Width, int Height, string? BuiltInSceneId, byte[]? Background, string? Prompt, IReadOnlyList<string> Palette);

/// <summary>A built-in procedural scene (names are resource keys "Scene.{Id}").</summary>
public sealed record SceneInfo(string Id);

/// <summary>Composites a cut-out: marketplace main images, studio shots, scenes, size variants.</summary>
public interface IImageComposer
{
    IReadOnlyList<SceneInfo> BuiltInScenes { get; }

    /// <summary>Pure white canvas of the profile's size, product centred and scaled to <see cref="MainImageProfile.TargetFill"/>.</summary>
    EncodedImage MainImage(RgbaImage cutout, MainImageProfile profile, bool contactShadow, OutputSpec output);

    EncodedImage Studio(RgbaImage cutout, StudioRequest request, OutputSpec output);

    /// <summary>Places the product with matched scale, perspective and lighting; the product's own pixels are never regenerated.</summary>
    EncodedImage Scene(RgbaImage cutout, SceneRequest request, OutputSpec output);

    /// <summary>Renders any image at another size/ratio without distorting it; keeps the source's XMP provenance.</summary>
    EncodedImage Fit(byte[] image, int width, int height, OutputSpec output);
}

public sealed record BrandStyle(IReadOnlyList<string> Palette, string HeadingFont, string BodyFont);

/// <param name="Language">"en" or "zh-CN": picks fonts and line breaking.</param>
public sealed record InfographicRequest(InfographicLayout Layout, int Width, int Height, string Title, IReadOnlyList<string> Callouts, string Language, BrandStyle Style);

/// <param name="Columns">Header row, e.g. Size, Chest, Length.</param>
/// <param name="Rows">One row per size; cells are display strings.</param>
public sealed record SizeChartRequest(int Width, int Height, string Title, IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<string>> Rows, string? Note, string Language, BrandStyle Style);

/// <summary>Text-bearing graphics: infographics and size charts (Latin and CJK).</summary>
public interface IGraphicsRenderer
{
    EncodedImage Infographic(RgbaImage cutout, InfographicRequest request, OutputSpec output);

    EncodedImage SizeChart(SizeChartRequest request, OutputSpec output);
}
