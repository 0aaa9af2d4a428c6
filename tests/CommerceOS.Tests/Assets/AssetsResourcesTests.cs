using System.Text.Json;
using System.Text.RegularExpressions;
using CommerceOS.Core.Assets;

namespace CommerceOS.Tests.Assets;

public sealed partial class AssetsResourcesTests
{
    public static TheoryData<string> Codes()
    {
        var codes = new TheoryData<string>();
        foreach (var error in Enum.GetValues<UploadError>())
        {
            codes.Add(UploadErrors.Code(error));
        }

        codes.Add(AssetErrorCodes.NotFound);
        codes.Add(AssetErrorCodes.BlobMissing);
        codes.Add(AssetErrorCodes.BlobCorrupt);
        codes.Add(AssetErrorCodes.ThumbnailFailed);
        return codes;
    }

    [Theory]
    [MemberData(nameof(Codes))]
    public void Code_HasEnglishAndChineseTextWithSamePlaceholders(string code)
    {
        var english = Load("en");
        var chinese = Load("zh-CN");

        Assert.True(english.ContainsKey(code), $"en/Assets.json lacks {code}");
        Assert.True(chinese.ContainsKey(code), $"zh-CN/Assets.json lacks {code}");
        Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", chinese[code]);
        Assert.Equal(Placeholders(english[code]), Placeholders(chinese[code]));
    }

    [Fact]
    public void RejectionArguments_MatchPlaceholderCount()
    {
        var english = Load("en");

        Assert.Equal(["{0}"], Placeholders(english[UploadErrors.Code(UploadError.TooLarge)]));
        Assert.Equal(["{0}", "{1}"], Placeholders(english[UploadErrors.Code(UploadError.TooManyPixels)]));
        Assert.Empty(Placeholders(english[UploadErrors.Code(UploadError.Corrupt)]));
    }

    private static Dictionary<string, string> Load(string culture)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "CommerceOS.slnx")))
        {
            directory = directory.Parent;
        }

        Assert.NotNull(directory);
        var path = Path.Combine(directory.FullName, "src", "CommerceOS.Web", "Resources", culture, "Assets.json");
        return JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(path))!;
    }

    private static string[] Placeholders(string text) =>
        [.. PlaceholderPattern().Matches(text).Select(m => m.Value).Distinct().Order(StringComparer.Ordinal)];

    [GeneratedRegex(@"\{\d+\}")]
    private static partial Regex PlaceholderPattern();
}
