using System.Text.Json.Nodes;
using CommerceOS.Connectors.Tests.Support;
using CommerceOS.Core.Llm;

namespace CommerceOS.Connectors.Tests.Llm;

public sealed class StructuredLlmTests
{
    private static readonly Guid JobId = Guid.Parse("0198f6a0-0000-7000-8000-000000000001");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public sealed record Listing(string Title, IReadOnlyList<string> Bullets, int Score, string? Note);

    private static StructuredLlmRequest Request(int maxAttempts = 3) =>
        new("You write product listings.", "Write a listing for a steel water bottle.", "listing", maxAttempts, JobId);

    private const string Valid = """{"title":"Steel Bottle 750 ml","bullets":["Keeps drinks cold for 24 h"],"score":7,"note":null}""";

    private static string SystemMessage(JsonObject request) => request["messages"]![0]!["content"]!.GetValue<string>();

    [Fact]
    public async Task Success_ReturnsTheRecord_SendsTheStrictSchema_AndRecordsTokensAndCostForTheJob()
    {
        var clock = new TestClock();
        await using var fake = await FakeOpenAiServer.StartAsync(clock);
        fake.Script.Enqueue(FakeOpenAiServer.Reply(Valid, promptTokens: 1200, completionTokens: 300));
        await using var host = LlmTestHost.Start(clock, LlmTestHost.Settings(fake));

        var result = await host.Structured.GenerateAsync<Listing>(Request(), null, Ct);

        Assert.True(result.Succeeded);
        Assert.Equal(new Listing("Steel Bottle 750 ml", result.Value!.Bullets, 7, null), result.Value);
        Assert.Equal(["Keeps drinks cold for 24 h"], result.Value.Bullets);
        Assert.Equal(1, result.Attempts);

        // 1200 x 0.27 / 1M + 300 x 1.10 / 1M
        Assert.Equal(new LlmUsageTotals(1, 0, 1200, 300, 0.000654m, "USD"), result.Usage);
        Assert.Equal(result.Usage, host.Ledger.Take(JobId));
        Assert.Equal(0, host.Ledger.Peek(JobId).Calls);

        var body = fake.Requests.Single();
        Assert.Equal("gpt-test-mini", body["model"]!.GetValue<string>());
        var format = body["response_format"]!;
        Assert.Equal("json_schema", format["type"]!.GetValue<string>());
        Assert.Equal("listing", format["json_schema"]!["name"]!.GetValue<string>());
        Assert.True(format["json_schema"]!["strict"]!.GetValue<bool>());
        var schema = format["json_schema"]!["schema"]!;
        Assert.Equal(["title", "bullets", "score", "note"], schema["required"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.False(schema["additionalProperties"]!.GetValue<bool>());
        Assert.Contains("JSON", SystemMessage(body), StringComparison.Ordinal);
        // The job id is ours: it never travels to the provider.
        Assert.DoesNotContain("commerceos", body.ToJsonString(), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(host.Logs.Lines, line => line.Contains(FakeOpenAiServer.Key, StringComparison.Ordinal));
    }

    [Fact]
    public async Task MalformedJson_OnEveryAttempt_EndsWithTheMalformedRule_AfterMaxAttempts()
    {
        var clock = new TestClock();
        await using var fake = await FakeOpenAiServer.StartAsync(clock);
        fake.Default = FakeOpenAiServer.Reply("""{"title": "Steel Bottle", "bullets": ["Keeps""", completionTokens: 40);
        await using var host = LlmTestHost.Start(clock, LlmTestHost.Settings(fake));

        var result = await host.Structured.GenerateAsync<Listing>(Request(maxAttempts: 2), null, Ct);

        Assert.False(result.Succeeded);
        Assert.Null(result.Value);
        Assert.Equal(LlmErrors.MalformedJson, Assert.Single(result.Failures).Rule);
        Assert.Equal(2, result.Attempts);
        Assert.Equal(2, fake.Requests.Count);
        Assert.Equal(2, result.Usage.Calls);
        Assert.Equal(80, result.Usage.OutputTokens);

        // The repair round shows the model its broken reply and the failed rule.
        var messages = fake.Requests.ElementAt(1)["messages"]!.AsArray();
        Assert.Equal(4, messages.Count);
        Assert.Equal("assistant", messages[2]!["role"]!.GetValue<string>());
        Assert.Equal("""{"title": "Steel Bottle", "bullets": ["Keeps""", fake.Message(1, 2));
        Assert.Contains("[llm.output.malformed_json]", fake.LastMessage(1), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SchemaViolations_AreAllListed_AndFixedOnRepair()
    {
        var clock = new TestClock();
        await using var fake = await FakeOpenAiServer.StartAsync(clock);
        fake.Script.Enqueue(FakeOpenAiServer.Reply("""{"title":5,"bullets":["ok",3],"Note":null,"extra":true}""", 100, 20));
        fake.Script.Enqueue(FakeOpenAiServer.Reply(Valid, 150, 25));
        await using var host = LlmTestHost.Start(clock, LlmTestHost.Settings(fake));

        var result = await host.Structured.GenerateAsync<Listing>(Request(), null, Ct);

        Assert.True(result.Succeeded);
        Assert.Equal(2, result.Attempts);
        Assert.Equal(new LlmUsageTotals(2, 0, 250, 45, (250 * 0.27m + 45 * 1.10m) / 1_000_000m, "USD"), result.Usage);
        var repair = fake.LastMessage(1);
        Assert.Contains("$.title must be string, not a number", repair, StringComparison.Ordinal);
        Assert.Contains("$.bullets[1] must be string, not a number", repair, StringComparison.Ordinal);
        Assert.Contains("$.score is required but missing", repair, StringComparison.Ordinal);
        Assert.Contains("$.note is required but missing", repair, StringComparison.Ordinal);
        Assert.Contains("$.Note is not an allowed property", repair, StringComparison.Ordinal);
        Assert.Contains("$.extra is not an allowed property", repair, StringComparison.Ordinal);
        Assert.Contains("[llm.output.schema_violation]", repair, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CallerRules_FeedEachRepair_AndTheLastFailuresAreReturned()
    {
        var clock = new TestClock();
        await using var fake = await FakeOpenAiServer.StartAsync(clock);
        fake.Default = FakeOpenAiServer.Reply("""{"title":"The Best Bottle In The Whole World","bullets":["Cold"],"score":1,"note":"x"}""");
        await using var host = LlmTestHost.Start(clock, LlmTestHost.Settings(fake));
        var validated = 0;

        var result = await host.Structured.GenerateAsync<Listing>(Request(maxAttempts: 3), listing =>
        {
            validated++;
            var failures = new List<LlmRuleFailure>();
            if (listing.Title.Length > 20)
            {
                failures.Add(new("copy.title_too_long", $"The title has {listing.Title.Length} characters; at most 20 are allowed.", "$.title"));
            }

            if (listing.Title.Contains("Best", StringComparison.OrdinalIgnoreCase))
            {
                failures.Add(new("copy.banned_word", "The title uses the banned word 'best'.", "$.title"));
            }

            return failures;
        }, Ct);

        Assert.False(result.Succeeded);
        Assert.Equal(3, validated);
        Assert.Equal(3, fake.Requests.Count);
        Assert.Equal(["copy.title_too_long", "copy.banned_word"], result.Failures.Select(f => f.Rule));
        Assert.Contains("- [copy.title_too_long] $.title: The title has 34 characters; at most 20 are allowed.", fake.LastMessage(2), StringComparison.Ordinal);
        Assert.Contains("[copy.banned_word]", fake.LastMessage(1), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CallerRules_Pass_OnTheRepairedReply()
    {
        var clock = new TestClock();
        await using var fake = await FakeOpenAiServer.StartAsync(clock);
        fake.Script.Enqueue(FakeOpenAiServer.Reply("""{"title":"Bottle","bullets":[],"score":1,"note":null}"""));
        fake.Script.Enqueue(FakeOpenAiServer.Reply(Valid));
        await using var host = LlmTestHost.Start(clock, LlmTestHost.Settings(fake));

        var result = await host.Structured.GenerateAsync<Listing>(
            Request(),
            listing => listing.Bullets.Count == 0 ? [new LlmRuleFailure("copy.bullets_required", "Write at least one bullet.", "$.bullets")] : [],
            Ct);

        Assert.True(result.Succeeded);
        Assert.Equal(2, result.Attempts);
        Assert.Equal("Steel Bottle 750 ml", result.Value!.Title);
    }

    [Fact]
    public async Task JsonObjectMode_SendsJsonObject_AndTheSchemaInTheSystemPrompt()
    {
        var clock = new TestClock();
        await using var fake = await FakeOpenAiServer.StartAsync(clock);
        fake.Default = FakeOpenAiServer.Reply(Valid);
        await using var host = LlmTestHost.Start(clock, LlmTestHost.Settings(fake).With("JsonMode", "JsonObject"));

        var result = await host.Structured.GenerateAsync<Listing>(Request(), null, Ct);

        Assert.True(result.Succeeded);
        var body = fake.Requests.Single();
        Assert.Equal("json_object", body["response_format"]!["type"]!.GetValue<string>());
        Assert.Null(body["response_format"]!["json_schema"]);
        Assert.Contains("JSON Schema", SystemMessage(body), StringComparison.Ordinal);
        Assert.Contains("\"bullets\"", SystemMessage(body), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PromptOnlyMode_SendsNoResponseFormat_AndAcceptsOneCodeFence()
    {
        var clock = new TestClock();
        await using var fake = await FakeOpenAiServer.StartAsync(clock);
        fake.Default = FakeOpenAiServer.Reply("```json\n" + Valid + "\n```");
        await using var host = LlmTestHost.Start(clock, LlmTestHost.Settings(fake).With("JsonMode", "PromptOnly"));

        var result = await host.Structured.GenerateAsync<Listing>(Request(), null, Ct);

        Assert.True(result.Succeeded);
        Assert.Null(fake.Requests.Single()["response_format"]);
        Assert.Contains("\"score\"", SystemMessage(fake.Requests.Single()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProseAroundTheJson_IsMalformed()
    {
        var clock = new TestClock();
        await using var fake = await FakeOpenAiServer.StartAsync(clock);
        fake.Default = FakeOpenAiServer.Reply("Here is your listing: " + Valid);
        await using var host = LlmTestHost.Start(clock, LlmTestHost.Settings(fake));

        var result = await host.Structured.GenerateAsync<Listing>(Request(maxAttempts: 1), null, Ct);

        Assert.Equal(LlmErrors.MalformedJson, Assert.Single(result.Failures).Rule);
        Assert.Single(fake.Requests);
    }

    [Fact]
    public async Task LengthFinish_IsTruncated_AndRefusal_IsRefused()
    {
        var clock = new TestClock();
        await using var fake = await FakeOpenAiServer.StartAsync(clock);
        fake.Script.Enqueue(FakeOpenAiServer.Reply("""{"title":"Steel Bottle 750 ml","bullets":["Keeps""", finishReason: "length"));
        fake.Script.Enqueue(FakeOpenAiServer.Reply(null, refusal: "I can't help with that."));
        await using var host = LlmTestHost.Start(clock, LlmTestHost.Settings(fake));

        var truncated = await host.Structured.GenerateAsync<Listing>(Request(maxAttempts: 1), null, Ct);
        var refused = await host.Structured.GenerateAsync<Listing>(Request(maxAttempts: 1), null, Ct);

        Assert.Equal(LlmErrors.Truncated, Assert.Single(truncated.Failures).Rule);
        var refusal = Assert.Single(refused.Failures);
        Assert.Equal(LlmErrors.Refused, refusal.Rule);
        Assert.Contains("I can't help with that.", refusal.Detail, StringComparison.Ordinal);
    }

    public enum Tone
    {
        Warm,
        Playful,
    }

    public sealed record Part(string Name, Tone Tone);

    public sealed record Pair(Part Left, Part Right, IReadOnlyList<Part> More);

    [Fact]
    public async Task NestedAndRepeatedRecords_AndEnums_AreCheckedAtEveryPath()
    {
        var clock = new TestClock();
        await using var fake = await FakeOpenAiServer.StartAsync(clock);
        fake.Script.Enqueue(FakeOpenAiServer.Reply("""{"left":{"tone":"warm"},"right":{"name":"B","tone":"angry"},"more":[{"name":"C","tone":"playful","x":1}]}"""));
        fake.Script.Enqueue(FakeOpenAiServer.Reply("""{"left":{"name":"A","tone":"warm"},"right":{"name":"B","tone":"playful"},"more":[]}"""));
        await using var host = LlmTestHost.Start(clock, LlmTestHost.Settings(fake));

        var result = await host.Structured.GenerateAsync<Pair>(Request(), null, Ct);

        Assert.True(result.Succeeded);
        Assert.Equal(new Part("B", Tone.Playful), result.Value!.Right);
        var repair = fake.LastMessage(1);
        Assert.Contains("$.left.name is required but missing", repair, StringComparison.Ordinal);
        Assert.Contains("$.right.tone must be one of \"warm\", \"playful\"", repair, StringComparison.Ordinal);
        Assert.Contains("$.more[0].x is not an allowed property", repair, StringComparison.Ordinal);
    }
}
