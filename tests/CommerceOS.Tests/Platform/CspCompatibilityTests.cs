using CommerceOS.Tests.Infrastructure;

namespace CommerceOS.Tests.Platform;

/// <summary>The CSP allows scripts and styles from files only; markup must not rely on inline ones.</summary>
public sealed class CspCompatibilityTests
{
    [Fact]
    public async Task Pages_HaveNoInlineScriptsOrStylesTheCspWouldBlock()
    {
        await using var app = await AppFactory.StartAsync(DatabaseKind.Sqlite);
        using var session = await BrowserSession.SignUpAsync(app);

        foreach (var path in new[] { "/", "/pricing", "/privacy", "/terms", "/account/register", "/account/login", "/app/dashboard", "/app/image-studio", "/app/video-studio", "/app/listing-copy", "/app/content-hub", "/app/skills", "/app/skills?skill=video-ugc", "/app/workflows", "/app/workflows/templates/new", "/app/workflows/start?template=listing-kit", "/app/new", "/app/billing", "/app/usage" })
        {
            var html = await session.Client.GetStringAsync(path, TestContext.Current.CancellationToken);
            Assert.DoesNotMatch("\\sstyle=\"", html);
            Assert.DoesNotMatch("<style[\\s>]", html);
            Assert.DoesNotMatch("<script(?![^>]*\\ssrc=)[^>]*>", html);
        }
    }
}
