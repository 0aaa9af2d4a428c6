using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace CommerceOS.Core.Publishing;

/// <summary>
/// Signed, expiring links to one generated image, for platforms that fetch listing images by URL. The token is Data
/// Protection ciphertext of the workspace and asset ids with an expiry, so it cannot be forged, altered or reused for
/// another file, and it names nothing a stranger could enumerate.
/// </summary>
public sealed class PublicMediaLinks(IDataProtectionProvider provider, IOptions<PublishingOptions> options, TimeProvider time)
{
    private const string Purpose = "CommerceOS.Publishing.PublicMedia.v1";

    /// <summary>The expiry is part of the protected payload and checked on the injected clock (the time-limited protector reads the system clock).</summary>
    private IDataProtector Protector => provider.CreateProtector(Purpose);

    /// <summary>Whether <see cref="PublishingOptions.PublicBaseUrl"/> is set.</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(options.Value.PublicBaseUrl);

    /// <summary>The link, or null without a public base address.</summary>
    public string? UrlFor(Guid workspaceId, Guid assetId, string fileName)
    {
        if (!Enabled)
        {
            return null;
        }

        var expires = (time.GetUtcNow() + options.Value.MediaLinkLifetime).ToUnixTimeSeconds();
        var token = Protector.Protect(FormattableString.Invariant($"{workspaceId:N}.{assetId:N}.{expires}"));
        // The file name is decoration for platforms that look at the extension; the token alone decides.
        return $"{options.Value.PublicBaseUrl!.TrimEnd('/')}/media/{token}/{Uri.EscapeDataString(fileName)}";
    }

    /// <summary>The workspace and asset a token names, or null when it is forged, altered or expired.</summary>
    public (Guid WorkspaceId, Guid AssetId)? Read(string token)
    {
        try
        {
            var parts = Protector.Unprotect(token).Split('.');
            return parts.Length == 3
                && Guid.TryParseExact(parts[0], "N", out var workspace)
                && Guid.TryParseExact(parts[1], "N", out var asset)
                && long.TryParse(parts[2], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var expires)
                && expires >= time.GetUtcNow().ToUnixTimeSeconds()
                ? (workspace, asset)
                : null;
        }
        catch (CryptographicException)
        {
            return null;
        }
    }
}
