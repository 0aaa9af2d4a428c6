using MimeKit;

namespace CommerceOS.Core.Email;

/// <summary>
/// Deletes the copies in the pickup folder of messages sent to an address (account erasure): a message goes when any of
/// its To, Cc or Bcc recipients is the address, compared case-insensitively. Files that are not readable messages are left.
/// </summary>
public sealed class PickupMailEraser(EmailPickupFolder folder)
{
    /// <returns>The files deleted.</returns>
    public int DeleteAddressedTo(string address)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(address);
        if (!Directory.Exists(folder.Path))
        {
            return 0;
        }

        var deleted = 0;
        foreach (var file in Directory.EnumerateFiles(folder.Path, "*" + EmailPickupFolder.Extension))
        {
            bool addressed;
            try
            {
                var message = MimeMessage.Load(file);
                addressed = message.To.Mailboxes.Concat(message.Cc.Mailboxes).Concat(message.Bcc.Mailboxes)
                    .Any(m => string.Equals(m.Address, address, StringComparison.OrdinalIgnoreCase));
            }
            catch (Exception e) when (e is FormatException or IOException)
            {
                continue;
            }

            if (addressed)
            {
                File.Delete(file);
                deleted++;
            }
        }

        return deleted;
    }
}
