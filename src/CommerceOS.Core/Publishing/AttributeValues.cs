using System.Globalization;
using System.Text.RegularExpressions;

namespace CommerceOS.Core.Publishing;

/// <summary>The kinds <see cref="AttributeValues.Normalize"/> tells apart.</summary>
public static class AttributeKinds
{
    /// <summary>Grams.</summary>
    public const string Weight = "weight";

    /// <summary>Centimetres.</summary>
    public const string Length = "length";

    /// <summary>Millilitres.</summary>
    public const string Volume = "volume";

    /// <summary>A canonical English colour name, or several joined by ", ".</summary>
    public const string Colour = "colour";

    /// <summary>XXS to 5XL, "One Size", or a numeric size (with its system, e.g. EU, as the unit).</summary>
    public const string Size = "size";

    /// <summary>A canonical English material name, or a blend's materials joined by ", " in the order given.</summary>
    public const string Material = "material";

    /// <summary>Anything else: the trimmed value as given.</summary>
    public const string Text = "text";
}

/// <summary>A product attribute value in one canonical form.</summary>
/// <param name="Kind">One of <see cref="AttributeKinds"/>.</param>
/// <param name="Value">Canonical text ("544.311 g", "Navy", "XL", "Cotton, Polyester"), or the trimmed input for text.</param>
/// <param name="Unit">g, cm or ml for measurements, a size system (EU, US...) for numeric sizes, else null.</param>
/// <param name="Number">The measurement in <paramref name="Unit"/> (rounded to 3 decimals) or the numeric size, else null.</param>
public sealed record NormalizedValue(string Kind, string Value, string? Unit, double? Number);

/// <summary>
/// Normalises marketplace attribute values (sizes, colours, units, materials) in English and Chinese, so a listing can
/// be mapped onto each platform's allowed values. The attribute name decides the kind when it is recognisable (weight/重量,
/// colour/颜色, size/尺码, material/材质, length/长, capacity/容量 ...); a measurement such as "1.2 kg" is also recognised
/// under any other name. Nothing here throws on odd input: what cannot be read comes back as <see cref="AttributeKinds.Text"/>.
/// </summary>
public static partial class AttributeValues
{
    public const double GramsPerPound = 453.59237;
    public const double GramsPerOunce = 28.349523125;
    public const double MillilitresPerUsFluidOunce = 29.5735;

    private static readonly Dictionary<string, (string Kind, double Factor)> Units = BuildUnits();

    private static readonly Dictionary<string, string> Colours = BuildColours();

    private static readonly Dictionary<string, string> Sizes = BuildSizes();

    /// <summary>Material synonyms, longest first, so "stainless steel" wins over "steel" and 黄铜 over 铜.</summary>
    private static readonly (string Synonym, string Material)[] Materials = BuildMaterials();

    private static readonly string[] ColourModifiers = ["light", "dark", "deep", "pale", "bright", "pastel", "jet", "matte", "matt", "metallic", "solid", "classic", "pure", "soft"];

    private static readonly string[] ApproximatePrefixes = ["approximately", "approx.", "approx", "about", "ca.", "约", "大约", "~"];

    public static NormalizedValue Normalize(string attributeName, string value)
    {
        var trimmed = (value ?? string.Empty).Trim();
        var text = KeywordText.Fold(trimmed);
        if (text.Length == 0)
        {
            return Text(trimmed);
        }

        var kind = KindOfName(attributeName);
        var named = kind switch
        {
            AttributeKinds.Weight or AttributeKinds.Length or AttributeKinds.Volume => Measurement(text, kind, UnitHint(attributeName)),
            AttributeKinds.Colour => Colour(text),
            AttributeKinds.Size => Size(text),
            AttributeKinds.Material => Material(text),
            _ => null,
        };
        return named ?? Measurement(text, null, null) ?? Text(trimmed);
    }

    /// <summary>
    /// The product's weight in grams (rounded) from the first attribute named as a weight that reads as one, else from
    /// the first attribute of any name whose value reads as a weight; null when there is none.
    /// </summary>
    public static long? WeightGrams(IEnumerable<(string Name, string Value)> attributes)
    {
        var list = attributes?.ToList() ?? [];
        var weight = list
            .Where(a => KindOfName(a.Name) == AttributeKinds.Weight)
            .Concat(list.Where(a => KindOfName(a.Name) is null))
            .Select(a => Normalize(a.Name, a.Value))
            .FirstOrDefault(v => v.Kind == AttributeKinds.Weight);
        return weight?.Number is { } grams ? (long)Math.Round(grams, MidpointRounding.AwayFromZero) : null;
    }

    /// <summary>The kind an attribute name stands for (one of <see cref="AttributeKinds"/> except text), or null.</summary>
    public static string? KindOfName(string? attributeName)
    {
        var name = KeywordText.Fold(attributeName);
        if (name.Length == 0)
        {
            return null;
        }

        var words = KeywordText.Tokens(name).ToHashSet(StringComparer.Ordinal);
        bool Any(params string[] candidates) => candidates.Any(words.Contains);
        bool Contains(params string[] candidates) => candidates.Any(c => name.Contains(c, StringComparison.Ordinal));
        var bare = name.Split('(', '[')[0].Trim();

        if (Any("weight", "weights") || Contains("重量", "净重", "毛重"))
        {
            return AttributeKinds.Weight;
        }

        if (Any("capacity", "volume") || Contains("容量", "容积"))
        {
            return AttributeKinds.Volume;
        }

        if (Any("length", "width", "height", "depth", "thickness", "diameter") || Contains("长度", "宽度", "高度", "深度", "厚度", "直径")
            || bare is "长" or "宽" or "高" or "深" or "厚")
        {
            return AttributeKinds.Length;
        }

        if (Any("colour", "color", "colours", "colors") || Contains("颜色", "色彩"))
        {
            return AttributeKinds.Colour;
        }

        if (Any("material", "materials", "fabric", "composition") || Contains("材质", "面料", "材料", "成分"))
        {
            return AttributeKinds.Material;
        }

        if (Any("size", "sizes") || Contains("尺码", "尺寸", "码数", "大小"))
        {
            return AttributeKinds.Size;
        }

        return null;
    }

    private static NormalizedValue Text(string trimmed) => new(AttributeKinds.Text, trimmed, null, null);

    /// <summary>A unit written in the attribute name, as in "Weight (kg)" or 重量(克), for values that are bare numbers.</summary>
    private static string? UnitHint(string? attributeName)
    {
        var match = NameUnit().Match(KeywordText.Fold(attributeName));
        return match.Success ? match.Groups["unit"].Value.Trim() : null;
    }

    private static NormalizedValue? Measurement(string text, string? kind, string? unitHint)
    {
        foreach (var prefix in ApproximatePrefixes)
        {
            if (text.StartsWith(prefix, StringComparison.Ordinal))
            {
                text = text[prefix.Length..].TrimStart();
                break;
            }
        }

        var value = ParseMeasurement(text, kind, unitHint);
        if (value is null)
        {
            // "12 oz (350 ml)" or "1.2kg/2.6lb": the first of two equivalent forms.
            var cut = text.IndexOfAny(['(', '/']);
            if (cut > 0)
            {
                value = ParseMeasurement(text[..cut].Trim(), kind, unitHint);
            }
        }

        return value;
    }

    private static NormalizedValue? ParseMeasurement(string text, string? kind, string? unitHint)
    {
        if (BareNumber().IsMatch(text))
        {
            return unitHint is null ? null : ParseMeasurement(text + " " + unitHint, kind, null);
        }

        var matches = MeasurePart().Matches(text);
        if (matches.Count == 0)
        {
            return null;
        }

        var position = 0;
        string? found = null;
        var total = 0.0;
        foreach (Match match in matches)
        {
            if (!string.IsNullOrWhiteSpace(text[position..match.Index]))
            {
                return null;
            }

            position = match.Index + match.Length;
            if (!TryNumber(match.Groups["number"].Value, out var number) || Unit(match.Groups["unit"].Value, kind ?? found) is not { } unit)
            {
                return null;
            }

            if ((kind is not null && unit.Kind != kind) || (found is not null && unit.Kind != found))
            {
                return null;
            }

            found = unit.Kind;
            total += number * unit.Factor;
        }

        if (!string.IsNullOrWhiteSpace(text[position..]) || found is null || !double.IsFinite(total))
        {
            return null;
        }

        var canonical = found switch
        {
            AttributeKinds.Weight => "g",
            AttributeKinds.Length => "cm",
            _ => "ml",
        };
        var rounded = Math.Round(total, 3);
        return new NormalizedValue(found, $"{rounded.ToString("0.###", CultureInfo.InvariantCulture)} {canonical}", canonical, rounded);
    }

    private static (string Kind, double Factor)? Unit(string raw, string? kind)
    {
        var unit = string.Join(' ', raw.Replace(".", " ", StringComparison.Ordinal).Split(' ', StringSplitOptions.RemoveEmptyEntries));
        unit = unit.Replace("fl oz", "floz", StringComparison.Ordinal);

        // Under a capacity or volume name, "12 oz" is fluid ounces, not weight.
        if (kind == AttributeKinds.Volume && unit is "oz" or "ounce" or "ounces")
        {
            return (AttributeKinds.Volume, MillilitresPerUsFluidOunce);
        }

        return Units.TryGetValue(unit, out var found) ? found : null;
    }

    /// <summary>"1.2" and "1,2" are 1.2; "1,200" (groups of three) is 1200.</summary>
    private static bool TryNumber(string raw, out double number)
    {
        var text = raw;
        if (text.Contains(',', StringComparison.Ordinal))
        {
            text = text.Contains('.', StringComparison.Ordinal) || ThousandsGroups().IsMatch(text)
                ? text.Replace(",", string.Empty, StringComparison.Ordinal)
                : text.Replace(',', '.');
        }

        return double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out number) && double.IsFinite(number);
    }

    private static NormalizedValue? Colour(string text)
    {
        var parts = text.Split(['/', ',', '&', '+', '、', ';', '|', '和'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .SelectMany(p => p.Split(" and ", StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .ToList();
        if (parts.Count == 0)
        {
            return null;
        }

        var names = new List<string>();
        foreach (var part in parts)
        {
            if (ColourOf(part) is not { } name)
            {
                return null;
            }

            if (!names.Contains(name, StringComparer.Ordinal))
            {
                names.Add(name);
            }
        }

        return new NormalizedValue(AttributeKinds.Colour, string.Join(", ", names), null, null);
    }

    private static string? ColourOf(string part)
    {
        if (KeywordText.HasCjk(part))
        {
            var cjk = part.Replace(" ", string.Empty, StringComparison.Ordinal);
            foreach (var candidate in new[] { cjk, cjk.TrimEnd('色') })
            {
                if (Colours.TryGetValue(candidate, out var name))
                {
                    return name;
                }

                if (candidate.Length > 1 && "深浅淡亮纯".Contains(candidate[0], StringComparison.Ordinal) && Colours.TryGetValue(candidate[1..], out name))
                {
                    return name;
                }
            }

            return null;
        }

        var words = KeywordText.Tokens(part);
        var key = string.Join(' ', words);
        if (Colours.TryGetValue(key, out var found))
        {
            return found;
        }

        var plain = string.Join(' ', words.Where(w => !ColourModifiers.Contains(w, StringComparer.Ordinal)));
        return plain.Length > 0 && Colours.TryGetValue(plain, out found) ? found : null;
    }

    private static NormalizedValue? Size(string text)
    {
        var compact = new string(text.Where(c => !char.IsWhiteSpace(c) && c is not ('-' or '.' or '_')).ToArray());
        if (Sizes.TryGetValue(compact, out var letter))
        {
            return new NormalizedValue(AttributeKinds.Size, letter, null, null);
        }

        var numeric = NumericSize().Match(text);
        if (numeric.Success && double.TryParse(numeric.Groups["number"].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
        {
            var system = numeric.Groups["system"].Success ? numeric.Groups["system"].Value.ToUpperInvariant() : null;
            var shown = number.ToString("0.#", CultureInfo.InvariantCulture);
            return new NormalizedValue(AttributeKinds.Size, system is null ? shown : $"{system} {shown}", system, number);
        }

        return null;
    }

    private static NormalizedValue? Material(string text)
    {
        var found = new List<string>();
        var i = 0;
        while (i < text.Length)
        {
            var matched = false;
            foreach (var (synonym, material) in Materials)
            {
                if (string.CompareOrdinal(text, i, synonym, 0, synonym.Length) != 0
                    || (IsLatin(synonym[0]) && !IsWordEdge(text, i - 1))
                    || (IsLatin(synonym[^1]) && !IsWordEdge(text, i + synonym.Length)))
                {
                    continue;
                }

                if (!found.Contains(material, StringComparer.Ordinal))
                {
                    found.Add(material);
                }

                i += synonym.Length;
                matched = true;
                break;
            }

            if (!matched)
            {
                i++;
            }
        }

        return found.Count == 0 ? null : new NormalizedValue(AttributeKinds.Material, string.Join(", ", found), null, null);
    }

    /// <summary>Latin synonyms must not continue a word ("silk" is not in "silky"); CJK text has no word edges.</summary>
    private static bool IsWordEdge(string text, int index) => index < 0 || index >= text.Length || !IsLatin(text[index]);

    private static bool IsLatin(char c) => char.IsLetterOrDigit(c) && !KeywordText.IsCjk(c);

    private static Dictionary<string, (string Kind, double Factor)> BuildUnits()
    {
        var units = new Dictionary<string, (string Kind, double Factor)>(StringComparer.Ordinal);
        void Add(string kind, double factor, params string[] names)
        {
            foreach (var name in names)
            {
                units.Add(name, (kind, factor));
            }
        }

        Add(AttributeKinds.Weight, 1, "g", "gram", "grams", "gramme", "grammes", "克");
        Add(AttributeKinds.Weight, 1000, "kg", "kgs", "kilo", "kilos", "kilogram", "kilograms", "kilogramme", "kilogrammes", "千克", "公斤");
        Add(AttributeKinds.Weight, 0.001, "mg", "milligram", "milligrams", "毫克");
        Add(AttributeKinds.Weight, GramsPerPound, "lb", "lbs", "pound", "pounds", "磅");
        Add(AttributeKinds.Weight, GramsPerOunce, "oz", "ounce", "ounces", "盎司");
        Add(AttributeKinds.Weight, 500, "斤");
        Add(AttributeKinds.Weight, 50, "两");
        Add(AttributeKinds.Length, 0.1, "mm", "millimeter", "millimeters", "millimetre", "millimetres", "毫米");
        Add(AttributeKinds.Length, 1, "cm", "centimeter", "centimeters", "centimetre", "centimetres", "厘米", "公分");
        Add(AttributeKinds.Length, 100, "m", "meter", "meters", "metre", "metres", "米");
        Add(AttributeKinds.Length, 2.54, "in", "inch", "inches", "\"", "″", "”", "英寸");
        Add(AttributeKinds.Length, 30.48, "ft", "foot", "feet", "'", "′", "’", "英尺");
        Add(AttributeKinds.Length, 91.44, "yd", "yard", "yards");
        Add(AttributeKinds.Volume, 1, "ml", "milliliter", "milliliters", "millilitre", "millilitres", "cc", "毫升");
        Add(AttributeKinds.Volume, 10, "cl");
        Add(AttributeKinds.Volume, 1000, "l", "liter", "liters", "litre", "litres", "ltr", "升", "公升");
        Add(AttributeKinds.Volume, MillilitresPerUsFluidOunce, "floz", "fluid ounce", "fluid ounces");
        return units;
    }

    private static Dictionary<string, string> BuildColours()
    {
        var table = new (string Name, string[] Synonyms)[]
        {
            ("Black", ["black", "jet black", "黑", "黑色"]),
            ("White", ["white", "off white", "snow white", "白", "白色", "纯白"]),
            ("Ivory", ["ivory", "象牙白"]),
            ("Cream", ["cream", "奶白", "奶油色"]),
            ("Beige", ["beige", "nude", "米白", "米色", "杏色"]),
            ("Grey", ["grey", "gray", "灰", "灰色"]),
            ("Charcoal", ["charcoal", "dark grey", "dark gray", "charcoal grey", "charcoal gray", "深灰"]),
            ("Silver", ["silver", "银", "银色"]),
            ("Gold", ["gold", "golden", "金", "金色"]),
            ("Rose Gold", ["rose gold", "玫瑰金"]),
            ("Bronze", ["bronze", "古铜"]),
            ("Copper", ["copper", "铜色"]),
            ("Red", ["red", "红", "红色", "大红"]),
            ("Burgundy", ["burgundy", "wine", "wine red", "maroon", "酒红", "枣红"]),
            ("Pink", ["pink", "粉", "粉色", "粉红", "粉红色"]),
            ("Hot Pink", ["hot pink", "fuchsia", "magenta", "玫红"]),
            ("Coral", ["coral", "珊瑚色", "珊瑚红"]),
            ("Orange", ["orange", "橙", "橙色", "桔色", "橘色"]),
            ("Yellow", ["yellow", "黄", "黄色"]),
            ("Mustard", ["mustard", "姜黄"]),
            ("Khaki", ["khaki", "卡其", "卡其色"]),
            ("Tan", ["tan"]),
            ("Camel", ["camel", "驼色"]),
            ("Brown", ["brown", "chocolate", "coffee", "棕", "棕色", "咖啡色", "咖色", "褐色"]),
            ("Green", ["green", "绿", "绿色"]),
            ("Dark Green", ["dark green", "forest green", "墨绿"]),
            ("Olive", ["olive", "olive green", "army green", "军绿", "橄榄绿"]),
            ("Mint", ["mint", "mint green", "薄荷绿"]),
            ("Teal", ["teal", "蓝绿"]),
            ("Turquoise", ["turquoise", "湖蓝"]),
            ("Blue", ["blue", "蓝", "蓝色"]),
            ("Navy", ["navy", "navy blue", "藏青", "藏青色", "藏蓝", "海军蓝"]),
            ("Light Blue", ["light blue", "baby blue", "浅蓝"]),
            ("Sky Blue", ["sky blue", "天蓝"]),
            ("Royal Blue", ["royal blue", "宝蓝"]),
            ("Purple", ["purple", "紫", "紫色"]),
            ("Violet", ["violet", "紫罗兰"]),
            ("Lavender", ["lavender", "lilac", "淡紫", "薰衣草紫"]),
            ("Multicolour", ["multicolour", "multicolor", "multi colour", "multi color", "multicoloured", "multicolored", "multi", "rainbow", "多色", "彩色"]),
            ("Clear", ["clear", "transparent", "透明"]),
        };
        return table.SelectMany(c => c.Synonyms.Select(s => (s, c.Name))).ToDictionary(p => p.s, p => p.Name, StringComparer.Ordinal);
    }

    private static Dictionary<string, string> BuildSizes()
    {
        var table = new (string Size, string[] Synonyms)[]
        {
            ("XXS", ["xxs", "2xs", "xxsmall"]),
            ("XS", ["xs", "xsmall", "extrasmall", "加小", "加小号", "特小"]),
            ("S", ["s", "sm", "small", "小", "小号", "小码"]),
            ("M", ["m", "med", "medium", "中", "中号", "中码"]),
            ("L", ["l", "lg", "large", "大", "大号", "大码"]),
            ("XL", ["xl", "xlarge", "extralarge", "加大", "加大号", "特大", "特大号"]),
            ("XXL", ["xxl", "2xl", "2x", "xxlarge", "extraextralarge", "加加大", "2加大"]),
            ("3XL", ["3xl", "xxxl", "3x", "xxxlarge", "3xlarge", "加加加大", "3加大"]),
            ("4XL", ["4xl", "xxxxl", "4x", "4加大"]),
            ("5XL", ["5xl", "xxxxxl", "5x", "5加大"]),
            ("One Size", ["onesize", "freesize", "均码", "通码", "均码通用"]),
        };
        return table.SelectMany(c => c.Synonyms.Select(s => (s, c.Size))).ToDictionary(p => p.s, p => p.Size, StringComparer.Ordinal);
    }

    private static (string Synonym, string Material)[] BuildMaterials()
    {
        var table = new (string Material, string[] Synonyms)[]
        {
            ("Cotton", ["cotton", "棉", "纯棉", "全棉", "棉质"]),
            ("Polyester", ["polyester", "涤纶", "聚酯纤维", "聚酯"]),
            ("Nylon", ["nylon", "polyamide", "锦纶", "尼龙"]),
            ("Spandex", ["spandex", "elastane", "lycra", "氨纶"]),
            ("Wool", ["wool", "merino", "merino wool", "羊毛"]),
            ("Cashmere", ["cashmere", "羊绒", "山羊绒"]),
            ("Silk", ["silk", "mulberry silk", "真丝", "桑蚕丝", "丝绸"]),
            ("Linen", ["linen", "flax", "亚麻", "麻"]),
            ("Viscose", ["viscose", "rayon", "粘纤", "粘胶纤维", "人造丝"]),
            ("Modal", ["modal", "莫代尔"]),
            ("Acrylic", ["acrylic", "腈纶", "亚克力"]),
            ("Leather", ["leather", "genuine leather", "real leather", "cowhide", "真皮", "牛皮", "皮革"]),
            ("Faux Leather", ["faux leather", "pu leather", "pu", "vegan leather", "synthetic leather", "人造革", "pu皮", "仿皮", "人造皮"]),
            ("Denim", ["denim", "牛仔布", "牛仔"]),
            ("Canvas", ["canvas", "帆布"]),
            ("Fleece", ["fleece", "摇粒绒", "抓绒"]),
            ("Velvet", ["velvet", "丝绒", "天鹅绒"]),
            ("Stainless Steel", ["stainless steel", "stainless", "不锈钢"]),
            ("Aluminium", ["aluminium", "aluminum", "铝", "铝合金"]),
            ("Iron", ["iron", "cast iron", "铁", "铸铁"]),
            ("Copper", ["copper", "铜", "紫铜"]),
            ("Brass", ["brass", "黄铜"]),
            ("Titanium", ["titanium", "钛", "钛合金"]),
            ("Sterling Silver", ["sterling silver", "925 silver", "925银", "纯银"]),
            ("Plastic", ["plastic", "塑料", "abs"]),
            ("Polypropylene", ["polypropylene", "pp"]),
            ("Silicone", ["silicone", "硅胶"]),
            ("Rubber", ["rubber", "橡胶"]),
            ("Glass", ["glass", "borosilicate glass", "玻璃"]),
            ("Ceramic", ["ceramic", "ceramics", "stoneware", "陶瓷", "陶"]),
            ("Porcelain", ["porcelain", "bone china", "瓷", "骨瓷"]),
            ("Wood", ["wood", "wooden", "solid wood", "木", "实木", "木质", "木头"]),
            ("Bamboo", ["bamboo", "竹", "竹子"]),
            ("Paper", ["paper", "纸", "纸质"]),
        };
        return [.. table.SelectMany(m => m.Synonyms.Select(s => (Synonym: s, m.Material))).OrderByDescending(p => p.Synonym.Length).ThenBy(p => p.Synonym, StringComparer.Ordinal)];
    }

    [GeneratedRegex(@"(?<number>[0-9]+(?:[.,][0-9]+)*)\s*(?<unit>fl\.?\s*oz\.?|fluid\s+ounces?|[a-z]+\.?|[""'″′”’]|[\u4e00-\u9fff]+)", RegexOptions.CultureInvariant)]
    private static partial Regex MeasurePart();

    [GeneratedRegex(@"^[0-9]+(?:[.,][0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex BareNumber();

    [GeneratedRegex(@"^[0-9]{1,3}(,[0-9]{3})+$", RegexOptions.CultureInvariant)]
    private static partial Regex ThousandsGroups();

    [GeneratedRegex(@"[(\[](?<unit>[^)\]]+)[)\]]", RegexOptions.CultureInvariant)]
    private static partial Regex NameUnit();

    [GeneratedRegex(@"^(?:(?<system>eu|us|uk|cn|jp|fr|it)\s*)?(?<number>[0-9]{1,3}(?:\.5)?)\s*(?:码|号)?$", RegexOptions.CultureInvariant)]
    private static partial Regex NumericSize();
}
