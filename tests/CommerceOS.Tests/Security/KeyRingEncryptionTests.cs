using System.Security.Cryptography;
using System.Xml.Linq;
using CommerceOS.Tests.Infrastructure;
using CommerceOS.Web.Shared.Security;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CommerceOS.Tests.Security;

/// <summary>security-privacy.md row A7: the Data Protection keys in the database are encrypted under a key kept outside it.</summary>
public sealed class KeyRingEncryptionTests
{
    [Fact]
    public async Task TheKeyRing_IsStoredEncrypted_AndOpensOnlyWithItsKey()
    {
        await using var app = await AppFactory.StartAsync(DatabaseKind.Sqlite);
        var protector = app.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("tests.keyring");
        var protectedText = protector.Protect("tok_CANARY_keyring");

        await using var db = app.Database.CreateContext();
        var keys = await db.DataProtectionKeys.AsNoTracking().ToListAsync(TestContext.Current.CancellationToken);

        Assert.NotEmpty(keys);
        Assert.All(keys, k =>
        {
            Assert.Contains("<keyRingEncrypted", k.Xml, StringComparison.Ordinal);
            Assert.DoesNotContain("<masterKey", k.Xml, StringComparison.Ordinal);
        });
        Assert.Equal("tok_CANARY_keyring", protector.Unprotect(protectedText));
        var sealedKey = XElement.Parse(keys[0].Xml!).Descendants("keyRingEncrypted").First();
        Assert.Contains("masterKey", app.Services.GetRequiredService<KeyRingEncryption>().Decrypt(sealedKey).ToString(), StringComparison.Ordinal);
        Assert.ThrowsAny<CryptographicException>(() => new KeyRingEncryption(RandomNumberGenerator.GetBytes(KeyRingEncryption.KeySize)).Decrypt(sealedKey));
    }

    [Fact]
    public void A_configured_key_encryption_key_must_be_32_bytes()
    {
        var directory = Path.Combine(Path.GetTempPath(), "commerceos-keyring-" + Guid.NewGuid().ToString("N"));
        IConfiguration Config(string? value) => new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [KeyRingEncryption.ConfigurationKey] = value }).Build();

        Assert.Throws<InvalidOperationException>(() => KeyRingEncryption.From(Config(Convert.ToBase64String(new byte[16])), directory));
        var configured = KeyRingEncryption.From(Config(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))), directory);
        var sealedElement = configured.Encrypt(new XElement("secret", "x"));
        Assert.Equal("x", configured.Decrypt(sealedElement).Value);
        // Configured: no key file is made in the data folder.
        Assert.False(File.Exists(Path.Combine(directory, "keys", "keyring.key")));

        // The embedded default makes one file and keeps using it.
        var first = KeyRingEncryption.From(Config(null), directory);
        var again = KeyRingEncryption.From(Config(null), directory);
        Assert.Equal("y", again.Decrypt(first.Encrypt(new XElement("secret", "y"))).Value);
        Directory.Delete(directory, recursive: true);
    }
}
