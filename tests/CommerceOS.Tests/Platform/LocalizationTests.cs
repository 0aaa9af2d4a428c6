using CommerceOS.Web.Shared.Localization;

namespace CommerceOS.Tests.Platform;

public sealed class LocalizationTests
{
    private static readonly StringCatalog Catalog = new(Path.Combine(AppContext.BaseDirectory, "Resources"));

    [Fact]
    public void Catalog_EveryKeyExistsInEnglishAndChinese()
    {
        var english = Catalog.For(StringCatalog.English);
        var chinese = Catalog.For(StringCatalog.Chinese);

        Assert.NotEmpty(english);
        Assert.Empty(english.Keys.Except(chinese.Keys));
        Assert.Empty(chinese.Keys.Except(english.Keys));
    }

    [Fact]
    public void Catalog_ChineseTextsAreTranslatedNotCopied()
    {
        var english = Catalog.For(StringCatalog.English);
        var chinese = Catalog.For(StringCatalog.Chinese);
        // Names and formats may be identical in both languages; sentences must not be.
        var copied = english.Where(pair => pair.Value.Contains(' ', StringComparison.Ordinal) && chinese[pair.Key] == pair.Value).Select(pair => pair.Key).ToList();

        Assert.Empty(copied);
    }

    [Fact]
    public void Catalog_PlaceholdersMatchBetweenLanguages()
    {
        var english = Catalog.For(StringCatalog.English);
        var chinese = Catalog.For(StringCatalog.Chinese);

        foreach (var (key, value) in english)
        {
            Assert.True(
                Placeholders(value).SetEquals(Placeholders(chinese[key])),
                $"Placeholders differ for '{key}'.");
        }
    }

    private static HashSet<string> Placeholders(string text) =>
        System.Text.RegularExpressions.Regex.Matches(text, @"\{\d+\}").Select(m => m.Value).ToHashSet(StringComparer.Ordinal);
}
