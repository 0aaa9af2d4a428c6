using NetVips;

namespace CommerceOS.Engines.Imaging.Composition;

/// <summary>What a placement needs to know about a scene, measured (uploads) or known by construction (procedural).</summary>
/// <param name="Image">The scene, 3-band sRGB (float or uchar) of the requested size.</param>
/// <param name="SurfaceY">Where the product's base stands, in pixels from the top.</param>
/// <param name="CenterX">Where the product's centre goes, in pixels.</param>
/// <param name="HeightShare">The product's height over the frame height at that spot.</param>
/// <param name="LightX">-1 light from the left, +1 from the right, 0 frontal or overhead.</param>
/// <param name="ShadowStrength">0 (overcast) to 1 (hard sun).</param>
/// <param name="Temperature">Per-channel gains of the light's colour (warm: red up, blue down), before bounding.</param>
/// <param name="ReflectionOpacity">Mirror reflection under the product on glossy surfaces; 0 for none.</param>
public sealed record SceneBackdrop(
    Image Image,
    double SurfaceY,
    double CenterX,
    double HeightShare,
    double LightX,
    double ShadowStrength,
    Rgb ShadowTint,
    double[] Temperature,
    double ReflectionOpacity);

/// <summary>Mood modifiers a prompt can add to a base scene.</summary>
[Flags]
public enum SceneMood
{
    None = 0,
    Night = 1,
    Festive = 2,
    Minimal = 4,
    Warm = 8,
    Cool = 16,
}

/// <summary>A procedural scene to render: base scene id, seed, mood and optional accent colour (from a palette or prompt).</summary>
public sealed record SceneParameters(string SceneId, int Seed, SceneMood Mood, Rgb? Accent);

/// <summary>
/// The built-in scene library, rendered procedurally with libvips (gradients, Perlin/Worley/Gaussian
/// noise, soft shapes). Each scene knows its support surface, its light direction and its colour
/// temperature, and the placement uses them.
/// </summary>
public static class ProceduralScenes
{
    public static readonly IReadOnlyList<string> Ids =
    [
        "kitchen-counter",
        "wooden-desk",
        "marble-bath",
        "living-room-shelf",
        "outdoor-stone",
        "beach-sand",
        "studio-window-light",
        "concrete-loft",
    ];

    private static readonly double[] Neutral = [1.0, 1.0, 1.0];
    private static readonly double[] WarmLight = [1.05, 1.0, 0.93];
    private static readonly double[] CoolLight = [0.96, 1.0, 1.05];

    public static bool IsKnown(string id) => Ids.Contains(id, StringComparer.Ordinal);

    /// <summary>Renders <paramref name="p"/> at width x height; the image is registered in <paramref name="s"/>.</summary>
    public static SceneBackdrop Render(VipsScope s, SceneParameters p, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(p);
        if (!IsKnown(p.SceneId))
        {
            throw new ArgumentException($"Unknown built-in scene '{p.SceneId}'.", nameof(p));
        }

        SceneBackdrop? working = null;
        var image = Paint.RenderAt(s, width, height, (w, h, _) =>
        {
            var scene = p.SceneId switch
            {
                "kitchen-counter" => Kitchen(s, p, w, h),
                "wooden-desk" => Desk(s, p, w, h),
                "marble-bath" => Marble(s, p, w, h),
                "living-room-shelf" => Shelf(s, p, w, h),
                "outdoor-stone" => Stone(s, p, w, h),
                "beach-sand" => Beach(s, p, w, h),
                "studio-window-light" => Window(s, p, w, h),
                _ => Loft(s, p, w, h),
            };
            working = ApplyMood(s, scene, p, w, h);
            return working.Image;
        });
        var result = working!;
        var k = result.Image.Width / (double)width;
        // Fine grain at full size, so the scaled-up render still has photographic texture and JPEG does not band.
        var grain = Paint.Grain(s, width, height, 1.6, p.Seed + 99);
        return result with { Image = s.Add(image + grain), SurfaceY = result.SurfaceY / k, CenterX = result.CenterX / k };
    }

    private static SceneBackdrop Kitchen(VipsScope s, SceneParameters p, int w, int h)
    {
        var horizon = h * 0.62;
        // Subway tiles: offset rows of 2:1 tiles with soft grout lines, lit from a window on the left.
        var tileW = Math.Max(12.0, w / 11.0);
        var tileH = tileW / 2;
        var xy = s.Add(Image.Xyz(w, h));
        var x = s.Add(xy[0]);
        var y = s.Add(xy[1]);
        var row = s.Add(s.Add(y * (1 / tileH)).Floor());
        var shift = s.Add(s.Add(row % 2.0) * (tileW / 2));
        var xm = s.Add(s.Add(x + shift) % tileW);
        var ym = s.Add(y % tileH);
        var grout = Math.Max(1.5, tileW * 0.03);
        var gx = Paint.Clamp01(s, s.Add(xm.Linear(-1 / grout, 1.5)));
        var gy = Paint.Clamp01(s, s.Add(ym.Linear(-1 / grout, 1.5)));
        var lines = Paint.Clamp01(s, s.Add(gx + gy));
        var tile = Paint.Solid(s, w, h, new Rgb(238, 236, 230));
        var wall = Paint.Over(s, tile, new Rgb(196, 192, 184), lines, 0.8);
        var sideLight = Paint.RampX(s, w, h);
        var litWall = Paint.Darken(s, wall, sideLight, 0.22);

        var stone = Paint.Solid(s, w, h, new Rgb(118, 112, 106));
        var speckle = Paint.Blur(s, Paint.Grain(s, w, h, 20, p.Seed + 1), 1.0);
        var cloud = Paint.Perlin(s, w, h, Math.Max(16, w / 5), p.Seed + 2);
        var counter = s.Add(s.Add(stone + speckle) + s.Add(cloud * 10.0));
        var depth = Paint.Clamp01(s, s.Add(y.Linear(1 / (h - horizon), -horizon / (h - horizon))));
        var counterLit = Paint.Darken(s, counter, s.Add(depth.Linear(0.8, 0.0)), 0.25);
        var room = Room(s, litWall, counterLit, horizon, w, h);
        // A cutting board leaning at the back right, out of focus.
        var board = Paint.Blur(s, Paint.Rect(s, w, h, w * 0.7, h * 0.22, w * 0.9, horizon + 2, w * 0.02), w * 0.006);
        var boardColour = p.Accent ?? new Rgb(176, 128, 82);
        var withBoard = Paint.Over(s, room, boardColour, board, 0.95);
        return new SceneBackdrop(withBoard, h * 0.8, w * 0.45, 0.5, -0.65, 0.8, new Rgb(40, 34, 30), WarmLight, 0.06);
    }

    private static SceneBackdrop Desk(VipsScope s, SceneParameters p, int w, int h)
    {
        var horizon = h * 0.6;
        var ramp = Paint.RampY(s, w, h);
        var wall = Paint.Ramp(s, ramp, new Rgb(200, 206, 192), new Rgb(164, 172, 158));
        var lamp = Paint.Distance(s, w, h, w * 0.85, h * 0.1, w * 0.55, h * 0.55);
        var lampMask = s.Add(Paint.Smooth(s, Paint.Clamp01(s, s.Add(lamp.Linear(-1.0, 1.0)))) * 0.45);
        var litWall = Paint.Over(s, wall, new Rgb(255, 226, 178), lampMask);
        var withPlant = Plant(s, litWall, w, h, w * 0.14, horizon, h * 0.42, new Rgb(58, 82, 52), p.Seed);

        // Wood: sine bands whose phase wanders with stretched Perlin noise, two tones of oak.
        var xy = s.Add(Image.Xyz(w, h));
        var y = s.Add(xy[1]);
        var wander = Paint.PerlinStretched(s, w, h, Math.Max(8, h / 8), p.Seed + 3, 8);
        var phase = s.Add(s.Add(y * (360.0 / Math.Max(6, h / 28.0))) + s.Add(wander * 220.0));
        var bands = s.Add(s.Add(phase.Math(Enums.OperationMath.Sin)).Linear(0.5, 0.5));
        var wood = Paint.Ramp(s, bands, new Rgb(150, 102, 62), new Rgb(118, 76, 44));
        var fine = Paint.Grain(s, w, h, 5, p.Seed + 4);
        var desk = s.Add(wood + fine);
        var room = Room(s, withPlant, desk, horizon, w, h);
        return new SceneBackdrop(room, h * 0.8, w * 0.55, 0.52, 0.55, 0.7, new Rgb(36, 26, 18), WarmLight, 0.05);
    }

    private static SceneBackdrop Marble(VipsScope s, SceneParameters p, int w, int h)
    {
        var horizon = h * 0.6;
        var veins = Veins(s, w, h, p.Seed);
        var white = Paint.Solid(s, w, h, new Rgb(242, 241, 238));
        var marble = Paint.Over(s, white, new Rgb(150, 150, 156), veins, 0.75);
        // Large wall tiles: the same marble behind faint joints.
        var xy = s.Add(Image.Xyz(w, h));
        var x = s.Add(xy[0]);
        var tile = Math.Max(20.0, w / 3.2);
        var joint = Paint.Clamp01(s, s.Add(s.Add(x % tile).Linear(-1 / 2.0, 1.5)));
        var wall = Paint.Over(s, marble, new Rgb(205, 205, 208), joint, 0.8);
        var wallShade = Paint.Darken(s, wall, Paint.RampY(s, w, h), 0.1);
        var counter = Paint.Darken(s, marble, s.Add(Paint.RampY(s, w, h) * 0.6), 0.2);
        var room = Room(s, wallShade, counter, horizon, w, h);
        var towel = Paint.Blur(s, Paint.Rect(s, w, h, w * 0.04, horizon - (h * 0.12), w * 0.26, horizon + (h * 0.05), w * 0.02), w * 0.004);
        var withTowel = Paint.Over(s, room, p.Accent ?? new Rgb(164, 190, 196), towel);
        return new SceneBackdrop(withTowel, h * 0.79, w * 0.55, 0.5, 0.3, 0.5, new Rgb(60, 64, 72), CoolLight, 0.12);
    }

    private static SceneBackdrop Shelf(VipsScope s, SceneParameters p, int w, int h)
    {
        var shelfTop = h * 0.66;
        var shelfFront = h * 0.7;
        var shelfBottom = h * 0.745;
        var ramp = Paint.RampY(s, w, h);
        var wall = Paint.Ramp(s, ramp, new Rgb(226, 214, 196), new Rgb(200, 186, 166));
        var light = Paint.Distance(s, w, h, w * 0.15, h * 0.2, w * 0.8, h * 0.7);
        var lightMask = s.Add(Paint.Smooth(s, Paint.Clamp01(s, s.Add(light.Linear(-1.0, 1.0)))) * 0.3);
        var litWall = Paint.Over(s, wall, new Rgb(255, 240, 220), lightMask);
        // Shadow of the shelf on the wall below it.
        var under = Paint.Blur(s, Paint.Rect(s, w, h, -10, shelfBottom, w + 10, shelfBottom + (h * 0.05), 1), h * 0.02);
        var shaded = Paint.Darken(s, litWall, under, 0.35);
        var plank = Paint.Rect(s, w, h, -10, shelfTop, w + 10, shelfFront, 1);
        var withTop = Paint.Over(s, shaded, new Rgb(196, 160, 120), plank);
        var front = Paint.Rect(s, w, h, -10, shelfFront, w + 10, shelfBottom, 1);
        var withFront = Paint.Over(s, withTop, new Rgb(150, 114, 80), front);
        // Books at the left: upright spines in muted colours, the palette's accent among them.
        Rgb[] spines = [new(122, 58, 48), new(62, 78, 98), p.Accent ?? new Rgb(196, 160, 82), new(88, 104, 72), new(160, 150, 136)];
        var image = withFront;
        var bx = w * 0.05;
        for (var i = 0; i < spines.Length; i++)
        {
            var bw = w * (0.028 + (0.008 * ((p.Seed + i) % 3)));
            var bh = h * (0.2 + (0.03 * ((p.Seed + (2 * i)) % 4)));
            var book = Paint.Rect(s, w, h, bx, shelfTop + (h * 0.012) - bh, bx + bw, shelfTop + (h * 0.012), 1.2);
            image = Paint.Over(s, image, spines[i], book);
            bx += bw + 1;
        }

        var withPlant = Plant(s, image, w, h, w * 0.86, shelfTop + (h * 0.01), h * 0.3, new Rgb(64, 96, 58), p.Seed + 5);
        return new SceneBackdrop(withPlant, shelfTop + (h * 0.02), w * 0.5, 0.42, -0.45, 0.6, new Rgb(42, 30, 20), WarmLight, 0);
    }

    private static SceneBackdrop Stone(VipsScope s, SceneParameters p, int w, int h)
    {
        var horizon = h * 0.58;
        var ramp = Paint.RampY(s, w, h);
        var sky = Paint.Ramp(s, ramp, new Rgb(150, 190, 226), new Rgb(226, 236, 240));
        // Foliage far behind: dark green Perlin clouds, out of focus.
        var leaves = Paint.Perlin(s, w, h, Math.Max(12, w / 9), p.Seed + 6);
        var foliageBand = Paint.Rect(s, w, h, -20, h * 0.22, w + 20, horizon + 4, h * 0.05);
        var leafMask = s.Add(foliageBand * Paint.Clamp01(s, s.Add(leaves.Linear(1.2, 0.75))));
        var foliageColour = s.Add(Paint.Solid(s, w, h, new Rgb(74, 110, 64)) + s.Add(leaves * 24.0));
        var scenery = Paint.OverImage(s, sky, Paint.Blur(s, foliageColour, 2), Paint.Blur(s, leafMask, Math.Max(2, w * 0.004)));
        // Flagstones: Worley cells, joints where the distance to the nearest point peaks.
        var cells = Paint.Worley(s, w, h, Math.Max(16, w / 6), p.Seed + 7);
        var stone = Paint.Ramp(s, cells, new Rgb(172, 164, 150), new Rgb(128, 122, 112));
        var grit = Paint.Grain(s, w, h, 7, p.Seed + 8);
        var joints = Paint.Clamp01(s, s.Add(cells.Linear(4.0, -3.0)));
        var ground = Paint.Over(s, s.Add(stone + grit), new Rgb(92, 88, 80), joints, 0.6);
        var depth = Paint.Clamp01(s, s.Add(ramp.Linear(h / (h - horizon), -horizon / (h - horizon))));
        var groundLit = Paint.Darken(s, ground, s.Add(depth.Linear(-1.0, 1.0)), 0.18);
        var room = Room(s, scenery, groundLit, horizon, w, h);
        return new SceneBackdrop(room, h * 0.82, w * 0.5, 0.48, -0.75, 1.0, new Rgb(30, 36, 48), Neutral, 0);
    }

    private static SceneBackdrop Beach(VipsScope s, SceneParameters p, int w, int h)
    {
        var horizon = h * 0.42;
        var shore = h * 0.56;
        var ramp = Paint.RampY(s, w, h);
        var skyT = Paint.Clamp01(s, s.Add(ramp.Linear(h / horizon, 0)));
        var sky = Paint.Ramp(s, skyT, new Rgb(120, 176, 222), new Rgb(236, 232, 222));
        var sun = Paint.Distance(s, w, h, w * 0.82, h * 0.12, w * 0.35, h * 0.35);
        var sunMask = s.Add(Paint.Smooth(s, Paint.Clamp01(s, s.Add(sun.Linear(-1.0, 1.0)))) * 0.5);
        var sunlit = Paint.Over(s, sky, new Rgb(255, 244, 214), sunMask);
        var waves = Paint.PerlinStretched(s, w, h, Math.Max(8, h / 30), p.Seed + 9, 12);
        var seaT = Paint.Clamp01(s, s.Add(ramp.Linear(h / (shore - horizon), -horizon / (shore - horizon))));
        var sea = s.Add(Paint.Ramp(s, seaT, new Rgb(36, 96, 146), new Rgb(84, 176, 184)) + s.Add(waves * 14.0));
        var seaMask = Paint.Clamp01(s, s.Add(ramp.Linear(h / 1.5, -horizon / 1.5)));
        var seaScene = Paint.OverImage(s, sunlit, sea, seaMask);
        var ripples = Paint.PerlinStretched(s, w, h, Math.Max(8, h / 16), p.Seed + 10, 5);
        var sand = s.Add(s.Add(Paint.Solid(s, w, h, new Rgb(222, 198, 160)) + s.Add(ripples * 12.0)) + Paint.Grain(s, w, h, 9, p.Seed + 11));
        var foam = Paint.Blur(s, Paint.Rect(s, w, h, -10, shore - 1, w + 10, shore + Math.Max(2, h * 0.008), 1), 1.5);
        var room = Room(s, seaScene, sand, shore, w, h);
        var withFoam = Paint.Over(s, room, new Rgb(250, 250, 246), foam, 0.8);
        return new SceneBackdrop(withFoam, h * 0.83, w * 0.5, 0.5, 0.6, 0.9, new Rgb(70, 50, 30), WarmLight, 0);
    }

    private static SceneBackdrop Window(VipsScope s, SceneParameters p, int w, int h)
    {
        var horizon = h * 0.66;
        var ramp = Paint.RampY(s, w, h);
        var wall = Paint.Ramp(s, ramp, new Rgb(226, 226, 222), new Rgb(196, 196, 192));
        // Window light: four panes thrown on the wall from the left, sheared, soft-edged.
        var xy = s.Add(Image.Xyz(w, h));
        var x = s.Add(xy[0]);
        var y = s.Add(xy[1]);
        var sheared = s.Add(x + s.Add(y * 0.35));
        var paneW = w * 0.13;
        var paneH = h * 0.2;
        var panes = Paint.Constant(s, w, h, 0);
        foreach (var (px, py) in new[] { (0.12, 0.12), (0.12 + 0.145, 0.12), (0.12, 0.345), (0.12 + 0.145, 0.345) })
        {
            var x0 = (px * w) + (py * h * 0.35);
            var inX = Paint.Clamp01(s, s.Add(s.Add(sheared.Linear(1 / 2.0, -x0 / 2.0)) * Paint.Clamp01(s, s.Add(sheared.Linear(-1 / 2.0, (x0 + paneW) / 2.0)))));
            var inY = Paint.Rect(s, w, h, -10, py * h, w + 10, (py * h) + paneH, 1);
            panes = s.Add(panes + s.Add(inX * inY));
        }

        var light = Paint.Blur(s, Paint.Clamp01(s, panes), w * 0.01);
        var lit = Paint.Over(s, wall, new Rgb(255, 252, 240), light, 0.75);
        var table = Paint.Ramp(s, ramp, new Rgb(236, 234, 230), new Rgb(206, 204, 200));
        var room = Room(s, lit, table, horizon, w, h);
        var result = p.Mood.HasFlag(SceneMood.Minimal)
            ? room
            : Plant(s, room, w, h, w * 0.84, horizon + (h * 0.02), h * 0.34, new Rgb(70, 96, 66), p.Seed + 12);
        return new SceneBackdrop(result, h * 0.82, w * 0.5, 0.55, -0.7, 0.75, new Rgb(44, 44, 48), Neutral, 0.08);
    }

    private static SceneBackdrop Loft(VipsScope s, SceneParameters p, int w, int h)
    {
        var horizon = h * 0.64;
        var blotch = Paint.Perlin(s, w, h, Math.Max(16, w / 4), p.Seed + 13);
        var pores = Paint.Grain(s, w, h, 8, p.Seed + 14);
        var concrete = s.Add(s.Add(Paint.Solid(s, w, h, new Rgb(150, 150, 148)) + s.Add(blotch * 18.0)) + pores);
        // Formwork seams and a beam of light from a high window on the right.
        var xy = s.Add(Image.Xyz(w, h));
        var x = s.Add(xy[0]);
        var panel = Math.Max(24.0, w / 2.5);
        var seams = Paint.Clamp01(s, s.Add(s.Add(x % panel).Linear(-1 / 1.5, 1.2)));
        var wall = Paint.Over(s, concrete, new Rgb(110, 110, 108), seams, 0.6);
        var beamX = s.Add(x + s.Add(s.Add(xy[1]) * -0.5));
        var beamMask = Paint.Blur(s, Paint.Clamp01(s, s.Add(s.Add(beamX.Linear(1 / 4.0, -(w * 0.5) / 4.0)) * Paint.Clamp01(s, s.Add(beamX.Linear(-1 / 4.0, (w * 0.72) / 4.0))))), w * 0.02);
        var litWall = Paint.Over(s, wall, new Rgb(236, 236, 240), beamMask, 0.35);
        var floor = Paint.Darken(s, s.Add(concrete * 0.8), Paint.RampY(s, w, h), 0.25);
        var room = Room(s, litWall, floor, horizon, w, h);
        return new SceneBackdrop(room, h * 0.82, w * 0.46, 0.5, 0.4, 0.7, new Rgb(30, 32, 38), CoolLight, 0.1);
    }

    /// <summary>Wall above <paramref name="horizon"/>, surface below, with a little contact darkening at the joint.</summary>
    private static Image Room(VipsScope s, Image wall, Image surface, double horizon, int w, int h)
    {
        var y = s.Add(s.Add(Image.Xyz(w, h))[1]);
        var mask = Paint.Clamp01(s, s.Add(y.Linear(1 / 1.5, -horizon / 1.5)));
        var joint = Paint.Clamp01(s, s.Add(s.Add(s.Add(y - horizon).Abs()).Linear(-1 / (h * 0.02), 1.0)));
        var room = Paint.Mix(s, wall, surface, mask);
        return Paint.Darken(s, room, joint, 0.12);
    }

    /// <summary>Marble veins: thin dark lines where a sine of a noise-warped coordinate crosses zero.</summary>
    private static Image Veins(VipsScope s, int w, int h, int seed)
    {
        var xy = s.Add(Image.Xyz(w, h));
        var diag = s.Add(s.Add(xy[0]) + s.Add(s.Add(xy[1]) * 0.6));
        var warp = Paint.Perlin(s, w, h, Math.Max(16, w / 3), seed + 15);
        var warp2 = Paint.Perlin(s, w, h, Math.Max(8, w / 10), seed + 16);
        var phase = s.Add(s.Add(diag * (360.0 / Math.Max(20, w / 2.5))) + s.Add(s.Add(warp * 260.0) + s.Add(warp2 * 60.0)));
        var sine = s.Add(s.Add(phase.Math(Enums.OperationMath.Sin)).Abs());
        var line = s.Add(s.Add(sine.Linear(-1.0, 1.0)).Pow(14.0));
        return Paint.Blur(s, line, 0.8);
    }

    /// <summary>A potted plant silhouette: a pot and a fan of leaf ellipses, soft as if slightly out of focus.</summary>
    private static Image Plant(VipsScope s, Image image, int w, int h, double cx, double baseY, double size, Rgb leaf, int seed)
    {
        // Drawn in its own bounding box, then embedded: a full-frame distance field per leaf would cost the whole frame each time.
        var left = (int)Math.Floor(cx - (size * 0.75));
        var top = (int)Math.Floor(baseY - (size * 1.15));
        var rw = (int)Math.Ceiling(size * 1.5);
        var rh = (int)Math.Ceiling((baseY - top) + 4);
        var potH = size * 0.28;
        var lcx = cx - left;
        var lbase = baseY - top;
        var pot = Paint.Rect(s, rw, rh, lcx - (size * 0.12), lbase - potH, lcx + (size * 0.12), lbase, 1.5);
        var leaves = Paint.Constant(s, rw, rh, 0);
        const int count = 7;
        for (var i = 0; i < count; i++)
        {
            var angle = (-70.0 + (140.0 * i / (count - 1)) + ((seed + (i * 7)) % 11) - 5) * Math.PI / 180;
            var length = size * (0.42 + (0.06 * ((seed + i) % 3)));
            var lx = lcx + (Math.Sin(angle) * length * 0.55);
            var ly = lbase - potH - (Math.Cos(angle) * length * 0.55);
            // An ellipse tilted along the leaf's angle, drawn through a rotated distance field.
            var xy = s.Add(Image.Xyz(rw, rh));
            var dx = s.Add(s.Add(xy[0]) - lx);
            var dy = s.Add(s.Add(xy[1]) - ly);
            var (sin, cos) = Math.SinCos(angle);
            var along = s.Add(s.Add(dx * sin) + s.Add(dy * -cos));
            var across = s.Add(s.Add(dx * cos) + s.Add(dy * sin));
            var a2 = s.Add(s.Add(along * (1 / (length * 0.5))).Pow(2.0));
            var c2 = s.Add(s.Add(across * (1 / (length * 0.12))).Pow(2.0));
            var d = s.Add(s.Add(a2 + c2).Pow(0.5));
            var one = Paint.Clamp01(s, s.Add(d.Linear(-length * 0.1, length * 0.1)));
            leaves = s.Add(leaves + one);
        }

        var potMask = s.Add(Paint.Blur(s, pot, size * 0.01).Embed(left, top, w, h, extend: Enums.Extend.Black));
        var leafMask = s.Add(Paint.Blur(s, Paint.Clamp01(s, leaves), size * 0.012).Embed(left, top, w, h, extend: Enums.Extend.Black));
        var withPot = Paint.Over(s, image, new Rgb(196, 176, 156), potMask);
        return Paint.Over(s, withPot, leaf, leafMask);
    }

    /// <summary>Night darkens and cools, festive adds warm bokeh lights, warm/cool shift the light's colour.</summary>
    private static SceneBackdrop ApplyMood(VipsScope s, SceneBackdrop scene, SceneParameters p, int w, int h)
    {
        var image = scene.Image;
        var temperature = scene.Temperature;
        if (p.Mood.HasFlag(SceneMood.Night))
        {
            image = s.Add(image.Linear([0.42, 0.46, 0.62], [4, 6, 14]));
            var lamp = Paint.Distance(s, w, h, w * 0.2, h * 0.25, w * 0.45, h * 0.45);
            var glow = s.Add(Paint.Smooth(s, Paint.Clamp01(s, s.Add(lamp.Linear(-1.0, 1.0)))) * 0.35);
            image = Paint.Over(s, image, new Rgb(255, 196, 120), glow);
            temperature = [0.92, 0.96, 1.08];
        }

        if (p.Mood.HasFlag(SceneMood.Festive))
        {
            Rgb[] bulbs = [new(255, 214, 130), new(220, 60, 50), new(70, 160, 90), new(255, 236, 190)];
            var dots = new List<(double X, double Y, int Colour)>();
            var rng = new Random(p.Seed);
            for (var i = 0; i < 18; i++)
            {
                dots.Add((rng.NextDouble() * w, rng.NextDouble() * scene.SurfaceY * 0.7, i % bulbs.Length));
            }

            for (var c = 0; c < bulbs.Length; c++)
            {
                var mask = Paint.Constant(s, w, h, 0);
                foreach (var dot in dots.Where(d => d.Colour == c))
                {
                    var r = Math.Max(3, Math.Min(w, h) * 0.022);
                    mask = s.Add(mask + Paint.Ellipse(s, w, h, dot.X, dot.Y, r, r, r * 0.5));
                }

                image = Paint.Over(s, image, bulbs[c], Paint.Clamp01(s, mask), 0.55);
            }

            temperature = [Math.Max(temperature[0], 1.04), temperature[1], Math.Min(temperature[2], 0.95)];
        }

        if (p.Mood.HasFlag(SceneMood.Warm))
        {
            image = s.Add(image.Linear([1.06, 1.0, 0.9], [0, 0, 0]));
            temperature = [1.07, 1.0, 0.92];
        }
        else if (p.Mood.HasFlag(SceneMood.Cool))
        {
            image = s.Add(image.Linear([0.92, 1.0, 1.08], [0, 0, 0]));
            temperature = [0.94, 1.0, 1.07];
        }

        if (p.Mood.HasFlag(SceneMood.Minimal))
        {
            // Minimal: flatten the texture towards the scene's mean colour.
            var blurred = Paint.Blur(s, image, Math.Max(2, w * 0.01));
            image = Paint.Mix(s, image, blurred, Paint.Constant(s, w, h, 0.6));
        }

        return scene with { Image = image, Temperature = temperature };
    }
}
