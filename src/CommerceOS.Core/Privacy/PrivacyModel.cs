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
    }
}
