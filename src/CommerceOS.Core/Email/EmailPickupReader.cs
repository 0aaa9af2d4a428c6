using System.Text.RegularExpressions;
using MimeKit;

namespace CommerceOS.Core.Email;

public sealed record PickupMessageSummary(string Id, string From, string To, string Subject, DateTime SentAt, long SizeBytes);

public sealed record PickupMessage(string Id, string From, string To, string Subject, DateTime SentAt, string? TextBody, string? HtmlBody);

/// <summary>
/// Lists and reads the pickup folder for the admin outbox page, newest first. Ids are the file
/// names without extension; anything else (paths, dots) is refused, so an id can never leave the folder.
/// </summary>
public sealed partial class EmailPickupReader(EmailPickupFolder folder)
{
    public async Task<IReadOnlyList<PickupMessageSummary>> ListAsync(int skip, int take, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(folder.Path))
        {
            return [];
        }

        var files = new DirectoryInfo(folder.Path)
            .EnumerateFiles("*" + EmailPickupFolder.Extension)
            .Where(f => IdPattern().IsMatch(Path.GetFileNameWithoutExtension(f.Name)))
            .OrderByDescending(f => f.Name, StringComparer.Ordinal)
            .Skip(Math.Max(skip, 0))
            .Take(Math.Clamp(take, 0, 500));

        var result = new List<PickupMessageSummary>();
        foreach (var file in files)
        {
            var message = await MimeMessage.LoadAsync(file.FullName, cancellationToken);
            result.Add(new PickupMessageSummary(
                Path.GetFileNameWithoutExtension(file.Name),
                message.From.ToString(),
                message.To.ToString(),
                message.Subject ?? "",
                message.Date.UtcDateTime,
                file.Length));
        }

        return result;
    }

    /// <summary>Returns the message, or null when the id is malformed or no such file exists.</summary>
    public async Task<PickupMessage?> ReadAsync(string id, CancellationToken cancellationToken)
    {
        if (!IdPattern().IsMatch(id))
        {
            return null;
        }

        var path = Path.Combine(folder.Path, id + EmailPickupFolder.Extension);
        if (!File.Exists(path))
        {
            return null;
        }

        var message = await MimeMessage.LoadAsync(path, cancellationToken);
        return new PickupMessage(id, message.From.ToString(), message.To.ToString(), message.Subject ?? "",
            message.Date.UtcDateTime, message.TextBody, message.HtmlBody);
    }

    [GeneratedRegex("^[0-9]{8}T[0-9]{9}Z-[0-9a-f]{32}$")]
    private static partial Regex IdPattern();
}
