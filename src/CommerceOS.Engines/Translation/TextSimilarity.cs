namespace CommerceOS.Engines.Translation;

/// <summary>Normalised edit similarity: 1 - Levenshtein distance / length of the longer text.</summary>
public static class TextSimilarity
{
    /// <summary>
    /// The similarity of <paramref name="a"/> and <paramref name="b"/>, or 0 when it is certainly below
    /// <paramref name="minimum"/>: the distance is only computed in the diagonal band that can still
    /// reach the minimum, so comparing against hundreds of memory entries stays cheap.
    /// </summary>
    public static double Compute(string a, string b, double minimum = 0)
    {
        var longer = Math.Max(a.Length, b.Length);
        if (longer == 0)
        {
            return 1;
        }

        var maxDistance = (int)Math.Floor((1 - minimum) * longer);
        var distance = BoundedLevenshtein(a, b, maxDistance);
        return distance > maxDistance ? 0 : 1 - ((double)distance / longer);
    }

    /// <summary>The edit distance, or <paramref name="bound"/> + 1 as soon as it must exceed the bound.</summary>
    public static int BoundedLevenshtein(string a, string b, int bound)
    {
        if (Math.Abs(a.Length - b.Length) > bound)
        {
            return bound + 1;
        }

        var over = bound + 1;
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j <= bound ? j : over;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            var from = Math.Max(1, i - bound);
            var to = Math.Min(b.Length, i + bound);
            current[0] = i <= bound ? i : over;
            if (from > 1)
            {
                current[from - 1] = over;
            }

            var rowMinimum = current[0];
            for (var j = from; j <= to; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                var value = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + cost);
                current[j] = Math.Min(value, over);
                rowMinimum = Math.Min(rowMinimum, current[j]);
            }

            if (to < b.Length)
            {
                current[to + 1] = over;
            }

            if (rowMinimum > bound)
            {
                return over;
            }

            (previous, current) = (current, previous);
        }

        return Math.Min(previous[b.Length], over);
    }
}
