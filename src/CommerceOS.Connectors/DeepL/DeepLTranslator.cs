using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using CommerceOS.Core.Common;
using CommerceOS.Core.Translation;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace CommerceOS.Connectors.DeepL;

/// <summary>
/// DeepL API v2 (external-apis.md §6): <c>POST /v2/translate</c> in batches under the body and text
/// limits, with protected terms sent as empty XML elements (<c>tag_handling=xml</c>) that DeepL keeps,
/// formality only for targets that support it, and the request's glossary as a DeepL glossary for the
/// language pair (found by a content-derived name, created once). A translation that lost a protected
/// term is reported untranslated, never returned.
/// </summary>
public sealed class DeepLTranslator(
    IHttpClientFactory httpClientFactory,
    IOptions<DeepLOptions> options,
    TimeProvider timeProvider,
    ILogger<DeepLTranslator> logger) : ITranslator
{
    public const string ProviderName = "deepl";
    internal const string ClientName = "CommerceOS.DeepL";

    private const string Vendor = "DeepL";
    private const int MaxDetailLength = 300;

    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Glossary ids by content name: a glossary is immutable (v2), so equal content means the same glossary.</summary>
    private readonly ConcurrentDictionary<string, string> _glossaries = new(StringComparer.Ordinal);

    private DeepLOptions Options => options.Value;

    public string Name => ProviderName;

    public async Task<Result<TranslationBatch>> TranslateAsync(TranslationRequest request, CancellationToken cancellationToken)
    {
        var check = TranslationRequestValidator.Validate(request);
        if (!check.IsSuccess)
        {
            return check.WithoutValue();
        }

        var (source, target) = check.Value;
        var results = new SegmentResult?[request.Segments.Count];
        var sourceLang = DeepLLanguages.Source(source.Code);
        var targetLang = DeepLLanguages.Target(target.Code, Options.EnglishVariant);
        if (sourceLang is null || targetLang is null)
        {
            var unsupported = sourceLang is null ? source.Code : target.Code;
            return new TranslationBatch(source.Code, target.Code, request.Segments
                .Select((_, i) => SegmentResult.Untranslated(i, Name, TranslationErrors.LanguageUnsupported, unsupported, Vendor))
                .ToList());
        }

        // Plain text goes as XML too, so our placeholder elements survive; its own <, > and & are escaped.
        var plainText = request.TagHandling == TagHandling.None;
        var pending = new Dictionary<string, Pending>(StringComparer.Ordinal);
        for (var i = 0; i < request.Segments.Count; i++)
        {
            var text = request.Segments[i] ?? "";
            if (string.IsNullOrWhiteSpace(text))
            {
                results[i] = new SegmentResult(i, SegmentStatus.Translated, text, Name);
                continue;
            }

            var protectedText = TermProtector.Protect(text, request.DoNotTranslate);
            if (protectedText.IsOnlyProtected)
            {
                // Model numbers, sizes and URLs alone: nothing to pay DeepL for.
                results[i] = new SegmentResult(i, SegmentStatus.Translated, text, Name);
                continue;
            }

            var rendered = protectedText.Render(PlaceholderStyle.XmlElement, plainText ? EscapeXml : null);
            if (!pending.TryGetValue(rendered, out var entry))
            {
                entry = new Pending(rendered, protectedText, []);
                pending[rendered] = entry;
            }

            entry.Indexes.Add((i, protectedText));
        }

        if (pending.Count > 0)
        {
            var glossaryId = request.Glossary is { Count: > 0 } glossary
                ? await EnsureGlossaryAsync(source.Code, target.Code, glossary, cancellationToken)
                : null;
            var parameters = new Dictionary<string, object>(StringComparer.Ordinal)
            {
                ["source_lang"] = sourceLang,
                ["target_lang"] = targetLang,
                ["tag_handling"] = request.TagHandling == TagHandling.Html ? "html" : "xml",
            };
            if (request.Formality != Formality.Default && DeepLLanguages.SupportsFormality(targetLang))
            {
                parameters["formality"] = request.Formality == Formality.More ? "more" : "less";
            }

            if (glossaryId is not null)
            {
                parameters["glossary_id"] = glossaryId;
            }

            foreach (var batch in Split(pending.Values.ToList(), parameters, results))
            {
                var translated = await TranslateBatchAsync(batch, parameters, source.Code, target.Code, request.Glossary, cancellationToken);
                for (var k = 0; k < batch.Count; k++)
                {
                    // Texts that mask alike ("Holds 500 ml" / "Holds 750 ml") share one translation, but each gets its own values back.
                    foreach (var (index, own) in batch[k].Indexes)
                    {
                        var restored = ProtectedText.RestoreWith(translated[k], PlaceholderStyle.XmlElement, own.Spans, plainText ? UnescapeXml : null);
                        results[index] = ToResult(index, restored);
                    }
                }
            }
        }

        return new TranslationBatch(source.Code, target.Code, results.Select(r => r!).ToList());
    }

    private SegmentResult ToResult(int index, RestoreOutcome restored)
    {
        if (!restored.IsComplete)
        {
            var missing = restored.Lost.Select(s => s.Value).Concat(restored.Unknown);
            return SegmentResult.Untranslated(index, Name, TranslationErrors.PlaceholderLost, string.Join(", ", missing));
        }

        return string.IsNullOrWhiteSpace(restored.Text)
            ? SegmentResult.Untranslated(index, Name, TranslationErrors.EmptyOutput)
            : new SegmentResult(index, SegmentStatus.Translated, restored.Text, Name);
    }

    /// <summary>
    /// Groups texts into requests of at most <see cref="DeepLOptions.MaxTextsPerRequest"/> texts and
    /// <see cref="DeepLOptions.MaxRequestBytes"/> bytes of JSON body, measured with the encoder that sends
    /// it. A text that alone exceeds the body limit is reported untranslated.
    /// </summary>
    private List<List<Pending>> Split(List<Pending> texts, Dictionary<string, object> parameters, SegmentResult?[] results)
    {
        var emptyBody = new Dictionary<string, object>(parameters, StringComparer.Ordinal) { ["text"] = Array.Empty<string>() };
        var baseBytes = JsonSerializer.SerializeToUtf8Bytes(emptyBody, Json).Length;
        var batches = new List<List<Pending>>();
        var current = new List<Pending>();
        var bytes = baseBytes;
        foreach (var text in texts)
        {
            // The string as JSON plus the comma that separates it from the previous one.
            var cost = JsonSerializer.SerializeToUtf8Bytes(text.Rendered, Json).Length + 1;
            if (baseBytes + cost > Options.MaxRequestBytes)
            {
                foreach (var (index, _) in text.Indexes)
                {
                    results[index] = SegmentResult.Untranslated(index, Name, TranslationErrors.SegmentTooLarge, (Options.MaxRequestBytes / 1024).ToString(CultureInfo.InvariantCulture));
                }

                continue;
            }

            if (current.Count > 0 && (current.Count >= Options.MaxTextsPerRequest || bytes + cost > Options.MaxRequestBytes))
            {
                batches.Add(current);
                current = [];
                bytes = baseBytes;
            }

            current.Add(text);
            bytes += cost;
        }

        if (current.Count > 0)
        {
            batches.Add(current);
        }

        return batches;
    }

    private async Task<IReadOnlyList<string>> TranslateBatchAsync(
        List<Pending> batch,
        Dictionary<string, object> parameters,
        string sourceCode,
        string targetCode,
        IReadOnlyList<TranslationTerm>? glossary,
        CancellationToken cancellationToken)
    {
        var body = new Dictionary<string, object>(parameters, StringComparer.Ordinal) { ["text"] = batch.Select(b => b.Rendered).ToArray() };
        using var response = await SendAsync(HttpMethod.Post, "/v2/translate", body, "translate", cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound && parameters.TryGetValue("glossary_id", out var stale) && glossary is not null)
        {
            // The glossary was deleted at DeepL (by hand, or the account's limit): make it again, once.
            logger.LogWarning("DeepL no longer knows glossary {GlossaryId}; creating it again", stale);
            _glossaries.TryRemove(new KeyValuePair<string, string>(GlossaryName(sourceCode, targetCode, GlossaryTsv(glossary)), (string)stale));
            parameters["glossary_id"] = await EnsureGlossaryAsync(sourceCode, targetCode, glossary, cancellationToken);
            return await TranslateBatchAsync(batch, parameters, sourceCode, targetCode, null, cancellationToken);
        }

        await ThrowIfFailedAsync(response, "translate", cancellationToken);
        using var json = await ReadJsonAsync(response, "translate", cancellationToken);
        if (!json.RootElement.TryGetProperty("translations", out var translations) || translations.ValueKind != JsonValueKind.Array)
        {
            throw Malformed("translate", "no translations array");
        }

        var texts = new List<string>(batch.Count);
        foreach (var item in translations.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("text", out var text) || text.ValueKind != JsonValueKind.String)
            {
                throw Malformed("translate", "a translation without text");
            }

            texts.Add(text.GetString()!);
        }

        if (texts.Count != batch.Count)
        {
            throw Malformed("translate", $"{texts.Count} translations for {batch.Count} texts");
        }

        logger.LogInformation("DeepL translated {Count} texts to {Target}", batch.Count, parameters["target_lang"]);
        return texts;
    }

    private async Task<string> EnsureGlossaryAsync(string sourceCode, string targetCode, IReadOnlyList<TranslationTerm> terms, CancellationToken cancellationToken)
    {
        var tsv = GlossaryTsv(terms);
        var name = GlossaryName(sourceCode, targetCode, tsv);
        if (_glossaries.TryGetValue(name, out var cached))
        {
            return cached;
        }

        var sourceLang = DeepLLanguages.Glossary(sourceCode)!;
        var targetLang = DeepLLanguages.Glossary(targetCode)!;

        // Another process (or an earlier run) may have made it already: glossaries live in the account.
        using (var list = await SendAsync(HttpMethod.Get, "/v2/glossaries", null, "glossary list", cancellationToken))
        {
            await ThrowIfFailedAsync(list, "glossary list", cancellationToken);
            using var json = await ReadJsonAsync(list, "glossary list", cancellationToken);
            if (json.RootElement.TryGetProperty("glossaries", out var glossaries) && glossaries.ValueKind == JsonValueKind.Array)
            {
                foreach (var glossary in glossaries.EnumerateArray())
                {
                    if (Text(glossary, "name") == name && Text(glossary, "source_lang") == sourceLang && Text(glossary, "target_lang") == targetLang
                        && Text(glossary, "glossary_id") is { Length: > 0 } existing)
                    {
                        return _glossaries[name] = existing;
                    }
                }
            }
        }

        var body = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["name"] = name,
            ["source_lang"] = sourceLang,
            ["target_lang"] = targetLang,
            ["entries"] = tsv,
            ["entries_format"] = "tsv",
        };
        using var response = await SendAsync(HttpMethod.Post, "/v2/glossaries", body, "glossary create", cancellationToken);
        await ThrowIfFailedAsync(response, "glossary create", cancellationToken);
        using var created = await ReadJsonAsync(response, "glossary create", cancellationToken);
        var id = Text(created.RootElement, "glossary_id");
        if (string.IsNullOrEmpty(id))
        {
            throw Malformed("glossary create", "no glossary_id");
        }

        logger.LogInformation("Created DeepL glossary {GlossaryId} ({Source}->{Target}, {Count} entries)", id, sourceLang, targetLang, terms.Count);
        return _glossaries[name] = id;
    }

    /// <summary>One entry per source term (the first wins), in a stable order so equal glossaries get equal names.</summary>
    private static string GlossaryTsv(IReadOnlyList<TranslationTerm> terms)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var builder = new StringBuilder();
        foreach (var term in terms)
        {
            var source = term.Source.Trim();
            if (seen.Add(source))
            {
                builder.Append(source).Append('\t').Append(term.Target.Trim()).Append('\n');
            }
        }

        return builder.ToString();
    }

    private static string GlossaryName(string sourceCode, string targetCode, string tsv)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{sourceCode}\n{targetCode}\n{tsv}"));
        return "commerceos-" + Convert.ToHexStringLower(hash)[..24];
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, object? body, string what, CancellationToken cancellationToken)
    {
        var client = httpClientFactory.CreateClient(ClientName);
        using var request = new HttpRequestMessage(method, new Uri(Options.ResolvedBaseUrl + path));
        request.Headers.Authorization = new AuthenticationHeaderValue("DeepL-Auth-Key", Options.ApiKey!.Trim());
        if (body is not null)
        {
            var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, Json));
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            request.Content = content;
        }

        try
        {
            return await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex is TimeoutRejectedException or TaskCanceledException)
        {
            throw new TranslationProviderException(TranslationFailure.Transient, TranslationErrors.ProviderTimeout, $"{Vendor} {what} timed out after {Options.AttemptTimeout} per attempt.", inner: ex);
        }
        catch (Exception ex) when (ex is HttpRequestException or BrokenCircuitException or IOException)
        {
            throw new TranslationProviderException(TranslationFailure.Transient, TranslationErrors.ProviderUnavailable, $"{Vendor} {what} failed: {ex.Message}", inner: ex);
        }
    }

    /// <summary>What is left after the pipeline's retries, mapped per external-apis.md §6.4.</summary>
    private async Task ThrowIfFailedAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var detail = await ErrorDetailAsync(response, cancellationToken);
        var status = (int)response.StatusCode;
        throw status switch
        {
            403 or 401 => new TranslationProviderException(
                TranslationFailure.Misconfigured,
                TranslationErrors.ProviderBadKey,
                $"{Vendor} refused the key ({status}) on {what}: check DeepL:ApiKey (environment variable DeepL__ApiKey); free keys end with ':fx' and only work on {DeepLOptions.FreeHost}. {detail}"),
            456 => new TranslationProviderException(
                TranslationFailure.QuotaExceeded,
                TranslationErrors.ProviderQuotaExceeded,
                $"{Vendor} character quota is used up (456); translations resume when it resets or the plan is raised. {detail}"),
            429 or 529 => new TranslationProviderException(
                TranslationFailure.RateLimited,
                TranslationErrors.ProviderRateLimited,
                $"{Vendor} is rate limiting {what} ({status}). {detail}",
                DeepLHttp.RetryAfter(response, timeProvider)),
            400 or 404 or 413 or 414 or 422 => new TranslationProviderException(
                TranslationFailure.Rejected,
                TranslationErrors.ProviderRejected,
                $"{Vendor} rejected the {what} request ({status}): {detail}"),
            _ => new TranslationProviderException(
                TranslationFailure.Transient,
                TranslationErrors.ProviderUnavailable,
                $"{Vendor} {what} answered {status}. {detail}",
                DeepLHttp.RetryAfter(response, timeProvider)),
        };
    }

    private static async Task<string> ErrorDetailAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        string body;
        try
        {
            body = await response.Content.ReadAsStringAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            return "";
        }

        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.ValueKind == JsonValueKind.Object)
            {
                var message = Text(json.RootElement, "message");
                var detail = Text(json.RootElement, "detail");
                body = string.Join(" ", new[] { message, detail }.Where(s => !string.IsNullOrEmpty(s)));
            }
        }
        catch (JsonException)
        {
            // An HTML error page from a proxy: its start is enough to recognise it.
        }

        body = body.Trim();
        return body.Length <= MaxDetailLength ? body : string.Concat(body.AsSpan(0, MaxDetailLength), "…");
    }

    private static async Task<JsonDocument> ReadJsonAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            var document = await JsonDocument.ParseAsync(stream, default, cancellationToken);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                document.Dispose();
                throw Malformed(what, "JSON that is not an object");
            }

            return document;
        }
        catch (JsonException ex)
        {
            throw new TranslationProviderException(TranslationFailure.Transient, TranslationErrors.ProviderMalformed, $"{Vendor} {what} answered malformed JSON.", inner: ex);
        }
    }

    private static TranslationProviderException Malformed(string what, string detail) =>
        new(TranslationFailure.Transient, TranslationErrors.ProviderMalformed, $"{Vendor} {what} answered {detail}.");

    private static string? Text(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static string EscapeXml(string literal) =>
        literal.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    private static string UnescapeXml(string literal) => WebUtility.HtmlDecode(literal);

    /// <param name="Rendered">The text as sent (placeholders, escaping).</param>
    /// <param name="Indexes">Every request position with this text (each distinct text is sent once).</param>
    private sealed record Pending(string Rendered, ProtectedText Source, List<(int Index, ProtectedText Own)> Indexes);
}
