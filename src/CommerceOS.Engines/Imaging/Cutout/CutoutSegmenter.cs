namespace CommerceOS.Engines.Imaging.Cutout;

/// <summary>What the segmentation found, with the measurements the confidence is built from.</summary>
internal sealed class Segmentation
{
    public required byte[] Mask { get; init; }

    public required int Width { get; init; }

    public required int Height { get; init; }

    /// <summary>Median delta-E of the backdrop to its model (photo noise, or texture when busy).</summary>
    public required float Noise { get; init; }

    /// <summary>Share of the border samples the backdrop model explains.</summary>
    public required float InlierShare { get; init; }

    /// <summary>Share of the frame's border pixels covered by the product.</summary>
    public required float BorderTouch { get; init; }

    /// <summary>Foreground found outside the kept product (clutter), relative to the product's area.</summary>
    public required float Discarded { get; init; }

    /// <summary>Median step across the product outline over the edge noise level (signal to noise of the edge).</summary>
    public required float EdgeContrast { get; init; }

    /// <summary>Share of pixels near the outline whose distance to the backdrop is ambiguous (between half and twice the threshold).</summary>
    public required float Ambiguous { get; init; }

    public required int Area { get; init; }
}

/// <summary>
/// Product/backdrop separation on the (downscaled) working image:
/// a backdrop model, a delta-E distance with soft shadows and reflections recognised as backdrop, a flood
/// from the frame border through everything backdrop-like (holes open to the outside come out as backdrop
/// by construction), real enclosed holes found by their colour and crisp rim, and the main component(s) kept.
/// </summary>
internal static class CutoutSegmenter
{
    /// <summary>(L*+16) of a shadow over that of the lit backdrop: 0.3 is about 3 % of the light, the core of a contact shadow under a cast one.</summary>
    private const float ShadowMinRatio = 0.3f;

    /// <summary>
    /// Shadows inside an enclosed hole are cast shadows (lighter than the contact shadow under a product): a
    /// darker region with the backdrop's chromaticity counts as hole backdrop only above this ratio.
    /// </summary>
    private const float HoleShadowMinRatio = 0.55f;

    /// <summary>
    /// A shadow-like pixel blocks the flood only on a crisp step this many times the edge threshold: JPEG
    /// block seams inside a shadow's gradient (between a plant's stems) pass the plain threshold in runs long
    /// enough to look like an outline, while a grey product's outline is far stronger. Higher (2.5) gains a
    /// little more between stems but lets the flood nick a white cap's faint top edge.
    /// </summary>
    private const float BlockerEdgeFactor = 2.25f;

    /// <summary>JPEG ringing and chroma bleed around a strong edge reach this share of the edge's contrast.</summary>
    private const float RingingShare = 0.15f;

    public static Segmentation Segment(byte[] rgb, int w, int h, int fullWidth)
    {
        var n = w * h;
        var l0 = Planes.Rent<float>(n, clear: false);
        var a0 = Planes.Rent<float>(n, clear: false);
        var b0 = Planes.Rent<float>(n, clear: false);
        LabColor.FromRgb(rgb, n, l0, a0, b0);
        var edge = EdgeStrength(l0, a0, b0, w, h);

        // A 3x3 binomial blur for the per-pixel distance: sensor and JPEG noise would otherwise leave
        // thousands of single-pixel "product" specks on the backdrop; 2-3 px thin parts survive it.
        var l = Blur(l0, w, h);
        var a = Blur(a0, w, h);
        var b = Blur(b0, w, h);
        Planes.Return(l0, a0, b0);

        var model = FitBorder(l, a, b, w, h);
        var noise = model.Noise;
        var threshold = Math.Max(2.8f * noise, 1.6f);

        var dl = Planes.Rent<float>(n, clear: false);
        var da = Planes.Rent<float>(n, clear: false);
        var db = Planes.Rent<float>(n, clear: false);
        var de = Planes.Rent<float>(n, clear: false);
        var shadowLike = Planes.Rent<byte>(n);
        // Distance to the backdrop allowing for a cast shadow (the chromaticity residual where shadow-like): for enclosed holes.
        var sd = Planes.Rent<float>(n, clear: false);
        var rowL = new float[w];
        var rowA = new float[w];
        var rowB = new float[w];
        for (var y = 0; y < h; y++)
        {
            model.EvaluateRow(y, rowL, rowA, rowB);
            var o = y * w;
            for (var x = 0; x < w; x++)
            {
                var i = o + x;
                var el = l[i] - rowL[x];
                var ea = a[i] - rowA[x];
                var eb = b[i] - rowB[x];
                dl[i] = el;
                da[i] = ea;
                db[i] = eb;
                de[i] = MathF.Sqrt((el * el) + (ea * ea) + (eb * eb));
                sd[i] = de[i];

                // A shadow (or the dark part of a reflection-free floor) is the backdrop with less light: in
                // L*a*b* that scales a* and b* by the same factor as L*+16 (cube-root regime). Darker, but with
                // the backdrop's own chromaticity, is shadow-like; the crisp-edge test below keeps products
                // (white on white, grey on white) that happen to look like that.
                var s = (l[i] + 16f) / (rowL[x] + 16f);
                if (s is >= ShadowMinRatio and <= 1.01f)
                {
                    var ca = a[i] - (s * rowA[x]);
                    var cb = b[i] - (s * rowB[x]);
                    var tol = Math.Max(2.8f * noise, 2.0f) + (0.12f * MathF.Sqrt((rowA[x] * rowA[x]) + (rowB[x] * rowB[x])));
                    shadowLike[i] = (byte)((ca * ca) + (cb * cb) < tol * tol ? 1 : 0);
                    sd[i] = s >= HoleShadowMinRatio ? Math.Min(de[i], MathF.Sqrt((ca * ca) + (cb * cb))) : de[i];
                }
            }
        }

        // Next to a strong edge, compression ringing and chroma bleed put pixels of plain backdrop well above
        // the noise threshold (phase 2 below); this is the strongest contrast nearby.
        Planes.Return(l, a, b);
        var nearMax = MaxFilter(de, w, h, Math.Max(2, (int)MathF.Round(6f * w / fullWidth)));

        var edgeNoise = BorderMedian(edge, w, h);
        var edgeThreshold = Math.Max(3.2f * edgeNoise, 1.5f);

        // Phase 1, strict: the backdrop within noise, and shadow-like pixels unless on a long crisp outline.
        // Shadow-like pixels are stopped only by a crisp outline, and an outline is long: JPEG block seams
        // in a shadow's gradient are crisp too, but come in runs of a few pixels.
        var passable = Planes.Rent<byte>(n);
        var blocker = Planes.Rent<byte>(n);
        for (var i = 0; i < n; i++)
        {
            if (de[i] < threshold)
            {
                passable[i] = 1;
            }
            else if (shadowLike[i] == 1)
            {
                passable[i] = 1;
                blocker[i] = (byte)(edge[i] >= BlockerEdgeFactor * edgeThreshold ? 1 : 0);
            }
        }

        Planes.Return(shadowLike);
        var labels = Planes.Rent<int>(n, clear: false);
        var blockerSizes = Components.Label(blocker, w, h, eight: true, labels);
        var minOutline = Math.Max(12, (w + h) / 100);
        for (var i = 0; i < n; i++)
        {
            blocker[i] = (byte)(blocker[i] == 1 && blockerSizes[labels[i]] >= minOutline ? 1 : 0);
            passable[i] = (byte)(passable[i] == 1 && blocker[i] == 0 ? 1 : 0);
        }

        var reached = FloodFromBorder(passable, w, h);

        var ringing = Planes.Rent<byte>(n, clear: false);
        for (var i = 0; i < n; i++)
        {
            ringing[i] = (byte)((de[i] < Math.Max(threshold, RingingShare * nearMax[i]) && blocker[i] == 0) || passable[i] == 1 ? 1 : 0);
        }

        // Enclosed backdrop-like regions: real holes (a ring, a closed handle) show the backdrop behind a
        // crisp rim; a highlight on a glossy product fades softly into it; a near-white product's body is
        // brighter/different than the backdrop on average even where single pixels are within noise.
        var holeThreshold = (1.5f * noise) + 0.5f;
        var shadowTolerance = Math.Max(2.8f * noise, 2.0f);
        var minHole = Math.Max(6, n / 20000);
        Planes.Return(nearMax);
        var candidates = Planes.Rent<byte>(n, clear: false);
        for (var i = 0; i < n; i++)
        {
            candidates[i] = (byte)(reached[i] == 0 && ringing[i] == 1 ? 1 : 0);
        }

        var sizes = Components.Label(candidates, w, h, eight: false, labels);
        if (sizes.Count > 1)
        {
            // The median distance of the pixels at least 3 px inside the region (all of them for a small one):
            // JPEG ringing from the rim lifts a small hole's pixels near the rim, while a product surface (a
            // white label, a white handle) is off the backdrop all over, bar a specular highlight.
            const float binWidth = 0.25f;
            const int bins = 64;
            var inner = MinFilter(candidates, w, h, 3);
            var innerCount = new int[sizes.Count];
            for (var i = 0; i < n; i++)
            {
                innerCount[labels[i]] += inner[i];
            }

            var histogram = new int[sizes.Count * bins];
            var shadowHistogram = new int[sizes.Count * bins];
            var outside = Invert(reached);
            var notNear = MinFilter(outside, w, h, 6);
            Planes.Return(outside);
            var rimNear = new int[sizes.Count];
            var rimOutline = new int[sizes.Count];
            var rimStrong = new int[sizes.Count];
            var rim = new int[sizes.Count];
            var crisp = new int[sizes.Count];
            for (var y = 0; y < h; y++)
            {
                for (var x = 0; x < w; x++)
                {
                    var i = (y * w) + x;
                    var c = labels[i];
                    if (c == 0)
                    {
                        continue;
                    }

                    if (inner[i] == 1 || innerCount[c] < minHole)
                    {
                        histogram[(c * bins) + Math.Min(bins - 1, (int)(de[i] / binWidth))]++;
                        shadowHistogram[(c * bins) + Math.Min(bins - 1, (int)(sd[i] / binWidth))]++;
                    }

                    CountRim(i - 1, x > 0);
                    CountRim(i + 1, x < w - 1);
                    CountRim(i - w, y > 0);
                    CountRim(i + w, y < h - 1);

                    void CountRim(int j, bool inside)
                    {
                        if (inside && candidates[j] == 0)
                        {
                            rim[c]++;
                            rimNear[c] += 1 - notNear[j];
                            rimOutline[c] += blocker[j];
                            rimStrong[c] += de[j] >= 2f * threshold ? 1 : 0;
                            crisp[c] += edge[j] >= edgeThreshold ? 1 : 0;
                        }
                    }
                }
            }

            var isHole = new bool[sizes.Count];
            for (var c = 1; c < sizes.Count; c++)
            {
                if (sizes[c] < minHole || rim[c] == 0 || crisp[c] < 0.35f * rim[c])
                {
                    continue;
                }

                var counted = innerCount[c] < minHole ? sizes[c] : innerCount[c];
                isHole[c] = Percentile(histogram, c, counted * 0.5f) < holeThreshold;

                // A hole ringed by product (a mug handle, a bag strap: most of its rim is more than 6 px from the
                // outside backdrop, unlike a grey body, which only an outline separates from it) usually holds the
                // product's cast shadow: there the backdrop with less light counts as backdrop too, if nearly all
                // of the region is that. A uniformly, faintly darker region is rather a light product part (a white
                // label on a red bottle): a real hole shows some lit backdrop (the shadow covers part of it) or lies
                // in deep shadow.
                var enclosed = rimNear[c] < 0.45f * rim[c];
                var lit = Percentile(histogram, c, counted * 0.1f);
                isHole[c] |= enclosed && Percentile(shadowHistogram, c, counted * 0.5f) < holeThreshold
                    && Percentile(shadowHistogram, c, counted * 0.9f) < 2f * holeThreshold
                    && (lit < holeThreshold || lit >= 4f * holeThreshold);

                // Backdrop seen between thin parts (a plant's stems, a headband) lies mostly in their soft cast shadow:
                // such a region is framed by product pixels within a few pixels of the outside backdrop, not by the
                // crisp shadow-like outline that alone separates a grey body from it. Its colour is the backdrop's with
                // less light, within the looser tolerance of the shadow test; and either it shows the lit backdrop
                // somewhere (within about the noise) or its frame is mostly clearly unlike the backdrop. A pale label
                // at the product's edge is neither: off the backdrop all over, behind a faint edge.
                var framedByThinParts = rimNear[c] >= 0.75f * rim[c] && rimOutline[c] < 0.1f * rim[c]
                    && (lit < 1.25f * holeThreshold || rimStrong[c] >= 0.6f * rim[c]);
                isHole[c] |= framedByThinParts && Percentile(shadowHistogram, c, counted * 0.5f) < 2f * shadowTolerance
                    && Percentile(shadowHistogram, c, counted * 0.9f) < 4f * shadowTolerance;
            }

            float Percentile(int[] hist, int c, float wanted)
            {
                var seen = 0;
                for (var bin = 0; bin < bins; bin++)
                {
                    seen += hist[(c * bins) + bin];
                    if (seen >= wanted)
                    {
                        return (bin + 0.5f) * binWidth;
                    }
                }

                return bins * binWidth;
            }

            for (var i = 0; i < n; i++)
            {
                if (labels[i] != 0 && isHole[labels[i]])
                {
                    reached[i] = 1;
                }
            }

            Planes.Return(inner, notNear);
        }

        // Phase 2: next to a strong edge, compression ringing and chroma bleed put backdrop (and shadow) pixels
        // above the noise threshold and give them crisp steps. The backdrop found so far grows into such pixels
        // (distance under the local tolerance) for a few pixels only, so this never leaks into a faint product
        // part that touches a strong one (a white pot under dark stems).
        GrowInto(reached, ringing, w, h, Math.Max(2, (int)MathF.Round(8f * w / fullWidth)));
        Planes.Return(ringing, candidates, passable, blocker);
        Planes.Return(sd);

        var mask = Planes.Rent<byte>(n, clear: false);
        for (var i = 0; i < n; i++)
        {
            mask[i] = (byte)(1 - reached[i]);
        }

        var (kept, discarded) = KeepMain(mask, w, h, labels);
        if (kept > 0)
        {
            RemoveReflections(mask, labels, w, h, dl, da, db, threshold);
            (kept, _) = KeepMain(mask, w, h, labels);
            FillPinholes(mask, w, h, labels, minHole);
        }

        var area = 0;
        for (var i = 0; i < n; i++)
        {
            area += mask[i];
        }

        var edgeContrast = OutlineContrast(mask, edge, w, h) / Math.Max(edgeNoise, 0.05f);
        var ambiguous = OutlineAmbiguity(mask, de, w, h, threshold);
        Planes.Return(dl, da, db, de, edge);
        Planes.Return(labels);
        Planes.Return(reached);
        return new Segmentation
        {
            Mask = mask,
            Width = w,
            Height = h,
            Noise = noise,
            InlierShare = model.InlierShare,
            BorderTouch = BorderShare(mask, w, h),
            Discarded = area == 0 ? 1f : discarded / (float)area,
            EdgeContrast = edgeContrast,
            Ambiguous = ambiguous,
            Area = area,
        };
    }

    private static BackgroundModel FitBorder(float[] l, float[] a, float[] b, int w, int h)
    {
        var band = Math.Max(2, Math.Min(w, h) / 100);
        var xs = new List<int>();
        var ys = new List<int>();
        var stepX = Math.Max(1, w / 600);
        var stepY = Math.Max(1, h / 600);
        for (var d = 0; d < band; d++)
        {
            for (var x = 0; x < w; x += stepX)
            {
                xs.Add(x);
                ys.Add(d);
                xs.Add(x);
                ys.Add(h - 1 - d);
            }

            for (var y = band; y < h - band; y += stepY)
            {
                xs.Add(d);
                ys.Add(y);
                xs.Add(w - 1 - d);
                ys.Add(y);
            }
        }

        var count = xs.Count;
        var sl = new float[count];
        var sa = new float[count];
        var sb = new float[count];
        for (var k = 0; k < count; k++)
        {
            var i = (ys[k] * w) + xs[k];
            sl[k] = l[i];
            sa[k] = a[i];
            sb[k] = b[i];
        }

        return BackgroundModel.Fit(xs.ToArray(), ys.ToArray(), sl, sa, sb, w, h);
    }

    /// <summary>Grows <paramref name="region"/> into <paramref name="allowed"/> pixels, at most <paramref name="steps"/> 4-connected steps.</summary>
    private static void GrowInto(byte[] region, byte[] allowed, int w, int h, int steps)
    {
        var frontier = new List<int>();
        for (var i = 0; i < region.Length; i++)
        {
            if (region[i] == 1)
            {
                var x = i % w;
                if ((x > 0 && region[i - 1] == 0) || (x < w - 1 && region[i + 1] == 0) || (i >= w && region[i - w] == 0) || (i < region.Length - w && region[i + w] == 0))
                {
                    frontier.Add(i);
                }
            }
        }

        var next = new List<int>();
        for (var step = 0; step < steps && frontier.Count > 0; step++)
        {
            next.Clear();
            foreach (var i in frontier)
            {
                var x = i % w;
                Visit(i - 1, x > 0);
                Visit(i + 1, x < w - 1);
                Visit(i - w, i >= w);
                Visit(i + w, i < region.Length - w);
            }

            (frontier, next) = (next, frontier);
        }

        void Visit(int j, bool inside)
        {
            if (inside && region[j] == 0 && allowed[j] == 1)
            {
                region[j] = 1;
                next.Add(j);
            }
        }
    }

    private static byte[] Invert(byte[] set)
    {
        var r = Planes.Rent<byte>(set.Length, clear: false);
        for (var i = 0; i < set.Length; i++)
        {
            r[i] = (byte)(1 - set[i]);
        }

        return r;
    }

    /// <summary>1 where the whole (2r+1) square around a pixel is set (erosion), separably.</summary>
    private static byte[] MinFilter(byte[] set, int w, int h, int r)
    {
        var tmp = Planes.Rent<byte>(set.Length);
        var dst = Planes.Rent<byte>(set.Length);
        for (var y = 0; y < h; y++)
        {
            var run = 0;
            for (var x = 0; x < w; x++)
            {
                // Length of the run of set pixels ending here; the run ending r px to the right decides.
                run = set[(y * w) + x] == 1 ? run + 1 : 0;
                if (x >= r && run >= (2 * r) + 1)
                {
                    tmp[(y * w) + x - r] = 1;
                }
            }
        }

        for (var x = 0; x < w; x++)
        {
            var run = 0;
            for (var y = 0; y < h; y++)
            {
                run = tmp[(y * w) + x] == 1 ? run + 1 : 0;
                if (y >= r && run >= (2 * r) + 1)
                {
                    dst[((y - r) * w) + x] = 1;
                }
            }
        }

        Planes.Return(tmp);
        return dst;
    }

    /// <summary>Maximum over a (2r+1) square, separably.</summary>
    private static float[] MaxFilter(float[] src, int w, int h, int r)
    {
        var tmp = Planes.Rent<float>(src.Length, clear: false);
        var dst = Planes.Rent<float>(src.Length, clear: false);
        for (var y = 0; y < h; y++)
        {
            var o = y * w;
            for (var x = 0; x < w; x++)
            {
                var m = 0f;
                for (var xx = Math.Max(0, x - r); xx <= Math.Min(w - 1, x + r); xx++)
                {
                    m = Math.Max(m, src[o + xx]);
                }

                tmp[o + x] = m;
            }
        }

        for (var y = 0; y < h; y++)
        {
            for (var x = 0; x < w; x++)
            {
                var m = 0f;
                for (var yy = Math.Max(0, y - r); yy <= Math.Min(h - 1, y + r); yy++)
                {
                    m = Math.Max(m, tmp[(yy * w) + x]);
                }

                dst[(y * w) + x] = m;
            }
        }

        Planes.Return(tmp);
        return dst;
    }

    private static float[] Blur(float[] src, int w, int h)
    {
        var tmp = Planes.Rent<float>(src.Length, clear: false);
        var dst = Planes.Rent<float>(src.Length, clear: false);
        for (var y = 0; y < h; y++)
        {
            var o = y * w;
            for (var x = 0; x < w; x++)
            {
                var left = src[o + Math.Max(x - 1, 0)];
                var right = src[o + Math.Min(x + 1, w - 1)];
                tmp[o + x] = (left + (2 * src[o + x]) + right) * 0.25f;
            }
        }

        for (var y = 0; y < h; y++)
        {
            var up = Math.Max(y - 1, 0) * w;
            var o = y * w;
            var down = Math.Min(y + 1, h - 1) * w;
            for (var x = 0; x < w; x++)
            {
                dst[o + x] = (tmp[up + x] + (2 * tmp[o + x]) + tmp[down + x]) * 0.25f;
            }
        }

        Planes.Return(tmp);
        return dst;
    }

    /// <summary>
    /// Crisp colour step across each pixel: the mean of a 3x2 block on one side against the other side, two
    /// pixels apart, in the stronger direction. Wider than a central difference so a faint but crisp outline
    /// (white on white) stands out of the noise. The same step measured eleven pixels apart tells a crisp
    /// edge (the step is already complete at two pixels) from a soft shadow's penumbra (the step keeps
    /// growing with distance); penumbrae score zero however steep they are.
    /// </summary>
    private static float[] EdgeStrength(float[] l, float[] a, float[] b, int w, int h)
    {
        var n = w * h;
        var sx = Planes.Rent<float>(n);
        var sy = Planes.Rent<float>(n);
        var lx = Planes.Rent<float>(n);
        var ly = Planes.Rent<float>(n);
        var v = Planes.Rent<float>(n, clear: false);
        var hs = Planes.Rent<float>(n, clear: false);
        Accumulate(l);
        Accumulate(a);
        Accumulate(b);
        var g = v;
        for (var i = 0; i < n; i++)
        {
            var (small, large) = sx[i] >= sy[i] ? (sx[i], lx[i]) : (sy[i], ly[i]);
            // Squared steps: small/large >= 0.6 (crisp) keeps all of it, <= 0.35 (a ramp) none.
            var ratio = large > 0 ? MathF.Sqrt(small / large) : 1f;
            var crisp = Math.Clamp((ratio - 0.35f) / 0.25f, 0f, 1f);
            g[i] = MathF.Sqrt(small) / 6f * crisp;
        }

        Planes.Return(sx, sy, lx, ly, hs);
        return g;

        void Accumulate(float[] c)
        {
            for (var y = 0; y < h; y++)
            {
                var up = Math.Max(y - 1, 0) * w;
                var o = y * w;
                var down = Math.Min(y + 1, h - 1) * w;
                for (var x = 0; x < w; x++)
                {
                    v[o + x] = c[up + x] + c[o + x] + c[down + x];
                    hs[o + x] = c[o + Math.Max(x - 1, 0)] + c[o + x] + c[o + Math.Min(x + 1, w - 1)];
                }
            }

            // Clamped at the frame's first and last six columns, direct in between (most of the frame).
            var lo = Math.Min(6, w);
            var hi = Math.Max(lo, w - 6);
            for (var y = 0; y < h; y++)
            {
                var o = y * w;
                var u1 = Math.Max(y - 1, 0) * w;
                var u2 = Math.Max(y - 2, 0) * w;
                var d1 = Math.Min(y + 1, h - 1) * w;
                var d2 = Math.Min(y + 2, h - 1) * w;
                var u5 = Math.Max(y - 5, 0) * w;
                var u6 = Math.Max(y - 6, 0) * w;
                var d5 = Math.Min(y + 5, h - 1) * w;
                var d6 = Math.Min(y + 6, h - 1) * w;
                for (var x = 0; x < w; x++)
                {
                    if (x == lo)
                    {
                        x = hi;
                        if (x >= w)
                        {
                            break;
                        }
                    }

                    var gx = v[o + Math.Min(x + 1, w - 1)] + v[o + Math.Min(x + 2, w - 1)] - v[o + Math.Max(x - 1, 0)] - v[o + Math.Max(x - 2, 0)];
                    var gy = hs[d1 + x] + hs[d2 + x] - hs[u1 + x] - hs[u2 + x];
                    var gx5 = v[o + Math.Min(x + 5, w - 1)] + v[o + Math.Min(x + 6, w - 1)] - v[o + Math.Max(x - 5, 0)] - v[o + Math.Max(x - 6, 0)];
                    var gy5 = hs[d5 + x] + hs[d6 + x] - hs[u5 + x] - hs[u6 + x];
                    sx[o + x] += gx * gx;
                    sy[o + x] += gy * gy;
                    lx[o + x] += gx5 * gx5;
                    ly[o + x] += gy5 * gy5;
                }

                for (var x = lo; x < hi; x++)
                {
                    var p = o + x;
                    var gx = v[p + 1] + v[p + 2] - v[p - 1] - v[p - 2];
                    var gy = hs[d1 + x] + hs[d2 + x] - hs[u1 + x] - hs[u2 + x];
                    var gx5 = v[p + 5] + v[p + 6] - v[p - 5] - v[p - 6];
                    var gy5 = hs[d5 + x] + hs[d6 + x] - hs[u5 + x] - hs[u6 + x];
                    sx[p] += gx * gx;
                    sy[p] += gy * gy;
                    lx[p] += gx5 * gx5;
                    ly[p] += gy5 * gy5;
                }
            }
        }
    }

    private static float BorderMedian(float[] values, int w, int h)
    {
        var band = Math.Max(3, Math.Min(w, h) / 100);
        var samples = new List<float>();
        var step = Math.Max(1, (w + h) / 1500);
        for (var d = 1; d < band; d++)
        {
            for (var x = 0; x < w; x += step)
            {
                samples.Add(values[(d * w) + x]);
                samples.Add(values[((h - 1 - d) * w) + x]);
            }

            for (var y = band; y < h - band; y += step)
            {
                samples.Add(values[(y * w) + d]);
                samples.Add(values[(y * w) + w - 1 - d]);
            }
        }

        samples.Sort();
        // The 40th percentile: the product may touch part of the border, and the noise floor is what matters.
        return samples.Count == 0 ? 1f : samples[(int)(samples.Count * 0.4)];
    }

    /// <summary>
    /// Everything reachable from the frame border through passable pixels. The flood moves only through pixels
    /// whose 3x3 neighbourhood is passable, so a one- or two-pixel gap in a faint outline does not let it leak
    /// into a product; one dilation afterwards gives back the margin this erosion took.
    /// </summary>
    private static byte[] FloodFromBorder(byte[] passable, int w, int h)
    {
        var n = w * h;
        var core = Planes.Rent<byte>(n, clear: false);
        for (var y = 0; y < h; y++)
        {
            for (var x = 0; x < w; x++)
            {
                var ok = true;
                for (var dy = -1; dy <= 1 && ok; dy++)
                {
                    var yy = y + dy;
                    if (yy < 0 || yy >= h)
                    {
                        continue;
                    }

                    for (var dx = -1; dx <= 1; dx++)
                    {
                        var xx = x + dx;
                        if (xx >= 0 && xx < w && passable[(yy * w) + xx] == 0)
                        {
                            ok = false;
                            break;
                        }
                    }
                }

                core[(y * w) + x] = (byte)(ok ? 1 : 0);
            }
        }

        var reached = Planes.Rent<byte>(n);
        var stack = Planes.Rent<int>(n, clear: false);
        var top = 0;
        for (var x = 0; x < w; x++)
        {
            Seed(x);
            Seed(((h - 1) * w) + x);
        }

        for (var y = 1; y < h - 1; y++)
        {
            Seed(y * w);
            Seed((y * w) + w - 1);
        }

        while (top > 0)
        {
            var i = stack[--top];
            var x = i % w;
            if (x > 0)
            {
                Seed(i - 1);
            }

            if (x < w - 1)
            {
                Seed(i + 1);
            }

            if (i >= w)
            {
                Seed(i - w);
            }

            if (i < n - w)
            {
                Seed(i + w);
            }
        }

        Planes.Return(stack);
        Planes.Return(core);
        var grown = Planes.Rent<byte>(n, clear: false);
        reached.AsSpan().CopyTo(grown);
        for (var y = 0; y < h; y++)
        {
            for (var x = 0; x < w; x++)
            {
                var i = (y * w) + x;
                if (reached[i] == 1 || passable[i] == 0)
                {
                    continue;
                }

                if ((x > 0 && reached[i - 1] == 1) || (x < w - 1 && reached[i + 1] == 1)
                    || (y > 0 && reached[i - w] == 1) || (y < h - 1 && reached[i + w] == 1))
                {
                    grown[i] = 1;
                }
            }
        }

        Planes.Return(reached);
        return grown;

        void Seed(int i)
        {
            if (core[i] == 1 && reached[i] == 0)
            {
                reached[i] = 1;
                stack[top++] = i;
            }
        }
    }

    /// <summary>Keeps the largest component and any other at least an eighth its size (a pair of earrings); returns kept and discarded areas.</summary>
    private static (int Kept, int Discarded) KeepMain(byte[] mask, int w, int h, int[] labels)
    {
        var sizes = Components.Label(mask, w, h, eight: true, labels);
        var largest = 0;
        for (var c = 1; c < sizes.Count; c++)
        {
            largest = Math.Max(largest, sizes[c]);
        }

        var minimum = Math.Max(largest / 8, Math.Max(4, w * h / 5000));
        var keep = new bool[sizes.Count];
        var kept = 0;
        var discarded = 0;
        for (var c = 1; c < sizes.Count; c++)
        {
            keep[c] = sizes[c] >= minimum;
            if (keep[c])
            {
                kept += sizes[c];
            }
            else
            {
                discarded += sizes[c];
            }
        }

        for (var i = 0; i < mask.Length; i++)
        {
            if (mask[i] == 1 && !keep[labels[i]])
            {
                mask[i] = 0;
                labels[i] = 0;
            }
        }

        return (kept, discarded);
    }

    /// <summary>Backdrop specks enclosed by the product and too small to be a real hole are product (noise, texture).</summary>
    private static void FillPinholes(byte[] mask, int w, int h, int[] labels, int minHole)
    {
        var background = Planes.Rent<byte>(mask.Length, clear: false);
        for (var i = 0; i < mask.Length; i++)
        {
            background[i] = (byte)(1 - mask[i]);
        }

        var sizes = Components.Label(background, w, h, eight: false, labels);
        var touches = new bool[sizes.Count];
        for (var x = 0; x < w; x++)
        {
            touches[labels[x]] = true;
            touches[labels[((h - 1) * w) + x]] = true;
        }

        for (var y = 0; y < h; y++)
        {
            touches[labels[y * w]] = true;
            touches[labels[(y * w) + w - 1]] = true;
        }

        for (var i = 0; i < mask.Length; i++)
        {
            var c = labels[i];
            if (c != 0 && !touches[c] && sizes[c] < minHole)
            {
                mask[i] = 1;
            }
        }

        Planes.Return(background);
    }

    /// <summary>
    /// A glossy floor mirrors the product below its contact line, faded: each reflected pixel's difference to
    /// the backdrop is a fraction r (under ~0.6, the same along a row) of its mirror image's difference. The
    /// contact line is searched per product component; rows below it are removed where they fit the mirror
    /// model. A real product part below (a shoe's white sole under a dark upper) does not fit: its colour is
    /// not a fixed fraction of the part above.
    /// </summary>
    private static void RemoveReflections(byte[] mask, int[] labels, int w, int h, float[] dl, float[] da, float[] db, float threshold)
    {
        var sizes = Components.Label(mask, w, h, eight: true, labels);
        for (var c = 1; c < sizes.Count; c++)
        {
            int left = w, right = -1, top = h, bottom = -1;
            for (var y = 0; y < h; y++)
            {
                for (var x = 0; x < w; x++)
                {
                    if (labels[(y * w) + x] == c)
                    {
                        left = Math.Min(left, x);
                        right = Math.Max(right, x);
                        top = Math.Min(top, y);
                        bottom = Math.Max(bottom, y);
                    }
                }
            }

            var height = bottom - top + 1;
            if (height < 16 || bottom >= h - 1)
            {
                continue;
            }

            var xStep = Math.Max(1, (right - left + 1) / 120);
            var yStep = Math.Max(1, height / 200);
            var bestScore = 0.0;
            var bestY0 = -1;
            for (var y0 = bottom - 3; y0 >= top + (int)(height * 0.4); y0 -= yStep)
            {
                var rowStep = Math.Max(1, (bottom - y0) / 48);
                var (good, bad) = MirrorFit(y0, rowStep, xStep, remove: false);
                var score = good - (2.0 * bad);
                if (good >= 24 && good >= 0.75 * (good + bad) && score > bestScore)
                {
                    bestScore = score;
                    bestY0 = y0;
                }
            }

            if (bestY0 >= 0)
            {
                MirrorFit(bestY0, 1, 1, remove: true);
            }

            (int Good, int Bad) MirrorFit(int y0, int rowStep, int colStep, bool remove)
            {
                var good = 0;
                var bad = 0;
                for (var y = y0 + 1; y <= bottom; y += rowStep)
                {
                    var ym = (2 * y0) + 1 - y;
                    double vu = 0, uu = 0;
                    for (var x = left; x <= right; x += colStep)
                    {
                        var p = (y * w) + x;
                        if (labels[p] != c || ym < top)
                        {
                            continue;
                        }

                        var q = (ym * w) + x;
                        if (labels[q] == c)
                        {
                            vu += (dl[p] * dl[q]) + (da[p] * da[q]) + (db[p] * db[q]);
                            uu += (dl[q] * dl[q]) + (da[q] * da[q]) + (db[q] * db[q]);
                        }
                    }

                    var r = uu > 0 ? (float)(vu / uu) : 0f;
                    var rowFits = r is >= 0.03f and <= 0.6f;
                    for (var x = left; x <= right; x += colStep)
                    {
                        var p = (y * w) + x;
                        if (labels[p] != c)
                        {
                            continue;
                        }

                        var fits = false;
                        if (ym >= top && rowFits)
                        {
                            // A real floor is not a perfect mirror (perspective, a contact line a pixel off): when
                            // removing, the best match within a pixel or two of the mirror point counts.
                            var v2 = (dl[p] * dl[p]) + (da[p] * da[p]) + (db[p] * db[p]);
                            var tol = Math.Max(threshold, 0.35f * MathF.Sqrt(v2));
                            var slack = remove ? 2 : 0;
                            for (var sy = Math.Max(top, ym - slack); sy <= Math.Min(y0, ym + slack) && !fits; sy++)
                            {
                                for (var sx = Math.Max(left, x - (slack / 2)); sx <= Math.Min(right, x + (slack / 2)) && !fits; sx++)
                                {
                                    var q = (sy * w) + sx;
                                    if (labels[q] != c)
                                    {
                                        continue;
                                    }

                                    var el = dl[p] - (r * dl[q]);
                                    var ea = da[p] - (r * da[q]);
                                    var eb = db[p] - (r * db[q]);
                                    fits = (el * el) + (ea * ea) + (eb * eb) <= tol * tol;
                                }
                            }
                        }
                        else if (ym < top)
                        {
                            // Below the mirrored height of the whole product: only faint remnants belong here.
                            var v2 = (dl[p] * dl[p]) + (da[p] * da[p]) + (db[p] * db[p]);
                            fits = v2 < 4 * threshold * threshold;
                        }

                        if (fits)
                        {
                            good++;
                            if (remove)
                            {
                                mask[p] = 0;
                            }
                        }
                        else
                        {
                            bad++;
                        }
                    }
                }

                return (good, bad);
            }
        }
    }

    private static float BorderShare(byte[] mask, int w, int h)
    {
        var touched = 0;
        for (var x = 0; x < w; x++)
        {
            touched += mask[x] + mask[((h - 1) * w) + x];
        }

        for (var y = 1; y < h - 1; y++)
        {
            touched += mask[y * w] + mask[(y * w) + w - 1];
        }

        return touched / (float)((2 * w) + (2 * (h - 2)));
    }

    private static float OutlineContrast(byte[] mask, float[] edge, int w, int h)
    {
        var values = new List<float>();
        for (var y = 1; y < h - 1; y++)
        {
            for (var x = 1; x < w - 1; x++)
            {
                var i = (y * w) + x;
                if (mask[i] == 1 && (mask[i - 1] == 0 || mask[i + 1] == 0 || mask[i - w] == 0 || mask[i + w] == 0))
                {
                    values.Add(edge[i]);
                }
            }
        }

        if (values.Count == 0)
        {
            return 0f;
        }

        values.Sort();
        return values[values.Count / 2];
    }

    private static float OutlineAmbiguity(byte[] mask, float[] de, int w, int h, float threshold)
    {
        // Pixels 2-3 px outside and inside the outline: a clean photo has them far from the threshold.
        var ambiguous = 0;
        var total = 0;
        for (var y = 3; y < h - 3; y++)
        {
            for (var x = 3; x < w - 3; x++)
            {
                var i = (y * w) + x;
                if (mask[i] == 1 && (mask[i - 1] == 0 || mask[i + 1] == 0 || mask[i - w] == 0 || mask[i + w] == 0))
                {
                    foreach (var j in (ReadOnlySpan<int>)[i - 3, i + 3, i - (3 * w), i + (3 * w)])
                    {
                        total++;
                        if (de[j] > 0.5f * threshold && de[j] < 2f * threshold)
                        {
                            ambiguous++;
                        }
                    }
                }
            }
        }

        return total == 0 ? 1f : ambiguous / (float)total;
    }
}
