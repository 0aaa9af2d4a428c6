using System.Reflection;
using CommerceOS.Core.Publishing;
using CommerceOS.Web.Shared.Localization;
using Microsoft.Extensions.DependencyInjection;

namespace CommerceOS.Tests.Publishing;

/// <summary>Every code the Publish Center can show has a text in both languages, and every issue a fix.</summary>
public sealed class PublishingResourcesTests
{
    private static readonly StringCatalog Catalog = new(Path.Combine(AppContext.BaseDirectory, "Resources"));

    [Theory]
    [InlineData(StringCatalog.English)]
    [InlineData(StringCatalog.Chinese)]
    public async Task EveryPublishingCode_FieldAndStatus_HasAText(string culture)
    {
        var texts = Catalog.For(culture);
        var keys = new List<string>();
        keys.AddRange(Constants(typeof(PublishingErrors)));
        var gate = Constants(typeof(PublishGate)).Where(k => k.StartsWith("publishing.gate.", StringComparison.Ordinal)).ToList();
        keys.AddRange(gate);
        keys.AddRange(gate.Select(k => k + ".fix"));
        keys.AddRange(ListingFields.All.SelectMany(f => new[] { "publishing.listing_field." + f, "publishing.platform." + f, "publishing.platform." + f + ".fix" }));
        keys.AddRange(Enum.GetNames<PublicationStatus>().Select(s => "publishing.status." + Camel(s)));
        keys.AddRange(Enum.GetNames<ListingStatus>().Select(s => "publishing.listing_status." + Camel(s)));
        keys.AddRange(Enum.GetNames<ConnectionStatus>().Select(s => "publishing.connection_status." + Camel(s)));
        keys.AddRange(Enum.GetNames<PublicationAction>().Select(s => "publishing.action." + Camel(s)));

        // The credential fields of every real adapter, as the host registers them.
        await using var app = await Infrastructure.AppFactory.StartAsync(Infrastructure.DatabaseKind.Sqlite);
        var publishers = app.Services.GetRequiredService<MarketplacePublishers>().All;
        Assert.Equal(Platforms.All.Order(StringComparer.Ordinal), publishers.Select(p => p.Platform).Order(StringComparer.Ordinal));
        keys.AddRange(publishers.SelectMany(p => p.Fields).Select(f => "publishing.field." + f.Name).Distinct(StringComparer.Ordinal));
        keys.AddRange(publishers.SelectMany(p => p.RequiredFields).Select(f => "publishing.listing_field." + f));

        Assert.True(keys.Count > 100, $"only {keys.Count} keys gathered");
        var missing = keys.Distinct(StringComparer.Ordinal).Where(key => !texts.ContainsKey(key)).ToList();
        Assert.True(missing.Count == 0, "missing: " + string.Join(", ", missing));
    }

    private static string Camel(string name) => char.ToLowerInvariant(name[0]) + name[1..];

    private static IEnumerable<string> Constants(Type type) =>
        type.GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!);
}
