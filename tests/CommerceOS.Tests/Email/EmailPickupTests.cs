using System.Text;
using CommerceOS.Core.Email;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using MimeKit;

namespace CommerceOS.Tests.Email;

public sealed class EmailPickupTests : IDisposable
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "commerceos-tests", "mail-" + Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 7, 1, 8, 0, 0, TimeSpan.Zero));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        if (Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }

    private ServiceProvider Build(Dictionary<string, string?>? settings = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(_time);
        services.AddEmail(new ConfigurationBuilder().AddInMemoryCollection(settings ?? []).Build(), _dataDirectory);
        return services.BuildServiceProvider();
    }

    private string PickupPath => Path.Combine(_dataDirectory, "mail", "pickup");

    [Fact]
    public async Task SendAsync_ChineseSubjectWithHtml_RoundTripsThroughPickupFolder()
    {
        using var provider = Build();
        var sender = provider.GetRequiredService<IEmailSender>();
        var reader = provider.GetRequiredService<EmailPickupReader>();
        Assert.IsType<EmailPickupSender>(sender);

        await sender.SendAsync(new EmailMessage("王小明 <wang@example.cn>", "请验证您的 CommerceOS 邮箱地址", "您好,请点击链接。\nhttps://x.test/a?b=c", "<p>您好</p>"), Ct);

        var file = Assert.Single(Directory.GetFiles(PickupPath));
        Assert.Matches(@"/20260701T080000000Z-[0-9a-f]{32}\.eml$", file);
        var raw = await File.ReadAllBytesAsync(file, Ct);
        Assert.All(raw, b => Assert.True(b < 0x80, "the .eml must be 7-bit clean"));
        var text = Encoding.ASCII.GetString(raw);
        Assert.Matches(@"(?m)^Subject: =\?utf-8\?[bq]\?", text);
        Assert.Contains("multipart/alternative", text, StringComparison.Ordinal);

        var summary = Assert.Single(await reader.ListAsync(0, 50, Ct));
        Assert.Equal("请验证您的 CommerceOS 邮箱地址", summary.Subject);
        Assert.Contains("wang@example.cn", summary.To, StringComparison.Ordinal);
        Assert.Contains("no-reply@commerceos.localhost", summary.From, StringComparison.Ordinal);
        Assert.Equal(new DateTime(2026, 7, 1, 8, 0, 0, DateTimeKind.Utc), summary.SentAt);

        var message = await reader.ReadAsync(summary.Id, Ct);
        Assert.NotNull(message);
        Assert.Equal("您好,请点击链接。\nhttps://x.test/a?b=c", message.TextBody!.ReplaceLineEndings("\n").TrimEnd('\n'));
        Assert.Equal("<p>您好</p>", message.HtmlBody!.Trim());
    }

    [Fact]
    public async Task SendAsync_TextOnly_WritesSinglePlainPart()
    {
        using var provider = Build();

        await provider.GetRequiredService<IEmailSender>().SendAsync(new EmailMessage("a@example.com", "Hello", "Plain body"), Ct);

        var message = await MimeMessage.LoadAsync(Assert.Single(Directory.GetFiles(PickupPath)), Ct);
        var part = Assert.IsType<TextPart>(message.Body);
        Assert.True(part.IsPlain);
        Assert.Equal("Plain body", message.TextBody?.Trim());
    }

    [Fact]
    public async Task ListAsync_SeveralMessages_NewestFirstWithPaging()
    {
        using var provider = Build();
        var sender = provider.GetRequiredService<IEmailSender>();
        foreach (var subject in new[] { "first", "second", "third" })
        {
            await sender.SendAsync(new EmailMessage("a@example.com", subject, "body"), Ct);
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        var reader = provider.GetRequiredService<EmailPickupReader>();

        Assert.Equal(["third", "second", "first"], (await reader.ListAsync(0, 10, Ct)).Select(m => m.Subject));
        Assert.Equal(["second"], (await reader.ListAsync(1, 1, Ct)).Select(m => m.Subject));
    }

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("..")]
    [InlineData("20260701T080000000Z-0123456789abcdef0123456789abcdef")]
    [InlineData("/tmp/x")]
    public async Task ReadAsync_ForeignOrUnknownId_ReturnsNull(string id)
    {
        using var provider = Build();

        Assert.Null(await provider.GetRequiredService<EmailPickupReader>().ReadAsync(id, Ct));
    }

    [Fact]
    public void AddEmail_SmtpWithoutHost_FailsValidation()
    {
        using var provider = Build(new() { ["Email:Provider"] = "smtp" });

        var exception = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<EmailOptions>>().Value);
        Assert.Contains("Email:Smtp:Host", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sendgrid", "Email:Provider")]
    [InlineData("pickup", "Email:From")]
    public void AddEmail_UnknownProviderOrBadSender_FailsValidation(string provider, string expected)
    {
        using var services = Build(new() { ["Email:Provider"] = provider, ["Email:From"] = provider == "pickup" ? "not an address <" : "a@b.c" });

        var exception = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<EmailOptions>>().Value);
        Assert.Contains(expected, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddEmail_SmtpConfigured_SelectsSmtpSender()
    {
        using var provider = Build(new() { ["Email:Provider"] = "smtp", ["Email:Smtp:Host"] = "127.0.0.1" });

        Assert.IsType<SmtpEmailSender>(provider.GetRequiredService<IEmailSender>());
        Assert.True(provider.GetRequiredService<IOptions<EmailOptions>>().Value.Smtp.UseTls);
    }
}
