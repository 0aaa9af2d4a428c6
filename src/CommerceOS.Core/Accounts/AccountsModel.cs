using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Core.Accounts;

internal static class AccountsModel
{
    public static void Configure(ModelBuilder builder)
    {
        builder.Entity<AppUser>(user =>
        {
            user.Property(u => u.DisplayName).HasMaxLength(100);
            user.Property(u => u.PreferredLanguage).HasMaxLength(10);
        });

        builder.Entity<ConsentRecord>(consent =>
        {
            consent.Property(c => c.Purpose).HasMaxLength(40);
            consent.Property(c => c.Version).HasMaxLength(40);
            consent.HasIndex(c => new { c.UserId, c.Purpose });
        });

        builder.Entity<ApiKey>(key =>
        {
            key.Property(k => k.Name).HasMaxLength(100);
            key.Property(k => k.Prefix).HasMaxLength(16);
            key.Property(k => k.KeyHash).HasMaxLength(64);
            key.HasIndex(k => k.KeyHash).IsUnique();
            key.HasIndex(k => k.UserId);
        });

        builder.Entity<AuditEvent>(audit =>
        {
            audit.Property(a => a.Action).HasMaxLength(60);
            audit.Property(a => a.Outcome).HasMaxLength(20);
            audit.Property(a => a.Target).HasMaxLength(200);
            audit.Property(a => a.IpAddress).HasMaxLength(64);
            audit.Property(a => a.UserAgent).HasMaxLength(300);
            audit.HasIndex(a => new { a.UserId, a.OccurredAt });
            audit.HasIndex(a => new { a.WorkspaceId, a.OccurredAt });
            audit.HasIndex(a => a.OccurredAt);
        });
    }
}
