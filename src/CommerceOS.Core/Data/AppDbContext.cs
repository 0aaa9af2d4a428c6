using System.Linq.Expressions;
using CommerceOS.Core.Accounts;
using CommerceOS.Core.Assets;
using CommerceOS.Core.Billing;
using CommerceOS.Core.Catalog;
using CommerceOS.Core.Copy;
using CommerceOS.Core.Jobs;
using CommerceOS.Core.Publishing;
using CommerceOS.Core.Translation;
using CommerceOS.Core.Workflows;
using CommerceOS.Core.Workspaces;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Core.Data;

/// <summary>
/// The one database context. Every <see cref="ITenantOwned"/> entity gets the global query filter
/// named <see cref="TenantFilter"/>, bound to the scope's <see cref="WorkspaceContext"/>.
/// </summary>
public sealed class AppDbContext(DbContextOptions<AppDbContext> options, WorkspaceContext workspace)
    : IdentityDbContext<AppUser, AppRole, Guid>(options), IDataProtectionKeyContext
{
    public const string TenantFilter = "Tenant";

    /// <summary>Read by the query filters on every query; <see cref="Guid.Empty"/> matches no row.</summary>
    public Guid CurrentWorkspaceId => workspace.WorkspaceId ?? Guid.Empty;

    public DbSet<Workspace> Workspaces => Set<Workspace>();

    public DbSet<WorkspaceMember> WorkspaceMembers => Set<WorkspaceMember>();

    public DbSet<WorkspaceInvitation> WorkspaceInvitations => Set<WorkspaceInvitation>();

    public DbSet<ConsentRecord> ConsentRecords => Set<ConsentRecord>();

    public DbSet<Privacy.PageView> PageViews => Set<Privacy.PageView>();

    public DbSet<Privacy.LegalDocumentVersion> LegalDocumentVersions => Set<Privacy.LegalDocumentVersion>();

    public DbSet<Privacy.LegalNotice> LegalNotices => Set<Privacy.LegalNotice>();
    public DbSet<Privacy.PersonalDataExport> PersonalDataExports => Set<Privacy.PersonalDataExport>();

    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();

    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();

    public DbSet<Product> Products => Set<Product>();

    public DbSet<ProductVariant> ProductVariants => Set<ProductVariant>();

    public DbSet<ProductPhoto> ProductPhotos => Set<ProductPhoto>();

    public DbSet<Brand> Brands => Set<Brand>();

    public DbSet<Asset> Assets => Set<Asset>();

    public DbSet<Job> Jobs => Set<Job>();

    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();

    public DbSet<Plan> Plans => Set<Plan>();

    public DbSet<Subscription> Subscriptions => Set<Subscription>();

    public DbSet<UsageCounter> UsageCounters => Set<UsageCounter>();

    public DbSet<UsageReservation> UsageReservations => Set<UsageReservation>();

    public DbSet<TranslationMemoryEntry> TranslationMemory => Set<TranslationMemoryEntry>();

    public DbSet<ListingCopy> ListingCopies => Set<ListingCopy>();

    public DbSet<ListingCopyVersion> ListingCopyVersions => Set<ListingCopyVersion>();

    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<WorkflowBatch> WorkflowBatches => Set<WorkflowBatch>();

    public DbSet<WorkflowRun> WorkflowRuns => Set<WorkflowRun>();

    public DbSet<WorkflowStep> WorkflowSteps => Set<WorkflowStep>();

    public DbSet<WorkflowStepExecution> WorkflowStepExecutions => Set<WorkflowStepExecution>();

    public DbSet<WorkflowTemplate> WorkflowTemplates => Set<WorkflowTemplate>();

    public DbSet<MarketplaceConnection> MarketplaceConnections => Set<MarketplaceConnection>();

    public DbSet<BillingOrder> BillingOrders => Set<BillingOrder>();

    public DbSet<PaymentInboxEntry> PaymentInbox => Set<PaymentInboxEntry>();

    public DbSet<Invoice> Invoices => Set<Invoice>();

    public DbSet<InvoiceSequence> InvoiceSequences => Set<InvoiceSequence>();

    public DbSet<Billing.Payments.TestGatewayPayment> TestGatewayPayments => Set<Billing.Payments.TestGatewayPayment>();

    public DbSet<MarketplaceListing> MarketplaceListings => Set<MarketplaceListing>();

    public DbSet<MarketplaceCategoryCache> MarketplaceCategoryCaches => Set<MarketplaceCategoryCache>();

    public DbSet<Publication> Publications => Set<Publication>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);

        AccountsModel.Configure(builder);
        WorkspacesModel.Configure(builder);
        CatalogModel.Configure(builder);
        AssetsModel.Configure(builder);
        JobsModel.Configure(builder);
        BillingModel.Configure(builder);
        TranslationModel.Configure(builder);
        CopyModel.Configure(builder);
        WorkflowsModel.Configure(builder);
        PublishingModel.Configure(builder);
        Privacy.PrivacyModel.Configure(builder);

        foreach (var entityType in builder.Model.GetEntityTypes())
        {
            if (typeof(ITenantOwned).IsAssignableFrom(entityType.ClrType))
            {
                builder.Entity(entityType.ClrType)
                    .HasQueryFilter(TenantFilter, TenantFilterFor(entityType.ClrType))
                    .HasIndex(nameof(ITenantOwned.WorkspaceId));
            }
        }
    }

    private LambdaExpression TenantFilterFor(Type entityType)
    {
        var entity = Expression.Parameter(entityType, "e");
        var body = Expression.Equal(
            Expression.Property(entity, nameof(ITenantOwned.WorkspaceId)),
            Expression.Property(Expression.Constant(this), nameof(CurrentWorkspaceId)));
        return Expression.Lambda(body, entity);
    }
}
