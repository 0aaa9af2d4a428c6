using System.Globalization;
using System.Text.RegularExpressions;
using CommerceOS.Core.Catalog;

namespace CommerceOS.Core.Generation;

/// <summary>One measured column of a size chart: the seller's measure name and its unit (null when the values carry none).</summary>
public sealed record SizeChartColumn(string Measure, string? Unit)
{
    /// <summary>"Chest (cm)", or just the measure without a unit; callers that localise headers build their own.</summary>
    public string DefaultHeader => Unit is null ? Measure : $"{Measure} ({Unit})";
}

/// <param name="SizeOption">The name the sizes came under ("Size", "尺码"), so a caller can show it or localise it.</param>
/// <param name="Sizes">Row labels in chart order.</param>
/// <param name="Values">One row per size, one display string per column ("–" where the seller gave no value).</param>
public sealed record SizeChartTable(string SizeOption, IReadOnlyList<string> Sizes, IReadOnlyList<SizeChartColumn> Columns, IReadOnlyList<IReadOnlyList<string>> Values)
{
    /// <summary>The render request: first column the sizes under <paramref name="sizeHeader"/>, then one column per measure.</summary>
    /// <param name="header">Localised header of a measure column; defaults to <see cref="SizeChartColumn.DefaultHeader"/>.</param>
    public SizeChartRequest ToRequest(int width, int height, string title, string sizeHeader, string? note, string language, BrandStyle style, Func<SizeChartColumn, string>? header = null)
    {
        var columns = new List<string>(Columns.Count + 1) { sizeHeader };
        columns.AddRange(Columns.Select(c => header is null ? c.DefaultHeader : header(c)));
        var rows = Sizes.Select((size, i) => (IReadOnlyList<string>)[size, .. Values[i]]).ToList();
        return new SizeChartRequest(width, height, title, columns, rows, note, language, style);
    }
}

/// <summary>Either a table or an error code (with the measure it is about, when there is one).</summary>
public sealed record SizeChartOutcome(SizeChartTable? Table, string? Error, string? ErrorSubject)
{
    public bool IsSuccess => Table is not null;

    public static SizeChartOutcome Fail(string code, string? subject = null) => new(null, code, subject);
}

/// <summary>
/// Builds a size chart from a product's own data, so the chart states only facts the seller entered.
/// </summary>
/// <remarks>
/// The convention a seller follows in the product form:
/// <list type="number">
/// <item><b>Sizes</b> come from the variant option named <c>Size</c>, <c>尺码</c>, <c>尺寸</c> or <c>码数</c>
/// (any case). Without such variants, a List attribute with one of those names (<c>S|M|L|XL</c>) gives
/// them; failing that, the sizes named in measurement attributes (below) do.</item>
/// <item><b>Measurements</b>, either way, may be mixed on one product:
/// a Measurement (or Number) attribute per size named <c>&lt;Measure&gt; (&lt;Size&gt;)</c>, e.g.
/// <c>Chest (M)</c> = 96 cm, or a List attribute named <c>&lt;Measure&gt;</c> or <c>&lt;Measure&gt; (&lt;unit&gt;)</c>
/// with one value per size, in size order, separated by <c>|</c>, commas or <c>、</c>:
/// <c>Chest (cm)</c> = <c>88|92|96|100</c>. Values may be ranges (<c>88-92</c>). Full-width brackets work too.</item>
/// <item><b>Order</b>: letter sizes XXS…XS, S, M, L, XL, XXL, 3XL…; otherwise numeric sizes ascending
/// (<c>165/84A</c> sorts by 165); otherwise the order of first appearance.</item>
/// <item><b>Units</b>: one measure may mix units of one kind (cm and in, kg and lb); the values are converted to
/// the unit most of them use. Different kinds in one measure are refused.</item>
/// </list>
/// </remarks>
public static class SizeCharts
{
    /// <summary>No size option, size list or per-size measurement on the product.</summary>
    public const string NoSizes = "generation.size_chart.no_sizes";

    /// <summary>Sizes exist, but no measurement matches them.</summary>
    public const string NoMeasurements = "generation.size_chart.no_measurements";

    /// <summary>A numeric List attribute has a different number of values than there are sizes (subject: the measure).</summary>
    public const string ListLengthMismatch = "generation.size_chart.list_length";

    /// <summary>One measure uses units that cannot be converted into each other, e.g. cm and kg (subject: the measure).</summary>
    public const string MixedUnits = "generation.size_chart.mixed_units";

    /// <summary>The cell text where a size has no value for a measure.</summary>
    public const string Missing = "–";

    public static readonly IReadOnlyList<string> SizeOptionNames = ["Size", "尺码", "尺寸", "码数"];

    private static readonly char[] ListSeparators = ['|', ',', '，', '、', ';', '；'];

    private static readonly Regex Bracketed = new(@"^\s*(?<name>.+?)\s*[(（]\s*(?<inner>[^()（）]+?)\s*[)）]\s*$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    private static readonly Regex NumericCell = new(@"^\d+(?:\.\d+)?(?:\s*[-~–～]\s*\d+(?:\.\d+)?)?$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    private static readonly Regex LeadingNumber = new(@"^\d+(?:\.\d+)?", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    private static readonly Regex LetterSize = new(@"^(?:(?<n>[2-6])X(?<sl>[SL])|(?<x>X*)(?<sl>[SL])|(?<m>M))$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    public static SizeChartOutcome Build(Product product)
    {
        ArgumentNullException.ThrowIfNull(product);
        var (sizeOption, sizes) = FindSizes(product);
        if (sizes.Count == 0)
        {
            return SizeChartOutcome.Fail(NoSizes);
        }

        sizes = Order(sizes);
        var sizeIndex = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < sizes.Count; i++)
        {
            sizeIndex.TryAdd(sizes[i], i);
        }

        // Measure name -> one cell per size; insertion order is the column order.
        var measures = new List<MeasureCells>();
        string? mismatchedList = null;
        foreach (var attribute in product.Attributes)
        {
            if (attribute.Type is AttributeType.Measurement or AttributeType.Number
                && Bracketed.Match(attribute.Name) is { Success: true } perSize
                && sizeIndex.TryGetValue(perSize.Groups["inner"].Value, out var row)
                && TryNumber(attribute.Value, out var number))
            {
                var cells = Cells(measures, perSize.Groups["name"].Value, sizes.Count);
                cells.Values[row] = new Cell(attribute.Value.Trim(), number, NullIfEmpty(attribute.Unit));
            }
            else if (attribute.Type == AttributeType.List && !IsSizeName(attribute.Name))
            {
                var values = SplitList(attribute.Value);
                if (values.Count == 0 || !values.All(v => NumericCell.IsMatch(v)))
                {
                    continue;
                }

                var (name, unit) = Bracketed.Match(attribute.Name) is { Success: true } withUnit
                    ? (withUnit.Groups["name"].Value, (string?)withUnit.Groups["inner"].Value)
                    : (attribute.Name.Trim(), null);
                if (values.Count != sizes.Count)
                {
                    mismatchedList ??= name;
                    continue;
                }

                var cells = Cells(measures, name, sizes.Count);
                for (var i = 0; i < values.Count; i++)
                {
                    cells.Values[i] = new Cell(values[i], TryNumber(values[i], out var value) ? value : null, unit);
                }
            }
        }

        if (measures.Count == 0)
        {
            return mismatchedList is null ? SizeChartOutcome.Fail(NoMeasurements) : SizeChartOutcome.Fail(ListLengthMismatch, mismatchedList);
        }

        var columns = new List<SizeChartColumn>(measures.Count);
        var table = sizes.Select(_ => new string[measures.Count]).ToList();
        for (var c = 0; c < measures.Count; c++)
        {
            var measure = measures[c];
            if (!Units.TryUnify(measure.Values, out var unit, out var texts))
            {
                return SizeChartOutcome.Fail(MixedUnits, measure.Name);
            }

            columns.Add(new SizeChartColumn(measure.Name, unit));
            for (var r = 0; r < sizes.Count; r++)
            {
                table[r][c] = texts[r];
            }
        }

        return new SizeChartOutcome(new SizeChartTable(sizeOption, sizes, columns, [.. table]), null, null);
    }

    /// <summary>Chart order: letter sizes by their rank, else numeric sizes ascending, else as given.</summary>
    public static List<string> Order(IReadOnlyList<string> sizes)
    {
        ArgumentNullException.ThrowIfNull(sizes);
        if (sizes.All(s => LetterRank(s) is not null))
        {
            return [.. sizes.OrderBy(s => LetterRank(s)!.Value)];
        }

        if (sizes.All(s => LeadingNumber.IsMatch(s.Trim())))
        {
            return [.. sizes.OrderBy(s => double.Parse(LeadingNumber.Match(s.Trim()).Value, CultureInfo.InvariantCulture))];
        }

        return [.. sizes];
    }

    /// <summary>M=0, S=-1, XS=-2, XXS=2XS=-3 …, L=1, XL=2, XXL=2XL=3 …; null when not a letter size.</summary>
    private static int? LetterRank(string size)
    {
        var match = LetterSize.Match(size.Trim().ToUpperInvariant().Replace(" ", "", StringComparison.Ordinal));
        if (!match.Success)
        {
            return null;
        }

        if (match.Groups["m"].Success)
        {
            return 0;
        }

        var xs = match.Groups["n"].Success ? int.Parse(match.Groups["n"].Value, CultureInfo.InvariantCulture) : match.Groups["x"].Length;
        return match.Groups["sl"].Value == "S" ? -1 - xs : 1 + xs;
    }

    private static (string Option, List<string> Sizes) FindSizes(Product product)
    {
        foreach (var variant in product.Variants.OrderBy(v => v.Position))
        {
            foreach (var (name, _) in variant.Options)
            {
                if (IsSizeName(name))
                {
                    var values = product.Variants.OrderBy(v => v.Position)
                        .Select(v => v.Options.FirstOrDefault(o => IsSizeName(o.Key)).Value)
                        .Where(v => !string.IsNullOrWhiteSpace(v))
                        .Select(v => v!.Trim());
                    return (name.Trim(), Distinct(values));
                }
            }
        }

        if (product.Attributes.FirstOrDefault(a => a.Type == AttributeType.List && IsSizeName(a.Name)) is { } list)
        {
            return (list.Name.Trim(), Distinct(SplitList(list.Value)));
        }

        var named = product.Attributes
            .Where(a => a.Type is AttributeType.Measurement or AttributeType.Number)
            .Select(a => Bracketed.Match(a.Name))
            .Where(m => m.Success)
            .Select(m => m.Groups["inner"].Value);
        return (SizeOptionNames[0], Distinct(named));
    }

    private static bool IsSizeName(string name) => SizeOptionNames.Contains(name.Trim(), StringComparer.OrdinalIgnoreCase);

    private static List<string> Distinct(IEnumerable<string> values)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        return [.. values.Where(seen.Add)];
    }

    private static List<string> SplitList(string value) =>
        [.. value.Split(ListSeparators, StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];

    private static MeasureCells Cells(List<MeasureCells> measures, string name, int rows)
    {
        var existing = measures.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase));
        if (existing is not null)
        {
            return existing;
        }

        var created = new MeasureCells(name, new Cell?[rows]);
        measures.Add(created);
        return created;
    }

    private static bool TryNumber(string text, out double value) =>
        double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out value);

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private sealed record MeasureCells(string Name, Cell?[] Values);

    private sealed record Cell(string Text, double? Number, string? Unit);

    /// <summary>Length and mass units a seller types, with their factor to the kind's base unit (mm, g).</summary>
    private static class Units
    {
        private static readonly Dictionary<string, (string Kind, double Factor)> Known = new(StringComparer.OrdinalIgnoreCase)
        {
            ["mm"] = ("length", 1),
            ["毫米"] = ("length", 1),
            ["cm"] = ("length", 10),
            ["厘米"] = ("length", 10),
            ["公分"] = ("length", 10),
            ["m"] = ("length", 1000),
            ["米"] = ("length", 1000),
            ["in"] = ("length", 25.4),
            ["inch"] = ("length", 25.4),
            ["inches"] = ("length", 25.4),
            ["\""] = ("length", 25.4),
            ["英寸"] = ("length", 25.4),
            ["g"] = ("mass", 1),
            ["克"] = ("mass", 1),
            ["kg"] = ("mass", 1000),
            ["公斤"] = ("mass", 1000),
            ["千克"] = ("mass", 1000),
            ["斤"] = ("mass", 500),
            ["lb"] = ("mass", 453.59237),
            ["lbs"] = ("mass", 453.59237),
            ["oz"] = ("mass", 28.349523125),
        };

        /// <summary>One unit for the column: the most used one (first seen on a tie), other cells converted into it.</summary>
        public static bool TryUnify(Cell?[] cells, out string? unit, out string[] texts)
        {
            texts = [.. cells.Select(c => c?.Text ?? Missing)];
            var units = cells.Where(c => c?.Unit is not null).Select(c => c!.Unit!).ToList();
            var chosen = units.GroupBy(u => u, StringComparer.OrdinalIgnoreCase)
                .OrderByDescending(g => g.Count())
                .ThenBy(g => units.FindIndex(u => string.Equals(u, g.Key, StringComparison.OrdinalIgnoreCase)))
                .Select(g => g.Key)
                .FirstOrDefault();
            unit = chosen;
            if (chosen is null || units.All(u => string.Equals(u, chosen, StringComparison.OrdinalIgnoreCase)))
            {
                return true;
            }

            if (!Known.TryGetValue(chosen, out var target))
            {
                return false;
            }

            for (var i = 0; i < cells.Length; i++)
            {
                if (cells[i] is not { } cell || cell.Unit is null || string.Equals(cell.Unit, chosen, StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                if (!Known.TryGetValue(cell.Unit, out var source) || source.Kind != target.Kind || cell.Number is not { } number)
                {
                    return false;
                }

                var converted = Math.Round(number * source.Factor / target.Factor, 1, MidpointRounding.AwayFromZero);
                texts[i] = converted.ToString("0.#", CultureInfo.InvariantCulture);
            }

            return true;
        }
    }
}
