namespace CommerceOS.Core.Generation;

/// <summary>
/// What an Image Studio job was asked to do; stored as <see cref="Jobs.Job.InputJson"/> (IDs and
/// parameters, no personal data). Regenerating an image schedules a new job with the same input.
/// </summary>
/// <param name="SourceAssetId">The seller's photo (or, for variants, the generated image to size).</param>
public sealed record ImageJobInput(
    Guid ProductId,
    Guid? SourceAssetId,
    ImageSkill Skill,
    IReadOnlyList<string> Marketplaces,
    ImageJobOptions Options);

/// <param name="Shadow">Soft contact shadow on main images where the marketplace allows it.</param>
/// <param name="Width">Output width when no marketplace sets it.</param>
/// <param name="Height">Output height when no marketplace sets it.</param>
/// <param name="Language">"en" or "zh-CN" for text-bearing graphics.</param>
/// <param name="AiCutout">Use the configured provider's background removal instead of the local engine.</param>
/// <param name="Template">Variants: only this template key of each marketplace (regenerating one size).</param>
/// <param name="CutoutAssetId">
/// A white-background cut-out an earlier job made from the same photo (a workflow's earlier step): the job
/// reuses it instead of cutting the photo again, when it is this product's, unwatermarked and made the same
/// way (local or AI); otherwise the job cuts as usual.
/// </param>
public sealed record ImageJobOptions(
    bool Shadow = true,
    StudioStyle Style = StudioStyle.Gradient,
    string? SceneId = null,
    Guid? SceneAssetId = null,
    string? Prompt = null,
    InfographicLayout Layout = InfographicLayout.Split,
    string Language = "en",
    bool AiCutout = false,
    int? Width = null,
    int? Height = null,
    string? Template = null,
    Guid? CutoutAssetId = null);

/// <summary>One image a job will make.</summary>
/// <param name="Key">Unique within the job; with the job id it makes the asset's idempotency key.</param>
public sealed record PlannedOutput(string Key, string? Marketplace, int Width, int Height, Assets.ImageFormat Format, long? MaxBytes);

/// <summary>
/// The provenance stored on a generated asset (<see cref="Assets.Asset.ProvenanceJson"/>): who made
/// it, from what, and how. The file itself carries the IPTC part as XMP.
/// </summary>
public sealed record ImageProvenance(
    string Skill,
    string Engine,
    string? Model,
    string DigitalSourceType,
    Guid? SourceAssetId,
    string? Prompt,
    IReadOnlyDictionary<string, string> Parameters,
    double? CutoutConfidence);
