using CommerceOS.Core.Accounts;

namespace CommerceOS.Tests.Accounts;

public sealed class PasswordPolicyTests
{
    // Varied text with no dictionary run, so only the length rule can fire.
    private const string Source = "qz7Kp2mW9rT4vB8nL3hYx6Jc1Gd5Fs0Au";

    private static string OfLength(int length) =>
        string.Concat(Enumerable.Repeat(Source, (length / Source.Length) + 1))[..length];

    private static IReadOnlyList<string> Codes(string password, string? email = "mei.chen@example.com", string? displayName = "Mei Chen") =>
        [.. PasswordPolicy.Check(password, email, displayName).Select(e => e.Code)];

    [Theory]
    [InlineData(11, AccountErrors.PasswordTooShort)]
    [InlineData(12, null)]
    [InlineData(128, null)]
    [InlineData(129, AccountErrors.PasswordTooLong)]
    public void Check_Length_BoundariesAt12And128(int length, string? expected)
    {
        var codes = Codes(OfLength(length));

        if (expected is null)
        {
            Assert.Empty(codes);
        }
        else
        {
            Assert.Equal([expected], codes);
        }
    }

    [Fact]
    public void Check_TooShort_CarriesMinimumAsArgument()
    {
        var error = Assert.Single(PasswordPolicy.Check(OfLength(5), null, null));

        Assert.Equal(["12"], error.Arguments);
    }

    [Fact]
    public void Check_LengthCountsCodePoints_NotUtf16Units()
    {
        var emoji11 = string.Concat(Enumerable.Repeat("🛒", 11));
        Assert.Equal(22, emoji11.Length);

        Assert.Contains(AccountErrors.PasswordTooShort, Codes(emoji11));
        Assert.Empty(Codes(emoji11 + "🚀"));
        Assert.Empty(Codes(string.Concat(Enumerable.Repeat("🚀", 128))));
        Assert.Contains(AccountErrors.PasswordTooLong, Codes(string.Concat(Enumerable.Repeat("🚀", 129))));
    }

    [Theory]
    [InlineData("跨境电商运营系统安全密码测试一二三四五六七八九十甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥春夏秋冬东南西北上下左右前后天地玄黄")]
    [InlineData("🔐🌏🛒🚀🎁📦🧾💳🔐🌏🛒🚀🎁📦🧾💳🔐🌏🛒🚀🎁📦🧾💳🔐🌏🛒🚀🎁📦🧾💳🔐🌏🛒🚀🎁📦🧾💳🔐🌏🛒🚀🎁📦🧾💳🔐🌏🛒🚀🎁📦🧾💳🔐🌏🛒🚀🎁📦🧾💳")]
    public void Check_CjkAndEmojiOf64Characters_Accepted(string password)
    {
        Assert.Equal(64, PasswordPolicy.Length(password));
        Assert.Empty(Codes(password));
    }

    [Fact]
    public void Check_PassphraseWithoutDigitsOrCapitals_NoCompositionErrors()
    {
        Assert.Empty(Codes("correct horse battery staple"));
    }

    [Fact]
    public void CommonPasswords_WholeZxcvbnListIsLoaded()
    {
        Assert.True(CommonPasswords.Entries.Count >= 30_000, $"only {CommonPasswords.Entries.Count} entries");
        Assert.Equal("123456", CommonPasswords.Entries[0]);
    }

    [Fact]
    public void Check_EveryListEntryOf12OrMoreCharacters_RejectedAsCommon()
    {
        var long12 = CommonPasswords.Entries.Where(p => PasswordPolicy.Length(p) >= 12).ToList();
        Assert.True(long12.Count > 200, $"expected the ~229 long entries, got {long12.Count}");

        var accepted = long12.Where(p => !Codes(p, null, null).Contains(AccountErrors.PasswordCommon)).ToList();

        Assert.Empty(accepted);
    }

    [Fact]
    public void Check_Top3000Entries_AllRejected()
    {
        var top = CommonPasswords.Entries.Take(3_000).ToList();

        var accepted = top.Where(p => PasswordPolicy.Check(p, null, null).Count == 0).ToList();

        Assert.Equal(3_000, top.Count);
        Assert.Empty(accepted);
        Assert.Contains(AccountErrors.PasswordTooShort, Codes("password", null, null));
    }

    [Fact]
    public void Check_CommonPasswordInOtherCase_Rejected()
    {
        var entry = CommonPasswords.Entries.First(p => PasswordPolicy.Length(p) >= 12 && p.Any(char.IsLetter));

        Assert.Contains(AccountErrors.PasswordCommon, Codes(entry.ToUpperInvariant(), null, null));
    }

    [Theory]
    [InlineData("my mei.chen secret lamp", "mei.chen@example.com", "Someone Else")]
    [InlineData("autumn CHEN garden lamp", "mc@example.com", "Mei Chen")]
    [InlineData("autumn meichen garden x", "mc@example.com", "Mei Chen")]
    [InlineData("i love CommerceOS a lot", null, null)]
    [InlineData("王小明的店铺密码很长很长", "shop@example.com", "王小明")]
    public void Check_ContainsContextWord_Rejected(string password, string? email, string? displayName)
    {
        Assert.Contains(AccountErrors.PasswordContainsContext, Codes(password, email, displayName));
    }

    [Fact]
    public void Check_ShortContextWords_Ignored()
    {
        Assert.Empty(Codes("absolutely fine phrase", "ab@example.com", "Al"));
    }

    [Fact]
    public void Evaluate_StrongAndWeak_ScoresDiffer()
    {
        var strong = PasswordPolicy.Evaluate("violet lantern orbit 42 tundra", "mc@example.com", "Mei Chen");
        var weak = PasswordPolicy.Evaluate("qwerty123456", "mc@example.com", "Mei Chen");

        Assert.True(strong.IsAcceptable);
        Assert.False(weak.IsAcceptable);
        Assert.True(strong.StrengthScore > weak.StrengthScore);
        Assert.InRange(strong.StrengthScore, 3, 4);
    }

    [Fact]
    public void Evaluate_LongAcceptablePassword_RatedStrongWithoutEstimator()
    {
        var check = PasswordPolicy.Evaluate(OfLength(PasswordPolicy.StrengthEstimateMaximumLength + 1), null, null);
        var tooLong = PasswordPolicy.Evaluate(OfLength(129), null, null);

        Assert.Equal(4, check.StrengthScore);
        Assert.True(check.IsAcceptable);
        Assert.False(tooLong.IsAcceptable);
        Assert.InRange(tooLong.StrengthScore, 0, 1);
    }
}
