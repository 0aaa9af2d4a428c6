namespace CommerceOS.Engines.Imaging.Cutout;

/// <summary>
/// The backdrop as a smooth surface per L*a*b* channel (quadratic in x and y: plain colours, linear
/// gradients and the vignette of a studio light all fit it), fitted robustly to samples so a product
/// that touches the frame edge, or a shadow reaching it, is trimmed away as outliers instead of bending
/// the surface.
/// </summary>
internal sealed class BackgroundModel
{
    private const int Terms = 6;
    private readonly double[][] _coef;
    private readonly int _width;
    private readonly int _height;

    private BackgroundModel(double[][] coef, int width, int height, float noise, float inlierShare)
    {
        _coef = coef;
        _width = width;
        _height = height;
        Noise = noise;
        InlierShare = inlierShare;
    }

    /// <summary>Median delta-E of the inlier samples to the surface: the photo's noise on the backdrop.</summary>
    public float Noise { get; }

    /// <summary>Share of samples the surface explains: low when the border is busy (clutter, texture).</summary>
    public float InlierShare { get; }

    /// <summary>Fits to the samples (x, y in pixels; L, a, b), trimming samples further than a few noise levels.</summary>
    public static BackgroundModel Fit(ReadOnlySpan<int> xs, ReadOnlySpan<int> ys, ReadOnlySpan<float> l, ReadOnlySpan<float> a, ReadOnlySpan<float> b, int width, int height)
    {
        var n = xs.Length;
        var weights = new float[n];
        Array.Fill(weights, 1f);
        var residual = new float[n];
        var sorted = new float[n];
        double[][] coef = [new double[Terms], new double[Terms], new double[Terms]];
        var noise = 1f;
        var inliers = n;
        var basis = new double[Terms];
        for (var iteration = 0; iteration < 5; iteration++)
        {
            // A constant first, then the full surface: a quadratic fitted to a border mixed with a large
            // product can swing wildly, while a robust constant is a safe start for the trimming.
            var terms = iteration == 0 ? 1 : Terms;
            SolveWeighted(xs, ys, l, a, b, weights, width, height, terms, coef);
            for (var i = 0; i < n; i++)
            {
                Basis(xs[i], ys[i], width, height, basis);
                var dl = l[i] - Dot(coef[0], basis);
                var da = a[i] - Dot(coef[1], basis);
                var db = b[i] - Dot(coef[2], basis);
                residual[i] = MathF.Sqrt((float)((dl * dl) + (da * da) + (db * db)));
            }

            residual.AsSpan(0, n).CopyTo(sorted);
            Array.Sort(sorted, 0, n);
            // The median of all samples over-estimates the noise when much of the border is product, so the
            // scale is taken at the 30th percentile (still inside the backdrop for up to ~60% contamination).
            var scale = Math.Max(sorted[(int)(n * 0.3)] * 1.6f, 0.4f);
            var cut = Math.Max(scale * 3.2f, 1.5f);
            inliers = 0;
            for (var i = 0; i < n; i++)
            {
                weights[i] = residual[i] <= cut ? 1f : 0f;
                inliers += residual[i] <= cut ? 1 : 0;
            }

            if (inliers < Terms * 4)
            {
                Array.Fill(weights, 1f);
                inliers = n;
            }
        }

        var inlierResiduals = new List<float>(inliers);
        for (var i = 0; i < n; i++)
        {
            if (weights[i] > 0)
            {
                inlierResiduals.Add(residual[i]);
            }
        }

        inlierResiduals.Sort();
        noise = inlierResiduals.Count > 0 ? Math.Max(inlierResiduals[inlierResiduals.Count / 2], 0.3f) : 1f;
        return new BackgroundModel(coef, width, height, noise, n == 0 ? 0f : inliers / (float)n);
    }

    /// <summary>The surface along row <paramref name="y"/>.</summary>
    public void EvaluateRow(int y, Span<float> l, Span<float> a, Span<float> b)
    {
        var yn = Norm(y, _height);
        EvaluateChannel(_coef[0], yn, l);
        EvaluateChannel(_coef[1], yn, a);
        EvaluateChannel(_coef[2], yn, b);
    }

    private void EvaluateChannel(double[] c, double yn, Span<float> row)
    {
        var c0 = c[0] + (c[2] * yn) + (c[5] * yn * yn);
        var c1 = c[1] + (c[4] * yn);
        var c2 = c[3];
        for (var x = 0; x < row.Length; x++)
        {
            var xn = Norm(x, _width);
            row[x] = (float)(c0 + (xn * (c1 + (c2 * xn))));
        }
    }

    private static double Norm(int v, int size) => size <= 1 ? 0 : (2.0 * v / (size - 1)) - 1.0;

    private static void Basis(int x, int y, int width, int height, double[] basis)
    {
        var xn = Norm(x, width);
        var yn = Norm(y, height);
        basis[0] = 1;
        basis[1] = xn;
        basis[2] = yn;
        basis[3] = xn * xn;
        basis[4] = xn * yn;
        basis[5] = yn * yn;
    }

    private static double Dot(double[] c, double[] basis)
    {
        var s = 0.0;
        for (var i = 0; i < Terms; i++)
        {
            s += c[i] * basis[i];
        }

        return s;
    }

    /// <summary>Weighted least squares for the three channels at once: they share the samples, so one normal matrix.</summary>
    private static void SolveWeighted(ReadOnlySpan<int> xs, ReadOnlySpan<int> ys, ReadOnlySpan<float> l, ReadOnlySpan<float> a, ReadOnlySpan<float> b, float[] weights, int width, int height, int terms, double[][] result)
    {
        var m = new double[terms, terms + 3];
        var basis = new double[Terms];
        for (var i = 0; i < xs.Length; i++)
        {
            if (weights[i] <= 0)
            {
                continue;
            }

            Basis(xs[i], ys[i], width, height, basis);
            for (var r = 0; r < terms; r++)
            {
                var br = basis[r];
                for (var c = r; c < terms; c++)
                {
                    m[r, c] += br * basis[c];
                }

                m[r, terms] += br * l[i];
                m[r, terms + 1] += br * a[i];
                m[r, terms + 2] += br * b[i];
            }
        }

        for (var r = 1; r < terms; r++)
        {
            for (var c = 0; c < r; c++)
            {
                m[r, c] = m[c, r];
            }
        }

        // A tiny ridge keeps the system solvable when the samples cover only part of the frame.
        for (var r = 0; r < terms; r++)
        {
            m[r, r] += 1e-6 * (1 + m[0, 0]);
        }

        foreach (var channel in result)
        {
            Array.Clear(channel);
        }

        if (!GaussJordan(m, terms, 3))
        {
            return;
        }

        for (var channel = 0; channel < 3; channel++)
        {
            for (var r = 0; r < terms; r++)
            {
                result[channel][r] = m[r, terms + channel];
            }
        }
    }

    private static bool GaussJordan(double[,] m, int n, int rightHandSides)
    {
        for (var col = 0; col < n; col++)
        {
            var pivot = col;
            for (var r = col + 1; r < n; r++)
            {
                if (Math.Abs(m[r, col]) > Math.Abs(m[pivot, col]))
                {
                    pivot = r;
                }
            }

            if (Math.Abs(m[pivot, col]) < 1e-12)
            {
                return false;
            }

            if (pivot != col)
            {
                for (var c = 0; c < n + rightHandSides; c++)
                {
                    (m[col, c], m[pivot, c]) = (m[pivot, c], m[col, c]);
                }
            }

            var inv = 1.0 / m[col, col];
            for (var c = col; c < n + rightHandSides; c++)
            {
                m[col, c] *= inv;
            }

            for (var r = 0; r < n; r++)
            {
                if (r == col || m[r, col] == 0)
                {
                    continue;
                }

                var f = m[r, col];
                for (var c = col; c < n + rightHandSides; c++)
                {
                    m[r, c] -= f * m[col, c];
                }
            }
        }

        return true;
    }
}
