using System.Text;
using CommerceOS.Core.Exports;

namespace CommerceOS.Tests.Exports;

public sealed class ShopifyCsvTests
{
    /// <summary>Shopify's current product CSV header, copied from external-apis.md §7.8 (not from the code under test).</summary>
    public static readonly string[] DocumentedHeader =
        ("Title, URL handle, Description, Vendor, Product category, Type, Tags, Published on online store, Status, SKU, Barcode, "
        + "Option1 name, Option1 value, Option1 Linked To, Option2 name, Option2 value, Option2 Linked To, Option3 name, Option3 value, "
        + "Option3 Linked To, Price, Compare-at price, Cost per item, Charge tax, Tax code, Inventory tracker, Inventory quantity, "
        + "Continue selling when out of stock, Weight value (grams), Weight unit for display, Requires shipping, Fulfillment service, "
        + "Product image URL, Image position, Image alt text, Variant image URL, Gift card, SEO title, SEO description, "
        + "Color (product.metafields.shopify.color-pattern), Google Shopping / Google product category, Google Shopping / Gender, "
        + "Google Shopping / Age group, Google Shopping / Manufacturer part number (MPN), Google Shopping / Ad group name, "
        + "Google Shopping / Ads labels, Google Shopping / Condition, Google Shopping / Custom product, Google Shopping / Custom label 0, "
        + "Google Shopping / Custom label 1, Google Shopping / Custom label 2, Google Shopping / Custom label 3, Google Shopping / Custom label 4")
        .Split(", ");

    /// <summary>An RFC 4180 reader, independent of the writer: quoted fields may hold commas, doubled quotes and line breaks.</summary>
    public static List<string[]> Parse(string csv)
    {
        var rows = new List<string[]>();
        var row = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < csv.Length; i++)
        {
            var c = csv[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < csv.Length && csv[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                Assert.True(field.Length == 0, $"a quote inside an unquoted field at {i}");
                quoted = true;
            }
            else if (c == ',')
            {
                row.Add(field.ToString());
                field.Clear();
            }
            else if (c == '\r' && i + 1 < csv.Length && csv[i + 1] == '\n')
            {
                row.Add(field.ToString());
                field.Clear();
                rows.Add([.. row]);
                row.Clear();
                i++;
            }
            else
            {
                Assert.True(c != '\r' && c != '\n', $"a bare line break outside quotes at {i}");
                field.Append(c);
            }
        }

        Assert.False(quoted, "an unterminated quoted field");
        Assert.True(row.Count == 0 && field.Length == 0, "the last row ends with CRLF");
        return rows;
    }

    private static Dictionary<string, string>[] Table(string csv)
    {
        var rows = Parse(ShopifyProductCsv.Header() + csv);
        Assert.All(rows, r => Assert.Equal(DocumentedHeader.Length, r.Length));
        return [.. rows.Skip(1).Select(r => DocumentedHeader.Zip(r).ToDictionary(p => p.First, p => p.Second, StringComparer.Ordinal))];
    }

    [Fact]
    public void The_header_is_Shopifys_current_layout_in_order()
    {
        Assert.Equal(DocumentedHeader, Parse(ShopifyProductCsv.Header()).Single());
        Assert.Equal(DocumentedHeader, ShopifyProductCsv.Columns);
    }

    [Fact]
    public void A_single_variant_product_is_Title_Default_Title_and_extra_images_get_rows_of_their_own()
    {
        var rows = Table(ShopifyProductCsv.Rows(new ShopifyCsvProduct(
            "steel-bottle",
            "Steel bottle, 750 ml \"Aurora\"",
            "<p>Cold for 24 hours.</p>\n<ul><li>Leak-proof</li></ul>",
            "Acme",
            "Bottles",
            ["steel bottle", "insulated, vacuum", "  "],
            [new ShopifyCsvVariant("SB-1", [], "19.90", 7)],
            [new ShopifyCsvImage("https://cdn.example.com/a/1.jpg", "Steel bottle"), new ShopifyCsvImage("https://cdn.example.com/a/2.jpg", "Steel bottle (2)")],
            "Steel bottle | Acme",
            "Keeps drinks cold.")));

        Assert.Equal(2, rows.Length);
        var first = rows[0];
        Assert.Equal("Steel bottle, 750 ml \"Aurora\"", first["Title"]);
        Assert.Equal("<p>Cold for 24 hours.</p>\n<ul><li>Leak-proof</li></ul>", first["Description"]);
        Assert.Equal("steel bottle, insulated vacuum", first["Tags"]);
        Assert.Equal(("Title", "Default Title", "SB-1", "19.90", "7"), (first["Option1 name"], first["Option1 value"], first["SKU"], first["Price"], first["Inventory quantity"]));
        Assert.Equal(("Draft", "FALSE", "DENY", "shopify"), (first["Status"], first["Published on online store"], first["Continue selling when out of stock"], first["Inventory tracker"]));
        Assert.Equal(("https://cdn.example.com/a/1.jpg", "1", "Steel bottle"), (first["Product image URL"], first["Image position"], first["Image alt text"]));

        // The second image's row: the handle and the image, nothing else.
        var second = rows[1];
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["URL handle"] = "steel-bottle",
                ["Product image URL"] = "https://cdn.example.com/a/2.jpg",
                ["Image position"] = "2",
                ["Image alt text"] = "Steel bottle (2)",
            },
            second.Where(p => p.Value.Length > 0).ToDictionary());
    }

    [Fact]
    public void Variants_carry_their_option_values_under_the_option_names_of_the_first_row()
    {
        KeyValuePair<string, string> O(string name, string value) => new(name, value);
        var rows = Table(ShopifyProductCsv.Rows(new ShopifyCsvProduct(
            "tee",
            "Tee",
            null,
            null,
            null,
            [],
            [
                new ShopifyCsvVariant("TEE-S-RED", [O("Size", "S"), O("Color", "Red")], "10.00", 1),
                new ShopifyCsvVariant("TEE-M-BLU", [O("Color", "Blue"), O("Size", "M")], "12.00", 0),
                new ShopifyCsvVariant("TEE-L", [O("Size", "L")], "12.00", 3),
            ],
            [],
            null,
            null)));

        Assert.Equal(3, rows.Length);
        Assert.Equal(("Size", "Color"), (rows[0]["Option1 name"], rows[0]["Option2 name"]));
        Assert.All(rows.Skip(1), r => Assert.Equal(("", "", ""), (r["Title"], r["Option1 name"], r["Status"])));
        Assert.Equal(["S", "M", "L"], rows.Select(r => r["Option1 value"]).ToArray());
        Assert.Equal(["Red", "Blue", ""], rows.Select(r => r["Option2 value"]).ToArray());
        Assert.All(rows, r => Assert.Equal("", r["Product image URL"]));
    }

    [Fact]
    public void More_options_than_Shopify_takes_or_no_variant_are_refused()
    {
        KeyValuePair<string, string> O(string name) => new(name, "x");
        Assert.Throws<ArgumentException>(() => ShopifyProductCsv.Rows(new ShopifyCsvProduct(
            "h", "T", null, null, null, [], [new ShopifyCsvVariant("S", [O("A"), O("B"), O("C"), O("D")], "1.00", 0)], [], null, null)));
        Assert.Throws<ArgumentException>(() => ShopifyProductCsv.Rows(new ShopifyCsvProduct("h", "T", null, null, null, [], [], [], null, null)));
    }

    [Fact]
    public void A_plain_description_becomes_encoded_paragraphs()
    {
        Assert.Equal("<p>Cold &lt;24 h&gt; &amp; leak-proof<br>Steel</p><p>Second</p>", ExportListingKit.PlainToHtml("Cold <24 h> & leak-proof\r\nSteel\n\n  Second  "));
        Assert.Null(ExportListingKit.PlainToHtml("  "));
    }

    [Fact]
    public void Image_urls_escape_each_path_segment_under_the_base()
    {
        Assert.Equal("https://cdn.example.com/kits/KIT_1-a/images/%E4%B8%BB%E5%9B%BE%201.jpg", ExportOptions.UrlOf("https://cdn.example.com/kits/", "KIT_1-a/images/主图 1.jpg"));
    }
}
