using CommerceOS.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Core.Billing;

internal static class BillingModel
{
    public static void Configure(ModelBuilder builder)
    {
        builder.Entity<Plan>(plan =>
        {
            plan.HasKey(p => p.Code);
            plan.Property(p => p.Code).HasMaxLength(20);
            plan.Property(p => p.NameEn).HasMaxLength(60);
            plan.Property(p => p.NameZh).HasMaxLength(60);
            plan.Property(p => p.TaglineEn).HasMaxLength(200);
            plan.Property(p => p.TaglineZh).HasMaxLength(200);
            plan.Property(p => p.SupportTier).HasMaxLength(20);
            plan.Property(p => p.Quotas).HasJsonConversion();
            plan.Property(p => p.Features).HasJsonConversion();
            plan.HasData(PlanCatalog.Seed);
        });

        builder.Entity<Subscription>(subscription =>
        {
            subscription.Property(s => s.PlanCode).HasMaxLength(20);
            subscription.Property(s => s.CustomLimits).HasJsonConversion();
            subscription.HasIndex(s => s.WorkspaceId).IsUnique();
            subscription.HasOne<Plan>().WithMany().HasForeignKey(s => s.PlanCode).OnDelete(DeleteBehavior.Restrict);
            subscription.HasOne<Workspaces.Workspace>().WithMany().HasForeignKey(s => s.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<UsageCounter>(counter =>
        {
            counter.ToTable("UsageCounters");
            counter.Property(c => c.Meter).HasMaxLength(20);
            counter.HasIndex(c => new { c.WorkspaceId, c.Meter, c.PeriodStart }).IsUnique();
            counter.HasOne<Workspaces.Workspace>().WithMany().HasForeignKey(c => c.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<UsageReservation>(reservation =>
        {
            reservation.Property(r => r.Meter).HasMaxLength(20);
            reservation.HasIndex(r => r.JobId).IsUnique();
            reservation.HasIndex(r => new { r.Status, r.ExpiresAt });
            reservation.HasOne<UsageCounter>().WithMany().HasForeignKey(r => r.CounterId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}
