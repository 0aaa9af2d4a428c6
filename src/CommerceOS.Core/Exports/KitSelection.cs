using CommerceOS.Core.Assets;
using CommerceOS.Core.Generation;
using CommerceOS.Core.Marketplaces;

namespace CommerceOS.Core.Exports;

/// <summary>Which of a product's generated images go into a marketplace's kit.</summary>
public static class KitSelection
{
    /// <summary>
    /// Up to <paramref name="count"/> images of <paramref name="skill"/>, one per job (a job run for several marketplaces
    /// made the same picture at several sizes, and two sizes of one scene are not two scenes): of each job the image made
    /// for this marketplace, else the one at its main-image size (Taobao's 800x800 scene serves JD too), else any size
    /// (<see cref="KitChecks"/> flags a size the marketplace refuses); jobs in the same order of preference, newest first.
    /// </summary>
    /// <param name="images">The product's generated images, newest first.</param>
    public static List<Asset> Pick(IEnumerable<Asset> images, string skill, MarketplaceProfile profile, int count) =>
        images.Where(a => a.Skill == skill)
            .GroupBy(a => a.JobId ?? a.Id)
            .Select(job => job.OrderByDescending(a => Rank(a, profile)).First())
            .OrderByDescending(a => Rank(a, profile))
            .Take(count)
            .ToList();

    /// <summary>
    /// The listing's gallery in order (main image, scenes, studio shot, infographic, size chart) and what it lacks
    /// (<see cref="KitMissing"/>): what a kit carries and what a publish sends.
    /// </summary>
    /// <param name="images">The product's generated images, newest first.</param>
    public static (List<(Asset Asset, string Role)> Chosen, List<KitFlag> Missing) Gallery(IReadOnlyList<Asset> images, MarketplaceProfile profile)
    {
        var missing = new List<KitFlag>();
        var main = images.FirstOrDefault(a => a.Skill == ImageSkills.MainImage && a.Marketplace == profile.Id);
        var scenes = Pick(images, ImageSkills.Scene, profile, KitNaming.ScenesWanted);
        var infographic = Pick(images, ImageSkills.Infographic, profile, 1);
        if (main is null)
        {
            missing.Add(new KitFlag(KitMissing.MainImage, []));
        }

        if (scenes.Count < KitNaming.ScenesWanted)
        {
            missing.Add(new KitFlag(KitMissing.Scenes, [$"{scenes.Count}", $"{KitNaming.ScenesWanted}"]));
        }

        if (infographic.Count == 0)
        {
            missing.Add(new KitFlag(KitMissing.Infographic, []));
        }

        var chosen = new List<(Asset Asset, string Role)>();
        if (main is not null)
        {
            chosen.Add((main, KitRoles.Main));
        }

        chosen.AddRange(scenes.Select(a => (a, KitRoles.Scene)));
        chosen.AddRange(Pick(images, ImageSkills.Studio, profile, 1).Select(a => (a, KitRoles.Studio)));
        chosen.AddRange(infographic.Select(a => (a, KitRoles.Infographic)));
        chosen.AddRange(Pick(images, ImageSkills.SizeChart, profile, 1).Select(a => (a, KitRoles.SizeChart)));
        return (chosen, missing);
    }

    /// <summary>The template a marketplace variant was sized to: the last part of its output key (<c>variants:amazon:a-plus-banner</c>).</summary>
    public static string TemplateKey(Asset asset) =>
        asset.OutputKey is { } key && key.LastIndexOf(':') is var colon and >= 0 ? key[(colon + 1)..] : asset.OutputKey ?? "";

    private static int Rank(Asset asset, MarketplaceProfile profile) =>
        asset.Marketplace == profile.Id ? 2 : asset.Width == profile.Main.Width && asset.Height == profile.Main.Height ? 1 : 0;
}
