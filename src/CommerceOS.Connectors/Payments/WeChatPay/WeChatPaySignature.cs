using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace CommerceOS.Connectors.Payments.WeChatPay;

/// <summary>
/// WeChat Pay v3 signatures (external-apis.md §13.2, CONFIRMED): SHA256withRSA (PKCS#1 v1.5) over newline-terminated
/// lines, our merchant key for requests, the platform public key for responses and notifications.
/// </summary>
internal static class WeChatPaySignature
{
    public const string Scheme = "WECHATPAY2-SHA256-RSA2048";

    /// <summary>WeChat sends deliberately unsigned probes; they must never pass.</summary>
    public const string ProbePrefix = "WECHATPAY/SIGNTEST/";

    /// <summary>An RSA-4096 signature is 684 Base64 characters; anything much longer is not a signature.</summary>
    private const int MaxSignatureChars = 1024;

    /// <summary><c>method\npath+query\ntimestamp\nnonce\nbody\n</c>, the body as the exact bytes sent.</summary>
    public static byte[] RequestMessage(string method, string pathAndQuery, string timestamp, string nonce, ReadOnlySpan<byte> body) =>
        Lines(Encoding.UTF8.GetBytes($"{method}\n{pathAndQuery}\n{timestamp}\n{nonce}\n"), body);

    /// <summary><c>timestamp\nnonce\nbody\n</c> for responses and notifications.</summary>
    public static byte[] ResponseMessage(string timestamp, string nonce, ReadOnlySpan<byte> body) =>
        Lines(Encoding.UTF8.GetBytes($"{timestamp}\n{nonce}\n"), body);

    private static byte[] Lines(byte[] head, ReadOnlySpan<byte> body)
    {
        var message = new byte[head.Length + body.Length + 1];
        head.CopyTo(message, 0);
        body.CopyTo(message.AsSpan(head.Length));
        message[^1] = (byte)'\n';
        return message;
    }

    public static string Sign(string privateKeyPem, byte[] message)
    {
        using var rsa = RSA.Create();
        rsa.ImportFromPem(privateKeyPem);
        return Convert.ToBase64String(rsa.SignData(message, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    /// <summary>
    /// Checks the four <c>Wechatpay-*</c> headers and the signature over <paramref name="body"/>; returns why it fails, or
    /// null. Never throws: every header is hostile until this returns null.
    /// </summary>
    public static string? Check(WeChatPayOptions options, string? timestamp, string? nonce, string? signature, string? serial, ReadOnlySpan<byte> body, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(timestamp) || string.IsNullOrEmpty(nonce) || string.IsNullOrEmpty(signature) || string.IsNullOrEmpty(serial))
        {
            return "missing Wechatpay signature headers";
        }

        if (signature.StartsWith(ProbePrefix, StringComparison.Ordinal))
        {
            return "signature probe";
        }

        string? pem = null;
        foreach (var (id, keyPem) in options.PlatformKeys())
        {
            if (CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(serial), Encoding.UTF8.GetBytes(id)))
            {
                pem = keyPem;
            }
        }

        if (pem is null)
        {
            return "unknown Wechatpay-Serial";
        }

        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return "malformed Wechatpay-Timestamp";
        }

        var nowSeconds = now.ToUnixTimeSeconds();
        if (seconds < nowSeconds - options.ToleranceSeconds || seconds > nowSeconds + options.ToleranceSeconds)
        {
            return "Wechatpay-Timestamp outside the tolerance";
        }

        if (signature.Length > MaxSignatureChars)
        {
            return "malformed Wechatpay-Signature";
        }

        var decoded = new byte[signature.Length];
        if (!Convert.TryFromBase64String(signature, decoded, out var length))
        {
            return "malformed Wechatpay-Signature";
        }

        try
        {
            using var rsa = RSA.Create();
            rsa.ImportFromPem(pem);
            return rsa.VerifyData(ResponseMessage(timestamp, nonce, body), decoded.AsSpan(0, length), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
                ? null
                : "bad signature";
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            return "the configured platform public key is not usable";
        }
    }
}

/// <summary>
/// Signs each attempt of a request as it leaves: inside the retry pipeline, so a repeated call carries a fresh timestamp
/// and nonce instead of replaying the first attempt's.
/// </summary>
internal sealed class WeChatPaySigningHandler(IOptions<WeChatPayOptions> options, TimeProvider timeProvider) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        var timestamp = timeProvider.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var nonce = RandomNumberGenerator.GetHexString(32);
        var message = WeChatPaySignature.RequestMessage(request.Method.Method, request.RequestUri!.PathAndQuery, timestamp, nonce, body);
        string signature;
        try
        {
            signature = WeChatPaySignature.Sign(settings.MerchantPrivateKeyPem ?? "", message);
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            throw new Core.Generation.ProviderException(Core.Generation.ProviderFailure.Misconfigured, $"{WeChatPayOptions.Section}:MerchantPrivateKeyPem is not a usable RSA private key.", inner: ex);
        }

        request.Headers.Authorization = new AuthenticationHeaderValue(
            WeChatPaySignature.Scheme,
            $"mchid=\"{settings.MchId}\",nonce_str=\"{nonce}\",signature=\"{signature}\",timestamp=\"{timestamp}\",serial_no=\"{settings.MerchantSerialNo}\"");
        return await base.SendAsync(request, cancellationToken);
    }
}
