using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CommerceOS.Connectors.Images;
using CommerceOS.Core.Generation;
using CommerceOS.Core.Video;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CommerceOS.Connectors.Video;

/// <summary>
/// Kling AI's image-to-video (external-apis.md section 3): <c>POST /v1/videos/image2video</c> with a JWT we sign
/// ourselves, one <c>GET /v1/videos/image2video/{task_id}</c> per poll, and the clip at
/// <c>task_result.videos[0].url</c>, kept by Kling for 30 days.
/// </summary>
public sealed class KlingVideoProvider(
    IHttpClientFactory httpClientFactory,
    IOptions<KlingOptions> options,
    TimeProvider timeProvider,
    ILogger<KlingVideoProvider> logger) : IVideoProvider
{
    public const string ProviderName = "kling";
    internal const string ApiClientName = "CommerceOS.Kling";
    internal const string DeliveryClientName = "CommerceOS.Kling.Delivery";

    private const string Vendor = "Kling";
    private const string KeySetting = "Kling:AccessKey and Kling:SecretKey (environment variables Kling__AccessKey, Kling__SecretKey)";
    private const string Path = "/v1/videos/image2video";

    /// <summary>Section 3.3: prompt and negative prompt take at most 2500 characters.</summary>
    private const int MaxPromptLength = 2500;

    private readonly KlingToken _token = new(timeProvider);

    private KlingOptions Options => options.Value;

    public string Name => ProviderName;

    public TimeSpan PollInterval => Options.PollInterval;

    public TimeSpan Timeout => Options.Timeout;

    public async Task<ProviderTask> SubmitAsync(VideoGenerationRequest request, CancellationToken cancellationToken)
    {
        VideoRequests.RequireImage(request, Vendor);
        if (request.Prompt.Length > MaxPromptLength || request.NegativePrompt?.Length > MaxPromptLength)
        {
            throw new ProviderException(ProviderFailure.Rejected, $"Kling takes a prompt of at most {MaxPromptLength} characters.");
        }

        // image2video has no aspect_ratio (section 3.3): the clip takes the start frame's shape and is conformed later.
        var body = new JsonObject
        {
            ["model_name"] = Options.Model,
            ["image"] = Convert.ToBase64String(request.Image), // raw base64, no data: prefix (section 3.3)
            ["prompt"] = request.Prompt,
            ["mode"] = Options.Mode,
            ["duration"] = VideoRequests.Nearest(request.DurationSeconds, 5, 10).ToString(CultureInfo.InvariantCulture),
        };
        if (!string.IsNullOrWhiteSpace(request.NegativePrompt))
        {
            body["negative_prompt"] = request.NegativePrompt;
        }

        using var message = new HttpRequestMessage(HttpMethod.Post, Endpoint(Path)) { Content = ProviderHttp.JsonBody(body.ToJsonString()) };
        AddToken(message);
        var data = await SendAsync(message, "submit", cancellationToken);
        var taskId = data.GetString("task_id");
        if (string.IsNullOrEmpty(taskId) || !RemoteProviderOptions.IsModelId(taskId))
        {
            throw new ProviderException(ProviderFailure.Transient, "Kling submit answered without a usable data.task_id.");
        }

        logger.LogInformation("Submitted Kling task {TaskId} to {Model}", taskId, Options.Model);
        return new KlingTask(taskId, Options.Model).ToProviderTask();
    }

    public async Task<VideoPoll> PollAsync(ProviderTask task, CancellationToken cancellationToken)
    {
        var state = KlingTask.From(task);
        if (state.VideoUrl is not null)
        {
            return new VideoPoll(true, task);
        }

        using var message = new HttpRequestMessage(HttpMethod.Get, Endpoint($"{Path}/{Uri.EscapeDataString(state.TaskId)}"));
        AddToken(message);
        var data = await SendAsync(message, "poll", cancellationToken, state.TaskId);
        var status = data.GetString("task_status");
        logger.LogDebug("Kling task {TaskId} is {Status}", state.TaskId, status);
        switch (status)
        {
            case "submitted" or "processing":
                return new VideoPoll(false, task);
            case "succeed":
                var url = data.TryGetProperty("task_result", out var result) && result.TryGetProperty("videos", out var videos)
                    && videos.ValueKind == JsonValueKind.Array && videos.GetArrayLength() > 0
                    ? videos[0].GetString("url")
                    : null;
                ProviderHttp.VendorUrl(url, Vendor, "task_result.videos[0].url");
                return new VideoPoll(true, (state with { VideoUrl = url }).ToProviderTask());
            case "failed":
                throw FailedTask(state.TaskId, data.GetString("task_status_msg"));
            default:
                throw new ProviderException(ProviderFailure.Transient, $"Kling task {state.TaskId} has an unknown status '{status}'.");
        }
    }

    public async Task<ProviderVideo> DownloadAsync(ProviderTask task, string destinationPath, CancellationToken cancellationToken)
    {
        var state = KlingTask.From(task);
        var uri = ProviderHttp.VendorUrl(
            state.VideoUrl ?? throw new ProviderException(ProviderFailure.Misconfigured, $"Kling task {state.TaskId} is not finished; poll it until done first."),
            Vendor,
            "result URL");
        var bytes = await VideoDownloader.DownloadAsync(httpClientFactory.CreateClient(DeliveryClientName), uri, destinationPath, Vendor, Options.Timeout, timeProvider, cancellationToken);
        logger.LogInformation("Kling task {TaskId} delivered {Length} bytes", state.TaskId, bytes);
        return new ProviderVideo(destinationPath, bytes, "video/mp4", ProviderName, state.Model, state.TaskId);
    }

    private Uri Endpoint(string path) => new($"{Options.BaseUrl.TrimEnd('/')}{path}");

    private void AddToken(HttpRequestMessage message) =>
        message.Headers.TryAddWithoutValidation("Authorization", $"Bearer {_token.Get(Options.AccessKey ?? "", Options.SecretKey ?? "")}");

    /// <summary>Sends a request and opens the envelope <c>{code, message, request_id, data}</c> (section 3.3).</summary>
    /// <param name="taskId">Set for a poll: a task Kling no longer knows is spent, not a configuration error.</param>
    private async Task<JsonElement> SendAsync(HttpRequestMessage message, string what, CancellationToken cancellationToken, string? taskId = null)
    {
        var client = httpClientFactory.CreateClient(ApiClientName);
        using var response = await ProviderHttp.SendAsync(client, message, Vendor, what, cancellationToken);
        var text = await ProviderHttp.ReadTextAsync(response, cancellationToken);
        JsonElement envelope;
        try
        {
            using var document = JsonDocument.Parse(text);
            envelope = document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw ProviderHttp.FailureFromStatus(response, text, Vendor, what, KeySetting, timeProvider);
            }

            throw new ProviderException(ProviderFailure.Transient, $"Kling {what} returned malformed JSON.", inner: ex);
        }

        var code = envelope.GetInt64("code");
        if (code is { } nonZero && nonZero != 0)
        {
            throw MapError(nonZero, envelope.GetString("message"), text, response, what, taskId);
        }

        if (!response.IsSuccessStatusCode)
        {
            throw ProviderHttp.FailureFromStatus(response, text, Vendor, what, KeySetting, timeProvider);
        }

        if (code is null || !envelope.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object)
        {
            throw new ProviderException(ProviderFailure.Transient, $"Kling {what} answered without code 0 and a data object.");
        }

        return data;
    }

    /// <summary>Kling's error-code table (section 3.5) in our words.</summary>
    private ProviderException MapError(long code, string? message, string body, HttpResponseMessage response, string what, string? taskId)
    {
        var detail = $"Kling {what} failed with code {code}: {ProviderHttp.Truncate(message ?? "no message")}";
        var retryAfter = ProviderHttp.RetryAfter(response, timeProvider);
        return code switch
        {
            >= 1000 and <= 1004 => new ProviderException(ProviderFailure.Misconfigured, $"{detail}. Kling refused the token (1003: clock skew, 1004: expired): check {KeySetting} and the server clock."),
            1100 or 1304 => new ProviderException(ProviderFailure.Misconfigured, $"{detail}. The Kling account or its IP allow-list refuses this server."),
            1101 or 1102 => new ProviderException(ProviderFailure.InsufficientCredits, $"{detail}. The Kling account is in arrears or its resource pack is used up."),
            1103 => new ProviderException(ProviderFailure.Misconfigured, $"{detail}. The account may not use this model: check Kling:Model."),
            1203 when taskId is not null => new ProviderException(ProviderFailure.ResultExpired, $"Kling no longer knows task {taskId}; the task is spent, generate again."),
            1202 or 1203 => new ProviderException(ProviderFailure.Misconfigured, $"{detail}. Check Kling:Model and Kling:BaseUrl."),
            // A 4xx on a GET of our own task is not the seller's input: keep the task and poll again later.
            1200 or 1201 when taskId is not null => new ProviderException(ProviderFailure.Transient, detail),
            1200 or 1201 => new ProviderException(ProviderFailure.Rejected, detail),
            1300 or 1301 => new ProviderException(ProviderFailure.Moderated, $"{detail}. Kling's content policy refused the prompt or the image."),
            1302 or 1303 => new ProviderException(ProviderFailure.RateLimited, detail, retryAfter ?? TimeSpan.FromSeconds(1)),
            >= 5000 and < 6000 => new ProviderException(ProviderFailure.Transient, detail, retryAfter),
            _ when response.IsSuccessStatusCode => new ProviderException(ProviderFailure.Transient, detail),
            _ => ProviderHttp.FailureFromStatus(response, body, Vendor, what, KeySetting, timeProvider),
        };
    }

    /// <summary>
    /// A task that ended <c>failed</c>: Kling names moderation in <c>task_status_msg</c> ("risk control", "content
    /// security"); anything else ended the paid task, so only a new one can help.
    /// </summary>
    private static ProviderException FailedTask(string taskId, string? reason)
    {
        var text = reason ?? "no reason given";
        string[] moderation = ["risk", "security", "policy", "sensitive", "moderat", "inappropriate", "风控", "敏感", "违规"];
        return moderation.Any(word => text.Contains(word, StringComparison.OrdinalIgnoreCase))
            ? new ProviderException(ProviderFailure.Moderated, $"Kling moderation stopped task {taskId}: {ProviderHttp.Truncate(text)}")
            : new ProviderException(ProviderFailure.ResultExpired, $"Kling task {taskId} failed: {ProviderHttp.Truncate(text)}; the task is spent, generate again.");
    }
}

/// <summary>What the job persists for a Kling task: its id and model, then the clip's URL once it succeeded.</summary>
internal sealed record KlingTask(string TaskId, string Model, string? VideoUrl = null)
{
    public ProviderTask ToProviderTask() => ProviderTaskState.Write(KlingVideoProvider.ProviderName, this);

    public static KlingTask From(ProviderTask task) =>
        ProviderTaskState.Read<KlingTask>(task, KlingVideoProvider.ProviderName, "Kling", "Providers:Video", state => state is { TaskId.Length: > 0, Model.Length: > 0 });
}

/// <summary>
/// The JWT of section 3.2: HS256 over <c>{"iss": AccessKey, "exp": now+1800, "nbf": now-5}</c>, signed with the
/// SecretKey. Cached and renewed a minute before it expires, so a poll never carries a token about to lapse.
/// </summary>
internal sealed class KlingToken(TimeProvider timeProvider)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(1800);
    public static readonly TimeSpan RenewBefore = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan NotBeforeSkew = TimeSpan.FromSeconds(5);

    private readonly Lock _lock = new();
    private string? _token;
    private string? _issuer;
    private DateTimeOffset _expires;

    public string Get(string accessKey, string secretKey)
    {
        var now = timeProvider.GetUtcNow();
        lock (_lock)
        {
            if (_token is null || _issuer != accessKey || now >= _expires - RenewBefore)
            {
                _expires = now + Lifetime;
                _issuer = accessKey;
                _token = Create(accessKey, secretKey, now);
            }

            return _token;
        }
    }

    internal static string Create(string accessKey, string secretKey, DateTimeOffset now)
    {
        var header = Base64Url.EncodeToString("""{"alg":"HS256","typ":"JWT"}"""u8);
        var payload = Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(new JwtPayload(
            accessKey,
            (now + Lifetime).ToUnixTimeSeconds(),
            (now - NotBeforeSkew).ToUnixTimeSeconds())));
        var signingInput = $"{header}.{payload}";
        var signature = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secretKey), Encoding.ASCII.GetBytes(signingInput));
        return $"{signingInput}.{Base64Url.EncodeToString(signature)}";
    }

    private sealed record JwtPayload(
        [property: System.Text.Json.Serialization.JsonPropertyName("iss")] string Issuer,
        [property: System.Text.Json.Serialization.JsonPropertyName("exp")] long Expires,
        [property: System.Text.Json.Serialization.JsonPropertyName("nbf")] long NotBefore);
}
