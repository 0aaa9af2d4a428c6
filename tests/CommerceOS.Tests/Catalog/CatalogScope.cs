using CommerceOS.Core.Assets;
using CommerceOS.Core.Billing;
using CommerceOS.Core.Catalog;
using CommerceOS.Core.Data;
using CommerceOS.Core.Workspaces;
using CommerceOS.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Time.Testing;

namespace CommerceOS.Tests.Catalog;

/// <summary>One workspace, one member role, one DbContext: what a request scope in the host has.</summary>
public sealed class CatalogScope : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 3, 1, 9, 30, 0, TimeSpan.Zero);

    private CatalogScope(AppDbContext db, WorkspaceContext workspace, FakeTimeProvider time, Guid workspaceId)
    {
        Db = db;
        Workspace = workspace;
        Time = time;
        WorkspaceId = workspaceId;
    }

    public AppDbContext Db { get; }

    public WorkspaceContext Workspace { get; }

    public FakeTimeProvider Time { get; }

    public Guid WorkspaceId { get; }

    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A new workspace (or <paramref name="workspaceId"/>) with the caller in <paramref name="role"/>.</summary>
    public static async Task<CatalogScope> CreateAsync(
        TestDatabase database,
        WorkspaceRole role = WorkspaceRole.Editor,
        Guid? workspaceId = null,
        FakeTimeProvider? time = null,
        IInterceptor? interceptor = null,
        string plan = PlanCatalog.Creator)
    {
        time ??= new FakeTimeProvider(Start);
        if (workspaceId is null)
        {
            await using var setup = database.CreateContext();
            var created = new Workspace { Name = "Shop " + Guid.NewGuid().ToString("N")[..6], CreatedAt = time.GetUtcNow().UtcDateTime };
            setup.Workspaces.Add(created);
            // On Creator, so the Brand Center is there (its gate has its own tests).
            setup.Subscriptions.Add(new Subscription
            {
                WorkspaceId = created.Id,
                PlanCode = plan,
                Status = SubscriptionStatus.Active,
                CurrentPeriodStart = created.CreatedAt,
                CurrentPeriodEnd = created.CreatedAt.AddMonths(1),
                CreatedAt = created.CreatedAt,
                UpdatedAt = created.CreatedAt,
            });
            await setup.SaveChangesAsync(Ct);
            workspaceId = created.Id;
        }

        var workspace = new WorkspaceContext();
        workspace.Set(workspaceId.Value, Guid.CreateVersion7(), role);
        var builder = new DbContextOptionsBuilder<AppDbContext>();
        DatabaseServiceCollectionExtensions.Configure(builder, database.Provider, database.ConnectionString);
        if (interceptor is not null)
        {
            builder.AddInterceptors(interceptor);
        }

        return new CatalogScope(new AppDbContext(builder.Options, workspace), workspace, time, workspaceId.Value);
    }

    public CreateProduct CreateProduct => new(Db, Workspace, Time);

    public UpdateProduct UpdateProduct => new(Db, Workspace, Time);

    public GetProduct GetProduct => new(Db, Workspace);

    public ListProducts ListProducts => new(Db, Workspace);

    public DuplicateProduct DuplicateProduct => new(Db, Workspace, Time);

    public DeleteProduct DeleteProduct => new(Db, Workspace);

    public AddPhoto AddPhoto => new(Db, Workspace, Time);

    public RemovePhoto RemovePhoto => new(Db, Workspace, Time);

    public ReorderPhotos ReorderPhotos => new(Db, Workspace, Time);

    public CreateBrand CreateBrand => new(Db, Workspace, Time);

    public UpdateBrand UpdateBrand => new(Db, Workspace, Time);

    public DeleteBrand DeleteBrand => new(Db, Workspace);

    public GetBrand GetBrand => new(Db, Workspace);

    public ListBrands ListBrands => new(Db, Workspace);

    public ImportProductsCsv ImportProductsCsv => new(Db, Workspace, Time);

    public ExportProductsCsv ExportProductsCsv => new(Db, Workspace);

    public async Task<ProductDetails> CreateAsync(ProductInput input)
    {
        var result = await CreateProduct.HandleAsync(new CreateProduct.Request(input), Ct);
        Assert.True(result.IsSuccess, result.ToString());
        return result.Value;
    }

    public async Task<Guid> AddAssetAsync()
    {
        var now = Time.GetUtcNow().UtcDateTime;
        var asset = new Asset
        {
            WorkspaceId = WorkspaceId,
            ContentType = "image/png",
            BlobKey = "blobs/" + Guid.NewGuid().ToString("N"),
            Sha256 = Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N"),
            Source = "upload",
            CreatedAt = now,
            LastUsedAt = now,
        };
        Db.Assets.Add(asset);
        await Db.SaveChangesAsync(Ct);
        return asset.Id;
    }

    public static ProductInput Sample(string sku, string title = "Silk scarf", params VariantInput[] variants) => new(
        sku,
        title,
        Description: "Hand-rolled edges.",
        Category: "Fashion",
        Attributes: [new ProductAttribute("Material", AttributeType.Text, "Mulberry silk"), new ProductAttribute("Weight", AttributeType.Measurement, "45", "g")],
        SellingPoints: ["Soft", "Gift box"],
        TargetAudience: "Women 25-45",
        Status: ProductStatus.Active,
        Variants: variants);

    public static VariantInput Variant(string sku, long price = 1999, string currency = "USD", int stock = 5, string color = "Red") =>
        new(sku, new Dictionary<string, string> { ["Color"] = color }, price, currency, stock);

    public async ValueTask DisposeAsync() => await Db.DisposeAsync();
}
