using System.Text.Json;
using CommerceOS.Core.Translation;

namespace CommerceOS.Connectors.Tests.Translation;

/// <summary>The LLM translator's reasons have English and Chinese text (the Web project's LlmTranslation.json pair).</summary>
public sealed class LlmTranslationResourcesTests
{
    private static Dictionary<string, string> Load(string language)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "CommerceOS.slnx")))
        {
            directory = directory.Parent;
        }

        Assert.NotNull(directory);
        var path = Path.Combine(directory.FullName, "src", "CommerceOS.Web", "Resources", language, "LlmTranslation.json");
        return JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(path))!;
    }

    [Theory]
    [InlineData(TranslationErrors.MissingFromReply)]
    [InlineData(TranslationErrors.PlaceholderRepeated)]
    [InlineData(TranslationErrors.GlossaryIgnored)]
    [InlineData(TranslationErrors.Unchanged)]
    [InlineData(TranslationErrors.UnexpectedIndex)]
    public void EveryCode_HasEnglishAndChineseText(string code)
    {
        Assert.False(string.IsNullOrWhiteSpace(Load("en").GetValueOrDefault(code)), $"en/LlmTranslation.json lacks {code}");
        Assert.False(string.IsNullOrWhiteSpace(Load("zh-CN").GetValueOrDefault(code)), $"zh-CN/LlmTranslation.json lacks {code}");
    }

    [Fact]
    public void BothLanguages_HaveTheSameKeys()
    {
        Assert.Equal(Load("en").Keys.Order(StringComparer.Ordinal), Load("zh-CN").Keys.Order(StringComparer.Ordinal));
    }
}
