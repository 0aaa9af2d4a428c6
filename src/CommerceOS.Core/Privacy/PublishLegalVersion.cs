using System.Text.RegularExpressions;
using CommerceOS.Core.Accounts;
using CommerceOS.Core.Common;
using CommerceOS.Core.Data;
using Hangfire;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Core.Privacy;

public static class LegalErrors
{
    public const string DocumentInvalid = "legal.document_invalid";
    public const string VersionInvalid = "legal.version_invalid";
    public const string VersionTaken = "legal.version_taken";
    public const string TextEnglishRequired = "legal.text_en_required";
    public const string TextChineseRequired = "legal.text_zh_required";
    public const string TextTooLong = "legal.text_too_long";
    public const string SummaryRequired = "legal.summary_required";
    public const string SummaryTooLong = "legal.summary_too_long";
    public const string NoticeNotPending = "legal.notice_not_pending";
}

/// <summary>
/// An admin publishes a new version of the privacy policy or the terms (policy section 10): both language texts, a label
/// not used before for that document, and whether the change is material (then a summary in both languages is required).
/// The version becomes current at once. A material change queues the notice delivery (<see cref="LegalNoticeDelivery"/>)
/// after the commit; the recurring sweep delivers it anyway if that hand-over is lost.
/// </summary>
public sealed partial class PublishLegalVersion(AppDbContext db, AuditLog audit, LegalVersions versions, IBackgroundJobClient hangfire, TimeProvider time)
{
    public sealed record Request(string? Document, string? Version, string? TextEnglish, string? TextChinese, bool MaterialChange, string? SummaryEnglish, string? SummaryChinese);

    public async Task<Result<LegalDocumentVersion>> HandleAsync(Request request, Guid adminUserId, string? ipAddress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!await db.Users.AnyAsync(u => u.Id == adminUserId && u.IsAdmin && u.TerminatedAt == null, cancellationToken))
        {
            return Result.Forbidden();
        }

        var errors = new List<FieldError>();
        var document = request.Document?.Trim() ?? "";
        if (!LegalDocuments.All.Contains(document, StringComparer.Ordinal))
        {
            errors.Add(new FieldError("document", LegalErrors.DocumentInvalid));
        }

        var label = request.Version?.Trim() ?? "";
        if (!VersionPattern().IsMatch(label))
        {
            errors.Add(FieldError.Of("version", LegalErrors.VersionInvalid, LegalDocumentVersion.MaxVersionLength));
        }

        var english = Text(request.TextEnglish, "textEnglish", LegalErrors.TextEnglishRequired, LegalDocumentVersion.MaxTextLength, LegalErrors.TextTooLong, true, errors);
        var chinese = Text(request.TextChinese, "textChinese", LegalErrors.TextChineseRequired, LegalDocumentVersion.MaxTextLength, LegalErrors.TextTooLong, true, errors);
        var summaryEnglish = Text(request.SummaryEnglish, "summaryEnglish", LegalErrors.SummaryRequired, LegalDocumentVersion.MaxSummaryLength, LegalErrors.SummaryTooLong, request.MaterialChange, errors);
        var summaryChinese = Text(request.SummaryChinese, "summaryChinese", LegalErrors.SummaryRequired, LegalDocumentVersion.MaxSummaryLength, LegalErrors.SummaryTooLong, request.MaterialChange, errors);
        if (errors.Count > 0)
        {
            return Result.Invalid(errors);
        }

        versions.Invalidate();
        if ((await versions.GetAsync(cancellationToken)).Exists(document, label))
        {
            return Result.Conflict("version", LegalErrors.VersionTaken);
        }

        var now = time.GetUtcNow().UtcDateTime;
        var version = new LegalDocumentVersion
        {
            Document = document,
            Version = label,
            TextEnglish = english!,
            TextChinese = chinese!,
            MaterialChange = request.MaterialChange,
            SummaryEnglish = summaryEnglish,
            SummaryChinese = summaryChinese,
            PublishedAt = now,
            PublishedByUserId = adminUserId,
            // A minor change sends nothing, so there is nothing left to deliver.
            NoticesCompletedAt = request.MaterialChange ? null : now,
        };
        db.LegalDocumentVersions.Add(version);
        audit.Add(AuditActions.LegalVersionPublish, AuditOutcomes.Success, adminUserId, null, $"{document}:{label}{(request.MaterialChange ? ":material" : "")}", ipAddress: ipAddress);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException exception) when (UniqueViolation.Is(exception))
        {
            // Lost a race with another admin publishing the same label.
            return Result.Conflict("version", LegalErrors.VersionTaken);
        }
        finally
        {
            versions.Invalidate();
        }

        if (version.MaterialChange)
        {
            hangfire.Enqueue<LegalNoticeDelivery>(d => d.DeliverAsync(version.Id, CancellationToken.None));
        }

        return version;
    }

    private static string? Text(string? value, string field, string requiredCode, int maxLength, string tooLongCode, bool required, List<FieldError> errors)
    {
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            if (required)
            {
                errors.Add(new FieldError(field, requiredCode));
            }

            return null;
        }

        if (text.Length > maxLength)
        {
            errors.Add(FieldError.Of(field, tooLongCode, maxLength));
        }

        return text;
    }

    [GeneratedRegex("^[0-9A-Za-z][0-9A-Za-z._-]{0,39}$")]
    private static partial Regex VersionPattern();
}
