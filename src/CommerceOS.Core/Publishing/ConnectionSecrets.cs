using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;

namespace CommerceOS.Core.Publishing;

/// <summary>
/// Encrypts a connection's credentials at rest with ASP.NET Core Data Protection (authenticated encryption; the key ring
/// is the application's, stored in the database and protected in production configuration). The purpose string binds the
/// ciphertext to its connection and workspace, so a value copied into another row does not decrypt.
/// </summary>
public sealed class ConnectionSecrets(IDataProtectionProvider provider)
{
    private const string Purpose = "CommerceOS.Publishing.ConnectionCredentials.v1";

    public string Protect(MarketplaceConnection connection, IReadOnlyDictionary<string, string> values)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return Protector(connection).Protect(JsonSerializer.Serialize(values));
    }

    /// <summary>The credentials, or null when there are none (disconnected) or they no longer decrypt (a lost key ring).</summary>
    public Dictionary<string, string>? Unprotect(MarketplaceConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (string.IsNullOrEmpty(connection.ProtectedCredentials))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<Dictionary<string, string>>(Protector(connection).Unprotect(connection.ProtectedCredentials));
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    private IDataProtector Protector(MarketplaceConnection connection) =>
        provider.CreateProtector(Purpose, connection.WorkspaceId.ToString("N"), connection.Id.ToString("N"));
}
