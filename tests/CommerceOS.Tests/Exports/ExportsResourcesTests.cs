using System.Reflection;
using CommerceOS.Core.Exports;
using CommerceOS.Core.Marketplaces;
using CommerceOS.Web.Shared.Localization;

namespace CommerceOS.Tests.Exports;

/// <summary>Every code the export can put in a result or a manifest has a text in both languages.</summary>
public sealed class ExportsResourcesTests
{
    private static readonly StringCatalog Catalog = new(Path.Combine(AppContext.BaseDirectory, "Resources"));

    [Theory]
    [InlineData(StringCatalog.English)]
    [InlineData(StringCatalog.Chinese)]
    public void EveryExportCode_HasAText(string culture)
    {
        var texts = Catalog.For(culture);
        var keys = new List<string>();
        keys.AddRange(Constants(typeof(ExportErrors)));
        keys.AddRange(Constants(typeof(KitMissing)));
        keys.AddRange(Constants(typeof(KitFlags)).Where(k => k != KitFlags.RulePrefix));
        keys.AddRange(new[] { RuleKinds.MinSide, RuleKinds.MinLongSide, RuleKinds.MaxSide, RuleKinds.Aspect, RuleKinds.Format, RuleKinds.FileSize }.Select(k => KitFlags.RulePrefix + k));
        keys.AddRange(Constants(typeof(KitRoles)).Select(role => $"exports.role.{role}"));

        Assert.True(keys.Count > 30, $"only {keys.Count} keys gathered");
        var missing = keys.Where(key => !texts.ContainsKey(key)).ToList();
        Assert.True(missing.Count == 0, "missing: " + string.Join(", ", missing));
    }

    private static IEnumerable<string> Constants(Type type) =>
        type.GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!);
}
