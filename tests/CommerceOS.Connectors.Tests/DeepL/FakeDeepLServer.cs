using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using CommerceOS.Connectors.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CommerceOS.Connectors.Tests.DeepL;

/// <summary>
/// DeepL API v2 as external-apis.md §6 documents it: <c>Authorization: DeepL-Auth-Key</c> (403
/// otherwise), bodies over 128 KiB refused with 413, at most 50 texts, <c>target_lang</c> from the
/// documented codes, <c>formality</c> more/less refused for targets without it, <c>source_lang</c>
/// required with <c>glossary_id</c>, unknown glossary 404, translations in input order. Its
/// "translation" is deterministic: glossary terms replaced, other text upper-cased and prefixed with
/// the target code, XML tags kept when <c>tag_handling</c> is set (and mangled like text otherwise).
/// </summary>
public sealed partial class FakeDeepLServer : IAsyncDisposable
{
    public const string Key = "deepl-test-key-0c1d";

    private static readonly HashSet<string> Targets = new(StringComparer.Ordinal)
    {
        "EN-US", "EN-GB", "ZH-HANS", "ZH-HANT", "JA", "KO", "TH", "VI", "ID", "ES", "FR", "DE", "IT", "PT-BR", "PT-PT", "RU",
    };

    private static readonly HashSet<string> FormalityTargets = new(StringComparer.Ordinal) { "DE", "FR", "IT", "ES", "NL", "PL", "PT-BR", "PT-PT", "JA", "RU" };

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, Glossary> _glossaries = new();

    private FakeDeepLServer(WebApplication app) => _app = app;

    public string BaseUrl { get; private set; } = "";

    public ConcurrentQueue<Fault> TranslateFaults { get; } = new();

    public Fault? AlwaysOnTranslate { get; set; }

    public ConcurrentQueue<Fault> GlossaryFaults { get; } = new();

    /// <summary>Every translate body as received, with its size in bytes.</summary>
    public ConcurrentQueue<(JsonElement Body, int Bytes)> Translates { get; } = new();

    public ConcurrentQueue<JsonElement> GlossaryCreates { get; } = new();

    private int _glossaryLists;

    public int GlossaryLists => Volatile.Read(ref _glossaryLists);

    /// <summary>Make the "engine" drop the first placeholder element of every text (a real MT failure mode).</summary>
    public bool DropFirstTag { get; set; }

    /// <summary>Answer one translation fewer than asked.</summary>
    public bool ShortAnswer { get; set; }

    public static async Task<FakeDeepLServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0);
            // The fake, not Kestrel, answers oversized bodies, as DeepL does (413).
            kestrel.Limits.MaxRequestBodySize = null;
        });
        var app = builder.Build();
        var fake = new FakeDeepLServer(app);
        fake.Map(app);
        await app.StartAsync();
        fake.BaseUrl = app.Urls.First().TrimEnd('/');
        return fake;
    }

    /// <summary>Deletes a glossary behind the adapter's back.</summary>
    public void ForgetGlossaries() => _glossaries.Clear();

    public int GlossaryCount => _glossaries.Count;

    private void Map(WebApplication app)
    {
        app.MapPost("/v2/translate", async context =>
        {
            if (!Authorized(context))
            {
                await Error(context, 403, "Authorization failure, check auth_key");
                return;
            }

            var bytes = await ReadBodyAsync(context);
            if (bytes.Length > 128 * 1024)
            {
                await Error(context, 413, "Request Entity Too Large");
                return;
            }

            using var document = JsonDocument.Parse(bytes);
            var body = document.RootElement.Clone();
            Translates.Enqueue((body, bytes.Length));
            if (TranslateFaults.TryDequeue(out var fault) || (fault = AlwaysOnTranslate) is not null)
            {
                await fault(context);
                return;
            }

            var texts = body.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.Array ? t.EnumerateArray().Select(x => x.GetString() ?? "").ToList() : [];
            var target = Str(body, "target_lang");
            var source = Str(body, "source_lang");
            var formality = Str(body, "formality");
            var glossaryId = Str(body, "glossary_id");
            var tagHandling = Str(body, "tag_handling");
            if (texts.Count is 0 or > 50)
            {
                await Error(context, 400, "Parameter 'text' must hold 1 to 50 texts.");
                return;
            }

            if (target is null || !Targets.Contains(target))
            {
                await Error(context, 400, "Value for 'target_lang' not supported.");
                return;
            }

            if (formality is "more" or "less" && !FormalityTargets.Contains(target))
            {
                await Error(context, 400, "'formality' is not supported for given 'target_lang'.");
                return;
            }

            Glossary? glossary = null;
            if (glossaryId is not null)
            {
                if (source is null)
                {
                    await Error(context, 400, "Use of a glossary requires the 'source_lang' parameter to be specified.");
                    return;
                }

                if (!_glossaries.TryGetValue(glossaryId, out glossary))
                {
                    await Error(context, 404, "Glossary not found");
                    return;
                }
            }

            var translations = texts.Select(text => new
            {
                detected_source_language = source ?? "EN",
                text = Translate(text, target, glossary, tagHandling is "xml" or "html"),
            }).ToList();
            if (ShortAnswer)
            {
                translations.RemoveAt(translations.Count - 1);
            }

            await Results.Json(new { translations }).ExecuteAsync(context);
        });

        app.MapGet("/v2/glossaries", async context =>
        {
            if (!Authorized(context))
            {
                await Error(context, 403, "Authorization failure, check auth_key");
                return;
            }

            Interlocked.Increment(ref _glossaryLists);
            var glossaries = _glossaries.Values.Select(g => new
            {
                glossary_id = g.Id,
                name = g.Name,
                ready = true,
                source_lang = g.SourceLang,
                target_lang = g.TargetLang,
                creation_time = "2026-01-01T00:00:00Z",
                entry_count = g.Entries.Count,
            });
            await Results.Json(new { glossaries }).ExecuteAsync(context);
        });

        app.MapPost("/v2/glossaries", async context =>
        {
            if (!Authorized(context))
            {
                await Error(context, 403, "Authorization failure, check auth_key");
                return;
            }

            using var document = JsonDocument.Parse(await ReadBodyAsync(context));
            var body = document.RootElement.Clone();
            GlossaryCreates.Enqueue(body);
            if (GlossaryFaults.TryDequeue(out var fault))
            {
                await fault(context);
                return;
            }

            var name = Str(body, "name");
            var sourceLang = Str(body, "source_lang");
            var targetLang = Str(body, "target_lang");
            var entries = Str(body, "entries");
            if (name is null || sourceLang is null || targetLang is null || entries is null || Str(body, "entries_format") != "tsv")
            {
                await Error(context, 400, "Missing or invalid glossary parameters.");
                return;
            }

            var parsed = new List<(string Source, string Target)>();
            foreach (var line in entries.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                var cells = line.Split('\t');
                if (cells.Length != 2 || cells[0].Length == 0 || cells[1].Length == 0)
                {
                    await Error(context, 400, "Invalid glossary entries provided.");
                    return;
                }

                parsed.Add((cells[0], cells[1]));
            }

            var glossary = new Glossary(Guid.NewGuid().ToString(), name, sourceLang, targetLang, parsed);
            _glossaries[glossary.Id] = glossary;
            context.Response.StatusCode = 201;
            await Results.Json(new
            {
                glossary_id = glossary.Id,
                name,
                ready = true,
                source_lang = sourceLang,
                target_lang = targetLang,
                creation_time = "2026-01-01T00:00:00Z",
                entry_count = parsed.Count,
            }, statusCode: 201).ExecuteAsync(context);
        });
    }

    private string Translate(string text, string target, Glossary? glossary, bool keepTags)
    {
        var dropped = !DropFirstTag;
        var pieces = keepTags ? TagPattern().Split(text) : [text];
        var output = new System.Text.StringBuilder(target + ":");
        foreach (var piece in pieces)
        {
            if (keepTags && TagPattern().IsMatch(piece))
            {
                if (!dropped)
                {
                    dropped = true;
                    continue;
                }

                output.Append(piece);
                continue;
            }

            var translated = piece;
            var protectedTerms = new List<string>();
            foreach (var (source, replacement) in glossary?.Entries ?? [])
            {
                translated = Regex.Replace(translated, Regex.Escape(source), _ =>
                {
                    protectedTerms.Add(replacement);
                    return $"\u0001{protectedTerms.Count - 1}\u0001";
                }, RegexOptions.IgnoreCase);
            }

            // Entities are markup too: only the words between them are "translated".
            translated = EntityPattern().Replace(translated.ToUpperInvariant(), m => m.Value.ToLowerInvariant());
            translated = Regex.Replace(translated, "\u0001(\\d+)\u0001", m => protectedTerms[int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)]);
            output.Append(translated);
        }

        return output.ToString();
    }

    private static bool Authorized(HttpContext context) =>
        context.Request.Headers.Authorization.ToString() == "DeepL-Auth-Key " + Key;

    private static async Task<byte[]> ReadBodyAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    private static Task Error(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new { message });
    }

    private static string? Str(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    [GeneratedRegex("(<[^<>]+>)")]
    private static partial Regex TagPattern();

    [GeneratedRegex("&[A-Z]+;|&#[0-9]+;")]
    private static partial Regex EntityPattern();

    private sealed record Glossary(string Id, string Name, string SourceLang, string TargetLang, List<(string Source, string Target)> Entries);
}
