using Microsoft.Extensions.Options;

namespace CommerceOS.Core.Accounts;

/// <summary>Configuration section <c>Accounts:PasswordHashing</c>.</summary>
public sealed class PasswordHashingOptions
{
    public const string Section = "Accounts:PasswordHashing";

    /// <summary>ASVS 5.0 App. C / 4.0.3 2.4.4: bcrypt cost of at least 10 outside tests.</summary>
    public const int ProductionMinimumCost = 10;

    public const int DefaultCost = 12;

    /// <summary>bcrypt's own lower bound; only with <see cref="AllowLowCostForTests"/>.</summary>
    public const int AbsoluteMinimumCost = 4;

    public const int MaximumCost = 31;

    public const int MinimumPepperBytes = 32;

    /// <summary>
    /// Base64 HMAC key of at least 32 bytes, kept out of the database (environment, secrets store).
    /// When empty, the embedded default uses <see cref="PepperFile.LoadOrCreate"/> under the data folder.
    /// Changing it invalidates every stored hash (there is no pepper rotation).
    /// </summary>
    public string? Pepper { get; set; }

    /// <summary>bcrypt work factor (log2 rounds). About 690 ms per hash at 12 on a 2-core box.</summary>
    public int Cost { get; set; } = DefaultCost;

    /// <summary>Allows <see cref="Cost"/> below <see cref="ProductionMinimumCost"/> (tests use 4).</summary>
    public bool AllowLowCostForTests { get; set; }
}

/// <summary>Rejects a missing or short pepper and a cost below 10 unless explicitly allowed for tests.</summary>
public sealed class PasswordHashingOptionsValidator : IValidateOptions<PasswordHashingOptions>
{
    public ValidateOptionsResult Validate(string? name, PasswordHashingOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Pepper))
        {
            failures.Add($"{PasswordHashingOptions.Section}:Pepper is required (base64, at least {PasswordHashingOptions.MinimumPepperBytes} bytes).");
        }
        else if (!TryDecodePepper(options.Pepper, out var bytes) || bytes.Length < PasswordHashingOptions.MinimumPepperBytes)
        {
            failures.Add($"{PasswordHashingOptions.Section}:Pepper must be base64 of at least {PasswordHashingOptions.MinimumPepperBytes} bytes.");
        }

        if (options.Cost is < PasswordHashingOptions.AbsoluteMinimumCost or > PasswordHashingOptions.MaximumCost)
        {
            failures.Add($"{PasswordHashingOptions.Section}:Cost must be between {PasswordHashingOptions.AbsoluteMinimumCost} and {PasswordHashingOptions.MaximumCost}.");
        }
        else if (options.Cost < PasswordHashingOptions.ProductionMinimumCost && !options.AllowLowCostForTests)
        {
            failures.Add($"{PasswordHashingOptions.Section}:Cost must be at least {PasswordHashingOptions.ProductionMinimumCost} (AllowLowCostForTests is for test configuration only).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    internal static bool TryDecodePepper(string pepper, out byte[] bytes)
    {
        var buffer = new byte[pepper.Length];
        if (Convert.TryFromBase64String(pepper.Trim(), buffer, out var written))
        {
            bytes = buffer[..written];
            return true;
        }

        bytes = [];
        return false;
    }
}
