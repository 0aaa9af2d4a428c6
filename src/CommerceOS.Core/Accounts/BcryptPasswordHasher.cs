using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace CommerceOS.Core.Accounts;

/// <summary>
/// bcrypt(base64(HMAC-SHA-384(pepper, UTF-8 password)), cost): the OWASP-recommended peppered
/// pre-hash, so passwords longer than bcrypt's 72-byte limit are not truncated (security-privacy.md
/// finding 0.1) and a stolen database alone does not allow "password shucking". The pre-hash is
/// 64 ASCII characters. Returns <see cref="PasswordVerificationResult.SuccessRehashNeeded"/> when the
/// stored cost is below the configured cost; anything that is not our bcrypt hash fails.
/// </summary>
public sealed class BcryptPasswordHasher : IPasswordHasher<AppUser>
{
    private readonly byte[] _pepper;
    private readonly int _cost;

    public BcryptPasswordHasher(IOptions<PasswordHashingOptions> options)
    {
        var value = options.Value;
        if (string.IsNullOrWhiteSpace(value.Pepper)
            || !PasswordHashingOptionsValidator.TryDecodePepper(value.Pepper, out var pepper)
            || pepper.Length < PasswordHashingOptions.MinimumPepperBytes)
        {
            throw new InvalidOperationException($"{PasswordHashingOptions.Section}:Pepper is missing or invalid.");
        }

        _pepper = pepper;
        _cost = value.Cost;
    }

    public string HashPassword(AppUser user, string password) =>
        BCrypt.Net.BCrypt.HashPassword(PreHash(password), _cost);

    public PasswordVerificationResult VerifyHashedPassword(AppUser user, string hashedPassword, string providedPassword)
    {
        if (StoredCost(hashedPassword) is not { } storedCost)
        {
            return PasswordVerificationResult.Failed;
        }

        bool verified;
        try
        {
            verified = BCrypt.Net.BCrypt.Verify(PreHash(providedPassword), hashedPassword);
        }
        catch (BCrypt.Net.SaltParseException)
        {
            return PasswordVerificationResult.Failed;
        }

        if (!verified)
        {
            return PasswordVerificationResult.Failed;
        }

        return storedCost < _cost ? PasswordVerificationResult.SuccessRehashNeeded : PasswordVerificationResult.Success;
    }

    /// <summary>The cost of a <c>$2a$</c>/<c>$2b$</c>/<c>$2y$</c> hash, or null when it is not one.</summary>
    public static int? StoredCost(string? hash)
    {
        if (hash is not { Length: 60 } || hash[0] != '$' || hash[1] != '2' || hash[3] != '$' || hash[6] != '$'
            || hash[2] is not ('a' or 'b' or 'y'))
        {
            return null;
        }

        return int.TryParse(hash.AsSpan(4, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var cost) ? cost : null;
    }

    private string PreHash(string password) =>
        Convert.ToBase64String(HMACSHA384.HashData(_pepper, Encoding.UTF8.GetBytes(password)));
}
