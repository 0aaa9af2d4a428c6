using CommerceOS.Core.Catalog;
using CommerceOS.Core.Publishing;
using CommerceOS.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CommerceOS.Tests.Publishing;

/// <summary>The host with the <see cref="ScriptedPublisher"/> in place of the real adapters, and quick job timings.</summary>
public static class PublishingWorld
{
    public const string PublicBaseUrl = "https://public.example.com";

    public static Task<AppFactory> StartAsync(ScriptedPublisher publisher, DatabaseKind kind = DatabaseKind.Sqlite, ScriptedCategorySource? categories = null) =>
        AppFactory.StartAsync(
            kind,
            new Dictionary<string, string?>
            {
                ["Publishing:PublicBaseUrl"] = PublicBaseUrl,
                ["Publishing:FollowInterval"] = "00:00:01",
                ["Jobs:RetryBaseDelay"] = "00:00:01",
                ["Jobs:SchedulePollingInterval"] = "00:00:01",
            },
            services =>
            {
                services.RemoveAll<IMarketplacePublisher>();
                services.AddSingleton<IMarketplacePublisher>(publisher);
                services.RemoveAll<IMarketplaceCategorySource>();
                if (categories is not null)
                {
                    services.AddSingleton<IMarketplaceCategorySource>(categories);
                }
            });

    /// <summary>A connection, a live listing of the product and its publication, written straight to the database (no platform involved).</summary>
    public static async Task<(Guid ConnectionId, Guid ListingId, Guid PublicationId)> SeedPublicationAsync(AppFactory app, Guid workspaceId, Guid productId)
    {
        await using var db = app.Database.CreateContext(workspaceId);
        var now = TestWorkspaces.Epoch;
        var connection = new MarketplaceConnection { WorkspaceId = workspaceId, Platform = Platforms.Shopify, Name = "Seeded", Status = ConnectionStatus.Active, CreatedAt = now };
        var listing = new MarketplaceListing
        {
            WorkspaceId = workspaceId, ProductId = productId, ConnectionId = connection.Id, Platform = Platforms.Shopify,
            Status = ListingStatus.Live, ExternalId = "gid://shopify/Product/1", CreatedAt = now, UpdatedAt = now,
        };
        var publication = new Publication
        {
            WorkspaceId = workspaceId, ListingId = listing.Id, ProductId = productId, ConnectionId = connection.Id, Platform = Platforms.Shopify,
            Status = PublicationStatus.Succeeded, CreatedAt = now, UpdatedAt = now,
        };
        db.AddRange(connection, listing, publication);
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        return (connection.Id, listing.Id, publication.Id);
    }

    /// <summary>A product through the real use case; with a price it passes the gate, without one it is blocked.</summary>
    public static Task<Guid> ProductAsync(AppFactory app, BrowserSession session, string sku, long? priceMinor, string category = "Water bottles") =>
        app.InWorkspaceAsync(session, async services =>
        {
            var variants = priceMinor is { } price ? new[] { new VariantInput(sku + "-1", null, price, "USD", 5) } : null;
            var created = await services.GetRequiredService<CreateProduct>().HandleAsync(
                new CreateProduct.Request(new ProductInput(sku, $"Product {sku}", "A steel bottle.", Category: category, Variants: variants,
                    Attributes: [new ProductAttribute("Colour", AttributeType.Text, "navy blue")])),
                TestContext.Current.CancellationToken);
            Assert.True(created.IsSuccess, string.Join(", ", created.Errors));
            return created.Value.Id;
        });
}
