using Microsoft.Extensions.Options;
using MimeKit;

namespace CommerceOS.Core.Email;

/// <summary>
/// The embedded default <see cref="IEmailSender"/>: writes each message as an RFC 5322 <c>.eml</c>
/// file to the pickup folder under a server-generated name (<c>yyyyMMddTHHmmssfffZ-{uuid v7}.eml</c>,
/// so names sort by time). The file appears atomically (temp file, then rename), so
/// <see cref="EmailPickupReader"/> never sees half a message. A message with an
/// <see cref="EmailMessage.IdempotencyKey"/> is named by it instead of a random id, and dropped when a file with that
/// key exists already (a retry of a message handed over before).
/// </summary>
public sealed class EmailPickupSender(IOptions<EmailOptions> options, EmailPickupFolder folder, TimeProvider time) : IEmailSender
{
    public async Task SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var now = time.GetUtcNow();
        var mime = MimeMessages.Build(message, options.Value.From, now);
        Directory.CreateDirectory(folder.Path);

        var key = message.IdempotencyId;
        if (key is not null && Directory.EnumerateFiles(folder.Path, $"*-{key}{EmailPickupFolder.Extension}").Any())
        {
            return;
        }

        var name = $"{now.UtcDateTime:yyyyMMdd'T'HHmmssfff'Z'}-{key ?? Guid.CreateVersion7(now).ToString("N")}";
        var temp = System.IO.Path.Combine(folder.Path, $".{name}.tmp");
        await using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
        {
            await mime.WriteToAsync(FormatOptions.Default, stream, cancellationToken);
        }

        File.Move(temp, System.IO.Path.Combine(folder.Path, name + EmailPickupFolder.Extension));
    }
}

/// <summary>The resolved pickup folder (<c>Email:PickupDirectory</c> or <c>&lt;data dir&gt;/mail/pickup</c>).</summary>
public sealed class EmailPickupFolder(string path)
{
    public const string Extension = ".eml";

    public string Path { get; } = path;
}
