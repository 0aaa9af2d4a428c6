using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CommerceOS.Connectors.Tests.Llm;

/// <summary>What the fake does with one request (after authentication).</summary>
public delegate Task ChatResponder(JsonObject request, HttpContext context);

/// <summary>
/// An OpenAI-compatible server as external-apis.md section 5.1 documents it: <c>POST /v1/chat/completions</c>
/// with <c>Authorization: Bearer</c>, a <c>chat.completion</c> body with <c>usage</c>, errors as
/// <c>{"error":{message,type,param,code}}</c>. Each request takes the next scripted responder, else
/// <see cref="Default"/>; every request body, arrival time (on the shared clock) and the peak number in
/// flight are recorded.
/// </summary>
public sealed class FakeOpenAiServer : IAsyncDisposable
{
    public const string Key = "sk-test-4f9c2a7e51d8";

    private readonly WebApplication _app;
    private readonly TimeProvider _clock;
    private int _inFlight;
    private int _maxInFlight;

    private FakeOpenAiServer(WebApplication app, TimeProvider clock)
    {
        _app = app;
        _clock = clock;
    }

    /// <summary>The API root with its version segment, as a vendor documents it.</summary>
    public string BaseUrl { get; private set; } = "";

    public ConcurrentQueue<ChatResponder> Script { get; } = new();

    public ChatResponder Default { get; set; } = Reply("""{"ok":true}""");

    /// <summary>Bodies of authenticated requests, in arrival order.</summary>
    public ConcurrentQueue<JsonObject> Requests { get; } = new();

    public ConcurrentQueue<DateTimeOffset> Arrivals { get; } = new();

    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    public int InFlight => Volatile.Read(ref _inFlight);

    private int _unauthorized;

    public int UnauthorizedRequests => Volatile.Read(ref _unauthorized);

    public static async Task<FakeOpenAiServer> StartAsync(TimeProvider clock)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var fake = new FakeOpenAiServer(app, clock);
        app.MapPost("/v1/chat/completions", fake.HandleAsync);
        await app.StartAsync();
        fake.BaseUrl = app.Urls.First().TrimEnd('/') + "/v1";
        return fake;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var authorization = context.Request.Headers.Authorization.ToString();
        if (authorization != "Bearer " + Key)
        {
            Interlocked.Increment(ref _unauthorized);
            var given = authorization.StartsWith("Bearer ", StringComparison.Ordinal) ? authorization["Bearer ".Length..] : "";
            // Echoes the key it was given, as some servers do: the client must not pass it on.
            await Error(401, $"Incorrect API key provided: {given}. You can find your API key in your account settings.", "invalid_request_error", "invalid_api_key")(new JsonObject(), context);
            return;
        }

        var body = (JsonNode.Parse(await new StreamReader(context.Request.Body).ReadToEndAsync(context.RequestAborted)) as JsonObject) ?? [];
        Requests.Enqueue(body);
        Arrivals.Enqueue(_clock.GetUtcNow());
        var now = Interlocked.Increment(ref _inFlight);
        int peak;
        while (now > (peak = Volatile.Read(ref _maxInFlight)) && Interlocked.CompareExchange(ref _maxInFlight, now, peak) != peak)
        {
        }

        try
        {
            var responder = Script.TryDequeue(out var next) ? next : Default;
            await responder(body, context);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    /// <summary>A completion whose message content is <paramref name="content"/>.</summary>
    public static ChatResponder Reply(string? content, int promptTokens = 120, int completionTokens = 30, string finishReason = "stop", string? refusal = null) =>
        async (request, context) =>
        {
            var completion = new JsonObject
            {
                ["id"] = "chatcmpl-" + Guid.NewGuid().ToString("N"),
                ["object"] = "chat.completion",
                ["created"] = 1767225600,
                ["model"] = request["model"]?.GetValue<string>() ?? "unknown",
                ["choices"] = new JsonArray(new JsonObject
                {
                    ["index"] = 0,
                    ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = content, ["refusal"] = refusal },
                    ["finish_reason"] = finishReason,
                    ["logprobs"] = null,
                }),
                ["usage"] = new JsonObject
                {
                    ["prompt_tokens"] = promptTokens,
                    ["completion_tokens"] = completionTokens,
                    ["total_tokens"] = promptTokens + completionTokens,
                },
            };
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(completion.ToJsonString(), context.RequestAborted);
        };

    /// <summary>
    /// Server-sent events: one chunk per piece, then the usage chunk with empty <c>choices</c> when
    /// <c>stream_options.include_usage</c> asked for it, then <c>[DONE]</c>.
    /// </summary>
    public static ChatResponder Stream(string[] pieces, int promptTokens = 50, int completionTokens = 10) =>
        async (request, context) =>
        {
            context.Response.ContentType = "text/event-stream";
            var id = "chatcmpl-" + Guid.NewGuid().ToString("N");
            async Task Send(JsonObject chunk)
            {
                chunk["id"] = id;
                chunk["object"] = "chat.completion.chunk";
                chunk["created"] = 1767225600;
                chunk["model"] = request["model"]?.GetValue<string>();
                await context.Response.WriteAsync("data: " + chunk.ToJsonString() + "\n\n", context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
            }

            for (var i = 0; i < pieces.Length; i++)
            {
                var delta = new JsonObject { ["content"] = pieces[i] };
                if (i == 0)
                {
                    delta["role"] = "assistant";
                }

                await Send(new JsonObject { ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["delta"] = delta, ["finish_reason"] = i == pieces.Length - 1 ? "stop" : null }) });
            }

            if (request["stream_options"]?["include_usage"]?.GetValue<bool>() == true)
            {
                await Send(new JsonObject
                {
                    ["choices"] = new JsonArray(),
                    ["usage"] = new JsonObject { ["prompt_tokens"] = promptTokens, ["completion_tokens"] = completionTokens, ["total_tokens"] = promptTokens + completionTokens },
                });
            }

            await context.Response.WriteAsync("data: [DONE]\n\n", context.RequestAborted);
        };

    /// <summary>The documented error envelope.</summary>
    public static ChatResponder Error(int status, string message, string type, string? code, params (string Name, string Value)[] headers) =>
        async (_, context) =>
        {
            context.Response.StatusCode = status;
            foreach (var (name, value) in headers)
            {
                context.Response.Headers[name] = value;
            }

            context.Response.ContentType = "application/json";
            var body = new JsonObject { ["error"] = new JsonObject { ["message"] = message, ["type"] = type, ["param"] = null, ["code"] = code } };
            await context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted);
        };

    public static ChatResponder RateLimited(int retryAfterSeconds) => Error(
        429,
        "Rate limit reached for requests per min. Please try again later.",
        "requests",
        "rate_limit_exceeded",
        ("Retry-After", retryAfterSeconds.ToString(CultureInfo.InvariantCulture)));

    public static ChatResponder ServerError() => Error(500, "The server had an error while processing your request.", "server_error", null);

    /// <summary>Never answers: holds the request until the client gives up.</summary>
    public static ChatResponder Hang() => async (_, context) =>
    {
        try
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
        }
    };

    /// <summary>Answers like <paramref name="then"/> after <paramref name="hold"/> of real time (requests overlap).</summary>
    public static ChatResponder After(TimeSpan hold, ChatResponder then) => async (request, context) =>
    {
        await Task.Delay(hold, context.RequestAborted);
        await then(request, context);
    };

    /// <summary>Holds every request until <paramref name="gate"/> opens, then answers like <paramref name="then"/>.</summary>
    public static ChatResponder Gated(Task gate, ChatResponder then) => async (request, context) =>
    {
        await gate.WaitAsync(context.RequestAborted);
        await then(request, context);
    };

    /// <summary>The text of the last message of request <paramref name="index"/>.</summary>
    public string LastMessage(int index) => Message(index, -1);

    /// <summary>The text of message <paramref name="message"/> (negative: from the end) of request <paramref name="index"/>, plain or in parts.</summary>
    public string Message(int index, int message)
    {
        var messages = Requests.ElementAt(index)["messages"]!.AsArray();
        var content = messages[message < 0 ? messages.Count + message : message]!["content"];
        return content switch
        {
            null => "",
            JsonArray parts => string.Concat(parts.Select(p => p?["text"]?.GetValue<string>() ?? "")),
            _ when content.GetValueKind() == JsonValueKind.String => content.GetValue<string>(),
            _ => content.ToJsonString(),
        };
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
