using System.Globalization;
using System.Text;
using CommerceOS.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Core.Accounts;

/// <summary>OWASP Logging Vocabulary names used in <see cref="AuditEvent.Action"/>.</summary>
public static class AuditActions
{
    public const string Register = "authn_register";
    public const string LoginSuccess = "authn_login_success";
    public const string LoginFail = "authn_login_fail";
    public const string LoginLock = "authn_login_lock";
    public const string PasswordChange = "authn_password_change";
    public const string PasswordReset = "authn_password_reset";
    public const string EmailChange = "authn_email_change";
    public const string EmailConfirm = "authn_email_confirm";
    public const string ApiKeyCreate = "apikey_create";
    public const string ApiKeyRevoke = "apikey_revoke";

    /// <summary>Rectification (privacy policy section 6): the target lists the changed fields, never their values.</summary>
    public const string ProfileUpdate = "user_profile_update";
    public const string LegalVersionPublish = "legal_version_publish";
    public const string LegalNoticeAcknowledge = "legal_notice_acknowledge";
    public const string PrivacyExportRequested = "privacy_export_requested";
    public const string PrivacyExportDownloaded = "privacy_export_downloaded";
}

public static class AuditOutcomes
{
    public const string Success = "success";
    public const string Failure = "failure";
}

/// <summary>
/// Writes <see cref="AuditEvent"/> rows (ASVS 5.0 16.3). Every text is made log-safe: control,
/// format and line/paragraph-separator characters (CR, LF, bidi overrides, ...) are removed, then it
/// is cut to the column length without splitting a surrogate pair. Never pass secrets or passwords.
/// </summary>
public sealed class AuditLog(AppDbContext db, TimeProvider time)
{
    /// <summary>Adds the event and saves it at once (use outside a business transaction).</summary>
    public async Task RecordAsync(string action, string outcome, Guid? userId = null, Guid? workspaceId = null,
        string? target = null, string? ipAddress = null, string? userAgent = null, CancellationToken cancellationToken = default)
    {
        Add(action, outcome, userId, workspaceId, target, ipAddress, userAgent);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Adds the event to the context so it commits with the caller's own SaveChanges.</summary>
    public AuditEvent Add(string action, string outcome, Guid? userId = null, Guid? workspaceId = null,
        string? target = null, string? ipAddress = null, string? userAgent = null)
    {
        var audit = new AuditEvent
        {
            Action = Clean(action, nameof(AuditEvent.Action)) ?? "unknown",
            Outcome = Clean(outcome, nameof(AuditEvent.Outcome)) ?? "unknown",
            UserId = userId,
            WorkspaceId = workspaceId,
            Target = Clean(target, nameof(AuditEvent.Target)),
            IpAddress = Clean(ipAddress, nameof(AuditEvent.IpAddress)),
            UserAgent = Clean(userAgent, nameof(AuditEvent.UserAgent)),
            OccurredAt = time.GetUtcNow().UtcDateTime,
        };
        db.AuditEvents.Add(audit);
        return audit;
    }

    /// <summary>
    /// One page of the trail, newest first: a user's own events (the seller's security log) or, with no user, everyone's
    /// (administrators). Ties at the same instant keep a stable order by ID.
    /// </summary>
    public Task<List<AuditEvent>> ListAsync(Guid? userId, string? action, int skip, int take, CancellationToken cancellationToken)
    {
        var query = db.AuditEvents.AsNoTracking();
        if (userId is { } user)
        {
            query = query.Where(e => e.UserId == user);
        }

        if (!string.IsNullOrWhiteSpace(action))
        {
            query = query.Where(e => e.Action == action);
        }

        return query.OrderByDescending(e => e.OccurredAt).ThenByDescending(e => e.Id).Skip(skip).Take(take).ToListAsync(cancellationToken);
    }

    /// <summary>Removes characters that could forge or hide log lines, then truncates to <paramref name="maxLength"/>.</summary>
    public static string? Sanitize(string? value, int maxLength)
    {
        if (value is null)
        {
            return null;
        }

        var builder = new StringBuilder(Math.Min(value.Length, maxLength));
        foreach (var rune in value.EnumerateRunes())
        {
            var category = Rune.GetUnicodeCategory(rune);
            if (category is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator
                or UnicodeCategory.ParagraphSeparator or UnicodeCategory.Surrogate or UnicodeCategory.OtherNotAssigned)
            {
                continue;
            }

            if (builder.Length + rune.Utf16SequenceLength > maxLength)
            {
                break;
            }

            builder.Append(rune.ToString());
        }

        return builder.ToString();
    }

    private string? Clean(string? value, string property)
    {
        var maxLength = db.Model.FindEntityType(typeof(AuditEvent))?.FindProperty(property)?.GetMaxLength() ?? 200;
        return Sanitize(value, maxLength);
    }
}
