using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CommerceOS.Connectors.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace CommerceOS.Connectors.Tests.Video;

public enum KlingOutcome
{
    Succeed,
    Failed,
}

/// <summary>
/// Kling's API as external-apis.md section 3 documents it. Every request must carry <c>Authorization: Bearer</c> with an
/// HS256 JWT signed with <see cref="SecretKey"/> whose <c>iss</c> is <see cref="AccessKey"/> and whose <c>nbf</c>/<c>exp</c>
/// hold on the server clock (1000-1004 otherwise). Answers use the envelope <c>{code, message, request_id, data}</c>; a
/// task is <c>submitted</c>, then <c>processing</c> for <see cref="PendingPolls"/> polls, then ends as
/// <see cref="Outcome"/>; the clip sits on a CDN path without auth that 404s after <see cref="VideoTtl"/>.
/// </summary>
public sealed class FakeKlingServer(TimeProvider clock) : KestrelFake
{
    public const string AccessKey = "ak-9c1e2f";
    public const string SecretKey = "sk-3b7d0a51e4";

    private readonly ConcurrentDictionary<string, FakeTask> _tasks = new();
    private readonly ConcurrentDictionary<string, DateTimeOffset> _videos = new();

    public KlingOutcome Outcome { get; set; } = KlingOutcome.Succeed;

    public string FailureMessage { get; set; } = "Failure to pass the risk control system";

    public int PendingPolls { get; set; } = 3;

    public TimeSpan VideoTtl { get; set; } = TimeSpan.FromDays(30);

    /// <summary>The server's clock runs this far ahead of the client's (clock skew).</summary>
    public TimeSpan ClockSkew { get; set; }

    public byte[] Video { get; set; } = TestMp4.Create(8192);

    public ConcurrentQueue<Fault> SubmitFaults { get; } = new();

    public ConcurrentQueue<Fault> PollFaults { get; } = new();

    public Fault? AlwaysOnSubmit { get; set; }

    public Fault? OnDownload { get; set; }

    public ConcurrentQueue<(JsonObject Body, DateTimeOffset At)> Submits { get; } = new();

    /// <summary>Every accepted token with its verified claims.</summary>
    public ConcurrentQueue<(string Token, string Issuer, long NotBefore, long Expires)> Tokens { get; } = new();

    public ConcurrentQueue<string> Events { get; } = new();

    private int _downloadsCarryingAuth;

    public int DownloadsCarryingAuth => Volatile.Read(ref _downloadsCarryingAuth);

    public static async Task<FakeKlingServer> StartAsync(TimeProvider clock)
    {
        var fake = new FakeKlingServer(clock);
        await fake.ListenAsync();
        return fake;
    }

    private DateTimeOffset Now => clock.GetUtcNow() + ClockSkew;

    protected override void Map(WebApplication app)
    {
        app.MapPost("/v1/videos/image2video", async (HttpContext context) =>
        {
            if (Authenticate(context) is { } refused)
            {
                return refused;
            }

            Events.Enqueue("submit");
            var body = (JsonNode.Parse(await new StreamReader(context.Request.Body).ReadToEndAsync()) as JsonObject) ?? [];
            Submits.Enqueue((body, clock.GetUtcNow()));
            if (SubmitFaults.TryDequeue(out var fault) || (fault = AlwaysOnSubmit) is not null)
            {
                return Serve(fault);
            }

            var image = body["image"]?.GetValue<string>() ?? "";
            if (image.StartsWith("data:", StringComparison.Ordinal) || !IsBase64(image))
            {
                return Envelope(400, 1201, "image must be a URL or raw base64 without a data: prefix", null);
            }

            if (body["duration"]?.GetValue<string>() is not ("5" or "10"))
            {
                return Envelope(400, 1201, "duration must be \"5\" or \"10\"", null);
            }

            var id = $"{Random.Shared.NextInt64(1_000_000_000, 9_999_999_999)}";
            _tasks[id] = new FakeTask(PendingPolls);
            return Envelope(200, 0, "SUCCEED", TaskData(id, "submitted"));
        });

        app.MapGet("/v1/videos/image2video/{id}", (string id, HttpContext context) =>
        {
            if (Authenticate(context) is { } refused)
            {
                return refused;
            }

            Events.Enqueue("poll");
            if (PollFaults.TryDequeue(out var fault))
            {
                return Serve(fault);
            }

            if (!_tasks.TryGetValue(id, out var task))
            {
                return Envelope(404, 1203, "task not found", null);
            }

            lock (task)
            {
                if (task.PendingLeft > 0)
                {
                    var status = task.PendingLeft == PendingPolls ? "submitted" : "processing";
                    task.PendingLeft--;
                    return Envelope(200, 0, "SUCCEED", TaskData(id, status));
                }

                if (Outcome == KlingOutcome.Failed)
                {
                    var failed = TaskData(id, "failed");
                    failed["task_status_msg"] = FailureMessage;
                    return Envelope(200, 0, "SUCCEED", failed);
                }

                task.VideoName ??= NewVideo();
                var data = TaskData(id, "succeed");
                data["task_result"] = new JsonObject
                {
                    ["videos"] = new JsonArray(new JsonObject { ["id"] = "v1", ["url"] = $"{BaseUrl}/kling-cdn/{task.VideoName}", ["duration"] = "5" }),
                };
                return Envelope(200, 0, "SUCCEED", data);
            }
        });

        app.MapGet("/kling-cdn/{name}", (string name, HttpContext context) =>
        {
            Events.Enqueue("download");
            if (context.Request.Headers.ContainsKey("Authorization"))
            {
                Interlocked.Increment(ref _downloadsCarryingAuth);
            }

            if (OnDownload is { } fault)
            {
                return Serve(fault);
            }

            return _videos.TryGetValue(name, out var expires) && clock.GetUtcNow() < expires
                ? Results.Bytes(Video, "video/mp4")
                : Results.Text("<Error><Code>NoSuchKey</Code></Error>", "application/xml", statusCode: 404);
        });
    }

    private string NewVideo()
    {
        var name = $"{Guid.NewGuid():N}.mp4";
        _videos[name] = clock.GetUtcNow() + VideoTtl;
        return name;
    }

    /// <summary>Section 3.2 checked to the letter; null when the token is good.</summary>
    private IResult? Authenticate(HttpContext context)
    {
        var header = context.Request.Headers.Authorization;
        if (header.Count != 1 || string.IsNullOrEmpty(header[0]))
        {
            return Envelope(401, 1001, "Authorization is empty", null);
        }

        if (!header[0]!.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            return Envelope(401, 1002, "Authorization is invalid", null);
        }

        var token = header[0]!["Bearer ".Length..];
        var parts = token.Split('.');
        if (parts.Length != 3)
        {
            return Envelope(401, 1002, "Authorization is invalid", null);
        }

        try
        {
            using var joseHeader = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[0]));
            if (joseHeader.RootElement.GetProperty("alg").GetString() != "HS256" || joseHeader.RootElement.GetProperty("typ").GetString() != "JWT")
            {
                return Envelope(401, 1002, "Authorization is invalid", null);
            }

            var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(SecretKey), Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}"));
            if (!CryptographicOperations.FixedTimeEquals(expected, Base64Url.DecodeFromChars(parts[2])))
            {
                return Envelope(401, 1000, "Authentication failed", null);
            }

            using var payload = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1]));
            var issuer = payload.RootElement.GetProperty("iss").GetString() ?? "";
            var notBefore = payload.RootElement.GetProperty("nbf").GetInt64();
            var expires = payload.RootElement.GetProperty("exp").GetInt64();
            if (issuer != AccessKey)
            {
                return Envelope(401, 1000, "Authentication failed", null);
            }

            var now = Now.ToUnixTimeSeconds();
            if (now < notBefore)
            {
                return Envelope(401, 1003, "Authorization is not yet valid", null);
            }

            if (now >= expires)
            {
                return Envelope(401, 1004, "Authorization has expired", null);
            }

            Tokens.Enqueue((token, issuer, notBefore, expires));
            return null;
        }
        catch (Exception ex) when (ex is FormatException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return Envelope(401, 1002, "Authorization is invalid", null);
        }
    }

    private static bool IsBase64(string value)
    {
        var buffer = new byte[value.Length];
        return value.Length > 0 && Convert.TryFromBase64String(value, buffer, out _);
    }

    private JsonObject TaskData(string id, string status) => new()
    {
        ["task_id"] = id,
        ["task_status"] = status,
        ["task_info"] = new JsonObject(),
        ["created_at"] = clock.GetUtcNow().ToUnixTimeMilliseconds(),
        ["updated_at"] = clock.GetUtcNow().ToUnixTimeMilliseconds(),
    };

    public static IResult Envelope(int status, int code, string message, JsonObject? data) =>
        Results.Content(
            new JsonObject { ["code"] = code, ["message"] = message, ["request_id"] = Guid.NewGuid().ToString(), ["data"] = data }.ToJsonString(),
            "application/json",
            statusCode: status);

    /// <summary>A Kling error answer as a fault (section 3.5).</summary>
    public static Fault Error(int status, int code, string message, params (string Name, string Value)[] headers) =>
        Faults.Status(status, new JsonObject { ["code"] = code, ["message"] = message, ["request_id"] = "req-1" }.ToJsonString(), headers);

    private sealed class FakeTask(int pending)
    {
        public int PendingLeft { get; set; } = pending;

        public string? VideoName { get; set; }
    }
}
