using System.Reflection;
using CommerceOS.Core.Generation;
using CommerceOS.Core.Jobs;
using CommerceOS.Core.Marketplaces;
using CommerceOS.Engines.Imaging.Composition;
using CommerceOS.Web.Shared.Localization;

namespace CommerceOS.Tests.ImageStudio;

/// <summary>Names the studio builds from data (marketplaces, rule kinds, scenes, skills, error codes) exist in both languages.</summary>
public sealed class ImageStudioResourcesTests
{
    private static readonly StringCatalog Catalog = new(Path.Combine(AppContext.BaseDirectory, "Resources"));

    public static TheoryData<string> Cultures => [StringCatalog.English, StringCatalog.Chinese];

    [Theory]
    [MemberData(nameof(Cultures))]
    public void EveryDataDrivenKey_HasAText(string culture)
    {
        var texts = Catalog.For(culture);
        var keys = new List<string>();
        keys.AddRange(new MarketplaceCatalog().All.Select(m => $"marketplace.{m.Id}"));
        keys.AddRange(RuleKinds.All.SelectMany(kind => new[] { $"compliance.rule.{kind}", $"compliance.fix.{kind}" }));
        keys.AddRange(ProceduralScenes.Ids.Select(id => $"scene.{id}"));
        keys.AddRange(ImageSkills.All.SelectMany(skill => new[] { $"studio.skill.{skill}", $"studio.skill_help.{skill}" }));
        keys.AddRange(Enum.GetNames<StudioStyle>().Select(n => $"studio.style.{n.ToLowerInvariant()}"));
        keys.AddRange(Enum.GetNames<InfographicLayout>().Select(n => $"studio.layout.{n.ToLowerInvariant()}"));
        keys.AddRange(Enum.GetNames<JobStatus>().Select(n => $"studio.job.{n.ToLowerInvariant()}"));
        keys.AddRange(Constants(typeof(GenerationErrors)));
        keys.AddRange(Constants(typeof(SizeCharts)).Where(code => code.StartsWith("generation.", StringComparison.Ordinal)));

        Assert.True(keys.Count > 100, $"only {keys.Count} keys gathered");
        var missing = keys.Where(key => !texts.ContainsKey(key)).ToList();
        Assert.True(missing.Count == 0, "missing: " + string.Join(", ", missing));
    }

    private static IEnumerable<string> Constants(Type type) =>
        type.GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!);
}
