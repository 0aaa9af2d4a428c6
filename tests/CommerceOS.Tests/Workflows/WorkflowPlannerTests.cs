using System.Text.Json;
using System.Text.Json.Nodes;
using CommerceOS.Core.Marketplaces;
using CommerceOS.Core.Workflows;

namespace CommerceOS.Tests.Workflows;

public sealed class WorkflowPlannerTests
{
    private static readonly MarketplaceCatalog Marketplaces = new();

    private static List<string> Codes(WorkflowDefinition definition) =>
        [.. WorkflowPlanner.Validate(definition, SkillCatalog.Default, Marketplaces).Select(e => $"{e.Field}:{e.Code}")];

    [Fact]
    public void EveryBuiltInTemplate_Validates_AndNamesItselfInBothLanguages()
    {
        Assert.Equal(
            ["listing-kit", "amazon-full", "tiktok-video", "taobao-complete", "shopee-multilang", "shopify-store", "quick-shoot"],
            BuiltInTemplates.All.Select(t => t.Id));
        foreach (var template in BuiltInTemplates.All)
        {
            Assert.Empty(Codes(template.Definition));
            Assert.False(string.IsNullOrWhiteSpace(template.Name.En));
            Assert.False(string.IsNullOrWhiteSpace(template.Name.Zh));
            Assert.NotEqual(template.Name.En, template.Name.Zh);
            Assert.NotEmpty(WorkflowPlanner.Plan(template.Definition, template.Marketplaces, SkillCatalog.Default));
        }
    }

    [Fact]
    public void TheIssuesTemplates_HoldWhatTheirNamesPromise()
    {
        static IEnumerable<string> Skills(string id) => BuiltInTemplates.Find(id)!.Steps.Select(s => s.Skill);
        Assert.Superset(new HashSet<string> { "image-main", "image-lifestyle", "image-infographic", "image-marketplace-sizes", "video-showcase", "copy-listing", "seo-keywords", "compliance-check" }, Skills("amazon-full").ToHashSet());
        Assert.Equal(2, Skills("amazon-full").Count(s => s == "image-lifestyle"));
        Assert.Superset(new HashSet<string> { "image-main", "image-white-background", "image-marketplace-sizes", "image-size-chart", "image-live-cover", "copy-listing", "copy-live-script" }, Skills("taobao-complete").ToHashSet());
        var shopee = BuiltInTemplates.Find("shopee-multilang")!.Steps.Single(s => s.Skill == "translate-listing");
        Assert.Equal(["zh-CN", "th", "vi"], shopee.Params!["targetLanguages"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal(["image-white-background", "image-lifestyle", "image-size-chart"], Skills("quick-shoot"));
        Assert.Contains("video-ugc", Skills("tiktok-video"));
        Assert.Contains("approval-gate", Skills("listing-kit"));
    }

    [Fact]
    public void Validate_NamesEachProblemWhereItIs()
    {
        var definition = new WorkflowDefinition(["amazon", "nowhere"],
        [
            new("a", "copy-listing", ["c"]),
            new("a", "copy-listing"),
            new("B!", "image-main"),
            new("c", "no-such-skill", ["ghost"]),
            new("d", "image-lifestyle", Params: new JsonObject { ["sceneId"] = "moon" }, Provider: "kling"),
            new("e", "copy-listing", Provider: "ai"),
        ]);

        Assert.Equal(
            [
                "marketplaces[1]:workflows.marketplace_unknown",
                "steps[1].key:workflows.step_key_duplicate",
                "steps[2].key:workflows.step_key_invalid",
                "steps[3].skill:workflows.skill_unknown",
                "steps[3].dependsOn[0]:workflows.dependency_unknown",
                "steps[4].params:workflows.params_invalid",
                "steps[4].provider:workflows.provider_unknown",
                "steps[5].provider:workflows.provider_unknown",
            ],
            Codes(definition));
    }

    [Fact]
    public void Validate_FindsACycleThroughSeveralSteps()
    {
        var definition = new WorkflowDefinition(["amazon"], [new("a", "copy-listing", ["c"]), new("b", "seo-keywords", ["a"]), new("c", "compliance-check", ["b"])]);

        Assert.Equal(["steps:workflows.cycle"], Codes(definition));
    }

    [Fact]
    public void Validate_ChecksParameterTypesAndRanges()
    {
        static WorkflowDefinition Video(JsonObject parameters) => new(["amazon"], [new("v", "video-ugc", Params: parameters)]);

        Assert.Empty(Codes(Video(new JsonObject { ["durationSeconds"] = 30, ["formats"] = new JsonArray("9:16", "1:1") })));
        Assert.Equal(["steps[0].params:workflows.params_invalid"], Codes(Video(new JsonObject { ["durationSeconds"] = 61 })));
        Assert.Equal(["steps[0].params:workflows.params_invalid"], Codes(Video(new JsonObject { ["formats"] = new JsonArray("3:2") })));
        Assert.Equal(["steps[0].params:workflows.params_invalid"], Codes(Video(new JsonObject { ["durationSeconds"] = "30" })));
        Assert.Equal(["steps[0].params:workflows.params_invalid"], Codes(Video(new JsonObject { ["template"] = "ugc" })));
    }

    [Fact]
    public void Plan_ExpandsPerMarketplace_AndWiresDependenciesByScope()
    {
        var definition = new WorkflowDefinition(["amazon", "taobao"],
        [
            new("cut", "image-white-background"),
            new("main", "image-main", ["cut"]),
            new("copy", "copy-listing"),
            new("live", "copy-live-script", ["copy"]),
            new("video", "video-ugc", ["main"]),
            new("check", "compliance-check", ["main", "video", "live"]),
        ]);

        var plan = WorkflowPlanner.Plan(definition, ["amazon", "taobao"], SkillCatalog.Default).ToDictionary(p => p.Key);

        Assert.Equal(
            ["cut", "main@amazon", "main@taobao", "copy@amazon", "copy@taobao", "live@amazon", "live@taobao", "video", "check@amazon", "check@taobao"],
            plan.Values.OrderBy(p => p.Position).Select(p => p.Key));
        Assert.Equal(["cut"], plan["main@taobao"].DependsOn);
        Assert.Equal(["main@amazon", "main@taobao"], plan["video"].DependsOn);
        Assert.Equal(["main@taobao", "video", "live@taobao"], plan["check@taobao"].DependsOn);
        Assert.False(plan["live@amazon"].Applicable);
        Assert.True(plan["live@amazon"].Optional);
        Assert.True(plan["live@taobao"].Applicable);
        Assert.Equal("MainImage", plan["main@amazon"].Parameters["skill"]!.GetValue<string>());
    }

    [Fact]
    public void Resolution_ReadiesWhatIsDue_SkipsBehindARequiredFailure_AndPassesAnOptionalOne()
    {
        WorkflowStep Step(string key, WorkflowStepStatus status, bool optional = false, params string[] dependsOn) => new()
        {
            Key = key, StepKey = key, Skill = "copy-listing", ParametersJson = "{}", DependsOnJson = JsonSerializer.Serialize(dependsOn),
            Status = status, Optional = optional,
        };
        var steps = new List<WorkflowStep>
        {
            Step("a", WorkflowStepStatus.Failed),
            Step("b", WorkflowStepStatus.Failed, optional: true),
            Step("c", WorkflowStepStatus.Pending, false, "a"),
            Step("d", WorkflowStepStatus.Pending, false, "c"),
            Step("e", WorkflowStepStatus.Pending, false, "b"),
            Step("f", WorkflowStepStatus.Pending, false, "e"),
        };

        var changed = WorkflowResolution.Advance(steps);

        Assert.Equal(["c", "d", "e"], changed.Select(s => s.Key).Order());
        Assert.Equal((WorkflowStepStatus.Skipped, WorkflowErrors.DependencyFailed), (steps[2].Status, steps[2].Error));
        Assert.Equal(WorkflowStepStatus.Skipped, steps[3].Status);
        Assert.Equal(WorkflowStepStatus.Ready, steps[4].Status);
        Assert.Equal(WorkflowStepStatus.Pending, steps[5].Status);
        Assert.Equal(WorkflowRunStatus.Running, WorkflowResolution.RunStatus(steps));
    }

    [Fact]
    public void SkillCatalogue_HasBothLanguages_SchemasThatCompile_AndDefaultsTheSchemaAccepts()
    {
        Assert.True(SkillCatalog.Default.All.Count >= 20);
        foreach (var skill in SkillCatalog.Default.All)
        {
            Assert.False(string.IsNullOrWhiteSpace(skill.Name.Zh), skill.Id);
            Assert.False(string.IsNullOrWhiteSpace(skill.Description.Zh), skill.Id);
            Assert.NotEqual(skill.Name.En, skill.Name.Zh);
            Assert.Empty(SkillCatalog.Default.Validate(skill, new JsonObject()));
        }

        foreach (var category in SkillCatalog.Categories)
        {
            Assert.Contains(SkillCatalog.Default.All, s => s.Category == category);
        }
    }
}
