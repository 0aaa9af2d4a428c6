using CommerceOS.Core.Catalog;
using CommerceOS.Core.Generation;
using CommerceOS.Core.Publishing;
using CommerceOS.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CommerceOS.Tests.Publishing;

/// <summary>
/// A Shopify stand-in for the page tests: accepts the token <see cref="GoodToken"/> and refuses any other as a platform
/// would (Misconfigured), requires a title and prices, and takes every listing live at once.
/// </summary>
internal sealed class FakePublisher : IMarketplacePublisher
{
    public const string GoodToken = "shpat_good";

    public const string AccountLabel = "Test Shop";

    public string Platform => Platforms.Shopify;

    public IReadOnlyList<CredentialField> Fields { get; } =
        [new("shop", Secret: false, Pattern: @"^[a-z0-9-]+\.myshopify\.com$"), new("access_token", Secret: true), new("api_version", Secret: false, Required: false, Default: "2026-01")];

    public IReadOnlyList<string> RequiredFields { get; } = [ListingFields.Title, ListingFields.Price, ListingFields.Category];

    public int MaxImages => 10;

    public int Published { get; private set; }

    public Task<ConnectionCheck> TestAsync(MarketplaceSession session, CancellationToken cancellationToken) =>
        session["access_token"] == GoodToken
            ? Task.FromResult(new ConnectionCheck(AccountLabel))
            : throw new ProviderException(ProviderFailure.Misconfigured, "401 Invalid API key or access token");

    public Task<PublishResult> PublishAsync(MarketplaceSession session, ListingDraft listing, CancellationToken cancellationToken)
    {
        Published++;
        return Task.FromResult(new PublishResult(PublishOutcome.Live, "gid://shopify/Product/1", "https://test-shop.myshopify.com/products/1", null, []));
    }

    public Task<PublishResult> FollowAsync(MarketplaceSession session, ListingDraft listing, string receipt, CancellationToken cancellationToken) =>
        PublishAsync(session, listing, cancellationToken);

    public Task<PublishResult> SyncOffersAsync(MarketplaceSession session, ListingDraft listing, CancellationToken cancellationToken) =>
        PublishAsync(session, listing, cancellationToken);

    public Task<PublishResult> UnpublishAsync(MarketplaceSession session, ListingDraft listing, CancellationToken cancellationToken) =>
        Task.FromResult(new PublishResult(PublishOutcome.Removed, listing.ExternalId, null, null, []));

    public Task<bool> RevokeAsync(MarketplaceSession session, CancellationToken cancellationToken) => Task.FromResult(false);

    /// <summary>The host with this fake as the only adapter.</summary>
    public static Task<AppFactory> StartAsync(DatabaseKind kind, FakePublisher fake) =>
        AppFactory.StartAsync(kind, services: services =>
        {
            services.RemoveAll<IMarketplacePublisher>();
            services.AddSingleton<IMarketplacePublisher>(fake);
        });

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
