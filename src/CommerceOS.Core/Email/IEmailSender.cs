namespace CommerceOS.Core.Email;

/// <summary>A message ready to send: both bodies already rendered in the recipient's language.</summary>
public sealed record EmailMessage(string To, string Subject, string TextBody, string? HtmlBody = null);

/// <summary>
/// Sends e-mail. The embedded default writes RFC 5322 <c>.eml</c> files to a pickup folder that
/// admins can read in the app; SMTP is configuration. Throws when the message could not be handed over.
/// </summary>
public interface IEmailSender
{
    Task SendAsync(EmailMessage message, CancellationToken cancellationToken);
}
