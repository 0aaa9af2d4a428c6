using System.Text;
using MimeKit;

namespace CommerceOS.Core.Email;

/// <summary>Builds the RFC 5322 message shared by the pickup and SMTP senders.</summary>
internal static class MimeMessages
{
    public static MimeMessage Build(EmailMessage message, string from, DateTimeOffset date)
    {
        var mime = new MimeMessage { Date = date, Subject = message.Subject };
        mime.From.Add(MailboxAddress.Parse(from));
        mime.To.Add(MailboxAddress.Parse(message.To));
        var domain = mime.From.Mailboxes.First().Domain;
        // A keyed message has the same Message-ID on every attempt, so a receiving system can drop a repeat.
        mime.MessageId = message.IdempotencyId is { } id ? $"{id}@{domain}" : MimeKit.Utils.MimeUtils.GenerateMessageId(domain);

        var text = new TextPart("plain");
        text.SetText(Encoding.UTF8, message.TextBody);
        if (message.HtmlBody is null)
        {
            mime.Body = text;
        }
        else
        {
            var html = new TextPart("html");
            html.SetText(Encoding.UTF8, message.HtmlBody);
            mime.Body = new MultipartAlternative { text, html };
        }

        // 7-bit transfer encodings (quoted-printable/base64) so any relay can carry the UTF-8 bodies;
        // MimeKit writes non-ASCII headers as RFC 2047 encoded-words.
        mime.Prepare(EncodingConstraint.SevenBit);
        return mime;
    }
}
