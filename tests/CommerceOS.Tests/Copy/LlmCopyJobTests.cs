using System.Net.Http.Json;
using System.Text.Json;
using CommerceOS.Connectors.Llm;
using CommerceOS.Connectors.Tests.Llm;
using CommerceOS.Tests.Infrastructure;
using static CommerceOS.Tests.Api.ApiTestHelpers;
using static CommerceOS.Tests.ImageStudio.ImageStudioApiTests;

namespace CommerceOS.Tests.Copy;

/// <summary>Copy jobs with <c>Providers:Copy=llm</c> against an in-process OpenAI-compatible server: usage on the job, failed rules on the page.</summary>
public sealed class LlmCopyJobTests
{
    private static Dictionary<string, string?> Settings(FakeOpenAiServer fake) => new()
    {
        ["Providers:Copy"] = "llm",
        ["Providers:Llm:BaseUrl"] = fake.BaseUrl,
        ["Providers:Llm:Model"] = "gpt-test-mini",
        ["Providers:Llm:ApiKey"] = FakeOpenAiServer.Key,
        ["Providers:Llm:InputPricePerMillionTokens"] = "0.27",
        ["Providers:Llm:OutputPricePerMillionTokens"] = "1.10",
        ["Providers:Llm:Copy:MaxAttempts"] = "2",
    };

    /// <summary>A true Amazon listing of <see cref="CopyApiTests.BottleAsync"/>'s product, every item traced.</summary>
    private static LlmCopyReply Amazon(string secondBullet = "LEAK-PROOF LID: A leak-proof lid for bags.") => new(
        Title: "Insulated Stainless Steel Water Bottle XR-500, 750 ml, Leak-proof Lid, for Hikers and Commuters",
        Bullets:
        [
            "COLD ALL DAY: Keeps drinks cold for 24 hours.",
            secondBullet,
            "FITS THE CAR: Fits most cup holders.",
            "GOOD GRIP: A powder-coated grip.",
            "BUILT TO LAST: 18/8 stainless steel, 750 ml.",
        ],
        Description: "The XR-500 holds 750 ml and keeps drinks cold for 24 hours.\n\nMade for hikers and commuters.",
        SearchTerms: "flask thermos travel hiking commute drinkware",
        MetaTitle: "",
        MetaDescription: "",
        Caption: "",
        Hashtags: [],
        LiveScript: [],
        Traces:
        [
            new(LlmCopyField.Title, 0, ["title", "attr:0", "attr:3", "audience"]),
            new(LlmCopyField.Bullets, 0, ["point:0"]),
            new(LlmCopyField.Bullets, 1, ["point:1"]),
            new(LlmCopyField.Bullets, 2, ["point:2"]),
            new(LlmCopyField.Bullets, 3, ["point:3"]),
            new(LlmCopyField.Bullets, 4, ["attr:1", "attr:0"]),
            new(LlmCopyField.Description, 0, ["attr:2", "attr:0", "point:0", "audience"]),
        ]);

    private static ChatResponder Reply(LlmCopyReply reply) =>
        FakeOpenAiServer.Reply(JsonSerializer.Serialize(reply, StructuredLlm.JsonOptions), promptTokens: 1000, completionTokens: 200);

    [Fact]
    public async Task LlmCopy_IsStoredWithItsModel_AndTheJobRecordsTokensAndCost()
    {
        await using var fake = await FakeOpenAiServer.StartAsync(TimeProvider.System);
        fake.Default = Reply(Amazon());
        await using var app = await AppFactory.StartAsync(DatabaseKind.Sqlite, Settings(fake));
        using var tenant = await app.CreateApiTenantAsync();
        var productId = await CopyApiTests.BottleAsync(tenant.Client, "LLM-1");

        var job = await CopyApiTests.GenerateAsync(tenant.Client, productId, new { marketplace = "amazon" });

        var output = job.GetProperty("output");
        Assert.Equal("llm", output.GetProperty("engine").GetString());
        Assert.Equal("gpt-test-mini", output.GetProperty("model").GetString());
        var llm = output.GetProperty("llm");
        Assert.Equal(1, llm.GetProperty("calls").GetInt32());
        Assert.Equal(1000, llm.GetProperty("inputTokens").GetInt64());
        Assert.Equal(200, llm.GetProperty("outputTokens").GetInt64());
        Assert.Equal((1000 * 0.27m + 200 * 1.10m) / 1_000_000m, llm.GetProperty("cost").GetDecimal());
        var copy = await tenant.Client.GetFromJsonAsync<JsonElement>($"/api/v1/products/{productId}/copy?marketplace=amazon&language=en", Ct);
        var version = copy.GetProperty("listings")[0].GetProperty("version");
        Assert.Equal("A leak-proof lid for bags.", version.GetProperty("text").GetProperty("bullets")[1].GetString()!["LEAK-PROOF LID: ".Length..]);
        Assert.Equal("gpt-test-mini", version.GetProperty("model").GetString());
    }

    [Fact]
    public async Task LlmCopy_ThatKeepsInventingAFigure_FailsTheJob_ReleasesTheQuota_AndShowsTheRule()
    {
        await using var fake = await FakeOpenAiServer.StartAsync(TimeProvider.System);
        fake.Default = Reply(Amazon(secondBullet: "BIG: Holds 1000 ml."));
        await using var app = await AppFactory.StartAsync(DatabaseKind.Sqlite, Settings(fake));
        using var tenant = await app.CreateApiTenantAsync();
        var productId = await CopyApiTests.BottleAsync(tenant.Client, "LLM-2");

        using var response = await tenant.Client.PostAsJsonAsync($"/api/v1/products/{productId}/copy", new { marketplace = "amazon" }, Ct);
        var job = await WaitForTerminalAsync(tenant.Client, (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid());

        Assert.Equal("failed", job.GetProperty("status").GetString());
        Assert.Equal("copy.rules_failed", job.GetProperty("lastErrorCode").GetString());
        Assert.Equal(2, fake.Requests.Count);
        var listing = (await tenant.Client.GetFromJsonAsync<JsonElement>($"/api/v1/products/{productId}/copy?marketplace=amazon", Ct)).GetProperty("listings")[0];
        Assert.Equal(0, listing.GetProperty("currentVersion").GetInt32());
        var failure = Assert.Single(listing.GetProperty("lastFailure").EnumerateArray(), f => f.GetProperty("severity").GetString() == "error");
        Assert.Equal("untraced-figure", failure.GetProperty("ruleId").GetString());
        Assert.Equal("$.bullets[1]", failure.GetProperty("path").GetString());
        Assert.Equal(["1000"], failure.GetProperty("args").EnumerateArray().Select(a => a.GetString()));
        var usage = await tenant.Client.GetFromJsonAsync<JsonElement>("/api/v1/usage", Ct);
        Assert.Contains(usage.GetProperty("meters").EnumerateArray(), u => u.GetProperty("meter").GetString() == "copy" && u.GetProperty("used").GetInt64() == 0);
    }
}
