using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using CommerceOS.Connectors.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace CommerceOS.Connectors.Tests.Video;

public enum VeoOutcome
{
    /// <summary><c>generatedSamples[0].video.uri</c> on the files endpoint.</summary>
    Uri,

    /// <summary><c>generatedSamples[0].video.encodedVideo</c>, base64 in the operation.</summary>
    Inline,

    /// <summary>Done, no samples, <c>raiMediaFilteredReasons</c>.</summary>
    Filtered,

    /// <summary>Done with <c>error</c> <see cref="FakeVeoServer.ErrorCode"/>.</summary>
    Error,
}

/// <summary>
/// Veo on the Gemini API as external-apis.md section 4 documents it: <c>x-goog-api-key</c> on every call (403
/// PERMISSION_DENIED otherwise), <c>models/{model}:predictLongRunning</c> answers an operation name, the operation is
/// not done for <see cref="PendingPolls"/> polls, then ends as <see cref="Outcome"/>. The files endpoint also wants the
/// key and redirects to a storage host (another host name) that wants none and 404s after <see cref="FileTtl"/>.
/// Retired models answer 404 "no longer available" (section 4.5).
/// </summary>
public sealed class FakeVeoServer(TimeProvider clock) : KestrelFake
{
    public const string Key = "AIzaSy-test-veo-key";

    private readonly ConcurrentDictionary<string, FakeOperation> _operations = new();
    private readonly ConcurrentDictionary<string, DateTimeOffset> _files = new();

    public VeoOutcome Outcome { get; set; } = VeoOutcome.Uri;

    public int ErrorCode { get; set; } = 400;

    public int PendingPolls { get; set; } = 2;

    public TimeSpan FileTtl { get; set; } = TimeSpan.FromDays(2);

    public HashSet<string> RetiredModels { get; } = ["veo-3.1-generate-preview", "veo-3.1-fast-generate-preview"];

    public byte[] Video { get; set; } = TestMp4.Create(6000);

    public ConcurrentQueue<Fault> SubmitFaults { get; } = new();

    public ConcurrentQueue<Fault> PollFaults { get; } = new();

    public ConcurrentQueue<(string Model, JsonObject Body)> Submits { get; } = new();

    public ConcurrentQueue<string> Events { get; } = new();

    /// <summary>Each hop of a download: "file" (the API's files endpoint) or "blob" (storage), and whether the key came along.</summary>
    public ConcurrentQueue<(string Hop, bool WithKey)> DownloadHops { get; } = new();

    public static async Task<FakeVeoServer> StartAsync(TimeProvider clock)
    {
        var fake = new FakeVeoServer(clock);
        await fake.ListenAsync();
        return fake;
    }

    protected override void Map(WebApplication app)
    {
        app.MapPost("/v1beta/models/{modelAction}", async (string modelAction, HttpContext context) =>
        {
            if (!Authorized(context))
            {
                return Error(403, "Method doesn't allow unregistered callers. Please use an API key.", "PERMISSION_DENIED");
            }

            var colon = modelAction.LastIndexOf(':');
            if (colon < 0 || modelAction[(colon + 1)..] != "predictLongRunning")
            {
                return Error(404, "Method not found.", "NOT_FOUND");
            }

            var model = modelAction[..colon];
            Events.Enqueue("submit");
            var body = (JsonNode.Parse(await new StreamReader(context.Request.Body).ReadToEndAsync()) as JsonObject) ?? [];
            Submits.Enqueue((model, body));
            if (SubmitFaults.TryDequeue(out var fault))
            {
                return Serve(fault);
            }

            if (RetiredModels.Contains(model))
            {
                return Error(404, $"models/{model} is no longer available to new users. Please update your code to use a newer model.", "NOT_FOUND");
            }

            var id = Guid.NewGuid().ToString("N")[..12];
            _operations[id] = new FakeOperation(model, PendingPolls);
            return Results.Json(new { name = $"models/{model}/operations/{id}" });
        });

        app.MapGet("/v1beta/models/{model}/operations/{id}", (string model, string id, HttpContext context) =>
        {
            if (!Authorized(context))
            {
                return Error(403, "Method doesn't allow unregistered callers. Please use an API key.", "PERMISSION_DENIED");
            }

            Events.Enqueue("poll");
            if (PollFaults.TryDequeue(out var fault))
            {
                return Serve(fault);
            }

            if (!_operations.TryGetValue(id, out var operation) || operation.Model != model)
            {
                return Error(404, "Operation not found.", "NOT_FOUND");
            }

            var name = $"models/{model}/operations/{id}";
            lock (operation)
            {
                if (operation.PendingLeft > 0)
                {
                    operation.PendingLeft--;
                    return Results.Json(new { name });
                }
            }

            switch (Outcome)
            {
                case VeoOutcome.Error:
                    return Results.Json(new { name, done = true, error = new { code = ErrorCode, message = ErrorCode == 400 ? "The input image is invalid." : "Internal error encountered.", status = ErrorCode == 400 ? "INVALID_ARGUMENT" : "INTERNAL" } });
                case VeoOutcome.Filtered:
                    return Results.Json(new
                    {
                        name,
                        done = true,
                        response = new Dictionary<string, object>
                        {
                            ["@type"] = "type.googleapis.com/google.ai.generativelanguage.v1beta.PredictLongRunningResponse",
                            ["generateVideoResponse"] = new { raiMediaFilteredCount = 1, raiMediaFilteredReasons = new[] { "Video generation was blocked: a photorealistic child was detected." } },
                        },
                    });
            }

            lock (operation)
            {
                operation.File ??= NewFile();
            }

            object video = Outcome == VeoOutcome.Inline
                ? new { encodedVideo = Convert.ToBase64String(Video), encoding = "video/mp4" }
                : new { uri = $"{BaseUrl}/v1beta/files/{operation.File}:download?alt=media" };
            return Results.Json(new
            {
                name,
                done = true,
                response = new Dictionary<string, object>
                {
                    ["@type"] = "type.googleapis.com/google.ai.generativelanguage.v1beta.PredictLongRunningResponse",
                    ["generateVideoResponse"] = new { generatedSamples = new[] { new { video } } },
                },
            });
        });

        app.MapGet("/v1beta/files/{fileAction}", (string fileAction, HttpContext context) =>
        {
            var withKey = Authorized(context);
            DownloadHops.Enqueue(("file", withKey));
            if (!withKey)
            {
                return Error(403, "Method doesn't allow unregistered callers. Please use an API key.", "PERMISSION_DENIED");
            }

            var file = fileAction.Split(':')[0];
            if (!_files.TryGetValue(file, out var expires) || clock.GetUtcNow() >= expires)
            {
                return Error(404, "File not found.", "NOT_FOUND");
            }

            // Google's files endpoint sends the bytes from storage on another host.
            return Results.Redirect($"http://localhost:{Port}/blob/{file}?X-Goog-Signature=c2lnbmF0dXJl", permanent: false);
        });

        app.MapGet("/blob/{file}", (string file, HttpContext context) =>
        {
            DownloadHops.Enqueue(("blob", context.Request.Headers.ContainsKey("x-goog-api-key")));
            return _files.TryGetValue(file, out var expires) && clock.GetUtcNow() < expires
                ? Results.Bytes(Video, "video/mp4")
                : Results.Text("<Error><Code>NoSuchKey</Code></Error>", "application/xml", statusCode: 404);
        });
    }

    private string NewFile()
    {
        var file = Guid.NewGuid().ToString("N")[..10];
        _files[file] = clock.GetUtcNow() + FileTtl;
        return file;
    }

    private static bool Authorized(HttpContext context) =>
        context.Request.Headers.TryGetValue("x-goog-api-key", out var key) && key.Count == 1 && key[0] == Key;

    /// <summary>Google's error envelope (section 4.4).</summary>
    public static IResult Error(int code, string message, string status) =>
        Results.Json(new { error = new { code, message, status } }, statusCode: code);

    private sealed class FakeOperation(string model, int pending)
    {
        public string Model { get; } = model;

        public int PendingLeft { get; set; } = pending;

        public string? File { get; set; }
    }
}
