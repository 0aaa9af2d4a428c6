using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using CommerceOS.Core.Assets;

namespace CommerceOS.Core.Marketplaces;

/// <summary>
/// The marketplaces in <c>Marketplaces/marketplaces.json</c> (an embedded resource transcribed from
/// marketplace-rules.md). The data is parsed and validated once, when the catalog is built, so a bad
/// edit to the file stops the application at start instead of mis-checking sellers' images later.
/// </summary>
public sealed class MarketplaceCatalog : IMarketplaceCatalog
{
    public const string ResourceName = "CommerceOS.Core.Marketplaces.marketplaces.json";

    public const string PrototypeSource = "(product prototype)";

    /// <summary>Aspect rules hold exact ratios (1:1); half a percent lets a one-pixel difference pass.</summary>
    public const double AspectTolerance = 0.005;

    /// <summary>Values the format rule and the profile may name (the rules file also lists BMP for Google).</summary>
    public static readonly IReadOnlyList<string> KnownFormats = ["jpeg", "png", "webp", "tiff", "gif", "bmp"];

    public static readonly IReadOnlyList<string> KnownColourSpaces = ["srgb"];

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        // A misspelt field ("maxbytes", "targetfil") must fail loudly, not silently become null.
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
    };

    private readonly Dictionary<string, MarketplaceProfile> _byId;

    /// <summary>Loads the embedded data.</summary>
    public MarketplaceCatalog()
        : this(ReadEmbedded().All)
    {
    }

    private MarketplaceCatalog(IReadOnlyList<MarketplaceProfile> all)
    {
        All = all;
        _byId = all.ToDictionary(m => m.Id, StringComparer.OrdinalIgnoreCase);
    }

    public IReadOnlyList<MarketplaceProfile> All { get; }

    public MarketplaceProfile? Find(string id) =>
        string.IsNullOrWhiteSpace(id) ? null : _byId.GetValueOrDefault(id.Trim());

    /// <summary>Parses and validates <paramref name="json"/>; throws <see cref="InvalidDataException"/> listing every problem.</summary>
    public static MarketplaceCatalog FromJson(string json)
    {
        CatalogDocument? document;
        try
        {
            document = JsonSerializer.Deserialize<CatalogDocument>(json, JsonOptions);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"Marketplace data is not valid JSON for the schema: {e.Message}", e);
        }

        if (document?.Marketplaces is not { Count: > 0 } marketplaces)
        {
            throw new InvalidDataException("Marketplace data has no marketplaces.");
        }

        var problems = new List<string>();
        var profiles = new List<MarketplaceProfile>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < marketplaces.Count; i++)
        {
            var entry = marketplaces[i];
            var label = string.IsNullOrWhiteSpace(entry.Id) ? $"marketplace #{i + 1}" : entry.Id;
            if (string.IsNullOrWhiteSpace(entry.Id) || !IsKebab(entry.Id))
            {
                problems.Add($"{label}: id must be lower-case kebab-case (a-z, 0-9, '-').");
            }
            else if (!seen.Add(entry.Id))
            {
                problems.Add($"{label}: duplicate id.");
            }

            var profile = Map(entry, label, problems);
            if (profile is not null)
            {
                problems.AddRange(CrossCheck(profile, label));
                profiles.Add(profile);
            }
        }

        if (problems.Count > 0)
        {
            throw new InvalidDataException("Marketplace data is invalid:" + Environment.NewLine + "- " + string.Join(Environment.NewLine + "- ", problems));
        }

        return new MarketplaceCatalog(profiles);
    }

    private static MarketplaceCatalog ReadEmbedded()
    {
        using var stream = typeof(MarketplaceCatalog).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"Embedded resource {ResourceName} is missing from CommerceOS.Core.");
        using var reader = new StreamReader(stream);
        return FromJson(reader.ReadToEnd());
    }

    private static MarketplaceProfile? Map(MarketplaceEntry entry, string label, List<string> problems)
    {
        var before = problems.Count;
        var main = entry.Main;
        ImageFormat format = default;
        if (main is null)
        {
            problems.Add($"{label}: main image profile is missing.");
        }
        else
        {
            if (main.Width <= 0 || main.Height <= 0)
            {
                problems.Add($"{label}: main size {main.Width}x{main.Height} must be positive.");
            }

            if (main.TargetFill is not (> 0 and <= 1))
            {
                problems.Add($"{label}: main targetFill {main.TargetFill.ToString(CultureInfo.InvariantCulture)} must be in (0, 1].");
            }

            if (main.MaxBytes is <= 0)
            {
                problems.Add($"{label}: main maxBytes must be positive.");
            }

            if (!TryParseRenderFormat(main.Format, out format))
            {
                problems.Add($"{label}: main format '{main.Format}' must be jpeg, png or webp (the formats the renderer writes).");
            }
        }

        var rules = new List<ImageRule>();
        foreach (var (rule, n) in (entry.Rules ?? []).Select((r, n) => (r, n + 1)))
        {
            var where = $"{label} rule #{n} ({rule.Kind})";
            if (MapRule(rule, where, problems) is { } mapped)
            {
                rules.Add(mapped);
            }
        }

        var templates = new List<ImageTemplate>();
        var keys = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var template in entry.Templates ?? [])
        {
            var where = $"{label} template '{template.Key}'";
            if (string.IsNullOrWhiteSpace(template.Key) || !IsKebab(template.Key))
            {
                problems.Add($"{where}: key must be lower-case kebab-case.");
            }
            else if (!keys.Add(template.Key))
            {
                problems.Add($"{where}: duplicate key.");
            }

            if (template.Width <= 0 || template.Height <= 0)
            {
                problems.Add($"{where}: size {template.Width}x{template.Height} must be positive.");
            }

            if (!Enum.TryParse<TemplatePurpose>(template.Purpose, ignoreCase: true, out var purpose) || !Enum.IsDefined(purpose) || int.TryParse(template.Purpose, out _))
            {
                problems.Add($"{where}: unknown purpose '{template.Purpose}' (main, detail, banner, cover, social).");
            }

            templates.Add(new ImageTemplate(template.Key ?? string.Empty, template.Width, template.Height, purpose, template.Name, template.Note));
        }

        if (problems.Count > before || main is null)
        {
            return null;
        }

        return new MarketplaceProfile(
            entry.Id!,
            new MainImageProfile(main.Width, main.Height, main.TargetFill, main.ShadowAllowed, format, main.MaxBytes, main.Note),
            rules,
            templates,
            entry.Name,
            entry.Note);
    }

    private static ImageRule? MapRule(RuleEntry rule, string where, List<string> problems)
    {
        var before = problems.Count;
        if (rule.Kind is null || !RuleKinds.All.Contains(rule.Kind, StringComparer.Ordinal))
        {
            problems.Add($"{where}: unknown rule kind (known: {string.Join(", ", RuleKinds.All)}).");
        }

        if (!Enum.TryParse<RuleSeverity>(rule.Severity, ignoreCase: true, out var severity) || !Enum.IsDefined(severity) || int.TryParse(rule.Severity, out _))
        {
            problems.Add($"{where}: unknown severity '{rule.Severity}' (error, warning).");
        }

        if (string.IsNullOrWhiteSpace(rule.Source)
            || !(rule.Source == PrototypeSource
                || rule.Source.StartsWith("https://", StringComparison.Ordinal)
                || rule.Source.StartsWith("http://", StringComparison.Ordinal)))
        {
            problems.Add($"{where}: source must be a URL or \"{PrototypeSource}\".");
        }

        if (!DateOnly.TryParseExact(rule.LastVerified, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var verified))
        {
            problems.Add($"{where}: lastVerified '{rule.LastVerified}' must be a yyyy-MM-dd date.");
        }

        if (rule.Min is { } min && rule.Max is { } max && min > max)
        {
            problems.Add($"{where}: min {Num(min)} is greater than max {Num(max)}.");
        }

        if (rule.Min is < 0 || rule.Max is < 0)
        {
            problems.Add($"{where}: min and max must not be negative.");
        }

        switch (rule.Kind)
        {
            case RuleKinds.Background:
                if (rule.Max is not (>= 0 and < 1))
                {
                    problems.Add($"{where}: max (the tolerated share of non-white border pixels) must be in [0, 1).");
                }

                break;
            case RuleKinds.Fill:
                if (rule.Min is null && rule.Max is null)
                {
                    problems.Add($"{where}: needs min or max.");
                }

                if (rule.Min is > 1 || rule.Max is > 1)
                {
                    problems.Add($"{where}: fill bounds are fractions of the frame, at most 1.");
                }

                break;
            case RuleKinds.Aspect:
                if ((rule.Min is null && rule.Max is null) || rule.Min is 0 || rule.Max is 0)
                {
                    problems.Add($"{where}: needs a positive min or max ratio.");
                }

                break;
            case RuleKinds.MinSide or RuleKinds.MinLongSide:
                if (rule.Min is not > 0 || rule.Max is not null)
                {
                    problems.Add($"{where}: needs a positive min (px) and no max.");
                }

                break;
            case RuleKinds.MaxSide or RuleKinds.FileSize:
                if (rule.Max is not > 0 || rule.Min is not null)
                {
                    problems.Add($"{where}: needs a positive max and no min.");
                }

                break;
            case RuleKinds.Format:
                CheckAllowed(rule, where, KnownFormats, problems);
                break;
            case RuleKinds.ColourSpace:
                CheckAllowed(rule, where, KnownColourSpaces, problems);
                break;
            default:
                break;
        }

        if (problems.Count > before)
        {
            return null;
        }

        return new ImageRule(rule.Kind!, severity, rule.Source!, verified, rule.Min, rule.Max, rule.Allowed, rule.Note);
    }

    private static void CheckAllowed(RuleEntry rule, string where, IReadOnlyList<string> known, List<string> problems)
    {
        if (rule.Allowed is not { Count: > 0 })
        {
            problems.Add($"{where}: needs a non-empty allowed list.");
            return;
        }

        foreach (var value in rule.Allowed.Where(v => !known.Contains(v, StringComparer.Ordinal)))
        {
            problems.Add($"{where}: unknown allowed value '{value}' (known: {string.Join(", ", known)}).");
        }
    }

    /// <summary>
    /// The profile we render must pass the marketplace's own rules (every severity): the engine's main
    /// images are checked by the same rules, so a profile that fails them would be a built-in rejection.
    /// </summary>
    private static IEnumerable<string> CrossCheck(MarketplaceProfile profile, string label)
    {
        var main = profile.Main;
        var shortSide = Math.Min(main.Width, main.Height);
        var longSide = Math.Max(main.Width, main.Height);
        var aspect = (double)main.Width / main.Height;
        var format = main.Format.ToString().ToLowerInvariant();
        foreach (var rule in profile.MainImageRules)
        {
            var problem = rule.Kind switch
            {
                RuleKinds.Fill when main.TargetFill < rule.Min || main.TargetFill > rule.Max =>
                    $"targetFill {Num(main.TargetFill)} is outside the fill rule [{Num(rule.Min)}, {Num(rule.Max)}]",
                RuleKinds.MinSide when shortSide < rule.Min => $"main size {main.Width}x{main.Height} is below the min-side {Num(rule.Min)}",
                RuleKinds.MinLongSide when longSide < rule.Min => $"main size {main.Width}x{main.Height} is below the min-long-side {Num(rule.Min)}",
                RuleKinds.MaxSide when longSide > rule.Max => $"main size {main.Width}x{main.Height} is above the max-side {Num(rule.Max)}",
                RuleKinds.Aspect when aspect < rule.Min - AspectTolerance || aspect > rule.Max + AspectTolerance =>
                    $"main aspect {Num(aspect)} is outside [{Num(rule.Min)}, {Num(rule.Max)}]",
                RuleKinds.FileSize when main.MaxBytes is null || main.MaxBytes > rule.Max =>
                    $"main maxBytes {main.MaxBytes?.ToString(CultureInfo.InvariantCulture) ?? "(none)"} does not respect the file-size rule {Num(rule.Max)}",
                RuleKinds.Format when !rule.Allowed!.Contains(format, StringComparer.Ordinal) => $"main format {format} is not in the format rule",
                _ => null,
            };
            if (problem is not null)
            {
                yield return $"{label}: {problem}.";
            }
        }
    }

    private static bool TryParseRenderFormat(string? value, out ImageFormat format)
    {
        format = value switch
        {
            "jpeg" => ImageFormat.Jpeg,
            "png" => ImageFormat.Png,
            "webp" => ImageFormat.WebP,
            _ => (ImageFormat)(-1),
        };
        return Enum.IsDefined(format);
    }

    private static bool IsKebab(string value) =>
        value.Length > 0 && value[0] != '-' && value[^1] != '-' && value.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-');

    private static string Num(double? value) => value?.ToString("0.###", CultureInfo.InvariantCulture) ?? "-";

    private sealed class CatalogDocument
    {
        [JsonPropertyName("$comment")]
        public string? Comment { get; set; }

        public List<MarketplaceEntry>? Marketplaces { get; set; }
    }

    private sealed class MarketplaceEntry
    {
        public string? Id { get; set; }

        public string? Name { get; set; }

        public string? Note { get; set; }

        public MainEntry? Main { get; set; }

        public List<RuleEntry>? Rules { get; set; }

        public List<TemplateEntry>? Templates { get; set; }
    }

    private sealed class MainEntry
    {
        public int Width { get; set; }

        public int Height { get; set; }

        public double TargetFill { get; set; }

        public bool ShadowAllowed { get; set; }

        public string? Format { get; set; }

        public long? MaxBytes { get; set; }

        public string? Note { get; set; }
    }

    private sealed class RuleEntry
    {
        public string? Kind { get; set; }

        public string? Severity { get; set; }

        public double? Min { get; set; }

        public double? Max { get; set; }

        public List<string>? Allowed { get; set; }

        public string? Source { get; set; }

        public string? LastVerified { get; set; }

        public string? Note { get; set; }
    }

    private sealed class TemplateEntry
    {
        public string? Key { get; set; }

        public string? Name { get; set; }

        public int Width { get; set; }

        public int Height { get; set; }

        public string? Purpose { get; set; }

        public string? Note { get; set; }
    }
}
