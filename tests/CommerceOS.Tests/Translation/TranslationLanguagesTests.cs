using System.Reflection;
using CommerceOS.Core.Common;
using CommerceOS.Core.Translation;
using CommerceOS.Web.Shared.Localization;

namespace CommerceOS.Tests.Translation;

public sealed class TranslationLanguagesTests
{
    private static readonly StringCatalog Catalog = new(Path.Combine(AppContext.BaseDirectory, "Resources"));

    public static TheoryData<string> Cultures => [StringCatalog.English, StringCatalog.Chinese];

    [Fact]
    public void All_HasTheIssuesFifteenLanguages()
    {
        Assert.Equal(
            ["en", "zh-CN", "zh-TW", "ja", "ko", "th", "vi", "id", "ms", "es", "fr", "de", "it", "pt-BR", "ru"],
            TranslationLanguages.All.Select(l => l.Code));
    }

    [Theory]
    [InlineData("zh-cn", "zh-CN")]
    [InlineData(" PT_br ", "pt-BR")]
    [InlineData("EN", "en")]
    public void TryFind_IgnoresCaseAndUnderscore(string input, string code)
    {
        Assert.True(TranslationLanguages.TryFind(input, out var language));
        Assert.Equal(code, language.Code);
    }

    [Fact]
    public void Validate_UnknownAndSameLanguages_AreInvalidWithLocalizedCodes()
    {
        var unknown = TranslationRequestValidator.Validate(new TranslationRequest("en", "klingon", ["Hello"]));
        var same = TranslationRequestValidator.Validate(new TranslationRequest("zh-CN", "zh-cn", ["你好"]));

        Assert.Equal(ResultStatus.Invalid, unknown.Status);
        Assert.Equal(FieldError.Of("targetLanguage", TranslationErrors.LanguageUnknown, "klingon"), Assert.Single(unknown.Errors));
        Assert.Equal(FieldError.Of("targetLanguage", TranslationErrors.SameLanguage, "zh-CN"), Assert.Single(same.Errors));
    }

    [Fact]
    public void Validate_TermsWithTabsAndEmptySegments_AreInvalid()
    {
        var result = TranslationRequestValidator.Validate(new TranslationRequest(
            "en", "de", [], Glossary: [new TranslationTerm("down\tjacket", "Daunenjacke")], DoNotTranslate: [" "]));

        Assert.Equal(
            [("segments", TranslationErrors.NoSegments), ("glossary[0]", TranslationErrors.TermInvalid), ("doNotTranslate[0]", TranslationErrors.TermInvalid)],
            result.Errors.Select(e => (e.Field, e.Code)));
    }

    [Theory]
    [MemberData(nameof(Cultures))]
    public void EveryLanguageStatusAndCode_HasAText(string culture)
    {
        var texts = Catalog.For(culture);
        var keys = TranslationLanguages.All.Select(l => l.NameKey)
            .Concat(Enum.GetNames<SegmentStatus>().Select(n => "translation.status." + n.ToLowerInvariant()))
            .Concat(typeof(TranslationErrors).GetFields(BindingFlags.Public | BindingFlags.Static)
                .Where(f => f.IsLiteral && f.FieldType == typeof(string))
                .Select(f => (string)f.GetRawConstantValue()!))
            .ToList();

        Assert.True(keys.Count > 40, $"only {keys.Count} keys");
        var missing = keys.Where(key => !texts.ContainsKey(key)).ToList();
        Assert.True(missing.Count == 0, "missing: " + string.Join(", ", missing));
    }
}
