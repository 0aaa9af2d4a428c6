using System.Globalization;
using CommerceOS.Core.Assets;
using CommerceOS.Core.Marketplaces;

namespace CommerceOS.Core.Generation;

/// <summary>
/// Turns a request into the list of images it makes: the quota reserves exactly that many units
/// and the job renders exactly those, so the two can never disagree.
/// </summary>
public static class ImagePlanner
{
    public const int DefaultSide = 2000;

    public const int MinSide = 200;

    public const int MaxSide = 4000;

    public static IReadOnlyList<PlannedOutput> Plan(ImageJobInput input, IMarketplaceCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(catalog);
        var marketplaces = input.Marketplaces
            .Select(id => catalog.Find(id) ?? throw new ArgumentException($"Unknown marketplace {id}.", nameof(input)))
            .DistinctBy(m => m.Id)
            .ToList();

        switch (input.Skill)
        {
            case ImageSkill.Cutout:
                return [new PlannedOutput(ImageSkills.Cutout, null, 0, 0, ImageFormat.Png, null)];
            case ImageSkill.MainImage:
                return marketplaces
                    .Select(m => new PlannedOutput($"{ImageSkills.MainImage}:{m.Id}", m.Id, m.Main.Width, m.Main.Height, m.Main.Format, m.Main.MaxBytes))
                    .ToList();
            case ImageSkill.Variants:
                return marketplaces
                    .SelectMany(m => m.Templates
                        .Where(t => input.Options.Template is null || t.Key == input.Options.Template)
                        .Select(t => new PlannedOutput(
                        $"{ImageSkills.Variants}:{m.Id}:{t.Key}", m.Id, t.Width, t.Height, ImageFormat.Jpeg, t.Purpose == TemplatePurpose.Main ? m.Main.MaxBytes : null)))
                    .ToList();
            default:
                var skill = ImageSkills.Id(input.Skill);
                var format = input.Skill == ImageSkill.SizeChart ? ImageFormat.Png : ImageFormat.Jpeg;
                if (marketplaces.Count == 0)
                {
                    var width = input.Options.Width ?? DefaultSide;
                    var height = input.Options.Height ?? DefaultSide;
                    return [new PlannedOutput(string.Create(CultureInfo.InvariantCulture, $"{skill}:{width}x{height}"), null, width, height, format, null)];
                }

                // One image per distinct main-image size: Taobao, JD and Pinduoduo share 800x800.
                return marketplaces
                    .GroupBy(m => (m.Main.Width, m.Main.Height))
                    .Select(g => new PlannedOutput(
                        string.Create(CultureInfo.InvariantCulture, $"{skill}:{g.Key.Width}x{g.Key.Height}"),
                        g.First().Id,
                        g.Key.Width,
                        g.Key.Height,
                        format,
                        g.Min(m => m.Main.MaxBytes)))
                    .ToList();
        }
    }
}
