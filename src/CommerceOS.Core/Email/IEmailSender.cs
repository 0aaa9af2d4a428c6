namespace CommerceOS.Core.Email;

/// <summary>A message ready to send: both bodies already rendered in the recipient's language.</summary>
/// <param name="IdempotencyKey">
/// Optional deterministic identity (e.g. one per user and notice): the Message-ID is derived from it, and the pickup
/// sender drops a message whose key it has written before, so a retry after a crash between send and bookkeeping does
/// not deliver twice. Ids only, never personal data.
/// </param>
public sealed record EmailMessage(string To, string Subject, string TextBody, string? HtmlBody = null, string? IdempotencyKey = null)
{
    /// <summary>The key as 32 lower-case hex digits (SHA-256 prefix), or null without a key.</summary>
    public string? IdempotencyId => IdempotencyKey is null
        ? null
        : Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(IdempotencyKey)), 0, 16);
}

/// <summary>
/// Sends e-mail. The embedded default writes RFC 5322 <c>.eml</c> files to a pickup folder that
/// admins can read in the app; SMTP is configuration. Throws when the message could not be handed over.
/// </summary>
public interface IEmailSender
{
    Task SendAsync(EmailMessage message, CancellationToken cancellationToken);
}
