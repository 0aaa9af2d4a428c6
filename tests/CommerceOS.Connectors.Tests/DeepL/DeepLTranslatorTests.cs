using System.Text.Json;
using CommerceOS.Connectors.Tests.Support;
using CommerceOS.Connectors.Translation;
using CommerceOS.Core.Translation;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CommerceOS.Connectors.Tests.DeepL;

public sealed class DeepLTranslatorTests : IAsyncLifetime
{
    private readonly TestClock _clock = new();
    private FakeDeepLServer _fake = null!;

    public async ValueTask InitializeAsync() => _fake = await FakeDeepLServer.StartAsync();

    public async ValueTask DisposeAsync() => await _fake.DisposeAsync();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Dictionary<string, string?> Settings(params (string Key, string? Value)[] overrides)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Providers:Translation"] = "deepl",
            ["DeepL:ApiKey"] = FakeDeepLServer.Key,
            ["DeepL:BaseUrl"] = _fake.BaseUrl,
            // Production back-off and Retry-After limits (the clock runs 100x); a wide attempt timeout
            // so a busy CI machine cannot trip it.
            ["DeepL:AttemptTimeout"] = "00:10:00",
        };
        foreach (var (key, value) in overrides)
        {
            settings[key] = value;
        }

        return settings;
    }

    private ServiceProvider Build(params (string Key, string? Value)[] overrides)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(Settings(overrides)).Build();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(_clock);
        services.AddTranslation(configuration);
        return services.BuildServiceProvider(validateScopes: true);
    }

    /// <summary>The adapter itself (keyed by its name); the host's ITranslator puts the memory in front of it.</summary>
    private static async Task<TranslationBatch> TranslateAsync(ServiceProvider services, TranslationRequest request)
    {
        var result = await services.GetRequiredKeyedService<ITranslator>(TranslationProvidersOptions.DeepL).TranslateAsync(request, Ct);
        Assert.True(result.IsSuccess, result.ToString());
        return result.Value;
    }

    private static async Task<TranslationProviderException> FailAsync(ServiceProvider services, TranslationRequest? request = null) =>
        await Assert.ThrowsAsync<TranslationProviderException>(() =>
            services.GetRequiredKeyedService<ITranslator>(TranslationProvidersOptions.DeepL).TranslateAsync(request ?? new TranslationRequest("en", "de", ["Soft cotton"]), Ct));

    private static string[] SentTexts(JsonElement body) => body.GetProperty("text").EnumerateArray().Select(t => t.GetString()!).ToArray();

    [Fact]
    public async Task Translate_MasksProtectedTerms_SendsTheDocumentedFields_AndRestoresThem()
    {
        await using var services = Build();

        var batch = await TranslateAsync(services, new TranslationRequest(
            "en", "zh-CN", ["Anker XR-500 blender with 500 ml jar", "Salt & pepper <3"], DoNotTranslate: ["Anker"]));

        var (body, _) = Assert.Single(_fake.Translates);
        Assert.Equal("EN", body.GetProperty("source_lang").GetString());
        Assert.Equal("ZH-HANS", body.GetProperty("target_lang").GetString());
        Assert.Equal("xml", body.GetProperty("tag_handling").GetString());
        Assert.False(body.TryGetProperty("formality", out _));
        Assert.Equal(
            ["<x id=\"0\"/> <x id=\"1\"/> blender with <x id=\"2\"/> jar", "Salt &amp; pepper &lt;3"],
            SentTexts(body));

        Assert.Equal(
            ["ZH-HANS:Anker XR-500 BLENDER WITH 500 ml JAR", "ZH-HANS:SALT & PEPPER <3"],
            batch.Segments.Select(s => s.Text));
        Assert.All(batch.Segments, s =>
        {
            Assert.Equal(SegmentStatus.Translated, s.Status);
            Assert.Equal("deepl", s.Engine);
        });
    }

    [Fact]
    public async Task TextsThatMaskAlike_AreSentOnce_ButEachKeepsItsOwnValues()
    {
        await using var services = Build();

        var batch = await TranslateAsync(services, new TranslationRequest("en", "de", ["Holds 500 ml", "Holds 750 ml", "Holds 500 ml"]));

        var (body, _) = Assert.Single(_fake.Translates);
        Assert.Equal(["Holds <x id=\"0\"/>"], SentTexts(body));
        Assert.Equal(["DE:HOLDS 500 ml", "DE:HOLDS 750 ml", "DE:HOLDS 500 ml"], batch.Segments.Select(s => s.Text));
    }

    [Theory]
    [InlineData("en", "EN-US", null, "ZH")]
    [InlineData("en", "EN-GB", "EN-GB", "ZH")]
    [InlineData("pt-BR", "PT-BR", null, "ZH")]
    [InlineData("zh-TW", "ZH-HANT", null, "ZH")]
    [InlineData("ja", "JA", null, "ZH")]
    public async Task LanguageCodes_AreMappedToDeepLs(string target, string targetLang, string? englishVariant, string sourceLang)
    {
        await using var services = Build(("DeepL:EnglishVariant", englishVariant ?? "EN-US"));

        await TranslateAsync(services, new TranslationRequest("zh-CN", target, ["柔软的棉布"]));

        var (body, _) = Assert.Single(_fake.Translates);
        Assert.Equal(targetLang, body.GetProperty("target_lang").GetString());
        Assert.Equal(sourceLang, body.GetProperty("source_lang").GetString());
    }

    [Fact]
    public async Task Formality_IsSentOnlyForTargetsThatSupportIt()
    {
        await using var services = Build();

        await TranslateAsync(services, new TranslationRequest("en", "de", ["Thank you"], Formality: Formality.More));
        await TranslateAsync(services, new TranslationRequest("en", "zh-CN", ["Thank you"], Formality: Formality.More));
        await TranslateAsync(services, new TranslationRequest("en", "ja", ["Thank you"], Formality: Formality.Less));

        var bodies = _fake.Translates.Select(t => t.Body).ToList();
        Assert.Equal("more", bodies[0].GetProperty("formality").GetString());
        Assert.False(bodies[1].TryGetProperty("formality", out _));
        Assert.Equal("less", bodies[2].GetProperty("formality").GetString());
    }

    [Fact]
    public async Task HtmlSegments_AreSentWithHtmlTagHandling_AndKeepTheirTags()
    {
        await using var services = Build();

        var batch = await TranslateAsync(services, new TranslationRequest("en", "fr", ["<p>Soft <b>XR-500</b> cotton</p>"], TagHandling.Html));

        Assert.Equal("html", Assert.Single(_fake.Translates).Body.GetProperty("tag_handling").GetString());
        Assert.Equal("FR:<p>SOFT <b>XR-500</b> COTTON</p>", Assert.Single(batch.Segments).Text);
    }

    [Fact]
    public async Task UnsupportedLanguage_IsReportedPerSegment_WithoutCallingDeepL()
    {
        await using var services = Build();

        var batch = await TranslateAsync(services, new TranslationRequest("en", "ms", ["Soft cotton", "Gift box"]));

        Assert.Empty(_fake.Translates);
        Assert.All(batch.Segments, s =>
        {
            Assert.Equal(SegmentStatus.Untranslated, s.Status);
            Assert.Equal(TranslationErrors.LanguageUnsupported, s.ReasonCode);
            Assert.Equal(["ms", "DeepL"], s.ReasonArgs);
        });
    }

    [Fact]
    public async Task UnknownLanguage_IsInvalid_WithoutCallingDeepL()
    {
        await using var services = Build();

        var result = await services.GetRequiredKeyedService<ITranslator>(TranslationProvidersOptions.DeepL).TranslateAsync(new TranslationRequest("en", "xx", ["a"]), Ct);

        Assert.Equal(TranslationErrors.LanguageUnknown, Assert.Single(result.Errors).Code);
        Assert.Empty(_fake.Translates);
    }

    [Fact]
    public async Task ManyTexts_AreSplitIntoRequestsOfAtMost50_InOrder_EachDistinctTextSentOnce()
    {
        await using var services = Build();
        var segments = Enumerable.Range(0, 120).Select(i => $"Bullet number {i}").Append("Bullet number 7").ToList();

        var batch = await TranslateAsync(services, new TranslationRequest("en", "de", segments));

        Assert.Equal([50, 50, 20], _fake.Translates.Select(t => SentTexts(t.Body).Length));
        Assert.Equal(segments.Select(s => "DE:" + s.ToUpperInvariant()), batch.Segments.Select(s => s.Text));
        Assert.Equal(Enumerable.Range(0, 121), batch.Segments.Select(s => s.Index));
    }

    [Fact]
    public async Task LargeTexts_AreSplitUnder128KiB()
    {
        await using var services = Build();
        // Six 17,000-character Chinese descriptions: 47.6 KB each in UTF-8, so two fit in 128 KiB, three do not.
        var segments = Enumerable.Range(0, 6).Select(i => string.Concat(Enumerable.Repeat($"柔软舒适的纯棉面料{i}", 1700))).ToList();

        var batch = await TranslateAsync(services, new TranslationRequest("zh-CN", "en", segments));

        Assert.Equal([2, 2, 2], _fake.Translates.Select(t => SentTexts(t.Body).Length));
        Assert.All(_fake.Translates, t => Assert.InRange(t.Bytes, 1, 128 * 1024));
        Assert.All(batch.Segments, s => Assert.Equal(SegmentStatus.Translated, s.Status));
    }

    [Fact]
    public async Task ATextLargerThanTheBodyLimit_IsUntranslated_TheOthersStillGo()
    {
        await using var services = Build(("DeepL:MaxRequestBytes", "2048"));

        var batch = await TranslateAsync(services, new TranslationRequest("en", "de", [new string('a', 3000), "Soft cotton"]));

        Assert.Equal(SegmentStatus.Untranslated, batch.Segments[0].Status);
        Assert.Equal(TranslationErrors.SegmentTooLarge, batch.Segments[0].ReasonCode);
        Assert.Equal("DE:SOFT COTTON", batch.Segments[1].Text);
        Assert.Equal(["Soft cotton"], SentTexts(Assert.Single(_fake.Translates).Body));
    }

    [Fact]
    public async Task SegmentsOfOnlyModelNumbersAndSizes_AreNotSent()
    {
        await using var services = Build();

        var batch = await TranslateAsync(services, new TranslationRequest("en", "de", ["XR-500", "30 x 40 cm", ""]));

        Assert.Empty(_fake.Translates);
        Assert.Equal(["XR-500", "30 x 40 cm", ""], batch.Segments.Select(s => s.Text));
    }

    [Fact]
    public async Task ALostPlaceholder_IsReportedUntranslated_NeverReturned()
    {
        _fake.DropFirstTag = true;
        await using var services = Build();

        var batch = await TranslateAsync(services, new TranslationRequest("en", "de", ["XR-500 blender, 12V", "Soft cotton"]));

        Assert.Equal(SegmentStatus.Untranslated, batch.Segments[0].Status);
        Assert.Null(batch.Segments[0].Text);
        Assert.Equal(TranslationErrors.PlaceholderLost, batch.Segments[0].ReasonCode);
        Assert.Equal(["XR-500"], batch.Segments[0].ReasonArgs);
        Assert.Equal("DE:SOFT COTTON", batch.Segments[1].Text);
    }

    [Fact]
    public async Task Glossary_IsCreatedOnceForThePair_UsedWithSourceLang_AndFoundAgainByName()
    {
        var glossary = new[] { new TranslationTerm("down jacket", "Daunenjacke"), new TranslationTerm("hood", "Kapuze") };
        var request = new TranslationRequest("en", "de", ["Warm down jacket with hood"], Glossary: glossary);
        await using (var services = Build())
        {
            var first = await TranslateAsync(services, request);
            await TranslateAsync(services, request);

            Assert.Equal("DE:WARM Daunenjacke WITH Kapuze", Assert.Single(first.Segments).Text);
            var create = Assert.Single(_fake.GlossaryCreates);
            Assert.Equal("en", create.GetProperty("source_lang").GetString());
            Assert.Equal("de", create.GetProperty("target_lang").GetString());
            Assert.Equal("tsv", create.GetProperty("entries_format").GetString());
            Assert.Equal("down jacket\tDaunenjacke\nhood\tKapuze\n", create.GetProperty("entries").GetString());
            Assert.Equal(1, _fake.GlossaryLists); // the second call used the cached id
            Assert.All(_fake.Translates, t =>
            {
                Assert.False(string.IsNullOrEmpty(t.Body.GetProperty("glossary_id").GetString()));
                Assert.Equal("EN", t.Body.GetProperty("source_lang").GetString());
            });
        }

        // A new process finds the glossary by its name instead of creating another.
        await using (var restarted = Build())
        {
            await TranslateAsync(restarted, request);
        }

        Assert.Single(_fake.GlossaryCreates);
        Assert.Equal(1, _fake.GlossaryCount);
    }

    [Fact]
    public async Task GlossaryDeletedAtDeepL_IsCreatedAgainOnce()
    {
        var request = new TranslationRequest("en", "de", ["down jacket"], Glossary: [new TranslationTerm("down jacket", "Daunenjacke")]);
        await using var services = Build();
        await TranslateAsync(services, request);
        _fake.ForgetGlossaries();

        var batch = await TranslateAsync(services, request);

        Assert.Equal("DE:Daunenjacke", Assert.Single(batch.Segments).Text);
        Assert.Equal(2, _fake.GlossaryCreates.Count);
    }

    [Fact]
    public async Task GlossaryCreate_After5xx_IsNotRepeated()
    {
        _fake.GlossaryFaults.Enqueue(Faults.Status(500, """{"message":"Internal error"}"""));
        await using var services = Build();

        var error = await FailAsync(services, new TranslationRequest("en", "de", ["hood"], Glossary: [new TranslationTerm("hood", "Kapuze")]));

        Assert.Equal(TranslationFailure.Transient, error.Failure);
        Assert.Single(_fake.GlossaryCreates);
        Assert.Empty(_fake.Translates);
    }

    [Fact]
    public async Task RateLimited_WithRetryAfter_IsRetriedAfterThatWait()
    {
        _fake.TranslateFaults.Enqueue(Faults.Status(429, """{"message":"Too many requests"}""", ("Retry-After", "7")));
        await using var services = Build();

        var batch = await TranslateAsync(services, new TranslationRequest("en", "de", ["Soft cotton"]));

        Assert.Equal("DE:SOFT COTTON", Assert.Single(batch.Segments).Text);
        Assert.Equal(2, _fake.Translates.Count);
        Assert.Contains(TimeSpan.FromSeconds(7), _clock.RequestedWaits);
    }

    [Fact]
    public async Task RateLimited_WithALongRetryAfter_FailsAsRateLimited_WithoutSleeping()
    {
        _fake.AlwaysOnTranslate = Faults.Status(429, """{"message":"Too many requests"}""", ("Retry-After", "600"));
        await using var services = Build();

        var error = await FailAsync(services);

        Assert.Equal(TranslationFailure.RateLimited, error.Failure);
        Assert.Equal(TranslationErrors.ProviderRateLimited, error.Code);
        Assert.Equal(TimeSpan.FromSeconds(600), error.RetryAfter);
        Assert.True(error.IsRetryable);
        Assert.Single(_fake.Translates);
    }

    [Fact]
    public async Task HighLoad529_IsRetriedWithBackoff()
    {
        _fake.TranslateFaults.Enqueue(Faults.Status(529, """{"message":"Too many requests, high load"}"""));
        _fake.TranslateFaults.Enqueue(Faults.Status(529, """{"message":"Too many requests, high load"}"""));
        await using var services = Build();

        var batch = await TranslateAsync(services, new TranslationRequest("en", "de", ["Soft cotton"]));

        Assert.Equal(SegmentStatus.Translated, Assert.Single(batch.Segments).Status);
        Assert.Equal(3, _fake.Translates.Count);
    }

    [Fact]
    public async Task QuotaExceeded456_FailsAtOnce_WithAClearCode_AndIsNotRetried()
    {
        _fake.AlwaysOnTranslate = Faults.Status(456, """{"message":"Quota exceeded"}""");
        await using var services = Build();

        var error = await FailAsync(services);

        Assert.Equal(TranslationFailure.QuotaExceeded, error.Failure);
        Assert.Equal(TranslationErrors.ProviderQuotaExceeded, error.Code);
        Assert.False(error.IsRetryable);
        Assert.Contains("quota", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Single(_fake.Translates);
    }

    [Fact]
    public async Task BadKey403_IsMisconfigured_NamingTheSetting_AndIsNotRetried()
    {
        await using var services = Build(("DeepL:ApiKey", "wrong-key:fx"));

        var error = await FailAsync(services);

        Assert.Equal(TranslationFailure.Misconfigured, error.Failure);
        Assert.Equal(TranslationErrors.ProviderBadKey, error.Code);
        Assert.Contains("DeepL:ApiKey", error.Message, StringComparison.Ordinal);
        Assert.Contains("Authorization failure", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServerErrors_AreRetried_ThenReportedUnavailable()
    {
        _fake.TranslateFaults.Enqueue(Faults.Status(500, """{"message":"Internal error"}"""));
        await using (var services = Build())
        {
            Assert.Equal(SegmentStatus.Translated, Assert.Single((await TranslateAsync(services, new TranslationRequest("en", "de", ["Soft"]))).Segments).Status);
        }

        Assert.Equal(2, _fake.Translates.Count);

        _fake.AlwaysOnTranslate = Faults.Status(503, "<html>Service Unavailable</html>");
        await using var failing = Build(("DeepL:MaxRetries", "2"));
        var error = await FailAsync(failing);

        Assert.Equal(TranslationFailure.Transient, error.Failure);
        Assert.Equal(TranslationErrors.ProviderUnavailable, error.Code);
        Assert.Contains("503", error.Message, StringComparison.Ordinal);
        Assert.Equal(2 + 3, _fake.Translates.Count);
    }

    [Fact]
    public async Task Timeouts_AreRetried_ThenReportedAsTimeout()
    {
        _fake.AlwaysOnTranslate = async context =>
        {
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(10), context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                // The client gave up, as it should.
            }
        };
        await using var services = Build(("DeepL:AttemptTimeout", "00:00:05"), ("DeepL:MaxRetries", "1"));

        var error = await FailAsync(services);

        Assert.Equal(TranslationFailure.Transient, error.Failure);
        Assert.Equal(TranslationErrors.ProviderTimeout, error.Code);
        Assert.Equal(2, _fake.Translates.Count);
    }

    [Fact]
    public async Task MalformedBodies_AreReportedMalformed()
    {
        _fake.AlwaysOnTranslate = async context =>
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("""{"translations": [{"text": "DE:SO""");
        };
        await using var services = Build();

        var broken = await FailAsync(services);
        _fake.AlwaysOnTranslate = null;
        _fake.ShortAnswer = true;
        var shortAnswer = await FailAsync(services, new TranslationRequest("en", "de", ["Soft", "Warm"]));

        Assert.Equal(TranslationErrors.ProviderMalformed, broken.Code);
        Assert.Equal(TranslationErrors.ProviderMalformed, shortAnswer.Code);
        Assert.Contains("1 translations for 2 texts", shortAnswer.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadRequest400_IsRejected()
    {
        _fake.AlwaysOnTranslate = Faults.Status(400, """{"message":"Value for 'target_lang' not supported."}""");
        await using var services = Build();

        var error = await FailAsync(services);

        Assert.Equal(TranslationFailure.Rejected, error.Failure);
        Assert.Contains("target_lang", error.Message, StringComparison.Ordinal);
        Assert.Single(_fake.Translates);
    }
}
