using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using CommerceOS.Connectors.Images;
using CommerceOS.Core.Generation;
using CommerceOS.Core.Video;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CommerceOS.Connectors.Video;

/// <summary>
/// Veo on the Gemini API (external-apis.md section 4): <c>POST {BaseUrl}/models/{model}:predictLongRunning</c> starts a
/// long-running operation, one <c>GET {BaseUrl}/{operation.name}</c> per poll, and the clip is fetched from
/// <c>video.uri</c> with the key (or decoded from <c>encodedVideo</c>). Google keeps the files about two days.
/// </summary>
public sealed class VeoVideoProvider(
    IHttpClientFactory httpClientFactory,
    IOptions<VeoOptions> options,
    TimeProvider timeProvider,
    ILogger<VeoVideoProvider> logger) : IVideoProvider
{
    public const string ProviderName = "veo";
    internal const string ApiClientName = "CommerceOS.Veo";
    internal const string DeliveryClientName = "CommerceOS.Veo.Delivery";

    private const string Vendor = "Veo";
    private const string KeySetting = "Veo:ApiKey (environment variable Veo__ApiKey)";
    private const string KeyHeader = "x-goog-api-key";

    private VeoOptions Options => options.Value;

    public string Name => ProviderName;

    public TimeSpan PollInterval => Options.PollInterval;

    public TimeSpan Timeout => Options.Timeout;

    public async Task<ProviderTask> SubmitAsync(VideoGenerationRequest request, CancellationToken cancellationToken)
    {
        var contentType = VideoRequests.RequireImage(request, Vendor);
        var model = Options.Model;
        var parameters = new JsonObject
        {
            // Section 4.2: only 16:9 and 9:16; a square clip is conformed from the nearest.
            ["aspectRatio"] = VideoRequests.LandscapeOrPortrait(request.AspectRatio),
            ["durationSeconds"] = VideoRequests.Nearest(request.DurationSeconds, 4, 6, 8),
            ["sampleCount"] = 1,
            ["resolution"] = Options.Resolution,
        };
        if (!string.IsNullOrWhiteSpace(request.NegativePrompt))
        {
            parameters["negativePrompt"] = request.NegativePrompt;
        }

        var body = new JsonObject
        {
            ["instances"] = new JsonArray(new JsonObject
            {
                ["prompt"] = request.Prompt,
                ["image"] = new JsonObject { ["bytesBase64Encoded"] = Convert.ToBase64String(request.Image), ["mimeType"] = contentType },
            }),
            ["parameters"] = parameters,
        };

        using var message = new HttpRequestMessage(HttpMethod.Post, Endpoint($"models/{model}:predictLongRunning")) { Content = ProviderHttp.JsonBody(body.ToJsonString()) };
        AddKey(message);
        var operation = await SendAsync(message, "submit", operation: null, cancellationToken);
        var name = operation.GetString("name");
        if (!RemoteProviderOptions.IsModelId(name))
        {
            // The name becomes the poll URL's path: anything but plain segments is refused.
            throw new ProviderException(ProviderFailure.Transient, "Veo submit answered without a usable operation name.");
        }

        logger.LogInformation("Submitted Veo operation {Operation}", name);
        return new VeoTask(name!, model).ToProviderTask();
    }

    public async Task<VideoPoll> PollAsync(ProviderTask task, CancellationToken cancellationToken)
    {
        var state = VeoTask.From(task);
        if (state.VideoUri is not null || state.Inline)
        {
            return new VideoPoll(true, task);
        }

        var operation = await GetOperationAsync(state, cancellationToken);
        if (!(operation.TryGetProperty("done", out var done) && done.ValueKind == JsonValueKind.True))
        {
            return new VideoPoll(false, task);
        }

        if (operation.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
        {
            throw FailedOperation(state, error);
        }

        var sample = FirstSample(operation, state);
        var uri = sample.TryGetProperty("video", out var video) ? video.GetString("uri") : null;
        if (uri is not null)
        {
            ProviderHttp.VendorUrl(uri, Vendor, "video.uri");
            return new VideoPoll(true, (state with { VideoUri = uri }).ToProviderTask());
        }

        if (video.ValueKind == JsonValueKind.Object && video.GetString("encodedVideo") is { Length: > 0 })
        {
            // The bytes stay with Google's operation and are fetched again on download: a task state holds ids only.
            return new VideoPoll(true, (state with { Inline = true }).ToProviderTask());
        }

        throw new ProviderException(ProviderFailure.ResultExpired, $"Veo operation {state.Operation} finished with a sample without video; generate again.");
    }

    public async Task<ProviderVideo> DownloadAsync(ProviderTask task, string destinationPath, CancellationToken cancellationToken)
    {
        var state = VeoTask.From(task);
        long bytes;
        if (state.Inline)
        {
            var operation = await GetOperationAsync(state, cancellationToken);
            var encoded = FirstSample(operation, state).TryGetProperty("video", out var video) ? video.GetString("encodedVideo") : null;
            byte[] clip;
            try
            {
                clip = Convert.FromBase64String(encoded ?? throw new ProviderException(ProviderFailure.ResultExpired, $"Veo operation {state.Operation} no longer holds its video; generate again."));
            }
            catch (FormatException ex)
            {
                throw new ProviderException(ProviderFailure.Transient, "Veo returned encodedVideo that is not base64.", inner: ex);
            }

            bytes = await VideoDownloader.SaveBytesAsync(clip, destinationPath, Vendor, cancellationToken);
        }
        else
        {
            var uri = ProviderHttp.VendorUrl(
                state.VideoUri ?? throw new ProviderException(ProviderFailure.Misconfigured, $"Veo operation {state.Operation} is not finished; poll it until done first."),
                Vendor,
                "video.uri");
            var delivery = httpClientFactory.CreateClient(DeliveryClientName);
            if (SameOrigin(uri, Endpoint("")))
            {
                // Section 4.3: the files endpoint wants the key; it may redirect to storage, which must not see it.
                bytes = await VideoDownloader.DownloadWithKeyAsync(
                    httpClientFactory.CreateClient(ApiClientName),
                    delivery,
                    () =>
                    {
                        var request = new HttpRequestMessage(HttpMethod.Get, uri);
                        AddKey(request);
                        return request;
                    },
                    destinationPath,
                    Vendor,
                    Options.Timeout,
                    timeProvider,
                    cancellationToken);
            }
            else
            {
                bytes = await VideoDownloader.DownloadAsync(delivery, uri, destinationPath, Vendor, Options.Timeout, timeProvider, cancellationToken);
            }
        }

        logger.LogInformation("Veo operation {Operation} delivered {Length} bytes", state.Operation, bytes);
        return new ProviderVideo(destinationPath, bytes, "video/mp4", ProviderName, state.Model, state.Operation);
    }

    private Uri Endpoint(string path) => new($"{Options.BaseUrl.TrimEnd('/')}/{path}");

    private static bool SameOrigin(Uri a, Uri b) =>
        string.Equals(a.Scheme, b.Scheme, StringComparison.OrdinalIgnoreCase) && string.Equals(a.Host, b.Host, StringComparison.OrdinalIgnoreCase) && a.Port == b.Port;

    private void AddKey(HttpRequestMessage message) => message.Headers.TryAddWithoutValidation(KeyHeader, Options.ApiKey);

    private async Task<JsonElement> GetOperationAsync(VeoTask state, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(HttpMethod.Get, Endpoint(state.Operation));
        AddKey(message);
        return await SendAsync(message, "poll", state.Operation, cancellationToken);
    }

    /// <param name="operation">Set for a poll: an operation Google no longer knows is spent, not a retired model.</param>
    private async Task<JsonElement> SendAsync(HttpRequestMessage message, string what, string? operation, CancellationToken cancellationToken)
    {
        var client = httpClientFactory.CreateClient(ApiClientName);
        using var response = await ProviderHttp.SendAsync(client, message, Vendor, what, cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            return await ProviderHttp.ReadJsonAsync(response, Vendor, what, cancellationToken);
        }

        var body = await ProviderHttp.ReadTextAsync(response, cancellationToken);
        var detail = ProviderHttp.ErrorDetail(body);
        switch (response.StatusCode)
        {
            case HttpStatusCode.NotFound when operation is not null:
                throw new ProviderException(ProviderFailure.ResultExpired, $"Veo no longer knows operation {operation}; the task is spent, generate again.");
            case HttpStatusCode.NotFound:
                // Section 4.5: a retired model answers 404 "no longer available".
                throw new ProviderException(ProviderFailure.Misconfigured, $"Veo has no model '{Options.Model}' (404: {detail}): set Veo:Model to a current model.");
            case HttpStatusCode.TooManyRequests:
                // RESOURCE_EXHAUSTED: the per-minute or per-day quota (section 4.4).
                throw new ProviderException(ProviderFailure.RateLimited, $"Veo quota exhausted ({what}, 429): {detail}", ProviderHttp.RetryAfter(response, timeProvider) ?? RetryDelay(body));
            case HttpStatusCode.BadRequest when operation is not null:
                throw new ProviderException(ProviderFailure.Transient, $"Veo poll answered 400: {detail}");
            default:
                throw ProviderHttp.FailureFromStatus(response, body, Vendor, what, KeySetting, timeProvider);
        }
    }

    private static JsonElement FirstSample(JsonElement operation, VeoTask state)
    {
        var result = operation.TryGetProperty("response", out var response) && response.TryGetProperty("generateVideoResponse", out var generated) ? generated : default;
        if (result.ValueKind == JsonValueKind.Object && result.TryGetProperty("generatedSamples", out var samples)
            && samples.ValueKind == JsonValueKind.Array && samples.GetArrayLength() > 0)
        {
            return samples[0];
        }

        // Section 4.3: done without samples and with raiMediaFilteredReasons is Google's safety filter.
        var reasons = result.ValueKind == JsonValueKind.Object && result.TryGetProperty("raiMediaFilteredReasons", out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().Select(r => r.ToString()).Where(r => r.Length > 0).ToList()
            : [];
        if (reasons.Count > 0 || (result.GetInt64("raiMediaFilteredCount") ?? 0) > 0)
        {
            throw new ProviderException(ProviderFailure.Moderated, $"Veo's safety filter removed the video of operation {state.Operation}: {ProviderHttp.Truncate(string.Join("; ", reasons))}");
        }

        throw new ProviderException(ProviderFailure.ResultExpired, $"Veo operation {state.Operation} finished without a video; generate again.");
    }

    /// <summary>
    /// A finished operation's <c>error</c> ends the paid task: an invalid request is the input's fault, a key problem is
    /// ours, and anything else (quota, internal) can only be helped by generating again.
    /// </summary>
    private static ProviderException FailedOperation(VeoTask state, JsonElement error)
    {
        var code = error.GetInt64("code");
        var message = ProviderHttp.Truncate(error.GetString("message") ?? "no message");
        var detail = $"Veo operation {state.Operation} failed ({error.GetString("status") ?? code?.ToString(CultureInfo.InvariantCulture)}): {message}";
        return code switch
        {
            400 when message.Contains("safety", StringComparison.OrdinalIgnoreCase) || message.Contains("responsible AI", StringComparison.OrdinalIgnoreCase)
                => new ProviderException(ProviderFailure.Moderated, detail),
            400 => new ProviderException(ProviderFailure.Rejected, detail),
            401 or 403 => new ProviderException(ProviderFailure.Misconfigured, $"{detail}. Check {KeySetting}."),
            _ => new ProviderException(ProviderFailure.ResultExpired, $"{detail}; the task is spent, generate again."),
        };
    }

    /// <summary>Google's <c>RetryInfo.retryDelay</c> ("32s") in a 429's <c>error.details</c>.</summary>
    private static TimeSpan? RetryDelay(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("error", out var error)
                && error.ValueKind == JsonValueKind.Object && error.TryGetProperty("details", out var details) && details.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in details.EnumerateArray())
                {
                    if (item.GetString("retryDelay") is { } delay && delay.EndsWith('s')
                        && double.TryParse(delay.AsSpan(0, delay.Length - 1), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0)
                    {
                        return TimeSpan.FromSeconds(seconds);
                    }
                }
            }
        }
        catch (JsonException)
        {
        }

        return null;
    }
}

/// <summary>What the job persists for a Veo operation: its name and model, then where the finished clip is.</summary>
/// <param name="Inline">The clip came as <c>encodedVideo</c> and is read from the operation again on download.</param>
internal sealed record VeoTask(string Operation, string Model, string? VideoUri = null, bool Inline = false)
{
    public ProviderTask ToProviderTask() => ProviderTaskState.Write(VeoVideoProvider.ProviderName, this);

    public static VeoTask From(ProviderTask task) =>
        ProviderTaskState.Read<VeoTask>(task, VeoVideoProvider.ProviderName, "Veo", "Providers:Video", state => RemoteProviderOptions.IsModelId(state.Operation) && state.Model is { Length: > 0 });
}
