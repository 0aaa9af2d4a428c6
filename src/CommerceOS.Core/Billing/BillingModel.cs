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
            subscription.Property(s => s.GrantedFeatures).HasJsonConversion();
            subscription.HasIndex(s => s.WorkspaceId).IsUnique();
            subscription.Property(s => s.Gateway).HasMaxLength(20);
            subscription.Property(s => s.GatewayCustomerId).HasMaxLength(120);
            subscription.Property(s => s.GatewaySubscriptionId).HasMaxLength(120);
            subscription.Property(s => s.Currency).HasMaxLength(3);
            subscription.Property(s => s.PendingPlanCode).HasMaxLength(20);
            subscription.HasIndex(s => s.GatewaySubscriptionId);
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

        builder.Entity<BillingOrder>(order =>
        {
            order.ToTable("BillingOrders");
            order.Property(o => o.Gateway).HasMaxLength(20);
            order.Property(o => o.PlanCode).HasMaxLength(20);
            order.Property(o => o.Currency).HasMaxLength(3);
            order.Property(o => o.GatewayReference).HasMaxLength(200);
            order.HasIndex(o => new { o.Status, o.CreatedAt });
            order.HasOne<Workspaces.Workspace>().WithMany().HasForeignKey(o => o.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<PaymentInboxEntry>(entry =>
        {
            entry.ToTable("PaymentInbox");
            entry.Property(e => e.Gateway).HasMaxLength(20);
            entry.Property(e => e.EventId).HasMaxLength(200);
            entry.Property(e => e.Type).HasMaxLength(100);
            entry.Property(e => e.SubscriptionId).HasMaxLength(120);
            entry.Property(e => e.CustomerId).HasMaxLength(120);
            entry.Property(e => e.Currency).HasMaxLength(3);
            entry.Property(e => e.Source).HasMaxLength(20);
            entry.Property(e => e.Outcome).HasMaxLength(200);
            entry.HasIndex(e => new { e.Gateway, e.EventId }).IsUnique();
            entry.HasIndex(e => new { e.ProcessedAt, e.ReceivedAt });
        });

        builder.Entity<Invoice>(invoice =>
        {
            invoice.ToTable("Invoices");
            invoice.Property(i => i.Number).HasMaxLength(30);
            invoice.Property(i => i.Gateway).HasMaxLength(20);
            invoice.Property(i => i.GatewayReference).HasMaxLength(200);
            invoice.Property(i => i.PlanCode).HasMaxLength(20);
            invoice.Property(i => i.Currency).HasMaxLength(3);
            invoice.HasIndex(i => i.Number).IsUnique();
            invoice.HasIndex(i => new { i.Gateway, i.GatewayReference }).IsUnique();
            invoice.HasIndex(i => new { i.WorkspaceId, i.IssuedAt });
            // No foreign key: invoices outlive the workspace for the statutory period (privacy policy §5).
        });

        builder.Entity<InvoiceSequence>(sequence =>
        {
            sequence.ToTable("InvoiceSequences");
            sequence.HasKey(s => s.Year);
            sequence.Property(s => s.Year).ValueGeneratedNever();
        });

        builder.Entity<Payments.TestGatewayPayment>(payment =>
        {
            payment.ToTable("TestGatewayPayments");
            payment.HasKey(p => p.OrderId);
            payment.Property(p => p.Status).HasMaxLength(20);
            payment.Property(p => p.Currency).HasMaxLength(3);
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
