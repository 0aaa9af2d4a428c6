using System.Text.Json;

namespace CommerceOS.Tests.Accounts;

/// <summary>The shipped configuration keeps production-strength settings (security-privacy.md finding 0.2, row A1).</summary>
public sealed class ProductionConfigurationTests
{
    [Fact]
    public void ShippedSettings_UseBcryptCostOfAtLeastTenAndNoTestShortcuts()
    {
        using var settings = JsonDocument.Parse(File.ReadAllText(ShippedSettingsPath()));
        var hashing = settings.RootElement.GetProperty("Accounts").GetProperty("PasswordHashing");

        Assert.True(hashing.GetProperty("Cost").GetInt32() >= 10);
        Assert.False(hashing.TryGetProperty("AllowLowCostForTests", out var allow) && allow.GetBoolean());
        Assert.Equal("", hashing.GetProperty("Pepper").GetString());
    }

    private static string ShippedSettingsPath([System.Runtime.CompilerServices.CallerFilePath] string source = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(source)!, "..", "..", "..", "src", "CommerceOS.Web", "appsettings.json"));
}
