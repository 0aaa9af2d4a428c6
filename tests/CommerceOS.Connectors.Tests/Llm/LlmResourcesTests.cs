using System.Text.Json;
using CommerceOS.Core.Llm;

namespace CommerceOS.Connectors.Tests.Llm;

/// <summary>Every code a seller can be shown has English and Chinese text (the Web project's Llm.json pair).</summary>
public sealed class LlmResourcesTests
{
    private static Dictionary<string, string> Load(string language)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "CommerceOS.slnx")))
        {
            directory = directory.Parent;
        }

        Assert.NotNull(directory);
        var path = Path.Combine(directory.FullName, "src", "CommerceOS.Web", "Resources", language, "Llm.json");
        return JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(path))!;
    }

    public static TheoryData<string> Codes()
    {
        var codes = new TheoryData<string>();
        foreach (var failure in Enum.GetValues<LlmFailure>())
        {
            codes.Add(LlmErrors.Code(failure));
        }

        foreach (var code in (string[])[LlmErrors.MalformedJson, LlmErrors.SchemaViolation, LlmErrors.Truncated, LlmErrors.Refused, LlmErrors.Empty])
        {
            codes.Add(code);
        }

        return codes;
    }

    [Theory]
    [MemberData(nameof(Codes))]
    public void EveryCode_HasEnglishAndChineseText(string code)
    {
        Assert.False(string.IsNullOrWhiteSpace(Load("en").GetValueOrDefault(code)), $"en/Llm.json lacks {code}");
        Assert.False(string.IsNullOrWhiteSpace(Load("zh-CN").GetValueOrDefault(code)), $"zh-CN/Llm.json lacks {code}");
    }

    [Fact]
    public void BothLanguages_HaveTheSameKeys()
    {
        Assert.Equal(Load("en").Keys.Order(StringComparer.Ordinal), Load("zh-CN").Keys.Order(StringComparer.Ordinal));
    }
}
