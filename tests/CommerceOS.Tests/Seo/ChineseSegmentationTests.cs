using CommerceOS.Engines.Seo;

namespace CommerceOS.Tests.Seo;

public sealed class ChineseSegmentationTests
{
    [Fact]
    public void Dictionary_ships_in_the_build_output()
    {
        // The dictionary comes from the package folder through the Engines project's copy step, not from a NuGet cache path.
        foreach (var file in ChineseSegmentation.RequiredFiles)
        {
            var path = Path.Combine(AppContext.BaseDirectory, ChineseSegmentation.DictionaryFolder, file);
            Assert.True(File.Exists(path), $"missing {path}");
        }

        Assert.True(new FileInfo(Path.Combine(ChineseSegmentation.DictionaryPath, "dict.txt")).Length > 1_000_000);
    }

    [Fact]
    public void Cut_splits_a_product_phrase_into_dictionary_words()
    {
        Assert.Equal(["不锈钢", "保温杯", "大容量"], ChineseSegmentation.Cut("不锈钢保温杯大容量"));
        Assert.Equal(["男女", "学生", "便携", "水杯"], ChineseSegmentation.Cut("男女学生便携水杯"));
    }

    [Fact]
    public void Tokenize_keeps_model_numbers_and_measures_whole_inside_chinese_text()
    {
        var tokens = SeoText.Tokenize("保温杯BW-316大容量500ml保冷12小时").Where(t => t.Kind != TokenKind.Space).ToList();

        Assert.Equal(["保温杯", "BW-316", "大容量", "500ml", "保冷", "12小时"], tokens.Select(t => t.Text));
        Assert.Equal(TokenKind.Model, tokens[1].Kind);
        Assert.Equal(TokenKind.Measure, tokens[3].Kind);
        Assert.Equal(TokenKind.Measure, tokens[5].Kind);
    }
}
