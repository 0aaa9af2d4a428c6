using System.Security.Cryptography;
using CommerceOS.Connectors.Payments.Alipay;
using CommerceOS.Connectors.Tests.Support;
using CommerceOS.Core.Billing.Payments;
using Microsoft.Extensions.DependencyInjection;

namespace CommerceOS.Connectors.Tests.Payments.Alipay;

/// <summary>The Alipay gateway built as the host builds it (AddAlipayGateway over configuration), aimed at the fake.</summary>
public sealed class AlipayScope(TimeProvider clock, Dictionary<string, string?> settings) : IAsyncDisposable
{
    public ServiceProvider Services { get; } = Providers.Build(clock, settings, (services, configuration) => services.AddAlipayGateway(configuration));

    public IPaymentGateway Gateway => Services.GetServices<IPaymentGateway>().Single(gateway => gateway.Id == PaymentGateways.Alipay);

    public ValueTask DisposeAsync() => Services.DisposeAsync();
}

public static class AlipayKeys
{
    /// <summary>The app's key pair, made once per test run (never stored).</summary>
    public static readonly RSA App = RSA.Create(2048);

    public static Dictionary<string, string?> Settings(FakeAlipayServer fake, RSA? appKey = null, bool pkcs1 = false) => new()
    {
        ["Billing:Alipay:AppId"] = FakeAlipayServer.AppId,
        ["Billing:Alipay:AppPrivateKeyPem"] = pkcs1 ? (appKey ?? App).ExportRSAPrivateKeyPem() : (appKey ?? App).ExportPkcs8PrivateKeyPem(),
        ["Billing:Alipay:AlipayPublicKeyPem"] = fake.AlipayPublicKeyPem,
        ["Billing:Alipay:SellerId"] = FakeAlipayServer.SellerId,
        ["Billing:Alipay:Gateway"] = $"{fake.BaseUrl}/gateway.do",
        // Production back-off (the test clock runs 100x); a 5 s attempt deadline is 50 ms of real time.
        ["Billing:Alipay:AttemptTimeout"] = "00:00:05",
    };

    public static Task<FakeAlipayServer> StartFakeAsync() => FakeAlipayServer.StartAsync(App.ExportSubjectPublicKeyInfoPem());
}
