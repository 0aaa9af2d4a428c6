using CommerceOS.Core.Accounts;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Core.Privacy;

internal static class PrivacyModel
{
    public static void Configure(ModelBuilder builder)
    {
        builder.Entity<PageView>(view =>
        {
            view.Property(v => v.Path).HasMaxLength(AnalyticsCollector.MaxPathLength);
            view.Property(v => v.Browser).HasMaxLength(20);
            view.Property(v => v.OperatingSystem).HasMaxLength(20);
            view.Property(v => v.Device).HasMaxLength(20);
            view.Property(v => v.Network).HasMaxLength(50);
            view.HasIndex(v => v.VisitorId);
            view.HasIndex(v => v.UserId);
            view.HasIndex(v => v.ViewedAt);
        });

        builder.Entity<LegalDocumentVersion>(version =>
        {
            version.Property(v => v.Document).HasMaxLength(20);
            version.Property(v => v.Version).HasMaxLength(LegalDocumentVersion.MaxVersionLength);
            version.Property(v => v.TextEnglish).HasMaxLength(LegalDocumentVersion.MaxTextLength);
            version.Property(v => v.TextChinese).HasMaxLength(LegalDocumentVersion.MaxTextLength);
            version.Property(v => v.SummaryEnglish).HasMaxLength(LegalDocumentVersion.MaxSummaryLength);
            version.Property(v => v.SummaryChinese).HasMaxLength(LegalDocumentVersion.MaxSummaryLength);
            version.HasIndex(v => new { v.Document, v.Version }).IsUnique();
            version.HasIndex(v => new { v.Document, v.PublishedAt });
        });

        builder.Entity<LegalNotice>(notice =>
        {
            notice.HasIndex(n => new { n.VersionId, n.UserId }).IsUnique();
            notice.HasIndex(n => new { n.VersionId, n.SentAt });
            notice.HasOne<LegalDocumentVersion>().WithMany().HasForeignKey(n => n.VersionId).OnDelete(DeleteBehavior.Cascade);
            notice.HasOne<AppUser>().WithMany().HasForeignKey(n => n.UserId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<PersonalDataExport>(export =>
        {
            export.Property(e => e.TokenHash).HasMaxLength(64);
            export.Property(e => e.BlobKey).HasMaxLength(200);
            export.HasIndex(e => e.TokenHash).IsUnique();
            export.HasIndex(e => new { e.UserId, e.RequestedAt });
            export.HasIndex(e => e.ExpiresAt);
        });
    }
}
