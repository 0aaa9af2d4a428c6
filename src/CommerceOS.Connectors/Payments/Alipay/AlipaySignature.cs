using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace CommerceOS.Connectors.Payments.Alipay;

/// <summary>
/// Alipay's RSA2 scheme (external-apis.md §13.1): the signed text is every non-empty parameter except <c>sign</c> (and,
/// when checking what Alipay sent, <c>sign_type</c>), sorted by key in ordinal order and joined as <c>k=v&amp;…</c> with
/// raw values; SHA256withRSA, PKCS#1 v1.5, Base64. Plus the wire formats around it: form bodies, yuan amounts and
/// Beijing time (GMT+8, no daylight saving).
/// </summary>
internal static class AlipaySignature
{
    public static readonly TimeSpan Beijing = TimeSpan.FromHours(8);

    public const string TimeFormat = "yyyy-MM-dd HH:mm:ss";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Yuan amounts Alipay accepts: 0.01 to 100 000 000.</summary>
    public const long MaxFen = 100_000_000_00;

    /// <summary>The signed text. <paramref name="includeSignType"/>: requests sign it, notifications do not (rsaCheckV1).</summary>
    public static string Content(IEnumerable<KeyValuePair<string, string>> fields, bool includeSignType) =>
        string.Join('&', fields
            .Where(field => field.Key != "sign" && (includeSignType || field.Key != "sign_type") && !string.IsNullOrEmpty(field.Value))
            .OrderBy(field => field.Key, StringComparer.Ordinal)
            .Select(field => $"{field.Key}={field.Value}"));

    public static string Sign(string content, string privateKeyPem)
    {
        using var rsa = RSA.Create();
        ImportPrivate(rsa, privateKeyPem);
        return Convert.ToBase64String(rsa.SignData(Encoding.UTF8.GetBytes(content), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    /// <summary>False for a bad signature, bad Base64 or an unusable key: never throws.</summary>
    public static bool Verify(string content, string? signature, string publicKeyPem) => Verify(Encoding.UTF8.GetBytes(content), signature, publicKeyPem);

    public static bool Verify(ReadOnlySpan<byte> content, string? signature, string publicKeyPem)
    {
        if (string.IsNullOrEmpty(signature) || signature.Length > 2048)
        {
            return false;
        }

        var bytes = new byte[signature.Length];
        if (!Convert.TryFromBase64String(signature, bytes, out var length))
        {
            return false;
        }

        try
        {
            using var rsa = RSA.Create();
            ImportPublic(rsa, publicKeyPem);
            return rsa.VerifyData(content, bytes.AsSpan(0, length), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            return false;
        }
    }

    // UNCONFIRMED: Alipay's key tool also hands out bare Base64 (no PEM armour); accepted as PKCS#8, then PKCS#1.
    public static void ImportPrivate(RSA rsa, string key)
    {
        if (key.Contains("-----BEGIN", StringComparison.Ordinal))
        {
            rsa.ImportFromPem(key);
            return;
        }

        var der = Convert.FromBase64String(key.Trim());
        try
        {
            rsa.ImportPkcs8PrivateKey(der, out _);
        }
        catch (CryptographicException)
        {
            rsa.ImportRSAPrivateKey(der, out _);
        }
    }

    public static void ImportPublic(RSA rsa, string key)
    {
        if (key.Contains("-----BEGIN", StringComparison.Ordinal))
        {
            rsa.ImportFromPem(key);
            return;
        }

        rsa.ImportSubjectPublicKeyInfo(Convert.FromBase64String(key.Trim()), out _);
    }

    /// <summary>
    /// An <c>application/x-www-form-urlencoded</c> body in UTF-8, decoded strictly: a pair without <c>=</c>, an empty
    /// key, a repeated key, a broken <c>%XX</c> escape or bytes that are not UTF-8 make the whole body malformed (null),
    /// instead of being passed through as a lenient decoder would.
    /// </summary>
    public static Dictionary<string, string>? ParseForm(ReadOnlySpan<byte> body, out string? problem)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        problem = null;
        string text;
        try
        {
            text = StrictUtf8.GetString(body);
        }
        catch (DecoderFallbackException)
        {
            problem = "the body is not UTF-8";
            return null;
        }

        foreach (var pair in text.Split('&'))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                problem = "the body is not a well-formed form";
                return null;
            }

            var key = Decode(pair.AsSpan(0, equals));
            var value = Decode(pair.AsSpan(equals + 1));
            if (key is null || value is null)
            {
                problem = "the body holds a malformed percent-encoding";
                return null;
            }

            if (!fields.TryAdd(key, value))
            {
                problem = "the body repeats a field";
                return null;
            }
        }

        return fields;
    }

    public static string EncodeForm(IEnumerable<KeyValuePair<string, string>> fields) =>
        string.Join('&', fields.Select(field => $"{Uri.EscapeDataString(field.Key)}={Uri.EscapeDataString(field.Value)}"));

    private static string? Decode(ReadOnlySpan<char> encoded)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(encoded.Length * 3);
        try
        {
            var length = 0;
            for (var i = 0; i < encoded.Length; i++)
            {
                var c = encoded[i];
                if (c == '+')
                {
                    buffer[length++] = (byte)' ';
                }
                else if (c == '%')
                {
                    if (i + 2 >= encoded.Length || !byte.TryParse(encoded.Slice(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var b))
                    {
                        return null;
                    }

                    buffer[length++] = b;
                    i += 2;
                }
                else
                {
                    length += Encoding.UTF8.GetBytes(encoded.Slice(i, 1), buffer.AsSpan(length));
                }
            }

            return StrictUtf8.GetString(buffer, 0, length);
        }
        catch (Exception ex) when (ex is DecoderFallbackException or EncoderFallbackException or ArgumentException)
        {
            return null;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// A yuan amount as Alipay writes it ("12.30") in fen; null for anything but a plain positive decimal with at most
    /// two places within Alipay's range (no sign, exponent, spaces, thousands separators or leading zeros).
    /// </summary>
    public static long? ParseYuan(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > 16)
        {
            return null;
        }

        var dot = value.IndexOf('.', StringComparison.Ordinal);
        var whole = dot < 0 ? value : value[..dot];
        var fraction = dot < 0 ? "" : value[(dot + 1)..];
        if (whole.Length == 0 || whole.Length > 9 || (whole.Length > 1 && whole[0] == '0') || !whole.All(char.IsAsciiDigit)
            || (dot >= 0 && fraction.Length is 0 or > 2) || !fraction.All(char.IsAsciiDigit))
        {
            return null;
        }

        var fen = (long.Parse(whole, CultureInfo.InvariantCulture) * 100) + (fraction.Length == 0 ? 0 : long.Parse(fraction.PadRight(2, '0'), CultureInfo.InvariantCulture));
        return fen is > 0 and <= MaxFen ? fen : null;
    }

    public static string FormatYuan(long fen) => (fen / 100m).ToString("0.00", CultureInfo.InvariantCulture);

    public static string ChinaTime(DateTimeOffset instant) => instant.ToOffset(Beijing).ToString(TimeFormat, CultureInfo.InvariantCulture);

    public static DateTimeOffset? ParseChinaTime(string? value) =>
        DateTime.TryParseExact(value, TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local)
            ? new DateTimeOffset(local, Beijing)
            : null;
}
