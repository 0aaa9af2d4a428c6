using System.Net;
using System.Net.Sockets;
using System.Text;
using CommerceOS.Core.Email;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using MimeKit;

namespace CommerceOS.Tests.Email;

public sealed class SmtpEmailSenderTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A one-message SMTP server on loopback that records the envelope and DATA.</summary>
    private sealed class FakeSmtpServer : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);

        public FakeSmtpServer()
        {
            _listener.Start();
            Session = RunAsync();
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public Task Session { get; }

        public List<string> Commands { get; } = [];

        public string Data { get; private set; } = "";

        public void Dispose() => _listener.Stop();

        private async Task RunAsync()
        {
            using var client = await _listener.AcceptTcpClientAsync();
            await using var stream = client.GetStream();
            using var reader = new StreamReader(stream, Encoding.ASCII);
            await using var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
            await writer.WriteLineAsync("220 fake ESMTP");
            while (await reader.ReadLineAsync() is { } line)
            {
                Commands.Add(line);
                var verb = line.Split(' ')[0].ToUpperInvariant();
                switch (verb)
                {
                    case "EHLO":
                        await writer.WriteLineAsync("250-fake");
                        await writer.WriteLineAsync("250 8BITMIME");
                        break;
                    case "DATA":
                        await writer.WriteLineAsync("354 go ahead");
                        var data = new StringBuilder();
                        while (await reader.ReadLineAsync() is { } dataLine && dataLine != ".")
                        {
                            data.Append(dataLine).Append("\r\n");
                        }

                        Data = data.ToString();
                        await writer.WriteLineAsync("250 queued");
                        break;
                    case "QUIT":
                        await writer.WriteLineAsync("221 bye");
                        return;
                    default:
                        await writer.WriteLineAsync("250 ok");
                        break;
                }
            }
        }
    }

    [Fact]
    public async Task SendAsync_PlainRelay_DeliversEnvelopeAndChineseSubject()
    {
        using var server = new FakeSmtpServer();
        var options = Options.Create(new EmailOptions
        {
            Provider = EmailOptions.SmtpProvider,
            Smtp = new SmtpEmailOptions { Host = "127.0.0.1", Port = server.Port, UseTls = false, From = "Shop <shop@example.com>" },
        });
        var sender = new SmtpEmailSender(options, new FakeTimeProvider(new DateTimeOffset(2026, 7, 1, 8, 0, 0, TimeSpan.Zero)));

        await sender.SendAsync(new EmailMessage("wang@example.cn", "重置您的 CommerceOS 密码", "正文", "<b>正文</b>"), Ct);
        await server.Session.WaitAsync(TimeSpan.FromSeconds(10), Ct);

        Assert.Contains(server.Commands, c => c.StartsWith("MAIL FROM:<shop@example.com>", StringComparison.Ordinal));
        Assert.Contains(server.Commands, c => c.StartsWith("RCPT TO:<wang@example.cn>", StringComparison.Ordinal));
        var message = MimeMessage.Load(new MemoryStream(Encoding.ASCII.GetBytes(server.Data)), Ct);
        Assert.Equal("重置您的 CommerceOS 密码", message.Subject);
        Assert.Equal("正文", message.TextBody?.Trim());
        Assert.Equal("<b>正文</b>", message.HtmlBody?.Trim());
    }
}
