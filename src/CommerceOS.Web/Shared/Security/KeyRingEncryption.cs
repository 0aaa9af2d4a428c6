using System.Security.Cryptography;
using System.Xml.Linq;
using CommerceOS.Engines.Storage;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;

namespace CommerceOS.Web.Shared.Security;

/// <summary>
/// The Data Protection key ring is stored in the database with the data it protects, so its keys are themselves encrypted
/// (privacy policy 5, security-privacy.md row A7): AES-256-GCM under a key-encryption key that never enters the database,
/// <c>DataProtection:KeyEncryptionKey</c> (base64, 32 bytes; every node the same) or, in the embedded default,
/// <c>&lt;data dir&gt;/keys/keyring.key</c>. A copy of the database alone opens no cookie, token or stored secret.
/// </summary>
public sealed class KeyRingEncryption(byte[] keyEncryptionKey)
{
    public const int KeySize = BlobKeyFile.KeyLength;

    public const string ConfigurationKey = "DataProtection:KeyEncryptionKey";

    private const int NonceSize = 12;
    private const int TagSize = 16;

    public static KeyRingEncryption From(IConfiguration configuration, string dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return new KeyRingEncryption(BlobKeyFile.Resolve(configuration[ConfigurationKey], ConfigurationKey, Path.Combine(dataDirectory, "keys", "keyring.key")));
    }

    public XElement Encrypt(XElement plaintext)
    {
        ArgumentNullException.ThrowIfNull(plaintext);
        var data = System.Text.Encoding.UTF8.GetBytes(plaintext.ToString(SaveOptions.DisableFormatting));
        var nonce = RandomNumberGenerator.GetBytes(NonceSize);
        var sealedData = new byte[data.Length];
        var tag = new byte[TagSize];
        using (var aes = new AesGcm(keyEncryptionKey, TagSize))
        {
            aes.Encrypt(nonce, data, sealedData, tag);
        }

        CryptographicOperations.ZeroMemory(data);
        return new XElement("keyRingEncrypted", new XAttribute("algorithm", "AES-256-GCM"), Convert.ToBase64String([.. nonce, .. tag, .. sealedData]));
    }

    /// <exception cref="CryptographicException">Another key-encryption key, or a changed ciphertext.</exception>
    public XElement Decrypt(XElement encrypted)
    {
        ArgumentNullException.ThrowIfNull(encrypted);
        var blob = Convert.FromBase64String(encrypted.Value);
        var plaintext = new byte[blob.Length - NonceSize - TagSize];
        using (var aes = new AesGcm(keyEncryptionKey, TagSize))
        {
            aes.Decrypt(blob.AsSpan(0, NonceSize), blob.AsSpan(NonceSize + TagSize), blob.AsSpan(NonceSize, TagSize), plaintext);
        }

        try
        {
            return XElement.Parse(System.Text.Encoding.UTF8.GetString(plaintext));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }
}

public sealed class KeyRingXmlEncryptor(KeyRingEncryption encryption) : IXmlEncryptor
{
    public EncryptedXmlInfo Encrypt(XElement plaintextElement) => new(encryption.Encrypt(plaintextElement), typeof(KeyRingXmlDecryptor));
}

/// <summary>Made by Data Protection from the type name stored with each key, with the application's services.</summary>
public sealed class KeyRingXmlDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement) => services.GetRequiredService<KeyRingEncryption>().Decrypt(encryptedElement);
}
