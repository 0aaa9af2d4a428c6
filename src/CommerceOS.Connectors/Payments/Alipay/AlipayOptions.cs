using System.Security.Cryptography;
using CommerceOS.Connectors.Marketplaces;
using Microsoft.Extensions.Options;

namespace CommerceOS.Connectors.Payments.Alipay;

/// <summary>
/// Configuration section <c>Billing:Alipay</c>: the classic open-API gateway (external-apis.md §13.1). The retry and
/// timeout settings are the marketplace adapters' (<see cref="MarketplaceOptions"/>): the same named-client plumbing.
/// </summary>
public sealed class AlipayOptions : MarketplaceOptions
{
    public const string Section = "Billing:Alipay";

    public const string DefaultGateway = "https://openapi.alipay.com/gateway.do";

    public string? AppId { get; set; }

    /// <summary>The app's RSA-2048 private key: PEM (PKCS#8 <c>PRIVATE KEY</c> or PKCS#1 <c>RSA PRIVATE KEY</c>).</summary>
    public string? AppPrivateKeyPem { get; set; }

    /// <summary>Alipay's public key (PEM <c>PUBLIC KEY</c>), which signs notifications and responses; not the app's own.</summary>
    public string? AlipayPublicKeyPem { get; set; }

    /// <summary>The merchant's PID (2088…); when set, a notification for another seller is refused.</summary>
    public string? SellerId { get; set; }

    public string Gateway { get; set; } = DefaultGateway;

    public bool IsConfigured =>
        !string.IsNullOrWhiteSpace(AppId) && !string.IsNullOrWhiteSpace(AppPrivateKeyPem) && !string.IsNullOrWhiteSpace(AlipayPublicKeyPem);
}

/// <summary>Stops the host at start on keys or a gateway URL the adapter could not use (only once it is configured).</summary>
public sealed class AlipayOptionsValidator : IValidateOptions<AlipayOptions>
{
    public ValidateOptionsResult Validate(string? name, AlipayOptions options)
    {
        if (!options.IsConfigured)
        {
            return ValidateOptionsResult.Success;
        }

        var failures = new List<string>();
        if (!Uri.TryCreate(options.Gateway, UriKind.Absolute, out var uri) || !Images.ProviderHttp.IsAllowedScheme(uri))
        {
            failures.Add($"{AlipayOptions.Section}:Gateway must be an absolute https URL.");
        }

        if (!Loads(rsa => AlipaySignature.ImportPrivate(rsa, options.AppPrivateKeyPem!)))
        {
            failures.Add($"{AlipayOptions.Section}:AppPrivateKeyPem must be an RSA private key in PEM (PKCS#8 or PKCS#1), 2048 bits or more.");
        }

        if (!Loads(rsa => AlipaySignature.ImportPublic(rsa, options.AlipayPublicKeyPem!)))
        {
            failures.Add($"{AlipayOptions.Section}:AlipayPublicKeyPem must be an RSA public key in PEM, 2048 bits or more.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool Loads(Action<RSA> import)
    {
        try
        {
            using var rsa = RSA.Create();
            import(rsa);
            return rsa.KeySize >= 2048;
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            return false;
        }
    }
}
