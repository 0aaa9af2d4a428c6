namespace CommerceOS.Engines.Imaging.Cutout;

internal static class Components
{
    /// <summary>Labels the connected components of the set pixels (1..n, 0 = not set); returns sizes by label (index 0 unused).</summary>
    public static List<int> Label(byte[] set, int w, int h, bool eight, int[] labels)
    {
        Array.Clear(labels);
        var sizes = new List<int> { 0 };
        var stack = new Stack<int>();
        for (var start = 0; start < set.Length; start++)
        {
            if (set[start] == 0 || labels[start] != 0)
            {
                continue;
            }

            var label = sizes.Count;
            var size = 0;
            labels[start] = label;
            stack.Push(start);
            while (stack.Count > 0)
            {
                var i = stack.Pop();
                size++;
                var x = i % w;
                var y = i / w;
                for (var dy = -1; dy <= 1; dy++)
                {
                    var yy = y + dy;
                    if (yy < 0 || yy >= h)
                    {
                        continue;
                    }

                    for (var dx = -1; dx <= 1; dx++)
                    {
                        if ((dx == 0 && dy == 0) || (!eight && dx != 0 && dy != 0))
                        {
                            continue;
                        }

                        var xx = x + dx;
                        if (xx < 0 || xx >= w)
                        {
                            continue;
                        }

                        var j = (yy * w) + xx;
                        if (set[j] != 0 && labels[j] == 0)
                        {
                            labels[j] = label;
                            stack.Push(j);
                        }
                    }
                }
            }

            sizes.Add(size);
        }

        return sizes;
    }
}
