using CommerceOS.Core.Accounts;
using CommerceOS.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Web.Features.Legal;

/// <summary>A legal document's current version and its text in one language.</summary>
public sealed record LegalText(string Version, string Text);

/// <summary>The texts of the legal documents: the latest published version, else the seed text shipped with the product.</summary>
public static class LegalTexts
{
    private static readonly Lazy<LegalDocument> PrivacyDocument = new(() => LegalDocument.Load("privacy-policy.txt", "隐私政策"));
    private static readonly Lazy<LegalDocument> TermsDocument = new(() => LegalDocument.Load("terms-of-service.txt", "服务条款"));

    public static async Task<LegalText> CurrentAsync(AppDbContext db, string document, bool chinese, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var latest = await db.LegalDocumentVersions.AsNoTracking()
            .Where(v => v.Document == document)
            .OrderByDescending(v => v.PublishedAt).ThenByDescending(v => v.Id)
            .Select(v => new LegalText(v.Version, chinese ? v.TextChinese : v.TextEnglish))
            .FirstOrDefaultAsync(cancellationToken);
        var seed = document == LegalDocuments.Terms ? TermsDocument.Value : PrivacyDocument.Value;
        return latest ?? new LegalText(LegalDocuments.SeedVersion(document), seed.For(chinese));
    }
}
