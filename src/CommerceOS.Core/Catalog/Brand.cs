using CommerceOS.Core.Workspaces;

namespace CommerceOS.Core.Catalog;

public sealed record GlossaryTerm(string Source, string Target, string Language);

public sealed record BrandFonts(string Heading, string Body);

public sealed class Brand : ITenantOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid WorkspaceId { get; set; }

    public required string Name { get; set; }

    /// <summary>How the brand speaks, in the seller's words.</summary>
    public string? Voice { get; set; }

    /// <summary>One of the copy tones (professional, luxurious, playful, technical, warm).</summary>
    public string? Tone { get; set; }

    /// <summary>Hex colours, primary first (#RRGGBB).</summary>
    public List<string> Palette { get; set; } = [];

    public BrandFonts Fonts { get; set; } = new("Noto Sans", "Noto Sans");

    public Guid? LogoAssetId { get; set; }

    public List<string> BannedWords { get; set; } = [];

    public List<GlossaryTerm> Glossary { get; set; } = [];

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }
}
