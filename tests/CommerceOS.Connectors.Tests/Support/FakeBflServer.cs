using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace CommerceOS.Connectors.Tests.Support;

public enum BflOutcome
{
    Ready,
    RequestModerated,
    ContentModerated,
    Error,
    NeverReady,
}

/// <summary>
/// Black Forest Labs' API as external-apis.md section 1 documents it: <c>x-key</c> on submit and
/// poll, submit answers <c>id</c> + <c>polling_url</c>, the task stays <c>Pending</c> for
/// <see cref="PendingPolls"/> polls, then ends as <see cref="Outcome"/>; a Ready sample is a signed
/// URL on a separate delivery path that refuses requests after <see cref="SampleTtl"/> (403, like an
/// expired blob signature).
/// </summary>
public sealed class FakeBflServer(TimeProvider clock) : KestrelFake
{
    public const string Key = "bfl-test-key-7f3a";

    private readonly ConcurrentDictionary<string, FakeTask> _tasks = new();

    public BflOutcome Outcome { get; set; } = BflOutcome.Ready;

    public int PendingPolls { get; set; } = 2;

    public TimeSpan SampleTtl { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Hand out polling URLs on another host name and path, like BFL's regional hosts.</summary>
    public bool PollOnOtherHost { get; set; }

    public byte[] SampleImage { get; set; } = TestPng.Create(48, 32);

    public ConcurrentQueue<Fault> SubmitFaults { get; } = new();

    public ConcurrentQueue<Fault> PollFaults { get; } = new();

    public Fault? AlwaysOnSubmit { get; set; }

    public Fault? AlwaysOnPoll { get; set; }

    public ConcurrentQueue<(string Model, JsonObject Body)> Submits { get; } = new();

    /// <summary>Host and path of every poll, to prove the polling URL is used verbatim.</summary>
    public ConcurrentQueue<(string Host, string Path)> Polls { get; } = new();

    private int _downloads;
    private int _downloadsCarryingKey;

    public int Downloads => Volatile.Read(ref _downloads);

    public int DownloadsCarryingKey => Volatile.Read(ref _downloadsCarryingKey);

    /// <summary>"submit", "poll", "download" in arrival order; tests add their own marks.</summary>
    public ConcurrentQueue<string> Events { get; } = new();

    public static async Task<FakeBflServer> StartAsync(TimeProvider clock)
    {
        var fake = new FakeBflServer(clock);
        await fake.ListenAsync();
        return fake;
    }

    protected override void Map(WebApplication app)
    {
        app.MapPost("/v1/{model}", async (string model, HttpContext context) =>
        {
            if (!Authorized(context))
            {
                return Unauthorized();
            }

            Events.Enqueue("submit");
            var body = (JsonNode.Parse(await new StreamReader(context.Request.Body).ReadToEndAsync()) as JsonObject) ?? [];
            Submits.Enqueue((model, body));
            if (SubmitFaults.TryDequeue(out var fault) || (fault = AlwaysOnSubmit) is not null)
            {
                return Serve(fault);
            }

            var id = Guid.NewGuid().ToString();
            _tasks[id] = new FakeTask(id, body, PendingPolls);
            var port = context.Connection.LocalPort;
            var pollingUrl = PollOnOtherHost
                ? $"http://localhost:{port}/us1/v1/get_result?id={id}"
                : $"{BaseUrl}/v1/get_result?id={id}";
            return Results.Json(new { id, polling_url = pollingUrl, cost = 4.0, input_mp = (double?)null, output_mp = 1.05 });
        });

        app.MapGet("/v1/get_result", Poll);
        app.MapGet("/us1/v1/get_result", Poll);

        app.MapGet("/delivery/{sample}", (string sample, HttpContext context) =>
        {
            Events.Enqueue("download");
            Interlocked.Increment(ref _downloads);
            if (context.Request.Headers.ContainsKey("x-key"))
            {
                Interlocked.Increment(ref _downloadsCarryingKey);
            }

            var task = _tasks.Values.FirstOrDefault(t => t.SampleName == sample);
            if (task is null || clock.GetUtcNow() >= task.SampleExpires)
            {
                return Results.Content(
                    "<?xml version=\"1.0\"?><Error><Code>AuthenticationFailed</Code><Message>Signed expiry time has passed</Message></Error>",
                    "application/xml",
                    statusCode: 403);
            }

            return Results.Bytes(SampleImage, "image/png");
        });
    }

    private IResult Poll(string id, HttpContext context)
    {
        if (!Authorized(context))
        {
            return Unauthorized();
        }

        Events.Enqueue("poll");
        Polls.Enqueue((context.Request.Host.Host, context.Request.Path.Value ?? ""));
        if (PollFaults.TryDequeue(out var fault) || (fault = AlwaysOnPoll) is not null)
        {
            return Serve(fault);
        }

        if (!_tasks.TryGetValue(id, out var task))
        {
            return Results.Json(new { id, status = "Task not found", result = (object?)null, progress = (double?)null, details = (object?)null });
        }

        lock (task)
        {
            if (Outcome == BflOutcome.NeverReady || task.PendingLeft > 0)
            {
                task.PendingLeft--;
                return Results.Json(new { id, status = "Pending", result = (object?)null, progress = 0.5, details = (object?)null });
            }

            switch (Outcome)
            {
                case BflOutcome.RequestModerated:
                    return Results.Json(new { id, status = "Request Moderated", result = (object?)null, details = new { moderation_reasons = new[] { "Derivative Works Filter" } } });
                case BflOutcome.ContentModerated:
                    return Results.Json(new { id, status = "Content Moderated", result = (object?)null, details = new { moderation_reasons = new[] { "NSFW" } } });
                case BflOutcome.Error:
                    return Results.Json(new { id, status = "Error", result = (object?)null, details = (object?)null });
                default:
                    if (task.SampleName is null)
                    {
                        task.SampleName = Guid.NewGuid().ToString("N") + ".png";
                        task.SampleExpires = clock.GetUtcNow() + SampleTtl;
                    }

                    var seed = task.Body["seed"]?.GetValue<long>() ?? 1234567;
                    var sample = $"{BaseUrl}/delivery/{task.SampleName}?se=2026-01-01T00%3A10%3A00Z&sig=c2lnbmF0dXJl";
                    return Results.Json(new { id, status = "Ready", result = new { sample, seed, prompt = task.Body["prompt"]?.GetValue<string>(), start_time = 1.0, end_time = 5.0, duration = 4.0 }, progress = (double?)null, details = (object?)null });
            }
        }
    }

    private static bool Authorized(HttpContext context) =>
        context.Request.Headers.TryGetValue("x-key", out var key) && key.Count == 1 && key[0] == Key;

    private static IResult Unauthorized() => Results.Json(new { detail = "Not authenticated" }, statusCode: 401);

    private sealed class FakeTask(string id, JsonObject body, int pending)
    {
        public string Id { get; } = id;

        public JsonObject Body { get; } = body;

        public int PendingLeft { get; set; } = pending;

        public string? SampleName { get; set; }

        public DateTimeOffset SampleExpires { get; set; }
    }
}
