using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace CommerceOS.Core.Exports;

/// <summary>Our fields a bulk sheet can carry; a template column is recognised as one of these by its header.</summary>
public static class SheetFields
{
    public const string Name = "name";
    public const string Description = "description";
    public const string Price = "price";
    public const string Stock = "stock";

    /// <summary>The product's own SKU (Shopee "Parent SKU", Taobao 商家编码).</summary>
    public const string ParentSku = "parent-sku";

    /// <summary>The variant's SKU (the product's own on one-row-per-product sheets).</summary>
    public const string Sku = "sku";

    /// <summary>Rows of one product share it (Shopee "Variation Integration No.").</summary>
    public const string Group = "variation-group";

    public const string Category = "category";
    public const string Brand = "brand";

    /// <summary>Grams in the row; the column's unit (kg or g, from its header) decides what is written.</summary>
    public const string Weight = "weight";

    /// <summary>Centimetres.</summary>
    public const string Length = "length";
    public const string Width = "width";
    public const string Height = "height";
    public const string Condition = "condition";

    /// <summary>Slot 0 the cover, then the gallery in order.</summary>
    public const string Image = "image";

    /// <summary>Slot n-1 for variation n.</summary>
    public const string VariationName = "variation-name";

    /// <summary>Slot n-1 for variation n.</summary>
    public const string VariationOption = "variation-option";

    public static readonly IReadOnlyList<string> All =
        [Name, Description, Price, Stock, ParentSku, Sku, Group, Category, Brand, Weight, Length, Width, Height, Condition, Image, VariationName, VariationOption];
}

/// <summary>A template column recognised as one of our fields.</summary>
/// <param name="Slot">Which image or variation (0-based); 0 for the other fields.</param>
/// <param name="Unit">kg or g for weight, cm for dimensions, else null.</param>
/// <param name="Column">0-based column index.</param>
/// <param name="Header">The header as the template has it.</param>
public sealed record SheetColumn(string Field, int Slot, string? Unit, int Column, string Header);

/// <summary>
/// Recognises the bulk-upload columns of the platforms' seller templates by their header text, in English and Chinese,
/// ignoring case, spaces, punctuation and "mandatory"/必填 markers ("*Product Name", "商品名称（必填）", "Weight (kg)").
/// </summary>
public static partial class BulkSheetColumns
{
    private static readonly string[] Markers = ["conditionalmandatory", "mandatory", "required", "optional", "非必填", "必填项", "选填项", "必填", "选填", "可选"];

    /// <summary>After <see cref="Markers"/>: building it normalises the names.</summary>
    private static readonly Dictionary<string, string> Plain = Build();

    /// <summary>The names a template needs a few of, for the refusal's text.</summary>
    public const string Expected = "Product Name / 商品名称 / 宝贝名称, Description / 商品描述, Price / 价格 / 一口价, Stock / 库存 / 数量, SKU / Parent SKU / 商家编码, Category / 类目, Brand / 品牌, Weight / 重量, Cover image / 主图, Variation Name 1 / 销售属性";

    /// <summary>What a header stands for, or null when it is none of our fields.</summary>
    public static SheetColumn? Recognise(string? header, int column)
    {
        var key = Normalize(header);
        if (key.Length == 0)
        {
            return null;
        }

        if (Plain.TryGetValue(key, out var field))
        {
            return new SheetColumn(field, 0, null, column, header!.Trim());
        }

        if (Measure().Match(key) is { Success: true } measure)
        {
            var kind = Plain.GetValueOrDefault(measure.Groups["name"].Value);
            var unit = measure.Groups["unit"].Value;
            if (kind == SheetFields.Weight && unit is "kg" or "g" or "千克" or "克" or "公斤")
            {
                return new SheetColumn(kind, 0, unit is "g" or "克" ? "g" : "kg", column, header!.Trim());
            }

            if (kind is SheetFields.Length or SheetFields.Width or SheetFields.Height && unit is "cm" or "厘米")
            {
                return new SheetColumn(kind, 0, "cm", column, header!.Trim());
            }
        }

        if (Numbered().Match(key) is { Success: true } numbered)
        {
            var n = int.Parse(numbered.Groups["n"].Value, CultureInfo.InvariantCulture);
            var name = numbered.Groups["name"].Value + numbered.Groups["tail"].Value;
            var kind = name switch
            {
                "itemimage" or "image" or "productimage" or "图片" or "主图" or "商品图片" or "宝贝图片" or "商品主图" => SheetFields.Image,
                "variationname" or "销售属性" or "销售属性名称" or "规格名称" or "规格" => SheetFields.VariationName,
                "optionforvariation" or "variationoption" or "销售属性值" or "规格值" => SheetFields.VariationOption,
                _ => null,
            };
            if (kind is not null && n is >= 1 and <= 20)
            {
                // Images are numbered from 1 after the cover; the use site shifts them when the sheet has no cover column.
                return new SheetColumn(kind, kind == SheetFields.Image ? n : n - 1, null, column, header!.Trim());
            }
        }

        return null;
    }

    /// <summary>Lower case, full-width folded, letters and digits only, without mandatory/optional markers.</summary>
    public static string Normalize(string? header)
    {
        if (string.IsNullOrWhiteSpace(header))
        {
            return "";
        }

        var builder = new StringBuilder(header.Length);
        foreach (var c in header.Normalize(NormalizationForm.FormKC).ToLowerInvariant())
        {
            if (char.IsLetterOrDigit(c))
            {
                builder.Append(c);
            }
        }

        var key = builder.ToString();
        foreach (var marker in Markers)
        {
            if (key.Length > marker.Length && key.StartsWith(marker, StringComparison.Ordinal))
            {
                key = key[marker.Length..];
            }

            if (key.Length > marker.Length && key.EndsWith(marker, StringComparison.Ordinal))
            {
                key = key[..^marker.Length];
            }
        }

        return key;
    }

    /// <summary>A cell under the header that instructs rather than holds data: a mandatory/optional marker or a sentence.</summary>
    public static bool IsHint(string text)
    {
        var trimmed = text.Trim();
        return Markers.Contains(Normalize(trimmed)) || trimmed.Length >= 40 || trimmed.Count(c => c == ' ') >= 6;
    }

    [GeneratedRegex(@"^(?<name>[\p{L}]+?)(?<unit>kg|g|cm|千克|克|公斤|厘米)$")]
    private static partial Regex Measure();

    [GeneratedRegex(@"^(?<name>[\p{L}]+?)(?<n>\d{1,2})(?<tail>[\p{L}]*)$")]
    private static partial Regex Numbered();

    private static Dictionary<string, string> Build()
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        void Add(string field, params string[] names)
        {
            foreach (var name in names)
            {
                map[Normalize(name)] = field;
            }
        }

        Add(SheetFields.Name, "product name", "name", "item name", "title", "product title", "商品名称", "宝贝名称", "标题", "宝贝标题", "商品标题");
        Add(SheetFields.Description, "product description", "description", "item description", "商品描述", "宝贝描述", "描述", "商品详情", "宝贝详情");
        Add(SheetFields.Price, "price", "selling price", "价格", "一口价", "售价", "销售价格", "商品价格", "宝贝价格");
        Add(SheetFields.Stock, "stock", "quantity", "qty", "库存", "数量", "宝贝数量", "库存数量", "商品数量");
        Add(SheetFields.ParentSku, "parent sku", "商家编码", "商品编码", "宝贝编码", "货号", "商品货号");
        Add(SheetFields.Sku, "sku", "variation sku", "seller sku", "sku code", "sku编码", "规格编码", "sku商家编码");
        Add(SheetFields.Group, "variation integration no.", "variation integration number", "variation integration");
        Add(SheetFields.Category, "category", "category id", "类目", "宝贝类目", "商品类目", "类目id");
        Add(SheetFields.Brand, "brand", "品牌");
        Add(SheetFields.Weight, "weight", "shipping weight", "package weight", "重量", "物流重量", "商品重量", "包裹重量");
        Add(SheetFields.Length, "length", "package length", "长", "长度", "包裹长度");
        Add(SheetFields.Width, "width", "package width", "宽", "宽度", "包裹宽度");
        Add(SheetFields.Height, "height", "package height", "高", "高度", "包裹高度");
        Add(SheetFields.Condition, "condition", "新旧程度", "成色", "宝贝状态");
        Add(SheetFields.Image, "cover image", "main image", "image", "主图", "图片", "新图片", "商品主图", "宝贝主图", "商品图片");
        Add(SheetFields.VariationName, "variation name", "销售属性", "销售属性名称", "规格名称");
        Add(SheetFields.VariationOption, "option for variation", "variation option", "销售属性值", "规格值");
        return map;
    }
}
