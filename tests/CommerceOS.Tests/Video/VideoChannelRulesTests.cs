using CommerceOS.Core.Video;

namespace CommerceOS.Tests.Video;

/// <summary>The channel video rules of marketplace-rules.md against probed files (§3 TikTok Shop, §5 Shopee, §1.2 Amazon, §8.9 Douyin, §4 Taobao, §6 Lazada).</summary>
public sealed class VideoChannelRulesTests
{
    private const long MB = 1024 * 1024;

    [Theory]
    [InlineData(59.9, true)]
    [InlineData(60.0, false)]
    public void TikTokShop_TakesUnderSixtySecondsOnly(double seconds, bool passes)
    {
        var report = Check("tiktok-shop", Probe(seconds, 1080, 1920, 5 * MB));

        Assert.Equal(passes, report.Passes);
        Assert.Equal(passes ? [] : [VideoChannelRules.DurationTooLong], report.Issues.Select(i => i.Code));
    }

    [Fact]
    public void TikTokShop_RefusesAFileOverTenMegabytes_AndSaysHowBig()
    {
        var issue = Assert.Single(Check("tiktok-shop", Probe(15, 1080, 1920, (10 * MB) + 1)).Issues);

        Assert.Equal(VideoChannelRules.FileTooLarge, issue.Code);
        Assert.Equal(["10.0 MB", "10.0 MB"], issue.Arguments);
        Assert.Contains("§3", issue.Source, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1080, 1920, true)]
    [InlineData(1920, 1080, true)]
    [InlineData(1080, 1080, true)]
    [InlineData(1080, 2400, false)]
    [InlineData(2160, 1000, false)]
    public void TikTokShop_TakesRatiosFromNineSixteenToSixteenNine(int width, int height, bool passes) =>
        Assert.Equal(passes, Check("tiktok-shop", Probe(15, width, height, MB)).Passes);

    [Fact]
    public void Shopee_RefusesA1080x1920Frame_AndFitSizeGivesTheLargestThatFits()
    {
        var report = Check("shopee", Probe(15, 1080, 1920, 8 * MB));
        var rule = VideoChannelRules.Find("shopee")!;

        Assert.False(report.Passes);
        Assert.Equal([VideoChannelRules.ResolutionTooLarge], report.Issues.Select(i => i.Code));
        Assert.Equal((720, 1280), VideoChannelRules.FitSize(rule, 1080, 1920));
        Assert.Equal((1080, 1080), VideoChannelRules.FitSize(rule, 1080, 1080));
        Assert.True(Check("shopee", Probe(15, 720, 1280, 8 * MB)).Passes);
    }

    [Theory]
    [InlineData("amazon", 14.9, false)]
    [InlineData("amazon", 15, true)]
    [InlineData("shopee", 9.5, false)]
    [InlineData("taobao", 9, true)]
    [InlineData("douyin", 61, false)]
    public void Durations_FollowEachChannel(string marketplace, double seconds, bool passes) =>
        Assert.Equal(passes, Check(marketplace, Probe(seconds, 1080, 1080, MB, marketplace == "douyin" ? 1920 : 1080)).Passes);

    [Fact]
    public void Douyin_WantsVertical()
    {
        var report = Check("douyin", Probe(20, 1920, 1080, MB));

        Assert.Equal([VideoChannelRules.RatioOutOfRange], report.Issues.Select(i => i.Code));
        Assert.Equal(["1920x1080", "9:16"], report.Issues[0].Arguments);
    }

    [Fact]
    public void Lazada_HasNoSourcedRule_SoItsIssuesWarnButDoNotBlock()
    {
        var report = Check("lazada", Probe(8, 1080, 1920, MB));

        Assert.True(report.Passes);
        Assert.Equal([VideoChannelRules.DurationTooShort, VideoChannelRules.RatioOutOfRange], report.Issues.Select(i => i.Code));
        Assert.All(report.Issues, i => Assert.Equal(VideoRuleSeverity.Warning, i.Severity));
    }

    [Fact]
    public void AFileThatIsNotMp4_FailsEveryBlockingChannel()
    {
        var probe = Probe(20, 1080, 1920, MB) with { Container = "matroska,webm" };

        var reports = VideoChannelRules.CheckAll(probe);

        Assert.Equal(VideoChannelRules.Marketplaces, reports.Select(r => r.Marketplace));
        Assert.All(reports, r => Assert.Contains(r.Issues, i => i.Code == VideoChannelRules.NotMp4));
        Assert.All(reports.Where(r => r.Marketplace != "lazada"), r => Assert.False(r.Passes));
    }

    private static VideoChannelReport Check(string marketplace, VideoProbe probe) => VideoChannelRules.Check(probe, VideoChannelRules.Find(marketplace)!);

    private static VideoProbe Probe(double seconds, int width, int height, long bytes, int? heightOverride = null) =>
        new(TimeSpan.FromSeconds(seconds), width, heightOverride ?? height, bytes, "mov,mp4,m4a,3gp,3g2,mj2", "h264", "aac", 30);
}
