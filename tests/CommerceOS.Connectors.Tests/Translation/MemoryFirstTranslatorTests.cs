using CommerceOS.Connectors.Llm;
using CommerceOS.Connectors.Tests.Llm;
using CommerceOS.Connectors.Tests.Support;
using CommerceOS.Connectors.Translation;
using CommerceOS.Core.Translation;
using Microsoft.Extensions.Logging.Abstractions;

namespace CommerceOS.Connectors.Tests.Translation;

public sealed class MemoryFirstTranslatorTests
{
    private static readonly Guid JobId = Guid.Parse("0198f6a0-0000-7000-8000-0000000000b7");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly Dictionary<string, string> Remembered = new(StringComparer.Ordinal)
    {
        ["Keeps drinks cold for 24 hours"] = "保冷 24 小时（卖家译文）",
        ["Dishwasher safe"] = "可放入洗碗机（卖家译文）",
    };

    private static ChatResponder Model() => LlmTranslatorTests.Model((_, text) => text switch
    {
        "Leak-proof lid" => "防漏杯盖",
        "Holds ⟦0⟧" => "容量 ⟦0⟧",
        _ => null,
    });

    private static async Task<Bed> StartAsync(Func<Dictionary<string, string?>, Dictionary<string, string?>>? settings = null)
    {
        var clock = new TestClock();
        var fake = await FakeOpenAiServer.StartAsync(clock);
        var host = LlmTestHost.Start(clock, (settings ?? (s => s))(LlmTestHost.Settings(fake)));
        var memory = new SellerMemory(Remembered);
        return new Bed(fake, host, memory, new MemoryFirstTranslator(memory, new LlmTranslator(host.Structured, NullLogger<LlmTranslator>.Instance)));
    }

    private sealed record Bed(FakeOpenAiServer Fake, LlmTestHost Host, SellerMemory Memory, MemoryFirstTranslator Translator) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Host.DisposeAsync();
            await Fake.DisposeAsync();
        }
    }

    [Fact]
    public async Task MemoryHits_NeverReachTheModel_TheRestDo_InRequestOrder()
    {
        await using var bed = await StartAsync();
        bed.Fake.Default = Model();

        var result = await bed.Translator.TranslateAsync(
            new TranslationRequest("en", "zh-CN", ["Keeps drinks cold for 24 hours", "Leak-proof lid", "Dishwasher safe", "Holds 500 ml"]),
            JobId,
            Ct);

        Assert.Equal(
            [
                new SegmentResult(0, SegmentStatus.MemoryExact, "保冷 24 小时（卖家译文）", "local", 1.0, "Keeps drinks cold for 24 hours"),
                new SegmentResult(1, SegmentStatus.Translated, "防漏杯盖", "llm"),
                new SegmentResult(2, SegmentStatus.MemoryExact, "可放入洗碗机（卖家译文）", "local", 1.0, "Dishwasher safe"),
                new SegmentResult(3, SegmentStatus.Translated, "容量 500 ml", "llm"),
            ],
            result.Value.Segments);
        Assert.Equal(1, bed.Memory.Calls);
        var body = Assert.Single(bed.Fake.Requests);
        Assert.Equal([(0, "Leak-proof lid"), (1, "Holds ⟦0⟧")], LlmTranslatorTests.SentTexts(body));
        Assert.DoesNotContain("Dishwasher", body.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal("llm", bed.Translator.Name);

        // The job id reaches the model call through the decorator.
        Assert.Equal(1, bed.Host.Ledger.Take(JobId).Calls);
    }

    [Fact]
    public async Task EverythingInMemory_SendsNothing()
    {
        await using var bed = await StartAsync();

        var result = await bed.Translator.TranslateAsync(new TranslationRequest("en", "zh-CN", ["Dishwasher safe", "Dishwasher safe"]), Ct);

        Assert.All(result.Value.Segments, s => Assert.Equal(SegmentStatus.MemoryExact, s.Status));
        Assert.Equal([0, 1], result.Value.Segments.Select(s => s.Index));
        Assert.Empty(bed.Fake.Requests);
    }

    [Fact]
    public async Task WhatTheModelCannotTranslate_CarriesTheModelsReason()
    {
        await using var bed = await StartAsync();
        bed.Fake.Default = LlmTranslatorTests.Model((_, text) => text);

        var result = await bed.Translator.TranslateAsync(new TranslationRequest("en", "zh-CN", ["Dishwasher safe", "Leak-proof lid"]), Ct);

        Assert.Equal(SegmentStatus.MemoryExact, result.Value.Segments[0].Status);
        var second = result.Value.Segments[1];
        Assert.Equal((1, SegmentStatus.Untranslated, (string?)null, "llm", TranslationErrors.Unchanged), (second.Index, second.Status, second.Text, second.Engine, second.ReasonCode));
    }

    [Fact]
    public async Task ARemoteFailure_Propagates()
    {
        await using var bed = await StartAsync(s => SettingsExtensions.With(s, "MaxRetries", "0"));
        bed.Fake.Default = FakeOpenAiServer.ServerError();

        var error = await Assert.ThrowsAsync<TranslationProviderException>(
            () => bed.Translator.TranslateAsync(new TranslationRequest("en", "zh-CN", ["Dishwasher safe", "Leak-proof lid"]), Ct));

        Assert.Equal(TranslationFailure.Transient, error.Failure);
        Assert.Equal(TranslationErrors.ProviderUnavailable, error.Code);
    }

    [Fact]
    public async Task AnInvalidRequest_IsRefusedOnce_WithoutTheModel()
    {
        await using var bed = await StartAsync();

        var result = await bed.Translator.TranslateAsync(new TranslationRequest("en", "en", ["Dishwasher safe"]), Ct);

        Assert.False(result.IsSuccess);
        Assert.Equal(TranslationErrors.SameLanguage, Assert.Single(result.Errors).Code);
        Assert.Empty(bed.Fake.Requests);
    }
}
