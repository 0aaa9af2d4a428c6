using System.Collections.Frozen;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Localization;

namespace CommerceOS.Web.Shared.Localization;

/// <summary>
/// All user-visible strings, loaded once from <c>Resources/{culture}/*.json</c> (one file per area,
/// flat key to text). Keys are global and namespaced by area ("catalog.sku_taken"), so Core error
/// codes, Razor views and e-mails share one catalogue. A key missing in zh-CN falls back to English;
/// a test keeps the two cultures' key sets identical.
/// </summary>
public sealed class StringCatalog
{
    public const string English = "en";
    public const string Chinese = "zh-CN";

    private readonly FrozenDictionary<string, FrozenDictionary<string, string>> _byCulture;

    public StringCatalog(string resourcesRoot)
    {
        var cultures = new Dictionary<string, FrozenDictionary<string, string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var culture in new[] { English, Chinese })
        {
            var strings = new Dictionary<string, string>(StringComparer.Ordinal);
            var folder = Path.Combine(resourcesRoot, culture);
            if (Directory.Exists(folder))
            {
                foreach (var file in Directory.EnumerateFiles(folder, "*.json").Order(StringComparer.Ordinal))
                {
                    var entries = JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(file))
                        ?? throw new InvalidOperationException($"Resource file {file} is empty.");
                    foreach (var (key, value) in entries)
                    {
                        if (!strings.TryAdd(key, value))
                        {
                            throw new InvalidOperationException($"Resource key '{key}' is defined twice ({file}).");
                        }
                    }
                }
            }

            cultures[culture] = strings.ToFrozenDictionary(StringComparer.Ordinal);
        }

        _byCulture = cultures.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
    }

    public IReadOnlyDictionary<string, string> For(string culture) =>
        _byCulture.TryGetValue(culture, out var strings) ? strings : _byCulture[English];

    public string? Find(string key, CultureInfo culture)
    {
        var name = IsChinese(culture) ? Chinese : English;
        if (_byCulture[name].TryGetValue(key, out var value))
        {
            return value;
        }

        return _byCulture[English].TryGetValue(key, out var english) ? english : null;
    }

    public static bool IsChinese(CultureInfo culture) =>
        culture.Name.StartsWith("zh", StringComparison.OrdinalIgnoreCase);
}

public sealed class JsonStringLocalizer(StringCatalog catalog) : IStringLocalizer
{
    public LocalizedString this[string name]
    {
        get
        {
            var value = catalog.Find(name, CultureInfo.CurrentUICulture);
            return new LocalizedString(name, value ?? name, resourceNotFound: value is null);
        }
    }

    public LocalizedString this[string name, params object[] arguments]
    {
        get
        {
            var value = catalog.Find(name, CultureInfo.CurrentUICulture);
            var text = value is null ? name : string.Format(CultureInfo.CurrentCulture, value, arguments);
            return new LocalizedString(name, text, resourceNotFound: value is null);
        }
    }

    public IEnumerable<LocalizedString> GetAllStrings(bool includeParentCultures) =>
        catalog.For(StringCatalog.IsChinese(CultureInfo.CurrentUICulture) ? StringCatalog.Chinese : StringCatalog.English)
            .Select(pair => new LocalizedString(pair.Key, pair.Value));
}

/// <summary>Every <c>IStringLocalizer&lt;T&gt;</c> reads the one catalogue.</summary>
public sealed class JsonStringLocalizerFactory(StringCatalog catalog) : IStringLocalizerFactory
{
    private readonly JsonStringLocalizer _localizer = new(catalog);

    public IStringLocalizer Create(Type resourceSource) => _localizer;

    public IStringLocalizer Create(string baseName, string location) => _localizer;
}
