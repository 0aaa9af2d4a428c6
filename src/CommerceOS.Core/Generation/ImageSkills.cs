namespace CommerceOS.Core.Generation;

/// <summary>The stable skill ids of the public API, the pages and <see cref="Assets.Asset.Skill"/>.</summary>
public static class ImageSkills
{
    public const string Cutout = "cutout";
    public const string MainImage = "main-image";
    public const string Studio = "studio";
    public const string Scene = "scene";
    public const string Infographic = "infographic";
    public const string SizeChart = "size-chart";
    public const string Variants = "variants";

    public static readonly IReadOnlyList<string> All = [Cutout, MainImage, Studio, Scene, Infographic, SizeChart, Variants];

    public static string Id(ImageSkill skill) => skill switch
    {
        ImageSkill.Cutout => Cutout,
        ImageSkill.MainImage => MainImage,
        ImageSkill.Studio => Studio,
        ImageSkill.Scene => Scene,
        ImageSkill.Infographic => Infographic,
        ImageSkill.SizeChart => SizeChart,
        ImageSkill.Variants => Variants,
        _ => throw new ArgumentOutOfRangeException(nameof(skill), skill, null),
    };

    public static ImageSkill? Parse(string? id)
    {
        foreach (var skill in Enum.GetValues<ImageSkill>())
        {
            if (string.Equals(Id(skill), id?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                return skill;
            }
        }

        return null;
    }

    /// <summary>Skills that start from the product cut out of the seller's photo.</summary>
    public static bool NeedsCutout(ImageSkill skill) => skill is not (ImageSkill.SizeChart or ImageSkill.Variants);

    /// <summary>Skills that render one image per marketplace and cannot run without one.</summary>
    public static bool NeedsMarketplace(ImageSkill skill) => skill is ImageSkill.MainImage or ImageSkill.Variants;
}
