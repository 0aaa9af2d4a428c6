using System.Reflection;
using CommerceOS.Core.Catalog;
using CommerceOS.Core.Copy;
using CommerceOS.Core.Seo;
using CommerceOS.Engines.Seo;
using CommerceOS.Web.Shared.Localization;

namespace CommerceOS.Tests.Copy;

public sealed class CopyValidatorTests
{
    private static readonly StringCatalog Catalog = new(Path.Combine(AppContext.BaseDirectory, "Resources"));

    public static TheoryData<string> Cultures => [StringCatalog.English, StringCatalog.Chinese];

    private static Product Bottle() => new()
    {
        Sku = "AQ-500",
        Title = "AquaPeak Insulated Water Bottle AP-500",
        Category = "Water Bottles",
        Attributes =
        [
            new ProductAttribute("Capacity", AttributeType.Measurement, "500", "ml"),
            new ProductAttribute("Waterproof", AttributeType.Boolean, "true"),
            new ProductAttribute("Dishwasher safe", AttributeType.Boolean, "false"),
        ],
        SellingPoints = ["Keeps drinks cold for 24 hours"],
        TargetAudience = "Hikers",
    };

    private static readonly Brand AquaPeak = new() { Name = "AquaPeak", BannedWords = ["cheap"] };

    private static ListingText AmazonText(Action<List<string>>? bullets = null)
    {
        var list = new List<string>
        {
            "COLD FOR HOURS: Keeps drinks cold for 24 hours on the trail.",
            "RIGHT SIZE: Holds 500 ml.",
            "MADE FOR HIKERS: Made for hikers who carry water all day.",
            "WATERPROOF: A waterproof bottle for wet days.",
            "MODEL: AquaPeak AP-500 water bottle.",
        };
        bullets?.Invoke(list);
        return new ListingText
        {
            Title = "AquaPeak Insulated Water Bottle AP-500, 500 ml, Keeps Drinks Cold for 24 Hours, for Hikers",
            Bullets = list,
            Description = "The AquaPeak AP-500 holds 500 ml and keeps drinks cold for 24 hours.\nMade for hikers.",
            SearchTerms = "insulated water bottle hikers cold drinks",
        };
    }

    private static IReadOnlyList<CopyIssue> Validate(ListingText text, string marketplace = "amazon", IReadOnlyList<string>? competitors = null, IReadOnlyList<string>? required = null, IReadOnlyList<CopyTrace>? traces = null) =>
        CopyValidator.Validate(text, new CopyCheck(CopyProfiles.Get(marketplace), ProductFacts.From(Bottle(), AquaPeak), AquaPeak.BannedWords, competitors, required, AquaPeak.Name, traces));

    private static IEnumerable<string> Errors(IReadOnlyList<CopyIssue> issues) =>
        issues.Where(i => i.Severity == CopyIssueSeverity.Error).Select(i => $"{i.RuleId} {i.Path} {string.Join("|", i.Args)}");

    private static void Has(List<string> errors, string expected) =>
        Assert.True(errors.Contains(expected), $"\"{expected}\" not in: {string.Join("; ", errors)}");

    [Fact]
    public void A_true_text_within_the_rules_has_no_errors()
    {
        Assert.Empty(Errors(Validate(AmazonText())));
    }

    [Fact]
    public void Every_rule_reports_the_field_item_and_arguments()
    {
        var text = AmazonText(b =>
        {
            b[1] = "RIGHT SIZE: Holds 1000 ml, the #1 bottle, dishwasher safe.";
            b[2] = "Guaranteed cheap refills ™";
            b.Add("A sixth bullet for hikers.");
        }) with
        {
            Title = "AquaPeak Bottle Bottle Bottle! " + new string('x', 190),
            SearchTerms = "aquapeak bottle bottle " + new string('y', 240),
        };

        var errors = Errors(Validate(text, competitors: ["Stanley"], required: ["thermos"])).ToList();

        Has(errors, "too-long $.title 221|200|copy.unit.characters");
        Has(errors, "forbidden-characters $.title !");
        Has(errors, "word-repeat $.title bottle|2");
        Has(errors, "bullet-count $.bullets[0] 6|5");
        Has(errors, "untraced-figure $.bullets[1] 1000");
        Has(errors, "unsupported-claim $.bullets[1] #1");
        // "Dishwasher safe: false" is a fact, but a "no": it supports no claim.
        Has(errors, "unsupported-claim $.bullets[1] dishwasher safe");
        Has(errors, "guarantee-phrase $.bullets[2] guaranteed");
        Has(errors, "forbidden-characters $.bullets[2] ™");
        Has(errors, "banned-word $.bullets[2] cheap");
        Has(errors, "required-keyword $.title thermos");
        Has(errors, "too-long $.searchTerms 263|249|copy.unit.bytes");
        Has(errors, "word-repeat $.searchTerms bottle|1");
        Has(errors, "own-brand-in-search-terms $.searchTerms AquaPeak");
        Assert.DoesNotContain(errors, e => e.StartsWith("unsupported-claim $.bullets[3]", StringComparison.Ordinal));
    }

    [Fact]
    public void Competitor_brands_are_refused_in_any_field_but_not_inside_other_words()
    {
        var text = AmazonText() with { Description = "Better than a Stanley. Made for hikers." };

        Assert.Contains("competitor-brand $.description Stanley", Errors(Validate(text, competitors: ["Stanley"])));
        Assert.DoesNotContain(Errors(Validate(AmazonText() with { Description = "Stanleyville hikers" }, competitors: ["Stanley"])), e => e.StartsWith("competitor-brand", StringComparison.Ordinal));
    }

    [Fact]
    public void Taobao_titles_count_double_bytes_and_refuse_angle_brackets_and_emoji()
    {
        var title = new string('保', 31);
        var errors = Errors(Validate(new ListingText { Title = title + "<>😀", Description = "保温杯", LiveScript = ["保温杯"] }, "taobao")).ToList();

        Has(errors, "too-long $.title 66|60|copy.unit.double_bytes");
        Has(errors, "forbidden-characters $.title <>");
        Has(errors, "emoji $.title ");
        Assert.DoesNotContain(errors, e => e.StartsWith("too-long", StringComparison.Ordinal) && !e.Contains("$.title", StringComparison.Ordinal));
    }

    [Fact]
    public void TikTok_refuses_Chinese_titles_short_descriptions_and_counts_hashtags_into_the_caption()
    {
        var text = new ListingText
        {
            Title = "AquaPeak 保温杯 water bottle for hikers",
            Description = "<p>Keeps drinks cold.</p><script>x</script>",
            Caption = new string('c', 130),
            Hashtags = ["waterbottle", "hiking gear", "#cold"],
        };

        var errors = Errors(Validate(text, "tiktok-shop")).ToList();

        Has(errors, "chinese-in-title $.title ");
        Has(errors, "too-few-words $.description 4|30");
        Has(errors, "markup $.description script");
        Has(errors, "too-long $.caption 163|150|copy.unit.characters");
        Has(errors, "hashtag-format $.hashtags[1] hiking gear");
        Has(errors, "hashtag-format $.hashtags[2] #cold");
    }

    [Fact]
    public void Minimums_are_errors_where_the_platform_refuses_and_warnings_where_they_are_score_bands()
    {
        var amazon = Validate(AmazonText() with { Title = "AquaPeak AP-500 bottle" });
        var shopee = Validate(new ListingText { Title = "AquaPeak AP-500", Description = "Holds 500 ml." }, "shopee");

        Assert.Contains(amazon, i => i is { RuleId: CopyRules.TooShort, Field: CopyFields.Title, Severity: CopyIssueSeverity.Warning });
        Assert.Contains(shopee, i => i is { RuleId: CopyRules.TooShort, Field: CopyFields.Title, Severity: CopyIssueSeverity.Error });
        Assert.Contains(shopee, i => i is { RuleId: CopyRules.TooShort, Field: CopyFields.Description, Severity: CopyIssueSeverity.Error });
    }

    [Fact]
    public void Traces_must_name_facts_the_product_has()
    {
        var text = AmazonText();
        var traces = new List<CopyTrace>
        {
            new(CopyFields.Title, 0, ["title", "attr:0"]),
            new(CopyFields.Bullets, 0, ["point:0"]),
            new(CopyFields.Bullets, 1, ["attr:0"]),
            new(CopyFields.Bullets, 2, ["audience"]),
            new(CopyFields.Bullets, 3, ["attr:9"]),
            new(CopyFields.Description, 0, ["attr:0", "point:0"]),
        };

        var errors = Errors(Validate(text, traces: traces)).ToList();

        Assert.Equal(["unknown-fact $.bullets[3] attr:9", "untraced $.bullets[4] "], errors);
    }

    [Fact]
    public void Facts_hold_the_numbers_model_numbers_and_claims_of_the_product()
    {
        var facts = ProductFacts.From(Bottle(), AquaPeak);

        Assert.Empty(facts.UntracedFigures("AP-500 holds 500ml, cold for 24 hours"));
        Assert.Equal(["AP-600", "750"], facts.UntracedFigures("AP-600 holds 750 ml"));
        Assert.Empty(facts.UnsupportedClaims("A waterproof bottle; water-proof as said"));
        Assert.Equal(["organic", "防水"], facts.UnsupportedClaims("Organic 防水 secure bottle"));
        Assert.Contains(facts.All, f => f is { Id: "attr:2", Negated: true });
    }

    [Fact]
    public void Plain_text_marketplaces_refuse_any_tag_and_Amazon_takes_line_breaks_only()
    {
        Assert.Contains("markup $.description b", Errors(Validate(AmazonText() with { Description = "Holds 500 ml.<br><b>For hikers</b>" })));
        Assert.DoesNotContain(Errors(Validate(AmazonText() with { Description = "Holds 500 ml.<br>For hikers" })), e => e.StartsWith("markup", StringComparison.Ordinal));
        Assert.Contains("markup $.description p", Errors(Validate(new ListingText { Title = "AquaPeak AP-500 bottle for hikers", Description = "<p>Holds 500 ml.</p>" }, "etsy")));
    }

    [Fact]
    public void Refit_shortens_to_the_limit_in_the_marketplace_unit_and_keeps_model_numbers_and_measures()
    {
        var seo = new LocalSeoEngine();
        var taobao = CopyProfiles.Get("taobao");
        var text = new ListingText
        {
            Title = "不锈钢保温杯大容量男女学生便携水杯办公室户外运动真空保冷保热礼品 BW-316 500ml",
            Description = "保温杯",
            LiveScript = ["开场"],
        };

        var (fitted, refitted) = CopyRefit.Fit(text, taobao, seo);

        Assert.Equal([CopyFields.Title], refitted);
        Assert.True(TextMeasure.DoubleBytes(fitted.Title) <= 60, fitted.Title);
        Assert.Contains("BW-316", fitted.Title, StringComparison.Ordinal);
        Assert.Contains("500ml", fitted.Title, StringComparison.Ordinal);
        Assert.StartsWith("不锈钢保温杯", fitted.Title, StringComparison.Ordinal);

        var english = CopyRefit.Shorten("Insulated stainless steel water bottle for hikers and commuters AP-500 500 ml", 40, LengthUnit.Characters, seo);
        Assert.True(english.Length <= 40, english);
        Assert.EndsWith("AP-500 500 ml", english, StringComparison.Ordinal);
    }

    [Fact]
    public void Refit_drops_whole_list_items_from_an_html_description_and_keeps_it_well_formed()
    {
        var profile = CopyProfiles.Get("temu") with { Format = DescriptionFormat.Html, AllowedTags = ["p", "ul", "li"] };
        var items = string.Concat(Enumerable.Range(0, 30).Select(i => $"<li>Feature sentence number {(char)('a' + (i % 26))} for hikers</li>"));
        var text = new ListingText { Title = "AquaPeak bottle", Description = $"<p>Holds 500 ml.</p><ul>{items}</ul>" };

        var (fitted, refitted) = CopyRefit.Fit(text, profile, new LocalSeoEngine());

        Assert.Contains(CopyFields.Description, refitted);
        Assert.True(fitted.Description.Length <= 500, fitted.Description.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.EndsWith("</li></ul>", fitted.Description, StringComparison.Ordinal);
        Assert.Equal(fitted.Description.Split("<li>").Length - 1, fitted.Description.Split("</li>").Length - 1);
    }

    [Fact]
    public void Diff_marks_changed_words_and_Chinese_characters()
    {
        var english = DiffListingCopy.Pieces("Keeps drinks cold for hours", "Keeps drinks icy cold for hours");
        Assert.Equal([new DiffPiece(DiffKind.Same, "Keeps drinks "), new DiffPiece(DiffKind.Added, "icy "), new DiffPiece(DiffKind.Same, "cold for hours")], english);

        var chinese = DiffListingCopy.Pieces("保温杯大容量", "保冷杯大容量");
        Assert.Equal([new DiffPiece(DiffKind.Same, "保"), new DiffPiece(DiffKind.Removed, "温"), new DiffPiece(DiffKind.Added, "冷"), new DiffPiece(DiffKind.Same, "杯大容量")], chinese);

        var fields = DiffListingCopy.Compare(AmazonText(), AmazonText(b => b[4] = "MODEL: AP-500."), CopyProfiles.Get("amazon").Fields);
        Assert.Equal([(CopyFields.Bullets, 4)], fields.Where(f => f.Changed).Select(f => (f.Field, f.Index)));
    }

    [Theory]
    [MemberData(nameof(Cultures))]
    public void Every_copy_key_has_a_text(string culture)
    {
        var texts = Catalog.For(culture);
        var keys = new List<string>();
        keys.AddRange(CopyRules.All.Select(r => $"copy.rule.{r}"));
        keys.AddRange(CopyRules.All.Select(r => $"copy.msg.{r}"));
        keys.AddRange(CopyFields.All.Select(f => $"copy.field.{f}"));
        keys.AddRange(CopyTones.All.Select(t => $"copy.tone.{t}"));
        keys.AddRange(Enum.GetNames<CopySource>().Select(s => $"copy.source.{s.ToLowerInvariant()}"));
        keys.AddRange(["copy.unit.characters", "copy.unit.bytes", "copy.unit.double_bytes", "copy.unit.items"]);
        keys.AddRange(typeof(CopyErrors).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (string)f.GetRawConstantValue()!));
        keys.AddRange(CopyProfiles.Ids.Select(id => $"marketplace.{id}"));

        var missing = keys.Where(key => !texts.ContainsKey(key)).ToList();
        Assert.True(missing.Count == 0, "missing: " + string.Join(", ", missing));
    }

    [Fact]
    public void Rule_ids_list_every_constant()
    {
        var constants = typeof(CopyRules).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!);

        Assert.Equal(CopyRules.All.Order(StringComparer.Ordinal), constants.Order(StringComparer.Ordinal));
    }
}
