using System.Text.Json;
using System.Text.Json.Nodes;
using CommerceOS.Connectors.Llm;
using CommerceOS.Connectors.Tests.Support;
using CommerceOS.Core.Translation;
using Microsoft.Extensions.Logging.Abstractions;

namespace CommerceOS.Connectors.Tests.Llm;

public sealed class LlmTranslatorTests
{
    private static readonly Guid JobId = Guid.Parse("0198f6a0-0000-7000-8000-0000000000a4");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A tiny "model": what it answers for each masked English text it is sent.</summary>
    private static readonly Dictionary<string, string> Chinese = new(StringComparer.Ordinal)
    {
        ["Insulated bottle ⟦0⟧ keeps drinks cold for 24 hours"] = "⟦0⟧ 保温瓶可保冷 24 小时",
        ["Holds ⟦0⟧"] = "容量 ⟦0⟧",
        ["Made by ⟦0⟧ in ⟦1⟧"] = "由 ⟦0⟧ 于 ⟦1⟧ 制造",
        ["A leak-proof tumbler for the office"] = "适合办公室的防漏随行杯",
        ["Dishwasher safe"] = "可用洗碗机清洗",
    };

    private static TranslationRequest Request(params string[] segments) =>
        new("en", "zh-CN", segments, Formality: Formality.More, DoNotTranslate: ["Thermos"]);

    /// <summary>The texts the translator sent (the first user message), as index -> masked text.</summary>
    internal static List<(int Index, string Text)> SentTexts(JsonObject request)
    {
        var prompt = request["messages"]![1]!["content"]!.GetValue<string>();
        var json = prompt[(prompt.IndexOf("Texts:\n", StringComparison.Ordinal) + "Texts:\n".Length)..];
        return JsonNode.Parse(json)!.AsArray().Select(n => (n!["index"]!.GetValue<int>(), n["text"]!.GetValue<string>())).ToList();
    }

    /// <summary>Answers every sent text through <paramref name="translate"/> (index, masked source -> reply text; null leaves it out).</summary>
    internal static ChatResponder Model(Func<int, string, string?> translate) => (request, context) =>
    {
        var items = new JsonArray();
        foreach (var (index, text) in SentTexts(request))
        {
            if (translate(index, text) is { } reply)
            {
                items.Add(new JsonObject { ["index"] = index, ["text"] = reply });
            }
        }

        return FakeOpenAiServer.Reply(new JsonObject { ["translations"] = items }.ToJsonString())(request, context);
    };

    private static ChatResponder Good() => Model((_, text) => Chinese[text]);

    private static async Task<Bed> StartAsync(Func<Dictionary<string, string?>, Dictionary<string, string?>>? settings = null)
    {
        var clock = new TestClock();
        var fake = await FakeOpenAiServer.StartAsync(clock);
        var host = LlmTestHost.Start(clock, (settings ?? (s => s))(LlmTestHost.Settings(fake)));
        return new Bed(fake, host, new LlmTranslator(host.Structured, NullLogger<LlmTranslator>.Instance));
    }

    private sealed record Bed(FakeOpenAiServer Fake, LlmTestHost Host, LlmTranslator Translator) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Host.DisposeAsync();
            await Fake.DisposeAsync();
        }
    }

    [Fact]
    public async Task GoodBatch_OneRequest_PlaceholdersNotValues_RestoredInOrder_AndUsageOnTheJob()
    {
        await using var bed = await StartAsync();
        var (fake, host, translator) = bed;
        fake.Script.Enqueue(Good());

        var result = await translator.TranslateAsync(
            Request("Insulated bottle XR-500 keeps drinks cold for 24 hours", "Holds 500 ml", " ", "XR-500", "Holds 750 ml", "Made by Thermos in https://thermos.example/cn"),
            JobId,
            Ct);

        Assert.True(result.IsSuccess);
        Assert.Equal(
            ["XR-500 保温瓶可保冷 24 小时", "容量 500 ml", " ", "XR-500", "容量 750 ml", "由 Thermos 于 https://thermos.example/cn 制造"],
            result.Value.Segments.Select(s => s.Text));
        Assert.All(result.Value.Segments, s => Assert.Equal(SegmentStatus.Translated, s.Status));
        Assert.All(result.Value.Segments, s => Assert.Equal("llm", s.Engine));
        Assert.Equal([0, 1, 2, 3, 4, 5], result.Value.Segments.Select(s => s.Index));

        // One request; "Holds 500 ml" and "Holds 750 ml" are one masked text; blank and protected-only are not sent.
        var body = Assert.Single(fake.Requests);
        Assert.Equal(
            [(0, "Insulated bottle ⟦0⟧ keeps drinks cold for 24 hours"), (1, "Holds ⟦0⟧"), (2, "Made by ⟦0⟧ in ⟦1⟧")],
            SentTexts(body));
        Assert.DoesNotContain("XR-500", body.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain("Thermos", body.ToJsonString(), StringComparison.Ordinal);
        var system = fake.Message(0, 0);
        Assert.Contains("from English (en) to Simplified Chinese (zh-CN)", system, StringComparison.Ordinal);
        Assert.Contains("formal, polite register", system, StringComparison.Ordinal);
        Assert.Equal("translations", body["response_format"]!["json_schema"]!["name"]!.GetValue<string>());
        Assert.Equal(1, host.Ledger.Take(JobId).Calls);
    }

    [Fact]
    public async Task DroppedModelNumber_IsRepaired_OnTheNextRound()
    {
        await using var bed = await StartAsync();
        var (fake, host, translator) = bed;
        fake.Script.Enqueue(Model((_, text) => text.StartsWith("Insulated", StringComparison.Ordinal) ? "保温瓶可保冷 24 小时" : Chinese[text]));
        fake.Script.Enqueue(Good());

        var result = await translator.TranslateAsync(Request("Insulated bottle XR-500 keeps drinks cold for 24 hours", "Holds 500 ml"), Ct);

        Assert.Equal(["XR-500 保温瓶可保冷 24 小时", "容量 500 ml"], result.Value.Segments.Select(s => s.Text));
        Assert.Equal(2, fake.Requests.Count);
        var repair = fake.LastMessage(1);
        Assert.Contains("[translation.untranslated.placeholder_lost]", repair, StringComparison.Ordinal);
        Assert.Contains("Text 0 lost ⟦0⟧", repair, StringComparison.Ordinal);
        Assert.DoesNotContain("Text 1", repair, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NeverRepaired_IsUntranslatedWithTheReason_AndTheOthersAreStillTranslated()
    {
        await using var bed = await StartAsync();
        var (fake, host, translator) = bed;
        // Text 0 always loses its model number; text 1 is wrong at first (repeats its size), then right.
        fake.Script.Enqueue(Model((_, text) => text.StartsWith("Insulated", StringComparison.Ordinal) ? "保温瓶" : "容量 ⟦0⟧ ⟦0⟧"));
        fake.Default = Model((_, text) => text.StartsWith("Insulated", StringComparison.Ordinal) ? "保温瓶" : Chinese[text]);

        var result = await translator.TranslateAsync(Request("Insulated bottle XR-500 keeps drinks cold for 24 hours", "Holds 500 ml"), Ct);

        Assert.Equal(LlmTranslator.MaxAttempts, fake.Requests.Count);
        var first = result.Value.Segments[0];
        Assert.Equal(SegmentStatus.Untranslated, first.Status);
        Assert.Null(first.Text);
        Assert.Equal(TranslationErrors.PlaceholderLost, first.ReasonCode);
        Assert.Equal(["XR-500"], first.ReasonArgs!);
        Assert.Equal(new SegmentResult(1, SegmentStatus.Translated, "容量 500 ml", "llm"), result.Value.Segments[1]);
        Assert.Equal(1, result.Value.UntranslatedCount);
        Assert.Contains("[translation.untranslated.placeholder_repeated]", fake.LastMessage(1), StringComparison.Ordinal);
        // Once accepted, text 1 is no longer asked about.
        Assert.DoesNotContain("Text 1", fake.LastMessage(2), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SourceReturnedUnchanged_AcrossScripts_IsNotATranslation()
    {
        await using var bed = await StartAsync();
        var (fake, host, translator) = bed;
        fake.Default = Model((_, text) => text);

        var result = await translator.TranslateAsync(Request("Dishwasher safe"), Ct);

        var segment = Assert.Single(result.Value.Segments);
        Assert.Equal(SegmentStatus.Untranslated, segment.Status);
        Assert.Equal(TranslationErrors.Unchanged, segment.ReasonCode);
        Assert.Equal(3, fake.Requests.Count);
    }

    [Fact]
    public async Task MissingAndExtraIndexes_AreRepaired()
    {
        await using var bed = await StartAsync();
        var (fake, host, translator) = bed;
        fake.Script.Enqueue(FakeOpenAiServer.Reply("""{"translations":[{"index":0,"text":"可用洗碗机清洗"},{"index":7,"text":"多余"}]}"""));
        fake.Script.Enqueue(Good());

        var result = await translator.TranslateAsync(Request("Dishwasher safe", "A leak-proof tumbler for the office"), Ct);

        Assert.Equal(["可用洗碗机清洗", "适合办公室的防漏随行杯"], result.Value.Segments.Select(s => s.Text));
        var repair = fake.LastMessage(1);
        Assert.Contains("[translation.untranslated.missing_from_reply]", repair, StringComparison.Ordinal);
        Assert.Contains("[translation.llm.unexpected_index]", repair, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MalformedJson_IsRepaired_AndWhenItNeverIs_TheProviderFailsAsMalformed()
    {
        await using var bed = await StartAsync();
        var (fake, host, translator) = bed;
        fake.Script.Enqueue(FakeOpenAiServer.Reply("""{"translations":[{"index":0,"text":"可用洗"""));
        fake.Script.Enqueue(Good());

        var repaired = await translator.TranslateAsync(Request("Dishwasher safe"), Ct);

        Assert.Equal("可用洗碗机清洗", Assert.Single(repaired.Value.Segments).Text);
        Assert.Contains("[llm.output.malformed_json]", fake.LastMessage(1), StringComparison.Ordinal);

        fake.Default = FakeOpenAiServer.Reply("Sure! Here is the translation: 可用洗碗机清洗");
        var error = await Assert.ThrowsAsync<TranslationProviderException>(() => translator.TranslateAsync(Request("Dishwasher safe"), Ct));

        Assert.Equal(TranslationFailure.Transient, error.Failure);
        Assert.Equal(TranslationErrors.ProviderMalformed, error.Code);
        Assert.True(error.IsRetryable);
        Assert.Equal(2 + LlmTranslator.MaxAttempts, fake.Requests.Count);
    }

    [Fact]
    public async Task RateLimited429_IsRetried_ThenTranslates()
    {
        await using var bed = await StartAsync();
        var (fake, host, translator) = bed;
        fake.Script.Enqueue(FakeOpenAiServer.RateLimited(2));
        fake.Script.Enqueue(Good());

        var result = await translator.TranslateAsync(Request("Dishwasher safe"), Ct);

        Assert.Equal("可用洗碗机清洗", Assert.Single(result.Value.Segments).Text);
        Assert.Equal(2, fake.Requests.Count);
    }

    [Fact]
    public async Task RateLimitedAfterTheRetries_IsARateLimitedProviderFailure()
    {
        await using var bed = await StartAsync(s => s.With("MaxRetries", "1"));
        var (fake, host, translator) = bed;
        fake.Default = FakeOpenAiServer.RateLimited(3);

        var error = await Assert.ThrowsAsync<TranslationProviderException>(() => translator.TranslateAsync(Request("Dishwasher safe"), Ct));

        Assert.Equal(TranslationFailure.RateLimited, error.Failure);
        Assert.Equal(TranslationErrors.ProviderRateLimited, error.Code);
        Assert.Equal(TimeSpan.FromSeconds(3), error.RetryAfter);
    }

    [Fact]
    public async Task Timeout_IsATransientProviderFailure()
    {
        await using var bed = await StartAsync(s => s.With("Timeout", "00:00:05").With("MaxRetries", "0"));
        var (fake, host, translator) = bed;
        fake.Default = FakeOpenAiServer.Hang();

        var error = await Assert.ThrowsAsync<TranslationProviderException>(() => translator.TranslateAsync(Request("Dishwasher safe"), Ct));

        Assert.Equal(TranslationFailure.Transient, error.Failure);
        Assert.Equal(TranslationErrors.ProviderTimeout, error.Code);
    }

    [Fact]
    public async Task WrongKey_IsMisconfigured()
    {
        var clock = new TestClock();
        await using var fake = await FakeOpenAiServer.StartAsync(clock);
        await using var host = LlmTestHost.Start(clock, LlmTestHost.Settings(fake, "sk-wrong"));
        var translator = new LlmTranslator(host.Structured, NullLogger<LlmTranslator>.Instance);

        var error = await Assert.ThrowsAsync<TranslationProviderException>(() => translator.TranslateAsync(Request("Dishwasher safe"), Ct));

        Assert.Equal(TranslationFailure.Misconfigured, error.Failure);
        Assert.Equal(TranslationErrors.ProviderBadKey, error.Code);
        Assert.False(error.IsRetryable);
    }

    [Fact]
    public async Task Glossary_OnlyTermsInTheBatchAreSent_AndTheTargetIsEnforced()
    {
        await using var bed = await StartAsync();
        var (fake, host, translator) = bed;
        fake.Script.Enqueue(Model((_, text) => text.StartsWith("A leak", StringComparison.Ordinal) ? "适合办公室的防漏杯子" : Chinese[text]));
        fake.Script.Enqueue(Good());
        var request = Request("A leak-proof tumbler for the office", "Dishwasher safe") with
        {
            Glossary = [new("tumbler", "随行杯"), new("lid", "杯盖"), new("Tumbler", "不用")],
        };

        var result = await translator.TranslateAsync(request, Ct);

        Assert.Equal(["适合办公室的防漏随行杯", "可用洗碗机清洗"], result.Value.Segments.Select(s => s.Text));
        var prompt = fake.Message(0, 1);
        Assert.Contains("tumbler => 随行杯", prompt, StringComparison.Ordinal);
        Assert.DoesNotContain("杯盖", prompt, StringComparison.Ordinal);
        Assert.DoesNotContain("不用", prompt, StringComparison.Ordinal);
        Assert.Contains("[translation.untranslated.glossary_ignored]", fake.LastMessage(1), StringComparison.Ordinal);
        Assert.Contains("\"tumbler\", which must be translated as \"随行杯\"", fake.LastMessage(1), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GlossaryIgnoredOnEveryRound_NamesTheEntry()
    {
        await using var bed = await StartAsync();
        var (fake, host, translator) = bed;
        fake.Default = Model((_, _) => "适合办公室的防漏杯子");

        var result = await translator.TranslateAsync(Request("A leak-proof tumbler for the office") with { Glossary = [new("tumbler", "随行杯")] }, Ct);

        var segment = Assert.Single(result.Value.Segments);
        Assert.Equal(TranslationErrors.GlossaryIgnored, segment.ReasonCode);
        Assert.Equal(["tumbler", "随行杯"], segment.ReasonArgs!);
    }

    [Fact]
    public async Task ManyTexts_GoInBoundedBatches()
    {
        await using var bed = await StartAsync();
        var (fake, host, translator) = bed;
        fake.Default = Model((index, _) => "第" + index.ToString(System.Globalization.CultureInfo.InvariantCulture) + "条");
        var segments = Enumerable.Range(0, 45).Select(i => "Bullet number " + new string('a', i + 1)).ToArray();

        var result = await translator.TranslateAsync(Request(segments), Ct);

        Assert.Equal(0, result.Value.UntranslatedCount);
        Assert.Equal([40, 5], fake.Requests.Select(r => SentTexts(r).Count));
        Assert.Equal("第4条", result.Value.Segments[44].Text);
    }

    [Fact]
    public async Task InvalidRequest_IsRefusedWithoutCallingTheModel()
    {
        await using var bed = await StartAsync();
        var (fake, host, translator) = bed;

        var result = await translator.TranslateAsync(new TranslationRequest("en", "klingon", ["Dishwasher safe"]), Ct);

        Assert.False(result.IsSuccess);
        Assert.Equal(TranslationErrors.LanguageUnknown, Assert.Single(result.Errors).Code);
        Assert.Empty(fake.Requests);
    }

    [Fact]
    public void EveryLanguage_HasAPromptName()
    {
        Assert.All(TranslationLanguages.All, l => Assert.Matches("^[A-Z][a-z]+( [A-Z][a-z]+)?$", l.EnglishName));
        Assert.Equal(TranslationLanguages.All.Count, TranslationLanguages.All.Select(l => l.EnglishName).Distinct().Count());
    }

    [Fact]
    public void TheReplyRecord_SerializesAsThePromptSays()
    {
        var json = JsonSerializer.Serialize(new LlmTranslationReply([new(0, "x")]), StructuredLlm.JsonOptions);

        Assert.Equal("""{"translations":[{"index":0,"text":"x"}]}""", json);
    }
}
