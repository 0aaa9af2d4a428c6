using CommerceOS.Core.Generation;
using NetVips;

namespace CommerceOS.Engines.Imaging.Composition;

/// <summary>
/// Studio shots: generated backdrops (gradient, podium, table-top surface) painted from the brand
/// palette, the product standing on them with a contact shadow and, on glossy surfaces, a reflection.
/// </summary>
internal static class StudioRenderer
{
    /// <summary>Studio light comes from the upper left, as in most product photography.</summary>
    private const double LightX = -0.45;

    public static Image Render(VipsScope s, Image cutout, StudioRequest request)
    {
        var width = request.Width;
        var height = request.Height;
        var colours = BackdropColours.From(request.Palette);
        var content = ProductLayer.ContentBox(s, cutout);
        var (share, bottom) = request.Style switch
        {
            StudioStyle.Gradient => (0.66, 0.84),
            StudioStyle.Podium => (0.60, 0.70),
            StudioStyle.Surface => (0.62, 0.81),
            _ => throw new ArgumentOutOfRangeException(nameof(request), request.Style, "Unknown studio style."),
        };

        // ~60-75 % of the frame height, unless the product is so wide that it would leave the frame.
        var scale = Math.Min(share * height / content.Height, 0.8 * width / content.Width);
        var product = ProductLayer.Scale(s, cutout, content, scale);
        var c = product.Content;
        var baseY = bottom * height;
        var x = (int)Math.Round((width / 2.0) - (c.X + (c.Width / 2.0)));
        var y = (int)Math.Round(baseY - c.Bottom);
        if (y + c.Y < height * 0.04)
        {
            // A banner too short for the share: keep a margin at the top rather than cutting the product.
            y = (int)Math.Round((height * 0.04) - c.Y);
        }

        var floorY = y + c.Bottom;
        var layers = new List<Layer>();
        Image backdrop;
        switch (request.Style)
        {
            case StudioStyle.Gradient:
                backdrop = Paint.RenderAt(s, width, height, (w, h, _) => Gradient(s, w, h, colours));
                layers.Add(ProductLayer.ContactShadow(s, product, x, y, LightX, 0.85, colours.Base.Darken(0.8)));
                break;
            case StudioStyle.Podium:
            {
                var podiumRx = Math.Clamp(c.Width * 0.78, width * 0.16, width * 0.46);
                var podium = new Podium(width / 2.0, floorY - (podiumRx * 0.03), podiumRx, podiumRx * 0.17, Math.Max(height * 0.14, (height * 0.93) - floorY));
                backdrop = Paint.RenderAt(s, width, height, (w, h, k) => PodiumScene(s, w, h, colours, new Podium(podium.Cx * k, podium.TopY * k, podium.Rx * k, podium.Ry * k, podium.BodyHeight * k)));
                layers.Add(ProductLayer.ContactShadow(s, product, x, y, LightX, 0.9, colours.Accent.Darken(0.75)));
                var reflection = ProductLayer.Reflection(s, product, x, y, 0.22, 0.2);
                layers.Add(Clip(s, reflection, Paint.Ellipse(s, width, height, podium.Cx, podium.TopY, podium.Rx, podium.Ry)));
                break;
            }

            case StudioStyle.Surface:
            {
                var horizon = Math.Min(height * 0.62, floorY - (height * 0.12));
                backdrop = Paint.RenderAt(s, width, height, (w, h, k) => Surface(s, w, h, colours, horizon * k));
                layers.Add(ProductLayer.Reflection(s, product, x, y, 0.2, 0.3));
                layers.Add(ProductLayer.ContactShadow(s, product, x, y, LightX, 0.9, colours.Surface.Darken(0.8)));
                if (ProductLayer.CastShadow(s, product, x, y, LightX, 0.5, colours.Surface.Darken(0.8)) is { } cast)
                {
                    layers.Add(cast);
                }

                break;
            }

            default:
                throw new ArgumentOutOfRangeException(nameof(request), request.Style, "Unknown studio style.");
        }

        layers.Add(new Layer(product.Rgba, x, y));
        return ProductLayer.Compose(s, Paint.ToUchar(s, Dither(s, backdrop, 7)), layers);
    }

    /// <summary>Radial light behind the product over a vertical blend from base to accent, with a subtle vignette.</summary>
    public static Image Gradient(VipsScope s, int width, int height, BackdropColours colours)
    {
        var d = Paint.Distance(s, width, height, width * 0.5, height * 0.42, width * 0.72, height * 0.72);
        var inner = Paint.Smooth(s, Paint.Clamp01(s, s.Add(d * (1 / 0.65))));
        var radial = Paint.Ramp(s, inner, colours.Base.Lighten(0.38), colours.Base);
        var ramp = Paint.RampY(s, width, height);
        var lower = s.Add(s.Add(ramp.Pow(2.0)) * 0.35);
        var vertical = Paint.Mix(s, radial, Paint.Solid(s, width, height, colours.Accent), lower);
        var vignette = Paint.Smooth(s, Paint.Clamp01(s, s.Add(d.Linear(1 / 0.7, -0.6 / 0.7))));
        var darkened = Paint.Darken(s, vertical, vignette, 0.16);
        return darkened;
    }

    private readonly record struct Podium(double Cx, double TopY, double Rx, double Ry, double BodyHeight)
    {
        public double BottomY => TopY + BodyHeight;
    }

    /// <summary>Wall and floor in the base colour, a shaded cylinder in the accent colour, lit from the upper left.</summary>
    private static Image PodiumScene(VipsScope s, int width, int height, BackdropColours colours, Podium p)
    {
        var wallFloor = p.BottomY - (p.Ry * 2.2);
        var ramp = Paint.RampY(s, width, height);
        var wall = Paint.Ramp(s, ramp, colours.Base.Lighten(0.25), colours.Base.Darken(0.06));
        var floorMask = Paint.Clamp01(s, s.Add(s.Add(Image.Xyz(width, height))[1].Linear(1 / 3.0, -wallFloor / 3.0)));
        var floor = Paint.Ramp(s, ramp, colours.Base.Darken(0.02), colours.Base.Darken(0.16));
        var room = Paint.Mix(s, wall, floor, floorMask);
        var glow = Paint.Distance(s, width, height, p.Cx - (p.Rx * 0.4), height * 0.3, width * 0.6, height * 0.6);
        var glowMask = s.Add(Paint.Smooth(s, Paint.Clamp01(s, s.Add(glow.Linear(-1.0, 1.0)))) * 0.25);
        var lit = Paint.Over(s, room, colours.Base.Lighten(0.5), glowMask);

        // Soft shadow of the podium on the floor, offset away from the light.
        var floorShadow = Paint.Blur(s, Paint.Ellipse(s, width, height, p.Cx + (p.Rx * 0.12), p.BottomY + (p.Ry * 0.2), p.Rx * 1.12, p.Ry * 1.25), p.Ry * 0.6);
        var shadowed = Paint.Darken(s, lit, floorShadow, 0.35);

        // Body: rectangle between the two ellipse centres plus the bottom ellipse; Lambert-like shading across it.
        var rect = Paint.Rect(s, width, height, p.Cx - p.Rx, p.TopY, p.Cx + p.Rx, p.BottomY, 1);
        var bottomCap = Paint.Ellipse(s, width, height, p.Cx, p.BottomY, p.Rx, p.Ry);
        var body = s.Add(s.Add(rect + bottomCap).Clamp(min: 0, max: 1));
        var xs = s.Add(s.Add(Image.Xyz(width, height))[0]);
        var u = s.Add(s.Add(xs.Linear(1 / p.Rx, -p.Cx / p.Rx)).Clamp(min: -1, max: 1));
        var nz = s.Add(s.Add(s.Add(u * u).Linear(-1.0, 1.0)).Clamp(min: 0, max: 1).Pow(0.5));
        var shade = s.Add(s.Add(nz * 0.42) + s.Add(u * -0.16));
        var shadeFull = s.Add(shade.Linear(1.0, 0.56));
        var bodyColour = s.Add(Paint.Solid(s, width, height, colours.Accent) * shadeFull);
        var withBody = Paint.OverImage(s, shadowed, bodyColour, body);

        // Top face: a lighter ellipse with a gentle gradient, and a thin rim highlight at the front edge.
        var top = Paint.Ellipse(s, width, height, p.Cx, p.TopY, p.Rx, p.Ry, 1.2);
        var topShade = Paint.Distance(s, width, height, p.Cx - (p.Rx * 0.3), p.TopY - (p.Ry * 0.3), p.Rx * 1.6, p.Ry * 1.6);
        var topColour = Paint.Ramp(s, Paint.Clamp01(s, topShade), colours.Accent.Lighten(0.3), colours.Accent.Lighten(0.08));
        var withTop = Paint.OverImage(s, withBody, topColour, top);
        var rimOuter = Paint.Ellipse(s, width, height, p.Cx, p.TopY + 1, p.Rx, p.Ry, 1.2);
        var rimInner = Paint.Ellipse(s, width, height, p.Cx, p.TopY - 1.5, p.Rx * 0.985, p.Ry * 0.9, 1.2);
        var rim = Paint.Clamp01(s, s.Add(rimOuter - rimInner));
        var withRim = Paint.Over(s, withTop, colours.Accent.Lighten(0.55), rim, 0.6);
        return withRim;
    }

    /// <summary>A wall meeting a table top at <paramref name="horizon"/>: light falls on the wall from the upper left, the table darkens towards the viewer.</summary>
    private static Image Surface(VipsScope s, int width, int height, BackdropColours colours, double horizon)
    {
        var ys = s.Add(s.Add(Image.Xyz(width, height))[1]);
        var wallT = Paint.Clamp01(s, s.Add(ys.Linear(1 / horizon, 0)));
        var wall = Paint.Ramp(s, wallT, colours.Base.Lighten(0.22), colours.Base.Darken(0.04));
        var light = Paint.Distance(s, width, height, width * 0.25, height * 0.15, width * 0.7, height * 0.6);
        var lightMask = s.Add(Paint.Smooth(s, Paint.Clamp01(s, s.Add(light.Linear(-1.0, 1.0)))) * 0.3);
        var litWall = Paint.Over(s, wall, colours.Base.Lighten(0.6), lightMask);
        // Ambient occlusion where the wall meets the table.
        var occlusion = Paint.Clamp01(s, s.Add(ys.Linear(1 / (height * 0.05), -(horizon - (height * 0.05)) / (height * 0.05))));
        var occluded = Paint.Darken(s, litWall, s.Add(occlusion.Pow(2.0)), 0.12);

        var depth = Paint.Clamp01(s, s.Add(ys.Linear(1 / Math.Max(1, height - horizon), -horizon / Math.Max(1, height - horizon))));
        var table = Paint.Ramp(s, depth, colours.Surface.Lighten(0.12), colours.Surface.Darken(0.14));
        var streaks = Paint.PerlinStretched(s, width, height, Math.Max(8, height / 10), 5, 6);
        var textured = s.Add(table + s.Add(streaks * 4.0));
        var tableMask = Paint.Clamp01(s, s.Add(ys.Linear(1.0, -horizon)));
        var room = Paint.Mix(s, occluded, textured, tableMask);
        // The table's back edge: a thin highlight catching the light, a hairline below it.
        var edge = Paint.Rect(s, width, height, -2, horizon, width + 2, horizon + Math.Max(1.5, height * 0.003), 0.8);
        var lit = Paint.Over(s, room, colours.Surface.Lighten(0.35), edge, 0.7);
        return lit;
    }

    /// <summary>±1 level of grain so smooth gradients do not band after JPEG encoding.</summary>
    public static Image Dither(VipsScope s, Image image, int seed)
    {
        var noise = Paint.Grain(s, image.Width, image.Height, 0.9, seed);
        return s.Add(image + noise);
    }

    /// <summary>Multiplies a layer's alpha by a canvas-sized mask (e.g. keep a reflection on the podium's top face).</summary>
    public static Layer Clip(VipsScope s, Layer layer, Image canvasMask)
    {
        var region = s.Add(canvasMask.Embed(-layer.X, -layer.Y, layer.Image.Width, layer.Image.Height, extend: Enums.Extend.Black));
        var rgb = s.Add(layer.Image.ExtractBand(0, n: 3));
        var alpha = s.Add(s.Add(layer.Image[3]) * region);
        return new Layer(Paint.ToUchar(s, s.Add(rgb.Bandjoin(alpha))), layer.X, layer.Y);
    }
}
