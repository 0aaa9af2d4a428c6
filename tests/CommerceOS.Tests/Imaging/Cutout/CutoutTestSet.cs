using NetVips;

namespace CommerceOS.Tests.Imaging.Cutout;

/// <param name="Shape">Product kind (bottle, box, mug, shoe, headphones, ring, plant, bag).</param>
/// <param name="Scene">Photo situation (plain, gradient, reflection, white-on-white, dark-on-dark, pastel).</param>
/// <param name="Jpeg">The photo as a seller would upload it (noise, optical blur, JPEG).</param>
/// <param name="Mask">Ground truth, one byte a pixel, 1 = product (coverage at least one half). Shadows and reflections are 0.</param>
internal sealed record CutoutSample(string Name, string Shape, string Scene, int Width, int Height, byte[] Jpeg, byte[] Mask);

/// <summary>
/// A deterministic (seeded) set of synthetic product photos with exact masks. Products are built from
/// signed-distance shapes (anti-aliased by their distance), shaded like real objects (cylindrical diffuse
/// light, specular stripes, lit and unlit box faces), with thin parts (cables, stems, straps a few pixels
/// wide) and holes (ring, mug handle, bag strap, headphone band). The backdrop gets contact and cast shadows
/// and glossy-floor reflections that are NOT product, then the whole photo gets optical blur, sensor noise
/// and JPEG compression.
/// </summary>
internal static class CutoutTestSet
{
    public const int DefaultSeed = 20261201;

    public static readonly string[] Shapes = ["bottle", "box", "mug", "shoe", "headphones", "ring", "plant", "bag"];

    public static readonly string[] Scenes = ["plain", "gradient", "reflection", "white-on-white", "dark-on-dark", "pastel"];

    /// <summary>Every shape in every scene (48 photos) with sizes between 600 and 900 px.</summary>
    public static IReadOnlyList<CutoutSample> Generate(int seed = DefaultSeed)
    {
        var samples = new List<CutoutSample>();
        for (var i = 0; i < Shapes.Length * Scenes.Length; i++)
        {
            samples.Add(Render(i, seed));
        }

        return samples;
    }

    /// <summary>Photo <paramref name="index"/> of the set (shape = index mod 8, scene = index / 8), optionally at another size.</summary>
    public static CutoutSample Render(int index, int seed = DefaultSeed, int width = 0, int height = 0, int jpegQuality = 0)
    {
        var rng = new Random(unchecked((seed * 7919) + (index * 104729)) & int.MaxValue);
        var shape = Shapes[index % Shapes.Length];
        var scene = Scenes[(index / Shapes.Length) % Scenes.Length];
        if (width == 0)
        {
            (width, height) = rng.Next(3) switch
            {
                0 => (800, 600),
                1 => (600, 800),
                _ => (720, 720),
            };
        }

        var photo = new Photo(width, height, rng);
        var (background, product) = PickColours(scene, rng);
        var backdrop = scene switch
        {
            "gradient" => Backdrop.Linear(background, Shade(background, 0.78 + (0.1 * rng.NextDouble())), rng.Next(2) == 0),
            "dark-on-dark" or "pastel" => Backdrop.Vignette(background, 0.12 + (0.08 * rng.NextDouble())),
            _ => Backdrop.Plain(background),
        };

        var scale = Math.Min(width, height) * (0.5 + (0.15 * rng.NextDouble()));
        var cx = (width * 0.5) + ((rng.NextDouble() - 0.5) * width * 0.12);
        var bottom = height * (0.78 + (0.06 * rng.NextDouble()));
        var item = BuildProduct(shape, product, rng, cx, bottom, scale);

        photo.PaintBackdrop(backdrop);
        photo.ContactShadow(item, 0.3 + (0.25 * rng.NextDouble()));
        if (scene is "gradient" or "pastel" or "white-on-white" || rng.Next(3) == 0)
        {
            photo.CastShadow(item, scale, 0.18 + (0.2 * rng.NextDouble()));
        }

        if (scene is "reflection" or "pastel")
        {
            photo.Reflection(item, 0.18 + (0.14 * rng.NextDouble()), scale * (0.25 + (0.2 * rng.NextDouble())));
        }

        var mask = photo.PaintProduct(item);
        var jpeg = photo.Finish(noise: 1.2 + (1.8 * rng.NextDouble()), quality: jpegQuality > 0 ? jpegQuality : 80 + rng.Next(13));
        return new CutoutSample($"{index:D2}-{shape}-{scene}", shape, scene, width, height, jpeg, mask);
    }

    /// <summary>A product on a busy backdrop (objects, patterns, texture): a photo the local engine should not be sure about.</summary>
    public static CutoutSample Cluttered(int seed = DefaultSeed, int width = 800, int height = 600)
    {
        var rng = new Random(unchecked((seed * 31) + 1299709) & int.MaxValue);
        var photo = new Photo(width, height, rng);
        photo.PaintBackdrop(Backdrop.Plain(new Rgb(170, 150, 120)));
        photo.Clutter(rng);
        var scale = Math.Min(width, height) * 0.55;
        var item = BuildProduct("bottle", new Rgb(40, 90, 170), rng, width * 0.5, height * 0.8, scale);
        var mask = photo.PaintProduct(item);
        var jpeg = photo.Finish(noise: 2, quality: 85);
        return new CutoutSample("cluttered", "bottle", "cluttered", width, height, jpeg, mask);
    }

    /// <summary>Intersection over union of a cut-out's alpha (at least 128 = product) placed in the frame, against the mask.</summary>
    public static double IoU(byte[] mask, int width, int height, byte[] rgba, int boxX, int boxY, int boxWidth, int boxHeight)
    {
        long intersection = 0, union = 0;
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var truth = mask[(y * width) + x] != 0;
                var inBox = x >= boxX && x < boxX + boxWidth && y >= boxY && y < boxY + boxHeight;
                var predicted = inBox && rgba[((((y - boxY) * boxWidth) + (x - boxX)) * 4) + 3] >= 128;
                intersection += truth && predicted ? 1 : 0;
                union += truth || predicted ? 1 : 0;
            }
        }

        return union == 0 ? 1 : intersection / (double)union;
    }

    private static (Rgb Background, Rgb Product) PickColours(string scene, Random rng)
    {
        Rgb[] vivid =
        [
            new(196, 38, 42), new(28, 52, 112), new(36, 128, 72), new(228, 184, 36), new(232, 112, 28),
            new(112, 52, 150), new(22, 132, 140), new(122, 78, 48), new(214, 92, 140), new(40, 40, 44),
            new(128, 128, 134), new(176, 182, 190),
        ];
        var product = vivid[rng.Next(vivid.Length)];
        return scene switch
        {
            "white-on-white" => (Grey(248 + rng.Next(6)), new Rgb(236 - rng.Next(10), 234 - rng.Next(10), 226 - rng.Next(10))),
            "dark-on-dark" => (Grey(78 + rng.Next(20)), new Rgb(26 + rng.Next(10), 26 + rng.Next(10), 30 + rng.Next(12))),
            "pastel" => (new Rgb[] { new(214, 228, 242), new(244, 224, 228), new(232, 240, 222), new(246, 238, 220) }[rng.Next(4)], product),
            "gradient" => (new Rgb[] { Grey(242), Grey(226), new(238, 236, 230) }[rng.Next(3)], product),
            _ => (Grey(240 + rng.Next(16)), product),
        };
    }

    private static Rgb Grey(int v) => new(v, v, v);

    private static Rgb Shade(Rgb c, double f) => new(c.R * f, c.G * f, c.B * f);

    private static Product BuildProduct(string shape, Rgb colour, Random rng, double cx, double bottom, double s)
    {
        var accent = colour.Luma > 128 ? new Rgb(40, 40, 46) : new Rgb(232, 230, 224);
        var metal = new Rgb(190, 192, 198);
        var p = new Product();
        switch (shape)
        {
            case "bottle":
            {
                var bw = 0.34 * s;
                var bodyTop = bottom - (0.6 * s);
                p.Add(Sdf.RoundBox(cx, (bodyTop + bottom) / 2, bw / 2, (bottom - bodyTop) / 2, 0.07 * s), Paint.Cylinder(colour, cx, bw / 2));
                p.Add(Sdf.Ellipse(cx, bodyTop + (0.01 * s), bw / 2, 0.09 * s), Paint.Cylinder(colour, cx, bw / 2));
                p.Add(Sdf.RoundBox(cx, bodyTop - (0.12 * s), 0.065 * s, 0.12 * s, 0.01 * s), Paint.Cylinder(colour, cx, 0.065 * s));
                p.Add(Sdf.RoundBox(cx, bodyTop - (0.27 * s), 0.08 * s, 0.055 * s, 0.012 * s), Paint.Cylinder(accent, cx, 0.08 * s));
                p.Add(Sdf.RoundBox(cx, bottom - (0.28 * s), (bw / 2) - 0.5, 0.12 * s, 0), Paint.Cylinder(Shade(accent, 0.96), cx, bw / 2));
                break;
            }

            case "box":
            {
                var fw = 0.5 * s;
                var fh = 0.48 * s;
                var depth = 0.2 * s;
                var left = cx - (fw / 2) - (depth * 0.3);
                var top = bottom - fh;
                p.Add(Sdf.Polygon([(left, top), (left + fw, top), (left + fw, bottom), (left, bottom)]), Paint.Flat(colour, 1.0, left, top, fw, fh));
                p.Add(Sdf.Polygon([(left, top), (left + depth * 0.6, top - depth * 0.6), (left + fw + depth * 0.6, top - depth * 0.6), (left + fw, top)]), Paint.Flat(colour, 1.12, left, top - depth, fw, depth));
                p.Add(Sdf.Polygon([(left + fw, top), (left + fw + depth * 0.6, top - depth * 0.6), (left + fw + depth * 0.6, bottom - depth * 0.6), (left + fw, bottom)]), Paint.Flat(colour, 0.74, left + fw, top, depth, fh));
                p.Add(Sdf.RoundBox(cx - (depth * 0.3), bottom - (fh * 0.55), fw * 0.3, fh * 0.12, 0.02 * s), Paint.Flat(accent, 1.0, left, top, fw, fh));
                break;
            }

            case "mug":
            {
                var mw = 0.46 * s;
                var mh = 0.5 * s;
                var right = cx + (mw / 2);
                p.Add(Sdf.RoundBox(cx, bottom - (mh / 2), mw / 2, mh / 2, 0.03 * s), Paint.Cylinder(colour, cx, mw / 2));
                var handle = Sdf.Intersect(Sdf.Annulus(right, bottom - (mh * 0.52), 0.15 * s, 0.055 * s), Sdf.HalfPlaneRight(right - (0.02 * s)));
                p.Add(handle, Paint.Cylinder(colour, right + (0.1 * s), 0.2 * s));
                break;
            }

            case "shoe":
            {
                var len = 0.95 * s;
                var left = cx - (len / 2);
                var soleH = 0.08 * s;
                var sole = colour.Luma < 200 && rng.Next(2) == 0 ? new Rgb(236, 234, 228) : accent;
                p.Add(Sdf.Union(Sdf.Ellipse(left + (0.3 * len), bottom - (0.2 * s), 0.3 * len, 0.2 * s), Sdf.Ellipse(left + (0.68 * len), bottom - (0.1 * s), 0.34 * len, 0.12 * s)), Paint.Cylinder(colour, cx, len / 2));
                p.Add(Sdf.RoundBox(left + (0.2 * len), bottom - (0.3 * s), 0.18 * len, 0.14 * s, 0.06 * s), Paint.Cylinder(colour, cx, len / 2));
                p.Add(Sdf.Ellipse(left + (0.22 * len), bottom - (0.42 * s), 0.12 * len, 0.035 * s), Paint.Flat(Shade(colour, 0.35), 1.0, left, bottom - s, len, s));
                for (var k = 0; k < 4; k++)
                {
                    var lx = left + ((0.38 + (0.07 * k)) * len);
                    p.Add(Sdf.Capsule(lx, bottom - ((0.28 - (0.035 * k)) * s), lx + (0.05 * len), bottom - ((0.23 - (0.035 * k)) * s), Math.Max(1.6, 0.008 * s)), Paint.Flat(accent, 1.0, 0, 0, 1, 1));
                }

                p.Add(Sdf.RoundBox(cx, bottom - (soleH / 2), len / 2, soleH / 2, soleH * 0.45), Paint.Flat(sole, 0.95, left, bottom - soleH, len, soleH));
                break;
            }

            case "headphones":
            {
                var r = 0.34 * s;
                var cy = bottom - (0.62 * s);
                var band = Sdf.Intersect(Sdf.Annulus(cx, cy, r, 0.05 * s), Sdf.HalfPlaneAbove(cy + (0.05 * s)));
                p.Add(band, Paint.Cylinder(colour, cx, r));
                p.Add(Sdf.RoundBox(cx - r, cy + (0.12 * s), 0.07 * s, 0.14 * s, 0.05 * s), Paint.Sphere(colour, cx - r, cy + (0.12 * s), 0.15 * s));
                p.Add(Sdf.RoundBox(cx + r, cy + (0.12 * s), 0.07 * s, 0.14 * s, 0.05 * s), Paint.Sphere(colour, cx + r, cy + (0.12 * s), 0.15 * s));
                // A cable about 3 px wide from the left cup, curling down to the floor.
                var cable = Sdf.Curve(t => (cx - r + (0.02 * s) + (Math.Sin(t * 5.0) * 0.1 * s * t), cy + (0.26 * s) + (t * (bottom - cy - (0.26 * s)))), Math.Max(1.5, 0.005 * s));
                p.Add(cable, Paint.Flat(Shade(colour, 0.8), 1.0, 0, 0, 1, 1));
                break;
            }

            case "ring":
            {
                var r = 0.3 * s;
                var cy = bottom - r - (0.04 * s);
                p.Add(Sdf.Annulus(cx, cy, r, 0.075 * s), Paint.Metal(colour.Luma > 150 ? colour : new Rgb(214, 170, 60), cx, cy));
                p.Add(Sdf.Circle(cx, cy - r - (0.06 * s), 0.1 * s), Paint.Sphere(colour.Luma > 150 ? new Rgb(60, 120, 200) : colour, cx, cy - r - (0.06 * s), 0.1 * s));
                break;
            }

            case "plant":
            {
                var potTop = bottom - (0.28 * s);
                p.Add(Sdf.Polygon([(cx - (0.17 * s), potTop), (cx + (0.17 * s), potTop), (cx + (0.12 * s), bottom), (cx - (0.12 * s), bottom)]), Paint.Cylinder(colour, cx, 0.17 * s));
                var leaf = new Rgb(52, 128 + rng.Next(30), 60);
                for (var k = 0; k < 5; k++)
                {
                    var angle = -0.9 + (0.45 * k);
                    var length = (0.42 + (0.12 * Math.Sin(k * 1.7))) * s;
                    var ex = cx + (Math.Sin(angle) * length);
                    var ey = potTop - (Math.Cos(angle) * length);
                    // Stems 3-4 px wide.
                    p.Add(Sdf.Capsule(cx + (0.02 * s * (k - 2)), potTop + 2, ex, ey, Math.Max(1.6, 0.0055 * s)), Paint.Flat(Shade(leaf, 0.7), 1.0, 0, 0, 1, 1));
                    p.Add(Sdf.RotatedEllipse(ex, ey, 0.09 * s, 0.035 * s, angle + 1.3), Paint.Flat(leaf, 1.0 + (0.05 * (k % 2)), 0, 0, 1, 1));
                }

                break;
            }

            case "bag":
            {
                var bw = 0.56 * s;
                var bh = 0.4 * s;
                var top = bottom - bh;
                p.Add(Sdf.Polygon([(cx - (bw * 0.42), top), (cx + (bw * 0.42), top), (cx + (bw * 0.5), bottom), (cx - (bw * 0.5), bottom)]), Paint.Flat(colour, 1.0, cx - (bw / 2), top, bw, bh));
                // A strap 5-6 px wide: the space under it is a hole that shows the backdrop.
                var strap = Sdf.Intersect(Sdf.Annulus(cx, top + (0.02 * s), 0.2 * s, Math.Max(4, 0.011 * s)), Sdf.HalfPlaneAbove(top + (0.02 * s)));
                p.Add(strap, Paint.Flat(Shade(colour, 0.75), 1.0, 0, 0, 1, 1));
                p.Add(Sdf.RoundBox(cx, top + (0.06 * s), 0.05 * s, 0.02 * s, 0.005 * s), Paint.Flat(metal, 1.0, 0, 0, 1, 1));
                break;
            }

            default:
                throw new ArgumentOutOfRangeException(nameof(shape), shape, null);
        }

        return p;
    }

    internal readonly record struct Rgb(double R, double G, double B)
    {
        public double Luma => (0.299 * R) + (0.587 * G) + (0.114 * B);
    }

    private sealed class Backdrop(Func<double, double, Rgb> at)
    {
        public Rgb At(double u, double v) => at(u, v);

        public static Backdrop Plain(Rgb c) => new((_, _) => c);

        public static Backdrop Linear(Rgb from, Rgb to, bool vertical) => new((u, v) =>
        {
            var t = vertical ? v : u;
            return new Rgb(from.R + ((to.R - from.R) * t), from.G + ((to.G - from.G) * t), from.B + ((to.B - from.B) * t));
        });

        public static Backdrop Vignette(Rgb centre, double falloff) => new((u, v) =>
        {
            var d = ((u - 0.5) * (u - 0.5)) + ((v - 0.45) * (v - 0.45));
            var f = 1 - (falloff * d * 2);
            return new Rgb(centre.R * f, centre.G * f, centre.B * f);
        });
    }

    private sealed class Product
    {
        private readonly List<(Func<double, double, double> Sdf, Func<double, double, Rgb> Paint)> _parts = [];

        public double Left { get; private set; } = double.MaxValue;

        public double Right { get; private set; } = double.MinValue;

        public double Top { get; private set; } = double.MaxValue;

        public double Bottom { get; private set; } = double.MinValue;

        public void Add(Func<double, double, double> sdf, Func<double, double, Rgb> paint) => _parts.Add((sdf, paint));

        /// <summary>Bounds from a scan of the union distance (shapes are analytic, so a coarse scan plus margin is exact enough).</summary>
        public void Measure(int width, int height)
        {
            if (Right >= Left)
            {
                return;
            }

            for (var y = 0; y < height; y += 2)
            {
                for (var x = 0; x < width; x += 2)
                {
                    if (Distance(x + 0.5, y + 0.5) < 2)
                    {
                        Left = Math.Min(Left, x);
                        Right = Math.Max(Right, x);
                        Top = Math.Min(Top, y);
                        Bottom = Math.Max(Bottom, y);
                    }
                }
            }

            Left -= 3;
            Top -= 3;
            Right += 3;
            Bottom += 3;
        }

        public double Distance(double x, double y)
        {
            var d = double.MaxValue;
            foreach (var part in _parts)
            {
                d = Math.Min(d, part.Sdf(x, y));
            }

            return d;
        }

        /// <summary>Premultiplied colour and coverage at a point, parts painted in order.</summary>
        public (Rgb Colour, double Coverage) Sample(double x, double y)
        {
            double r = 0, g = 0, b = 0, cov = 0;
            foreach (var part in _parts)
            {
                var c = Math.Clamp(0.5 - part.Sdf(x, y), 0, 1);
                if (c <= 0)
                {
                    continue;
                }

                var col = part.Paint(x, y);
                r = (c * col.R) + ((1 - c) * r);
                g = (c * col.G) + ((1 - c) * g);
                b = (c * col.B) + ((1 - c) * b);
                cov = c + ((1 - c) * cov);
            }

            return (new Rgb(r, g, b), cov);
        }
    }

    private static class Sdf
    {
        public static Func<double, double, double> Circle(double cx, double cy, double r) => (x, y) => Len(x - cx, y - cy) - r;

        public static Func<double, double, double> RoundBox(double cx, double cy, double hx, double hy, double radius) => (x, y) =>
        {
            var qx = Math.Abs(x - cx) - hx + radius;
            var qy = Math.Abs(y - cy) - hy + radius;
            return Len(Math.Max(qx, 0), Math.Max(qy, 0)) + Math.Min(Math.Max(qx, qy), 0) - radius;
        };

        public static Func<double, double, double> Annulus(double cx, double cy, double r, double thickness) => (x, y) => Math.Abs(Len(x - cx, y - cy) - r) - (thickness / 2);

        public static Func<double, double, double> Ellipse(double cx, double cy, double rx, double ry) => RotatedEllipse(cx, cy, rx, ry, 0);

        public static Func<double, double, double> RotatedEllipse(double cx, double cy, double rx, double ry, double angle) => (x, y) =>
        {
            var (cos, sin) = (Math.Cos(angle), Math.Sin(angle));
            var px = ((x - cx) * cos) + ((y - cy) * sin);
            var py = (-(x - cx) * sin) + ((y - cy) * cos);
            var k0 = Len(px / rx, py / ry);
            var k1 = Len(px / (rx * rx), py / (ry * ry));
            return k1 == 0 ? -Math.Min(rx, ry) : k0 * (k0 - 1) / k1;
        };

        public static Func<double, double, double> Capsule(double ax, double ay, double bx, double by, double radius) => (x, y) => Segment(x, y, ax, ay, bx, by) - radius;

        /// <summary>A thick curve through points of <paramref name="at"/> (t from 0 to 1), as a chain of 60 segments.</summary>
        public static Func<double, double, double> Curve(Func<double, (double X, double Y)> at, double radius)
        {
            var points = Enumerable.Range(0, 61).Select(i => at(i / 60.0)).ToArray();
            return (x, y) =>
            {
                // Segments whose bounding box is further than the best distance so far cannot be closer.
                var best = double.MaxValue;
                for (var i = 0; i < points.Length - 1; i++)
                {
                    var (ax, ay) = points[i];
                    var (bx, by) = points[i + 1];
                    var dx = Math.Max(Math.Max(Math.Min(ax, bx) - x, x - Math.Max(ax, bx)), 0);
                    var dy = Math.Max(Math.Max(Math.Min(ay, by) - y, y - Math.Max(ay, by)), 0);
                    if ((dx * dx) + (dy * dy) >= best * best)
                    {
                        continue;
                    }

                    best = Math.Min(best, Segment(x, y, ax, ay, bx, by));
                }

                return best - radius;
            };
        }

        /// <summary>Exact distance to a simple polygon (Inigo Quilez's winding formulation).</summary>
        public static Func<double, double, double> Polygon((double X, double Y)[] v) => (x, y) =>
        {
            var d = ((x - v[0].X) * (x - v[0].X)) + ((y - v[0].Y) * (y - v[0].Y));
            var sign = 1.0;
            for (int i = 0, j = v.Length - 1; i < v.Length; j = i, i++)
            {
                var ex = v[j].X - v[i].X;
                var ey = v[j].Y - v[i].Y;
                var wx = x - v[i].X;
                var wy = y - v[i].Y;
                var t = Math.Clamp(((wx * ex) + (wy * ey)) / ((ex * ex) + (ey * ey)), 0, 1);
                var bx = wx - (ex * t);
                var by = wy - (ey * t);
                d = Math.Min(d, (bx * bx) + (by * by));
                var c1 = y >= v[i].Y;
                var c2 = y < v[j].Y;
                var c3 = (ex * wy) > (ey * wx);
                if ((c1 && c2 && c3) || (!c1 && !c2 && !c3))
                {
                    sign = -sign;
                }
            }

            return sign * Math.Sqrt(d);
        };

        public static Func<double, double, double> HalfPlaneRight(double x0) => (x, _) => x0 - x;

        public static Func<double, double, double> HalfPlaneAbove(double y0) => (_, y) => y - y0;

        public static Func<double, double, double> Intersect(Func<double, double, double> a, Func<double, double, double> b) => (x, y) => Math.Max(a(x, y), b(x, y));

        public static Func<double, double, double> Union(Func<double, double, double> a, Func<double, double, double> b) => (x, y) => Math.Min(a(x, y), b(x, y));

        private static double Segment(double x, double y, double ax, double ay, double bx, double by)
        {
            var pax = x - ax;
            var pay = y - ay;
            var bax = bx - ax;
            var bay = by - ay;
            var h = Math.Clamp(((pax * bax) + (pay * bay)) / ((bax * bax) + (bay * bay)), 0, 1);
            return Len(pax - (bax * h), pay - (bay * h));
        }

        private static double Len(double x, double y) => Math.Sqrt((x * x) + (y * y));
    }

    private static class Paint
    {
        /// <summary>Light from the upper left on a vertical cylinder: darker flanks, a soft specular stripe.</summary>
        public static Func<double, double, Rgb> Cylinder(Rgb c, double cx, double halfWidth) => (x, _) =>
        {
            var u = Math.Clamp((x - cx) / halfWidth, -1, 1);
            var diffuse = 0.62 + (0.3 * Math.Sqrt(1 - (u * u))) - (0.1 * u);
            var spec = 0.55 * Math.Exp(-Math.Pow((u + 0.42) / 0.13, 2));
            return Lit(c, diffuse, spec);
        };

        public static Func<double, double, Rgb> Sphere(Rgb c, double cx, double cy, double r) => (x, y) =>
        {
            var u = (x - cx) / r;
            var v = (y - cy) / r;
            var z = Math.Sqrt(Math.Max(0, 1 - (u * u) - (v * v)));
            var diffuse = 0.5 + (0.5 * Math.Max(0, (-0.4 * u) + (-0.4 * v) + (0.82 * z)));
            var spec = 0.5 * Math.Exp(-(((u + 0.35) * (u + 0.35)) + ((v + 0.35) * (v + 0.35))) / 0.03);
            return Lit(c, diffuse, spec);
        };

        /// <summary>Polished metal: brightness bands around the ring, a couple of hard-ish glints.</summary>
        public static Func<double, double, Rgb> Metal(Rgb c, double cx, double cy) => (x, y) =>
        {
            var angle = Math.Atan2(y - cy, x - cx);
            var diffuse = 0.7 + (0.25 * Math.Sin((angle * 3) + 0.5));
            var spec = 0.6 * Math.Exp(-Math.Pow((angle + 2.2) / 0.18, 2));
            return Lit(c, diffuse, spec);
        };

        /// <summary>A flat face with a gentle gradient across it (soft light falloff).</summary>
        public static Func<double, double, Rgb> Flat(Rgb c, double level, double left, double top, double width, double height) => (x, y) =>
        {
            var u = width > 1 ? Math.Clamp((x - left) / width, 0, 1) : 0.5;
            var v = height > 1 ? Math.Clamp((y - top) / height, 0, 1) : 0.5;
            return Lit(c, level * (1.02 - (0.08 * u) - (0.06 * v)), 0);
        };

        private static Rgb Lit(Rgb c, double diffuse, double spec) => new(
            Math.Min(255, (c.R * diffuse) + (spec * (255 - (c.R * diffuse)))),
            Math.Min(255, (c.G * diffuse) + (spec * (255 - (c.G * diffuse)))),
            Math.Min(255, (c.B * diffuse) + (spec * (255 - (c.B * diffuse)))));
    }

    private sealed class Photo(int width, int height, Random rng)
    {
        private readonly float[] _rgb = new float[width * height * 3];

        public void PaintBackdrop(Backdrop backdrop)
        {
            for (var y = 0; y < height; y++)
            {
                for (var x = 0; x < width; x++)
                {
                    var c = backdrop.At((x + 0.5) / width, (y + 0.5) / height);
                    Set((y * width) + x, c.R, c.G, c.B);
                }
            }
        }

        /// <summary>The dark, soft ellipse where the product meets the floor.</summary>
        public void ContactShadow(Product product, double depth)
        {
            product.Measure(width, height);
            var cx = (product.Left + product.Right) / 2;
            var rx = (product.Right - product.Left) * 0.5;
            var ry = Math.Max(4, (product.Bottom - product.Top) * 0.04);
            var floor = product.Bottom - 3;
            var ellipse = Sdf.Ellipse(cx, floor, rx, ry);
            var soft = ry * 0.9;
            Darken((int)(product.Left - soft - rx * 0.2), (int)(floor - ry - soft), (int)(product.Right + soft + rx * 0.2), (int)(floor + ry + soft), (x, y) => depth * SmoothStep(soft, -soft, ellipse(x, y)));
        }

        /// <summary>The product's silhouette thrown on the backdrop, offset and blurred (a studio light from the upper left).</summary>
        public void CastShadow(Product product, double scale, double depth)
        {
            product.Measure(width, height);
            var dx = scale * (0.06 + (0.06 * rng.NextDouble()));
            var dy = scale * 0.03;
            var soft = scale * (0.03 + (0.03 * rng.NextDouble()));
            Darken((int)(product.Left + dx - (2 * soft)), (int)(product.Top + dy - (2 * soft)), (int)(product.Right + dx + (2 * soft)), (int)(product.Bottom + dy + (2 * soft)), (x, y) => depth * SmoothStep(soft, -soft, product.Distance(x - dx, y - dy)));
        }

        /// <summary>A glossy floor: the product mirrored about its bottom line, faded with distance from it.</summary>
        public void Reflection(Product product, double strength, double fade)
        {
            product.Measure(width, height);
            var line = product.Bottom - 3;
            for (var y = (int)line; y < Math.Min(height, line + fade); y++)
            {
                var my = (2 * line) - (y + 0.5);
                var t = (y + 0.5 - line) / fade;
                if (t < 0)
                {
                    continue;
                }

                var r = strength * Math.Pow(1 - t, 1.5);
                for (var x = Math.Max(0, (int)product.Left); x <= Math.Min(width - 1, (int)product.Right); x++)
                {
                    var (col, cov) = product.Sample(x + 0.5, my);
                    if (cov <= 0)
                    {
                        continue;
                    }

                    var i = (y * width) + x;
                    var k = r * cov;
                    Set(i, (_rgb[3 * i] * (1 - k)) + (col.R / cov * k), (_rgb[(3 * i) + 1] * (1 - k)) + (col.G / cov * k), (_rgb[(3 * i) + 2] * (1 - k)) + (col.B / cov * k));
                }
            }
        }

        /// <summary>Objects, stripes and texture all over the backdrop.</summary>
        public void Clutter(Random random)
        {
            for (var k = 0; k < 40; k++)
            {
                var c = new Rgb(random.Next(256), random.Next(256), random.Next(256));
                var x0 = random.Next(width);
                var y0 = random.Next(height);
                var w = 20 + random.Next(width / 4);
                var h = 20 + random.Next(height / 4);
                var round = random.Next(2) == 0;
                for (var y = Math.Max(0, y0 - h); y < Math.Min(height, y0 + h); y++)
                {
                    for (var x = Math.Max(0, x0 - w); x < Math.Min(width, x0 + w); x++)
                    {
                        var inside = !round || (Math.Pow((x - x0) / (double)w, 2) + Math.Pow((y - y0) / (double)h, 2) <= 1);
                        if (inside && random.NextDouble() < 0.98)
                        {
                            var stripe = 0.85 + (0.15 * Math.Sin((x + y) * 0.3));
                            Set((y * width) + x, c.R * stripe, c.G * stripe, c.B * stripe);
                        }
                    }
                }
            }
        }

        /// <summary>Paints the product over the scene; returns its mask (coverage at least one half).</summary>
        public byte[] PaintProduct(Product product)
        {
            product.Measure(width, height);
            var mask = new byte[width * height];
            for (var y = Math.Max(0, (int)product.Top); y <= Math.Min(height - 1, (int)product.Bottom); y++)
            {
                for (var x = Math.Max(0, (int)product.Left); x <= Math.Min(width - 1, (int)product.Right); x++)
                {
                    var (col, cov) = product.Sample(x + 0.5, y + 0.5);
                    if (cov <= 0)
                    {
                        continue;
                    }

                    var i = (y * width) + x;
                    Set(i, col.R + ((1 - cov) * _rgb[3 * i]), col.G + ((1 - cov) * _rgb[(3 * i) + 1]), col.B + ((1 - cov) * _rgb[(3 * i) + 2]));
                    mask[i] = (byte)(cov >= 0.5 ? 1 : 0);
                }
            }

            return mask;
        }

        /// <summary>Lens blur (Gaussian, sigma 0.7), sensor noise, 8 bits, JPEG.</summary>
        public byte[] Finish(double noise, int quality)
        {
            float[] kernel = [0.0345f, 0.2393f, 0.4524f, 0.2393f, 0.0345f];
            var tmp = new float[_rgb.Length];
            for (var y = 0; y < height; y++)
            {
                for (var x = 0; x < width; x++)
                {
                    for (var c = 0; c < 3; c++)
                    {
                        var s = 0f;
                        for (var k = -2; k <= 2; k++)
                        {
                            s += kernel[k + 2] * _rgb[(((y * width) + Math.Clamp(x + k, 0, width - 1)) * 3) + c];
                        }

                        tmp[(((y * width) + x) * 3) + c] = s;
                    }
                }
            }

            var bytes = new byte[_rgb.Length];
            for (var y = 0; y < height; y++)
            {
                for (var x = 0; x < width; x++)
                {
                    for (var c = 0; c < 3; c++)
                    {
                        var s = 0f;
                        for (var k = -2; k <= 2; k++)
                        {
                            s += kernel[k + 2] * tmp[(((Math.Clamp(y + k, 0, height - 1) * width) + x) * 3) + c];
                        }

                        var v = s + (noise * Gaussian());
                        bytes[(((y * width) + x) * 3) + c] = (byte)Math.Clamp(Math.Round(v), 0, 255);
                    }
                }
            }

            using var memory = Image.NewFromMemoryCopy(bytes, width, height, 3, Enums.BandFormat.Uchar);
            using var srgb = memory.Copy(interpretation: Enums.Interpretation.Srgb);
            return srgb.JpegsaveBuffer(q: quality);
        }

        private double Gaussian()
        {
            var u1 = 1.0 - rng.NextDouble();
            var u2 = rng.NextDouble();
            return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
        }

        private void Darken(int x0, int y0, int x1, int y1, Func<double, double, double> amount)
        {
            for (var y = Math.Max(0, y0); y <= Math.Min(height - 1, y1); y++)
            {
                for (var x = Math.Max(0, x0); x <= Math.Min(width - 1, x1); x++)
                {
                    var a = amount(x + 0.5, y + 0.5);
                    if (a <= 0)
                    {
                        continue;
                    }

                    var i = (y * width) + x;
                    var f = 1 - a;
                    Set(i, _rgb[3 * i] * f, _rgb[(3 * i) + 1] * f, _rgb[(3 * i) + 2] * f);
                }
            }
        }

        private void Set(int i, double r, double g, double b)
        {
            _rgb[3 * i] = (float)r;
            _rgb[(3 * i) + 1] = (float)g;
            _rgb[(3 * i) + 2] = (float)b;
        }

        private static double SmoothStep(double edge0, double edge1, double x)
        {
            var t = Math.Clamp((x - edge0) / (edge1 - edge0), 0, 1);
            return t * t * (3 - (2 * t));
        }
    }
}
