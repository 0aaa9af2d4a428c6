using CommerceOS.Core.Workspaces;

namespace CommerceOS.Core.Translation;

/// <summary>
/// One segment pair the seller approved or corrected, in one workspace. The source is also kept masked
/// (<see cref="TermProtector"/>, bracket placeholders), so the same sentence about another model
/// number or size is found too.
/// </summary>
public sealed class TranslationMemoryEntry : ITenantOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid WorkspaceId { get; set; }

    public required string SourceLanguage { get; set; }

    public required string TargetLanguage { get; set; }

    /// <summary>SHA-256 (hex) of <see cref="SourceKey"/>: the exact-match lookup.</summary>
    public required string SourceKeyHash { get; set; }

    /// <summary>SHA-256 (hex) of the normalised unmasked source: one row per source text.</summary>
    public required string SourceTextHash { get; set; }

    /// <summary>The normalised masked source (<see cref="TranslationKeys.Normalize"/>), compared for fuzzy matches.</summary>
    public required string SourceKey { get; set; }

    /// <summary>Length of <see cref="SourceKey"/> with each placeholder counted as one character; narrows fuzzy candidates.</summary>
    public int SourceKeyLength { get; set; }

    public required string SourceText { get; set; }

    public required string TargetText { get; set; }

    /// <summary>
    /// The target with the source's protected spans as placeholders, or null when one of them does not
    /// appear verbatim in the target (e.g. "500 ml" written "500毫升"): such an entry is reused only for
    /// the identical source text, never with other values substituted.
    /// </summary>
    public string? MaskedTarget { get; set; }

    /// <summary>The protected values of the source, by placeholder number.</summary>
    public List<string> ProtectedValues { get; set; } = [];

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }
}
