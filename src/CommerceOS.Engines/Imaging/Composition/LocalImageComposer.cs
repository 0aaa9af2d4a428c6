using CommerceOS.Core.Assets;
using CommerceOS.Core.Generation;
using CommerceOS.Core.Marketplaces;
using NetVips;

namespace CommerceOS.Engines.Imaging.Composition;

/// <summary>Where the product landed in a composed image and the gain it was graded with.</summary>
/// <param name="Bounds">The scaled product's content box (alpha above the threshold) on the canvas.</param>
/// <param name="LayerX">Canvas x of the scaled product layer's top-left corner.</param>
/// <param name="LayerY">Canvas y of the scaled product layer's top-left corner.</param>
/// <param name="Scale">Scale from cut-out pixels to canvas pixels.</param>
/// <param name="Gains">Per-channel colour gain applied to the product (1 = untouched).</param>
public sealed record ProductPlacement(PixelBox Bounds, int LayerX, int LayerY, double Scale, double[] Gains);

/// <summary>A scene before encoding: the 8-bit sRGB image, where the product went and what the scene looked like. Dispose it.</summary>
public sealed class ComposedScene : IDisposable
{
    private readonly VipsScope _scope;

    internal ComposedScene(VipsScope scope, Image image, ProductPlacement placement, SceneAnalysis analysis, double surfaceY, double lightX)
    {
        _scope = scope;
        Image = image;
        Placement = placement;
        Analysis = analysis;
        SurfaceY = surfaceY;
        LightX = lightX;
    }

    public Image Image { get; }

    public ProductPlacement Placement { get; }

    public SceneAnalysis Analysis { get; }

    /// <summary>The line the product stands on, in pixels.</summary>
    public double SurfaceY { get; }

    /// <summary>The light direction used for shadows (-1 from the left, +1 from the right).</summary>
    public double LightX { get; }

    public void Dispose() => _scope.Dispose();
}

/// <summary>
/// <see cref="IImageComposer"/> on libvips: marketplace main images, studio shots, scenes and size
/// variants. Every output is finished by <see cref="ImageOutput.Encode"/> (watermark, provenance, encode).
/// </summary>
public sealed class LocalImageComposer : IImageComposer
{
    /// <summary>The bounded lighting match: the product's colour is never pushed further than this.</summary>
    public const double MaxGrade = 0.15;

    private static readonly IReadOnlyList<SceneInfo> Scenes = [.. ProceduralScenes.Ids.Select(id => new SceneInfo(id))];

    public IReadOnlyList<SceneInfo> BuiltInScenes => Scenes;

    public EncodedImage MainImage(RgbaImage cutout, MainImageProfile profile, bool contactShadow, OutputSpec output)
    {
        ArgumentNullException.ThrowIfNull(cutout);
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(output);
        using var s = new VipsScope();
        var image = ComposeMain(s, cutout, profile, contactShadow && profile.ShadowAllowed, out _);
        // The marketplace decides the format and the byte limit; the caller decides watermark and provenance.
        var spec = output with { Format = profile.Format, MaxBytes = profile.MaxBytes ?? output.MaxBytes };
        return ImageOutput.Encode(image, spec);
    }

    /// <summary>The main image before encoding (8-bit sRGB, 3 bands) and the product's box on it.</summary>
    public static Image ComposeMain(VipsScope s, RgbaImage cutout, MainImageProfile profile, bool contactShadow, out PixelBox bounds)
    {
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentOutOfRangeException.ThrowIfLessThan(profile.Width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(profile.Height, 1);
        if (profile.TargetFill is <= 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(profile), profile.TargetFill, "TargetFill is a fraction in (0, 1].");
        }

        var width = profile.Width;
        var height = profile.Height;
        var rgba = ProductLayer.Load(s, cutout);
        var content = ProductLayer.ContentBox(s, rgba);
        var fill = Math.Max(content.Width / (double)width, content.Height / (double)height);
        var product = ProductLayer.Scale(s, rgba, content, profile.TargetFill / fill);
        var c = product.Content;
        // Centre the measured content box, not the layer (the layer carries a transparent pad).
        var x = (int)Math.Round((width / 2.0) - (c.X + (c.Width / 2.0)));
        var y = (int)Math.Round((height / 2.0) - (c.Y + (c.Height / 2.0)));
        bounds = new PixelBox(x + c.X, y + c.Y, c.Width, c.Height);
        if (!contactShadow)
        {
            // Over pure white, compositing is flattening: flatten only the product layer and pad it with white,
            // instead of blending a whole 2000x2000 canvas in floating point (about a third of this step's time).
            var flat = s.Add(product.Rgba.Flatten(background: [255, 255, 255]));
            var padded = s.Add(flat.Embed(x, y, width, height, extend: Enums.Extend.Background, background: [255, 255, 255]));
            return s.Add(padded.Copy(interpretation: Enums.Interpretation.Srgb));
        }

        var white = s.Add(s.Add(Image.Black(width, height, bands: 3)).NewFromImage(255, 255, 255));
        var canvas = s.Add(white.Copy(interpretation: Enums.Interpretation.Srgb));
        return ProductLayer.Compose(s, canvas, [ProductLayer.ContainedShadow(s, product, x, y), new Layer(product.Rgba, x, y)]);
    }

    public EncodedImage Studio(RgbaImage cutout, StudioRequest request, OutputSpec output)
    {
        ArgumentNullException.ThrowIfNull(cutout);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentOutOfRangeException.ThrowIfLessThan(request.Width, 16);
        ArgumentOutOfRangeException.ThrowIfLessThan(request.Height, 16);
        using var s = new VipsScope();
        var image = StudioRenderer.Render(s, ProductLayer.Load(s, cutout), request);
        return ImageOutput.Encode(image, output);
    }

    public EncodedImage Scene(RgbaImage cutout, SceneRequest request, OutputSpec output)
    {
        ArgumentNullException.ThrowIfNull(output);
        using var scene = ComposeScene(cutout, request);
        return ImageOutput.Encode(scene.Image, output);
    }

    /// <summary>The scene before encoding, with the placement: what <see cref="Scene"/> encodes.</summary>
    public static ComposedScene ComposeScene(RgbaImage cutout, SceneRequest request)
    {
        ArgumentNullException.ThrowIfNull(cutout);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentOutOfRangeException.ThrowIfLessThan(request.Width, 16);
        ArgumentOutOfRangeException.ThrowIfLessThan(request.Height, 16);
        var sources = (request.BuiltInSceneId is null ? 0 : 1) + (request.Background is null ? 0 : 1) + (string.IsNullOrWhiteSpace(request.Prompt) ? 0 : 1);
        if (sources != 1)
        {
            throw new ArgumentException("A scene needs exactly one of a built-in scene id, a background image or a prompt.", nameof(request));
        }

        var s = new VipsScope();
        try
        {
            var width = request.Width;
            var height = request.Height;
            SceneBackdrop backdrop;
            Image background;
            SceneAnalysis analysis;
            if (request.Background is { } bytes)
            {
                background = DecodeCover(s, bytes, width, height);
                analysis = SceneAnalyzer.Analyse(background);
                backdrop = FromAnalysis(background, analysis, width, height);
            }
            else
            {
                var parameters = request.BuiltInSceneId is { } id
                    ? BuiltIn(id, request.Palette)
                    : ScenePrompt.Parse(request.Prompt!, request.Palette);
                (backdrop, analysis) = SceneBackgroundCache.Shared.Get(s, parameters, width, height);
                background = backdrop.Image;
            }

            var (image, placement) = Place(s, ProductLayer.Load(s, cutout), background, backdrop, analysis);
            return new ComposedScene(s, image, placement, analysis, backdrop.SurfaceY, backdrop.LightX);
        }
        catch
        {
            s.Dispose();
            throw;
        }
    }

    public EncodedImage Fit(byte[] image, int width, int height, OutputSpec output) => CanvasFit.Fit(image, width, height, output);

    /// <summary>A built-in scene with the palette's first colour as its accent; the seed is fixed per scene so the library looks the same every time.</summary>
    public static SceneParameters BuiltIn(string id, IReadOnlyList<string>? palette)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (!ProceduralScenes.IsKnown(id))
        {
            throw new ArgumentException($"Unknown built-in scene '{id}'.", nameof(id));
        }

        var accent = (palette ?? []).Select(Rgb.Parse).FirstOrDefault(c => c is not null);
        return new SceneParameters(id, ScenePrompt.Seed(id), SceneMood.None, accent);
    }

    /// <summary>
    /// Grade gains: a share of the scene's colour cast and its light's temperature, and a brightness
    /// follow, each bounded to ±<see cref="MaxGrade"/>. A gain never moves pixels, so the product stays itself.
    /// </summary>
    public static double[] GradeGains(SceneAnalysis analysis, double[] temperature)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        ArgumentNullException.ThrowIfNull(temperature);
        var a = analysis.Ambient;
        var mean = Math.Max(1.0, (a.R + a.G + a.B) / 3);
        double[] tint = [a.R / mean, a.G / mean, a.B / mean];
        var brightness = Math.Clamp(1 + (0.3 * (analysis.Brightness - 0.55)), 0.9, 1.08);
        var gains = new double[3];
        for (var i = 0; i < 3; i++)
        {
            var g = (1 + (0.3 * (tint[i] - 1))) * (1 + (0.6 * (temperature[i] - 1))) * brightness;
            gains[i] = Math.Clamp(g, 1 - MaxGrade, 1 + MaxGrade);
        }

        return gains;
    }

    private static (Image Image, ProductPlacement Placement) Place(VipsScope s, Image cutout, Image background, SceneBackdrop backdrop, SceneAnalysis analysis)
    {
        var width = background.Width;
        var height = background.Height;
        var content = ProductLayer.ContentBox(s, cutout);
        var targetH = backdrop.HeightShare * height;
        // Wide products are limited by width; no product ever reaches above 4 % from the top.
        var scale = Math.Min(targetH / content.Height, 0.62 * width / content.Width);
        scale = Math.Min(scale, Math.Max(0.05, backdrop.SurfaceY - (height * 0.04)) / content.Height);
        var scaled = ProductLayer.Scale(s, cutout, content, scale);
        var c = scaled.Content;
        var x = (int)Math.Round(backdrop.CenterX - (c.X + (c.Width / 2.0)));
        x = Math.Clamp(x, (int)(width * 0.02) - c.X, (int)(width * 0.98) - c.Right);
        var y = (int)Math.Round(backdrop.SurfaceY - c.Bottom);

        var gains = GradeGains(analysis, backdrop.Temperature);
        var graded = ProductLayer.Grade(s, scaled.Rgba, gains);
        // Materialised once: the reflection, both shadows and the product layer all read these pixels,
        // and libvips would otherwise evaluate the resize, grade and wrap again for each of them.
        var wrapped = s.Add(ProductLayer.LightWrap(s, graded, background, x, y, 0.35).CopyMemory());
        var product = scaled with { Rgba = wrapped };

        var layers = new List<Layer>();
        if (backdrop.ReflectionOpacity > 0)
        {
            layers.Add(ProductLayer.Reflection(s, product, x, y, backdrop.ReflectionOpacity, 0.25));
        }

        var shadowTint = backdrop.ShadowTint;
        if (ProductLayer.CastShadow(s, product, x, y, backdrop.LightX, backdrop.ShadowStrength, shadowTint) is { } cast)
        {
            layers.Add(cast);
        }

        layers.Add(ProductLayer.ContactShadow(s, product, x, y, backdrop.LightX, 0.75 + (0.25 * backdrop.ShadowStrength), shadowTint));
        layers.Add(new Layer(wrapped, x, y));
        var composed = ProductLayer.Compose(s, background, layers);
        var placement = new ProductPlacement(new PixelBox(x + c.X, y + c.Y, c.Width, c.Height), x, y, scale, gains);
        return (composed, placement);
    }

    /// <summary>
    /// Placement in a photo: on the detected surface line (a little in front of it), or in the bottom
    /// third when there is none; lower means closer, so larger (a linear perspective model).
    /// </summary>
    private static SceneBackdrop FromAnalysis(Image background, SceneAnalysis analysis, int width, int height)
    {
        var surface = analysis.SurfaceY is { } line ? Math.Clamp(line + 0.03, 0.4, 0.95) : 0.86;
        var share = Math.Clamp(0.3 + (0.5 * (surface - 0.5)), 0.22, 0.55);
        var strength = Math.Clamp(0.4 + (analysis.Contrast * 2.0), 0.4, 1.0);
        var a = analysis.Ambient;
        var tint = new Rgb(a.R * 0.2, a.G * 0.2, a.B * 0.2);
        return new SceneBackdrop(background, surface * height, width / 2.0, share, analysis.LightX, strength, tint, [1.0, 1.0, 1.0], 0);
    }

    /// <summary>
    /// An uploaded or AI-generated background (untrusted bytes): header checks first, so libvips only ever
    /// sees a format we sniffed, then a shrink-on-load cover crop to the scene size, 8-bit sRGB.
    /// </summary>
    private static Image DecodeCover(VipsScope s, byte[] bytes, int width, int height)
    {
        ImageHeaderReader.Read(bytes);
        try
        {
            var thumb = s.Add(Image.ThumbnailBuffer(bytes, width, height: height, size: Enums.Size.Both, crop: Enums.Interesting.Centre, failOn: Enums.FailOn.Error));
            var flat = thumb.HasAlpha() ? s.Add(thumb.Flatten(background: [255, 255, 255])) : thumb;
            var srgb = flat.Interpretation == Enums.Interpretation.Srgb && flat.Bands == 3 ? flat : s.Add(flat.Colourspace(Enums.Interpretation.Srgb));
            var uchar = srgb.Format == Enums.BandFormat.Uchar ? srgb : s.Add(srgb.Cast(Enums.BandFormat.Uchar));
            var three = uchar.Bands == 3 ? uchar : s.Add(uchar.ExtractBand(0, n: 3));
            return s.Add(three.CopyMemory());
        }
        catch (VipsException e)
        {
            throw new ImageRejectedException(UploadError.Corrupt, e.Message.Split('\n', 2)[0].Trim());
        }
    }
}
