using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace CommerceOS.Connectors.Tests.Support;

public enum FalOutcome
{
    Completed,
    NsfwFlagged,
    ContentPolicyViolation,
    ValidationError,
    NeverCompletes,
}

/// <summary>
/// fal's queue as external-apis.md section 2 documents it: <c>Authorization: Key …</c>; submit to
/// the full model id answers <c>request_id</c>, <c>status_url</c> and <c>response_url</c> under
/// <c>owner/app</c> only; status is 202 <c>IN_QUEUE</c>, 202 <c>IN_PROGRESS</c>, then 200
/// <c>COMPLETED</c>; the result carries <c>images[].url</c> (or <c>image.url</c> for background
/// removal) on a files path that 404s after <see cref="FileTtl"/>.
/// </summary>
public sealed class FakeFalServer(TimeProvider clock) : KestrelFake
{
    public const string Key = "3f1c9a2e-key-id:5b7d-key-secret";

    private readonly ConcurrentDictionary<string, FakeRequest> _requests = new();
    private readonly ConcurrentDictionary<string, DateTimeOffset> _files = new();

    public FalOutcome Outcome { get; set; } = FalOutcome.Completed;

    /// <summary>Status polls answered 202 before COMPLETED (the first half IN_QUEUE, then IN_PROGRESS).</summary>
    public int RunningPolls { get; set; } = 2;

    public TimeSpan FileTtl { get; set; } = TimeSpan.FromHours(1);

    public byte[] ResultImage { get; set; } = TestPng.Create(40, 40);

    public byte[] CutOutImage { get; set; } = TestPng.Create(40, 40, cutOut: true);

    /// <summary>Served for image-to-video models (section 2.7: output <c>video{url, content_type, file_name, file_size}</c>).</summary>
    public byte[] ResultVideo { get; set; } = TestMp4.Create(4096);

    public ConcurrentQueue<Fault> SubmitFaults { get; } = new();

    public ConcurrentQueue<Fault> StatusFaults { get; } = new();

    public ConcurrentQueue<Fault> ResultFaults { get; } = new();

    public Fault? AlwaysOnSubmit { get; set; }

    public Fault? AlwaysOnResult { get; set; }

    public ConcurrentQueue<(string Model, JsonObject Body, string? RequestTimeout)> Submits { get; } = new();

    /// <summary>The status served to each poll, in order.</summary>
    public ConcurrentQueue<string> StatusesServed { get; } = new();

    public ConcurrentQueue<string> Events { get; } = new();

    private int _fileDownloadsCarryingKey;

    public int FileDownloadsCarryingKey => Volatile.Read(ref _fileDownloadsCarryingKey);

    public static async Task<FakeFalServer> StartAsync(TimeProvider clock)
    {
        var fake = new FakeFalServer(clock);
        await fake.ListenAsync();
        return fake;
    }

    protected override void Map(WebApplication app)
    {
        app.MapGet("/files/{name}", (string name, HttpContext context) =>
        {
            Events.Enqueue("download");
            if (context.Request.Headers.ContainsKey("Authorization"))
            {
                Interlocked.Increment(ref _fileDownloadsCarryingKey);
            }

            if (!_files.TryGetValue(name, out var expires) || clock.GetUtcNow() >= expires)
            {
                return Results.Json(new { detail = "File not found" }, statusCode: 404);
            }

            if (name.StartsWith("video", StringComparison.Ordinal))
            {
                return Results.Bytes(ResultVideo, "video/mp4");
            }

            return Results.Bytes(name.StartsWith("cutout", StringComparison.Ordinal) ? CutOutImage : ResultImage, "image/png");
        });

        app.MapGet("/{owner}/{app}/requests/{id}/status", (string owner, string app, string id, HttpContext context) =>
        {
            if (!Authorized(context))
            {
                return Unauthorized();
            }

            Events.Enqueue("poll");
            if (StatusFaults.TryDequeue(out var fault))
            {
                return Serve(fault);
            }

            if (!_requests.TryGetValue(id, out var request) || request.App != $"{owner}/{app}")
            {
                return Results.Json(new { detail = "Request not found" }, statusCode: 404);
            }

            lock (request)
            {
                var responseUrl = $"{BaseUrl}/{owner}/{app}/requests/{id}";
                if (Outcome == FalOutcome.NeverCompletes || request.RunningLeft > 0)
                {
                    var status = Outcome != FalOutcome.NeverCompletes && request.RunningLeft <= RunningPolls / 2 ? "IN_PROGRESS" : "IN_QUEUE";
                    request.RunningLeft--;
                    StatusesServed.Enqueue(status);
                    return Results.Json(new { status, queue_position = status == "IN_QUEUE" ? 1 : (int?)null, response_url = responseUrl }, statusCode: 202);
                }

                request.Completed = true;
                StatusesServed.Enqueue("COMPLETED");
                return Results.Json(new { status = "COMPLETED", response_url = responseUrl, metrics = new { inference_time = 3.2 } });
            }
        });

        app.MapGet("/{owner}/{app}/requests/{id}", (string owner, string app, string id, HttpContext context) =>
        {
            if (!Authorized(context))
            {
                return Unauthorized();
            }

            Events.Enqueue("result");
            if (ResultFaults.TryDequeue(out var fault) || (fault = AlwaysOnResult) is not null)
            {
                return Serve(fault);
            }

            if (!_requests.TryGetValue(id, out var request) || request.App != $"{owner}/{app}")
            {
                return Results.Json(new { detail = "Request not found" }, statusCode: 404);
            }

            if (!request.Completed)
            {
                return Results.Json(new { detail = "Request is still in progress" }, statusCode: 400);
            }

            switch (Outcome)
            {
                case FalOutcome.ContentPolicyViolation:
                    return Results.Json(
                        new { detail = new[] { new { loc = new[] { "body", "prompt" }, msg = "The content could not be processed because it contained material flagged by a content checker.", type = "content_policy_violation", ctx = new { categories = new[] { "violence" } } } } },
                        statusCode: 422);
                case FalOutcome.ValidationError:
                    return Results.Json(
                        new { detail = new[] { new { loc = new[] { "body", "aspect_ratio" }, msg = "Input should be '21:9', '16:9', '4:3', '3:2', '1:1', '2:3', '3:4', '9:16' or '9:21'", type = "literal_error", input = "data:image/png;base64,SECRETBYTES" } } },
                        statusCode: 422);
            }

            if (request.Model.EndsWith("image-to-video", StringComparison.Ordinal))
            {
                var video = NewFile("video", "mp4");
                return Results.Json(new { video = new { url = video, content_type = "video/mp4", file_name = "output.mp4", file_size = ResultVideo.Length } });
            }

            if (request.Model.Contains("birefnet", StringComparison.Ordinal))
            {
                var cutout = NewFile("cutout");
                return Results.Json(new { image = new { url = cutout, width = 40, height = 40, content_type = "image/png", file_name = "cutout.png" } });
            }

            var url = NewFile("image");
            var seed = request.Body["seed"]?.GetValue<long>() ?? 987654321;
            return Results.Json(new
            {
                images = new[] { new { url, width = 40, height = 40, content_type = "image/png" } },
                timings = new { inference = 2.9 },
                seed,
                has_nsfw_concepts = new[] { Outcome == FalOutcome.NsfwFlagged },
                prompt = request.Body["prompt"]?.GetValue<string>(),
            });
        });

        app.MapPost("/{**model}", async (string model, HttpContext context) =>
        {
            if (!Authorized(context))
            {
                return Unauthorized();
            }

            Events.Enqueue("submit");
            var body = (JsonNode.Parse(await new StreamReader(context.Request.Body).ReadToEndAsync()) as JsonObject) ?? [];
            Submits.Enqueue((model, body, context.Request.Headers["X-Fal-Request-Timeout"].FirstOrDefault()));
            if (SubmitFaults.TryDequeue(out var fault) || (fault = AlwaysOnSubmit) is not null)
            {
                return Serve(fault);
            }

            var segments = model.Split('/');
            var ownerApp = $"{segments[0]}/{segments[1]}";
            var id = Guid.NewGuid().ToString();
            _requests[id] = new FakeRequest(ownerApp, model, body, RunningPolls);
            return Results.Json(new
            {
                status = "IN_QUEUE",
                request_id = id,
                response_url = $"{BaseUrl}/{ownerApp}/requests/{id}",
                status_url = $"{BaseUrl}/{ownerApp}/requests/{id}/status",
                cancel_url = $"{BaseUrl}/{ownerApp}/requests/{id}/cancel",
                queue_position = 0,
            });
        });
    }

    private string NewFile(string prefix, string extension = "png")
    {
        var name = $"{prefix}-{Guid.NewGuid():N}.{extension}";
        _files[name] = clock.GetUtcNow() + FileTtl;
        return $"{BaseUrl}/files/{name}";
    }

    private static bool Authorized(HttpContext context) =>
        context.Request.Headers.Authorization.Count == 1 && context.Request.Headers.Authorization[0] == $"Key {Key}";

    private static IResult Unauthorized() => Results.Json(new { detail = "Unauthorized" }, statusCode: 401);

    private sealed class FakeRequest(string app, string model, JsonObject body, int running)
    {
        public string App { get; } = app;

        public string Model { get; } = model;

        public JsonObject Body { get; } = body;

        public int RunningLeft { get; set; } = running;

        public bool Completed { get; set; }
    }
}
