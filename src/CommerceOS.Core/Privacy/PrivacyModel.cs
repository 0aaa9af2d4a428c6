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
