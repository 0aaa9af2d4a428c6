using Microsoft.AspNetCore.Identity;

namespace CommerceOS.Core.Accounts;

public sealed class AppUser : IdentityUser<Guid>
{
    public AppUser() => Id = Guid.CreateVersion7();

    public string DisplayName { get; set; } = "";

    /// <summary>"en" or "zh-CN"; wins over the browser's Accept-Language.</summary>
    public string PreferredLanguage { get; set; } = SupportedLanguages.English;

    public DateTime CreatedAt { get; set; }

    /// <summary>When the user confirmed being 18 or older (privacy policy section 9).</summary>
    public DateTime AdultConfirmedAt { get; set; }

    public Guid? DefaultWorkspaceId { get; set; }

    public bool IsAdmin { get; set; }

    /// <summary>Set when the account is closed; access ends at once (privacy policy section 6).</summary>
    public DateTime? TerminatedAt { get; set; }
}

public sealed class AppRole : IdentityRole<Guid>
{
    public AppRole() => Id = Guid.CreateVersion7();
}

public static class SupportedLanguages
{
    public const string English = "en";
    public const string Chinese = "zh-CN";

    public static readonly IReadOnlyList<string> All = [English, Chinese];

    public static bool IsSupported(string? language) =>
        language is English or Chinese;
}
