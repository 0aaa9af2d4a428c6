using System.Text.Json;
using System.Text.RegularExpressions;
using CommerceOS.Core.Accounts;

namespace CommerceOS.Tests.Accounts;

public sealed partial class AccountsResourcesTests
{
    private static Dictionary<string, string> Load(string culture)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "CommerceOS.slnx")))
        {
            directory = directory.Parent;
        }

        Assert.NotNull(directory);
        var path = Path.Combine(directory.FullName, "src", "CommerceOS.Web", "Resources", culture, "Accounts.json");
        return JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(path))!;
    }

    [Theory]
    [InlineData("en")]
    [InlineData("zh-CN")]
    public void Resources_EveryErrorCode_HasText(string culture)
    {
        var texts = Load(culture);

        var missing = AccountErrors.All.Where(code => !texts.TryGetValue(code, out var text) || string.IsNullOrWhiteSpace(text)).ToList();

        Assert.Empty(missing);
    }

    [Fact]
    public void Resources_EnglishAndChinese_SameKeysAndPlaceholders()
    {
        var en = Load("en");
        var zh = Load("zh-CN");

        Assert.Equal(en.Keys.Order(StringComparer.Ordinal), zh.Keys.Order(StringComparer.Ordinal));
        foreach (var key in en.Keys)
        {
            Assert.Equal(Placeholders(en[key]), Placeholders(zh[key]));
            Assert.Matches(Cjk(), zh[key]);
        }
    }

    private static string[] Placeholders(string text) => [.. Placeholder().Matches(text).Select(m => m.Value).Order(StringComparer.Ordinal)];

    [GeneratedRegex(@"\{\d+\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"\p{IsCJKUnifiedIdeographs}")]
    private static partial Regex Cjk();
}
