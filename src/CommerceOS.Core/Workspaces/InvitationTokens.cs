using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace CommerceOS.Core.Workspaces;

/// <summary>
/// Invitation link tokens: 32 random bytes, base64url (43 characters). Only the lowercase hex
/// SHA-256 of the token is stored (<see cref="WorkspaceInvitation.TokenHash"/>).
/// </summary>
public static class InvitationTokens
{
    public const string AcceptPath = "/account/accept-invitation";

    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(7);

    public static string Generate() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string token) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>Cheap shape check before any database work.</summary>
    public static bool IsWellFormed(string? token) =>
        token is { Length: 43 } && token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    public static string Link(string publicBaseUrl, string token) =>
        $"{publicBaseUrl.TrimEnd('/')}{AcceptPath}?token={Uri.EscapeDataString(token)}";
}
