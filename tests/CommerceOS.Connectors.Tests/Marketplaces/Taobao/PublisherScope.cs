using System.Security.Cryptography;
using CommerceOS.Connectors.Tests.Support;
using CommerceOS.Core.Publishing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CommerceOS.Connectors.Tests.Marketplaces.Taobao;

/// <summary>
/// A marketplace publisher as the host builds it (its Add*Publisher over configuration), with its container. Shared by
/// the Taobao and Shopee suites; a candidate for Support/ once more adapters use it.
/// </summary>
public sealed class PublisherScope(FakeTimeProvider clock, Dictionary<string, string?> settings, Action<IServiceCollection, IConfiguration> register, string platform) : IAsyncDisposable
{
    private readonly ServiceProvider _services = Providers.Build(clock, settings, register);

    public IMarketplacePublisher Publisher => _services.GetServices<IMarketplacePublisher>().Single(p => p.Platform == platform);

    /// <summary>The platform's category source, for the adapters that have one.</summary>
    public IMarketplaceCategorySource Categories => _services.GetServices<IMarketplaceCategorySource>().Single(p => p.Platform == platform);

    public ValueTask DisposeAsync() => _services.DisposeAsync();

    /// <summary>A PNG of the listing, its bytes served from memory.</summary>
    public static ListingImage Image(string name, byte[] bytes, string role) =>
        new(Guid.NewGuid(), name, "image/png", 24, 24, bytes.Length, Convert.ToHexStringLower(SHA256.HashData(bytes)), null, role, _ => Task.FromResult<Stream>(new MemoryStream(bytes)));
}
