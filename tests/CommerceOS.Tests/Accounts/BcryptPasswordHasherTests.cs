using System.Security.Cryptography;
using System.Text;
using CommerceOS.Core.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CommerceOS.Tests.Accounts;

public sealed class BcryptPasswordHasherTests
{
    private static readonly AppUser User = new();

    private static BcryptPasswordHasher Hasher(int cost = 4, string? pepper = null) => new(Options.Create(new PasswordHashingOptions
    {
        Pepper = pepper ?? Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        Cost = cost,
        AllowLowCostForTests = true,
    }));

    [Fact]
    public void VerifyHashedPassword_PasswordsSharingA72BytePrefix_NeverCrossVerify()
    {
        var hasher = Hasher();
        var plainBcryptCrossVerifications = 0;
        var crossVerifications = 0;
        for (var i = 0; i < 100; i++)
        {
            var prefix = Convert.ToHexString(RandomNumberGenerator.GetBytes(36));
            Assert.Equal(72, Encoding.UTF8.GetByteCount(prefix));
            var first = prefix + "a" + i;
            var second = prefix + "b" + i;

            var hash = hasher.HashPassword(User, first);
            if (hasher.VerifyHashedPassword(User, hash, second) != PasswordVerificationResult.Failed)
            {
                crossVerifications++;
            }

            Assert.Equal(PasswordVerificationResult.Success, hasher.VerifyHashedPassword(User, hash, first));

            // Control: bare bcrypt does truncate, so the assertion above is meaningful.
            if (BCrypt.Net.BCrypt.Verify(second, BCrypt.Net.BCrypt.HashPassword(first, 4)))
            {
                plainBcryptCrossVerifications++;
            }
        }

        Assert.Equal(0, crossVerifications);
        Assert.Equal(100, plainBcryptCrossVerifications);
    }

    [Theory]
    [InlineData("密码安全测试")]
    [InlineData("🔐🌏🛒🚀")]
    [InlineData("电商🚀")]
    public void VerifyHashedPassword_LongCjkAndEmojiPasswords_VerifyExactly(string unit)
    {
        var hasher = Hasher();
        var password = string.Concat(Enumerable.Repeat(unit, 64)).EnumerateRunes().Take(64).Aggregate(new StringBuilder(), (b, r) => b.Append(r.ToString())).ToString();
        Assert.Equal(64, PasswordPolicy.Length(password));
        Assert.True(Encoding.UTF8.GetByteCount(password) > 72);

        var hash = hasher.HashPassword(User, password);

        Assert.Equal(PasswordVerificationResult.Success, hasher.VerifyHashedPassword(User, hash, password));
        var altered = password[..^2] + "xx";
        Assert.Equal(PasswordVerificationResult.Failed, hasher.VerifyHashedPassword(User, hash, altered));
    }

    [Fact]
    public void VerifyHashedPassword_StoredCostBelowConfigured_ReturnsRehashNeeded()
    {
        var pepper = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var oldHash = Hasher(4, pepper).HashPassword(User, "blue marble kettle song");

        Assert.Equal(PasswordVerificationResult.SuccessRehashNeeded, Hasher(5, pepper).VerifyHashedPassword(User, oldHash, "blue marble kettle song"));
        Assert.Equal(PasswordVerificationResult.Success, Hasher(4, pepper).VerifyHashedPassword(User, oldHash, "blue marble kettle song"));
        Assert.Equal(PasswordVerificationResult.Failed, Hasher(5, pepper).VerifyHashedPassword(User, oldHash, "blue marble kettle sonG"));
    }

    [Fact]
    public void HashPassword_UsesConfiguredCost()
    {
        Assert.Equal(5, BcryptPasswordHasher.StoredCost(Hasher(5).HashPassword(User, "blue marble kettle song")));
    }

    [Fact]
    public void VerifyHashedPassword_DifferentPepper_Fails()
    {
        var hash = Hasher().HashPassword(User, "blue marble kettle song");

        Assert.Equal(PasswordVerificationResult.Failed, Hasher().VerifyHashedPassword(User, hash, "blue marble kettle song"));
    }

    [Fact]
    public void VerifyHashedPassword_HashIsNotPepperedBcrypt_Fails()
    {
        var hasher = Hasher();
        var pbkdf2 = new PasswordHasher<AppUser>().HashPassword(User, "blue marble kettle song");
        var unpeppered = BCrypt.Net.BCrypt.HashPassword("blue marble kettle song", 4);

        Assert.Equal(PasswordVerificationResult.Failed, hasher.VerifyHashedPassword(User, pbkdf2, "blue marble kettle song"));
        Assert.Equal(PasswordVerificationResult.Failed, hasher.VerifyHashedPassword(User, unpeppered, "blue marble kettle song"));
        Assert.Equal(PasswordVerificationResult.Failed, hasher.VerifyHashedPassword(User, "$2a$04$" + new string('x', 53), "blue marble kettle song"));
        Assert.Equal(PasswordVerificationResult.Failed, hasher.VerifyHashedPassword(User, "", "blue marble kettle song"));
    }

    [Theory]
    [InlineData(9, false, false)]
    [InlineData(4, false, false)]
    [InlineData(4, true, true)]
    [InlineData(3, true, false)]
    [InlineData(32, false, false)]
    [InlineData(PasswordHashingOptions.ProductionMinimumCost, false, true)]
    [InlineData(PasswordHashingOptions.DefaultCost, false, true)]
    public void Validate_Cost_AllowsBelowProductionMinimumOnlyForTests(int cost, bool allowLowCost, bool valid)
    {
        var options = new PasswordHashingOptions
        {
            Pepper = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            Cost = cost,
            AllowLowCostForTests = allowLowCost,
        };

        Assert.Equal(valid, new PasswordHashingOptionsValidator().Validate(null, options).Succeeded);
    }

    [Fact]
    public void Defaults_CostMeetsProductionMinimum()
    {
        Assert.Equal(10, PasswordHashingOptions.ProductionMinimumCost);
        Assert.True(new PasswordHashingOptions().Cost >= PasswordHashingOptions.ProductionMinimumCost);
        Assert.False(new PasswordHashingOptions().AllowLowCostForTests);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not base64!")]
    [InlineData("c2hvcnQgcGVwcGVy")]
    public void Validate_MissingOrShortPepper_Fails(string? pepper)
    {
        var result = new PasswordHashingOptionsValidator().Validate(null, new PasswordHashingOptions { Pepper = pepper });

        Assert.True(result.Failed);
        Assert.Contains("Pepper", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadOrCreate_NewDataDirectory_Creates32RandomBytesReadableOnlyByOwner()
    {
        var directory = Path.Combine(Path.GetTempPath(), "commerceos-tests", "pepper-" + Guid.NewGuid().ToString("N"));
        try
        {
            var first = PepperFile.LoadOrCreate(directory);
            var second = PepperFile.LoadOrCreate(directory);

            Assert.Equal(32, first.Length);
            Assert.Equal(first, second);
            Assert.NotEqual(new byte[32], first);
            var path = Path.Combine(directory, "keys", "pepper.key");
            Assert.Equal(first, File.ReadAllBytes(path));
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void LoadOrCreate_TruncatedFile_Throws()
    {
        var directory = Path.Combine(Path.GetTempPath(), "commerceos-tests", "pepper-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(directory, "keys"));
        try
        {
            File.WriteAllBytes(PepperFile.PathFor(directory), new byte[16]);

            Assert.Throws<InvalidOperationException>(() => PepperFile.LoadOrCreate(directory));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void AddAccounts_NoPepperConfigured_UsesPepperFileOfDataDirectory()
    {
        var directory = Path.Combine(Path.GetTempPath(), "commerceos-tests", "pepper-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var provider = BuildAccounts(directory, new() { ["Accounts:PasswordHashing:Cost"] = "10" });

            var options = provider.GetRequiredService<IOptions<PasswordHashingOptions>>().Value;

            Assert.Equal(Convert.ToBase64String(File.ReadAllBytes(PepperFile.PathFor(directory))), options.Pepper);
            Assert.IsType<BcryptPasswordHasher>(provider.GetRequiredService<IPasswordHasher<AppUser>>());
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void AddAccounts_LowCostWithoutTestFlag_FailsValidation()
    {
        var directory = Path.Combine(Path.GetTempPath(), "commerceos-tests", "pepper-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var provider = BuildAccounts(directory, new() { ["Accounts:PasswordHashing:Cost"] = "4" });

            var exception = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<PasswordHashingOptions>>().Value);
            Assert.Contains("at least 10", exception.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static ServiceProvider BuildAccounts(string dataDirectory, Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddAccounts(configuration, dataDirectory);
        return services.BuildServiceProvider();
    }
}
