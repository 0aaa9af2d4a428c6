namespace CommerceOS.Engines.Imaging.Cutout;

/// <summary>
/// The soft edge, at the working resolution: only in a narrow band around the (coarse) outline, each
/// pixel's alpha comes from the colour line between a local backdrop colour and the best-fitting nearby
/// product colour (sampling-based matting: the product sample that explains the pixel as a mix with the
/// least residual wins), so a product with several colours along its edge still gets the right mix. The
/// same fit gives the product's own colour for the pixel (background spill removed).
/// </summary>
internal sealed class EdgeMatting
{
    private readonly byte[] _rgb;
    private readonly int _w;
    private readonly int _h;
    private readonly Segmentation _seg;
    private readonly int _k;

    public EdgeMatting(byte[] rgb, int w, int h, Segmentation seg, int k)
    {
        _rgb = rgb;
        _w = w;
        _h = h;
        _seg = seg;
        _k = k;
        Alpha = Planes.Rent<byte>(w * h, clear: false);
    }

    /// <summary>Alpha over the whole working frame.</summary>
    public byte[] Alpha { get; }

    /// <summary>Decontaminated colours of the partly transparent pixels: frame index and packed 0xRRGGBB.</summary>
    public List<(int Index, int Rgb)> Colours { get; } = [];

    public void Run()
    {
        var cw = _seg.Width;
        var ch = _seg.Height;
        var mask = _seg.Mask;

        // Coarse outline cells, widened so the band covers the coarse grid's uncertainty plus the optical blur.
        var reach = _k >= 2 ? 1 : 2;
        var band = Planes.Rent<byte>(cw * ch);
        for (var y = 0; y < ch; y++)
        {
            for (var x = 0; x < cw; x++)
            {
                var i = (y * cw) + x;
                var m = mask[i];
                if ((x > 0 && mask[i - 1] != m) || (x < cw - 1 && mask[i + 1] != m) || (y > 0 && mask[i - cw] != m) || (y < ch - 1 && mask[i + cw] != m))
                {
                    for (var dy = -reach; dy <= reach; dy++)
                    {
                        var yy = y + dy;
                        if (yy < 0 || yy >= ch)
                        {
                            continue;
                        }

                        for (var dx = -reach; dx <= reach; dx++)
                        {
                            var xx = x + dx;
                            if (xx >= 0 && xx < cw)
                            {
                                band[(yy * cw) + xx] = 1;
                            }
                        }
                    }
                }
            }
        }

        var radius = (reach * _k) + 2;
        var step = _k >= 2 ? 2 : 1;
        var minContrast = Math.Max(8f, 2.5f * _seg.Noise);
        for (var y = 0; y < _h; y++)
        {
            var cy = Math.Min(y / _k, ch - 1);
            for (var x = 0; x < _w; x++)
            {
                var cx = Math.Min(x / _k, cw - 1);
                var ci = (cy * cw) + cx;
                var i = (y * _w) + x;
                if (band[ci] == 0)
                {
                    Alpha[i] = (byte)(mask[ci] * 255);
                    continue;
                }

                Matte(x, y, i, radius, step, band, minContrast);
            }
        }

        Planes.Return(band);
    }

    private byte LabelAt(int x, int y) => _seg.Mask[(Math.Min(y / _k, _seg.Height - 1) * _seg.Width) + Math.Min(x / _k, _seg.Width - 1)];

    private bool BandAt(byte[] band, int x, int y) => band[(Math.Min(y / _k, _seg.Height - 1) * _seg.Width) + Math.Min(x / _k, _seg.Width - 1)] != 0;

    private void Matte(int x, int y, int i, int radius, int step, byte[] band, float minContrast)
    {
        var rgb = _rgb;
        float ir = rgb[3 * i], ig = rgb[(3 * i) + 1], ib = rgb[(3 * i) + 2];

        // Local backdrop: mean of the confident backdrop pixels (outside the band) in the window, else of
        // any backdrop-labelled ones. Local rather than the model, so a shadow next to the edge is the
        // backdrop the edge pixels actually mix with.
        double br = 0, bg = 0, bb = 0;
        var bn = 0;
        double br2 = 0, bg2 = 0, bb2 = 0;
        var bn2 = 0;
        int y0 = Math.Max(0, y - radius), y1 = Math.Min(_h - 1, y + radius);
        int x0 = Math.Max(0, x - radius), x1 = Math.Min(_w - 1, x + radius);
        for (var yy = y0; yy <= y1; yy += step)
        {
            for (var xx = x0; xx <= x1; xx += step)
            {
                if (LabelAt(xx, yy) != 0)
                {
                    continue;
                }

                var j = 3 * ((yy * _w) + xx);
                if (!BandAt(band, xx, yy))
                {
                    br += rgb[j];
                    bg += rgb[j + 1];
                    bb += rgb[j + 2];
                    bn++;
                }
                else
                {
                    br2 += rgb[j];
                    bg2 += rgb[j + 1];
                    bb2 += rgb[j + 2];
                    bn2++;
                }
            }
        }

        var coarse = Bilinear(x, y);
        if (bn == 0 && bn2 == 0)
        {
            Alpha[i] = (byte)MathF.Round(255f * coarse);
            return;
        }

        float backR, backG, backB;
        if (bn > 0)
        {
            backR = (float)(br / bn);
            backG = (float)(bg / bn);
            backB = (float)(bb / bn);
        }
        else
        {
            backR = (float)(br2 / bn2);
            backG = (float)(bg2 / bn2);
            backB = (float)(bb2 / bn2);
        }

        // The product sample that best explains this pixel as a mix with the backdrop. Samples come from the
        // confident product (outside the band); a thin part (a cable, a stem) has none, so then its purest
        // pixels (the most different from the backdrop) stand in. A mixed edge pixel must never explain itself.
        var bestCost = float.MaxValue;
        float bestAlpha = 0, fr = 0, fg = 0, fb = 0, bestContrast = 0;
        var minContrast2 = minContrast * minContrast;
        var confident = false;
        var purest = 0f;
        for (var yy = y0; yy <= y1; yy += step)
        {
            for (var xx = x0; xx <= x1; xx += step)
            {
                if (LabelAt(xx, yy) == 0)
                {
                    continue;
                }

                var j = 3 * ((yy * _w) + xx);
                float dr = rgb[j] - backR, dg = rgb[j + 1] - backG, db = rgb[j + 2] - backB;
                var dd = (dr * dr) + (dg * dg) + (db * db);
                confident |= !BandAt(band, xx, yy) && dd >= minContrast2;
                purest = Math.Max(purest, dd);
            }
        }

        for (var yy = y0; yy <= y1; yy += step)
        {
            for (var xx = x0; xx <= x1; xx += step)
            {
                if (LabelAt(xx, yy) == 0 || (confident && BandAt(band, xx, yy)))
                {
                    continue;
                }

                var j = 3 * ((yy * _w) + xx);
                float dr = rgb[j] - backR, dg = rgb[j + 1] - backG, db = rgb[j + 2] - backB;
                var dd = (dr * dr) + (dg * dg) + (db * db);
                if (dd < minContrast2 || (!confident && dd < 0.7f * purest))
                {
                    continue;
                }

                float er = ir - backR, eg = ig - backG, eb = ib - backB;
                var alpha = Math.Clamp(((er * dr) + (eg * dg) + (eb * db)) / dd, 0f, 1f);
                float rr = er - (alpha * dr), rg = eg - (alpha * dg), rb = eb - (alpha * db);
                var cost = ((rr * rr) + (rg * rg) + (rb * rb)) / dd;
                if (cost < bestCost)
                {
                    bestCost = cost;
                    bestAlpha = alpha;
                    fr = rgb[j];
                    fg = rgb[j + 1];
                    fb = rgb[j + 2];
                    bestContrast = MathF.Sqrt(dd);
                }
            }
        }

        float a;
        if (bestCost == float.MaxValue)
        {
            // Too little contrast for a colour mix to mean anything (white on white): the coarse outline, smoothed.
            a = coarse;
            fr = ir;
            fg = ig;
            fb = ib;
        }
        else
        {
            var weight = Math.Clamp((bestContrast - minContrast) / minContrast, 0f, 1f);
            a = (weight * bestAlpha) + ((1 - weight) * coarse);
        }

        // Noise on the backdrop and inside the product should not leave a veil or pinholes.
        a = a < 0.06f ? 0f : a > 0.94f ? 1f : a;
        var alphaByte = (byte)MathF.Round(a * 255f);
        Alpha[i] = alphaByte;
        if (alphaByte is > 0 and < 255)
        {
            // Product colour: solve the mix for the foreground, leaning on the chosen sample where alpha is
            // small and the solve would amplify noise.
            var inv = 1f / Math.Max(a, 0.05f);
            var sr = Math.Clamp(backR + ((ir - backR) * inv), 0f, 255f);
            var sg = Math.Clamp(backG + ((ig - backG) * inv), 0f, 255f);
            var sb = Math.Clamp(backB + ((ib - backB) * inv), 0f, 255f);
            var r = (byte)MathF.Round((a * sr) + ((1 - a) * fr));
            var g = (byte)MathF.Round((a * sg) + ((1 - a) * fg));
            var b = (byte)MathF.Round((a * sb) + ((1 - a) * fb));
            Colours.Add((i, (r << 16) | (g << 8) | b));
        }
    }

    /// <summary>The coarse mask interpolated at a working-frame pixel (a ramp about one coarse pixel wide).</summary>
    private float Bilinear(int x, int y)
    {
        var cw = _seg.Width;
        var ch = _seg.Height;
        var fx = Math.Clamp(((x + 0.5f) / _k) - 0.5f, 0f, cw - 1);
        var fy = Math.Clamp(((y + 0.5f) / _k) - 0.5f, 0f, ch - 1);
        var x0 = (int)fx;
        var y0 = (int)fy;
        var x1 = Math.Min(x0 + 1, cw - 1);
        var y1 = Math.Min(y0 + 1, ch - 1);
        var tx = fx - x0;
        var ty = fy - y0;
        var m = _seg.Mask;
        if (_k == 1)
        {
            // At full resolution the coarse mask is the pixel grid itself: a 3x3 mean turns its step into a ramp.
            var sum = 0;
            var count = 0;
            for (var yy = Math.Max(0, y - 1); yy <= Math.Min(ch - 1, y + 1); yy++)
            {
                for (var xx = Math.Max(0, x - 1); xx <= Math.Min(cw - 1, x + 1); xx++)
                {
                    sum += m[(yy * cw) + xx];
                    count++;
                }
            }

            return sum / (float)count;
        }

        var top = (m[(y0 * cw) + x0] * (1 - tx)) + (m[(y0 * cw) + x1] * tx);
        var bottom = (m[(y1 * cw) + x0] * (1 - tx)) + (m[(y1 * cw) + x1] * tx);
        return (top * (1 - ty)) + (bottom * ty);
    }
}
