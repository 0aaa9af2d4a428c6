using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using CommerceOS.Connectors.Images;
using CommerceOS.Core.Generation;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CommerceOS.Connectors.Fal;

/// <summary>
/// Models on fal's queue: submit to <c>{QueueBaseUrl}/{model}</c>, persist the task, poll the
/// returned <c>status_url</c> (202 while queued or running, 200 when completed), fetch the returned
/// <c>response_url</c>, then download the image at once. Status and result URLs drop the model's
/// sub-path, so they are always taken from the submit answer, never rebuilt.
/// </summary>
public sealed class FalImageProvider(
    IHttpClientFactory httpClientFactory,
    IOptions<FalOptions> options,
    TimeProvider timeProvider,
    ILogger<FalImageProvider> logger) : IImageProvider
{
    public const string ProviderName = "fal";
    internal const string ApiClientName = "CommerceOS.Fal";
    internal const string DeliveryClientName = "CommerceOS.Fal.Delivery";

    private const string Vendor = "fal";
    private const string KeySetting = "Fal:ApiKey (environment variable Fal__ApiKey)";

    private FalOptions Options => options.Value;

    public string Name => ProviderName;

    public bool SupportsBackgroundRemoval => true;

    public Task<ProviderImage> TextToImageAsync(TextToImageRequest request, CancellationToken cancellationToken)
    {
        RequirePrompt(request.Prompt);
        // The default model is FLUX1.1 [pro]: the same size rule as on BFL.
        var (width, height) = FluxDimensions.Fit(request.Width, request.Height);
        var body = new JsonObject
        {
            ["prompt"] = request.Prompt,
            ["image_size"] = new JsonObject { ["width"] = width, ["height"] = height },
            ["num_images"] = 1,
            ["output_format"] = "png",
        };
        AddSeed(body, request.Seed);
        return RunAsync(Options.TextModel, body, request.Seed, request.Resume, request.OnSubmitted, ReadImagesResult, cancellationToken);
    }

    public Task<ProviderImage> EditImageAsync(ImageEditRequest request, CancellationToken cancellationToken)
    {
        RequirePrompt(request.Prompt);
        var body = new JsonObject
        {
            ["prompt"] = request.Prompt,
            ["image_url"] = request.Resume is null ? DataUri(request.Image) : null,
            ["aspect_ratio"] = request.AspectRatio,
            ["num_images"] = 1,
            ["output_format"] = "png",
        };
        AddSeed(body, request.Seed);
        return RunAsync(Options.EditModel, body, request.Seed, request.Resume, request.OnSubmitted, ReadImagesResult, cancellationToken);
    }

    public Task<ProviderImage> RemoveBackgroundAsync(byte[] image, ProviderTask? resume, Func<ProviderTask, CancellationToken, Task>? onSubmitted, CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["image_url"] = resume is null ? DataUri(image) : null,
            ["output_format"] = "png",
        };
        return RunAsync(Options.BackgroundRemovalModel, body, null, resume, onSubmitted, ReadSingleImageResult, cancellationToken, requirePng: true);
    }

    private async Task<ProviderImage> RunAsync(
        string model,
        JsonObject body,
        long? requestedSeed,
        ProviderTask? resume,
        Func<ProviderTask, CancellationToken, Task>? onSubmitted,
        Func<JsonElement, FalTask, FalOutput> readResult,
        CancellationToken cancellationToken,
        bool requirePng = false)
    {
        FalTask task;
        if (resume is not null)
        {
            task = FalTask.From(resume);
            logger.LogInformation("Resuming fal request {RequestId} ({Model})", task.RequestId, task.Model);
        }
        else
        {
            task = await SubmitAsync(model, body, cancellationToken);
            logger.LogInformation("Submitted fal request {RequestId} to {Model}", task.RequestId, task.Model);
            if (onSubmitted is not null)
            {
                // Persist before the first poll, so a crash from here on resumes instead of paying twice.
                await onSubmitted(task.ToProviderTask(), cancellationToken);
            }
        }

        var api = httpClientFactory.CreateClient(ApiClientName);
        var statusUri = ProviderHttp.VendorUrl(task.StatusUrl, Vendor, "status_url");
        await ProviderHttp.PollAsync(
            ct => PollOnceAsync(api, statusUri, task, ct),
            waitFirst: resume is null,
            Options,
            timeProvider,
            Vendor,
            task.RequestId,
            cancellationToken);

        var output = readResult(await FetchResultAsync(api, task, cancellationToken), task);
        var delivery = httpClientFactory.CreateClient(DeliveryClientName);
        var (bytes, contentType) = await ImageDownloader.DownloadAsync(delivery, output.Url, Vendor, timeProvider, cancellationToken);
        if (requirePng && contentType != "image/png")
        {
            throw new ProviderException(ProviderFailure.Transient, $"fal {task.Model} returned {contentType}, not the PNG with alpha that was asked for.");
        }

        logger.LogInformation("fal request {RequestId} delivered {Length} bytes ({ContentType})", task.RequestId, bytes.Length, contentType);
        return new ProviderImage(bytes, contentType, ProviderName, task.Model, task.RequestId, output.Seed ?? requestedSeed);
    }

    private async Task<FalTask> SubmitAsync(string model, JsonObject body, CancellationToken cancellationToken)
    {
        var client = httpClientFactory.CreateClient(ApiClientName);
        var uri = new Uri($"{Options.QueueBaseUrl.TrimEnd('/')}/{model}");
        using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = ProviderHttp.JsonBody(body.ToJsonString()) };
        AddKey(request);
        // fal gives up on a request that has not started by then, instead of running it after we stopped polling.
        request.Headers.TryAddWithoutValidation(
            "X-Fal-Request-Timeout",
            Math.Max(1, (long)Math.Ceiling(Options.Timeout.TotalSeconds)).ToString(CultureInfo.InvariantCulture));
        using var response = await ProviderHttp.SendAsync(client, request, Vendor, "submit", cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var error = await ProviderHttp.ReadTextAsync(response, cancellationToken);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                throw new ProviderException(ProviderFailure.Misconfigured, $"fal has no model '{model}' (404): check Fal:TextModel / Fal:EditModel / Fal:BackgroundRemovalModel.");
            }

            throw MapError(response, error, "submit", spentIfRetryable: false);
        }

        var json = await ProviderHttp.ReadJsonAsync(response, Vendor, "submit", cancellationToken);
        var requestId = json.GetString("request_id");
        var statusUrl = json.GetString("status_url");
        var responseUrl = json.GetString("response_url");
        if (string.IsNullOrEmpty(requestId) || string.IsNullOrEmpty(statusUrl) || string.IsNullOrEmpty(responseUrl))
        {
            throw new ProviderException(ProviderFailure.Transient, "fal submit answered without request_id, status_url or response_url.");
        }

        ProviderHttp.VendorUrl(statusUrl, Vendor, "status_url");
        ProviderHttp.VendorUrl(responseUrl, Vendor, "response_url");
        return new FalTask(requestId, statusUrl, responseUrl, model);
    }

    private async Task<object?> PollOnceAsync(HttpClient api, Uri statusUri, FalTask task, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, statusUri);
        AddKey(request);
        using var response = await ProviderHttp.SendAsync(api, request, Vendor, "status", cancellationToken);
        if (response.StatusCode == HttpStatusCode.Accepted)
        {
            // IN_QUEUE or IN_PROGRESS; the body is informative only.
            return null;
        }

        if (response.StatusCode == HttpStatusCode.OK)
        {
            var json = await ProviderHttp.ReadJsonAsync(response, Vendor, "status", cancellationToken);
            var status = json.GetString("status");
            logger.LogDebug("fal request {RequestId} is {Status}", task.RequestId, status);
            return string.Equals(status, "COMPLETED", StringComparison.Ordinal) ? status : null;
        }

        var error = await ProviderHttp.ReadTextAsync(response, cancellationToken);
        if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Gone)
        {
            throw new ProviderException(ProviderFailure.ResultExpired, $"fal no longer knows request {task.RequestId}; the task is spent, generate again.");
        }

        var failure = MapError(response, error, "status", spentIfRetryable: false);
        // A 4xx on a GET of our own request is not the seller's input: keep the task and retry later.
        throw failure.Failure == ProviderFailure.Rejected ? new ProviderException(ProviderFailure.Transient, failure.Message) : failure;
    }

    private async Task<JsonElement> FetchResultAsync(HttpClient api, FalTask task, CancellationToken cancellationToken)
    {
        var uri = ProviderHttp.VendorUrl(task.ResponseUrl, Vendor, "response_url");
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        AddKey(request);
        using var response = await ProviderHttp.SendAsync(api, request, Vendor, "result", cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            return await ProviderHttp.ReadJsonAsync(response, Vendor, "result", cancellationToken);
        }

        var error = await ProviderHttp.ReadTextAsync(response, cancellationToken);
        if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Gone)
        {
            throw new ProviderException(ProviderFailure.ResultExpired, $"fal result of request {task.RequestId} is gone ({(int)response.StatusCode}); the task is spent, generate again.");
        }

        // The result endpoint answers with the model's own error and status.
        throw MapError(response, error, "result", spentIfRetryable: true);
    }

    /// <param name="spentIfRetryable">
    /// For a finished request, "retry" from fal means submitting it again: that is
    /// <see cref="ProviderFailure.ResultExpired"/> (the stored task is spent), not a re-poll.
    /// </param>
    private ProviderException MapError(HttpResponseMessage response, string body, string what, bool spentIfRetryable)
    {
        var status = (int)response.StatusCode;
        if (ProviderHttp.HasDetailType(body, "content_policy_violation"))
        {
            return new ProviderException(ProviderFailure.Moderated, $"fal content policy refused the request: {ProviderHttp.ErrorDetail(body)}");
        }

        var retryable = ProviderHttp.VendorRetryable(response);
        if (status == 504 && response.Headers.TryGetValues("X-Fal-Request-Timeout-Type", out var types) && types.Contains("user", StringComparer.OrdinalIgnoreCase))
        {
            return new ProviderException(ProviderFailure.ResultExpired, $"fal did not start the request within X-Fal-Request-Timeout ({Options.Timeout}); the task is spent, generate again.");
        }

        if ((status is 400 or 422 or >= 500) && retryable == true)
        {
            return spentIfRetryable
                ? new ProviderException(ProviderFailure.ResultExpired, $"fal request failed and is marked retryable ({status}): generate again. {ProviderHttp.ErrorDetail(body)}")
                : new ProviderException(ProviderFailure.Transient, $"fal {what} failed and is marked retryable ({status}): {ProviderHttp.ErrorDetail(body)}");
        }

        if (status >= 500 && retryable == false)
        {
            return new ProviderException(ProviderFailure.Rejected, $"fal {what} failed and is marked not retryable ({status}): {ProviderHttp.ErrorDetail(body)}");
        }

        return ProviderHttp.FailureFromStatus(response, body, Vendor, what, KeySetting, timeProvider);
    }

    private static FalOutput ReadImagesResult(JsonElement result, FalTask task)
    {
        if (result.TryGetProperty("has_nsfw_concepts", out var nsfw) && nsfw.ValueKind == JsonValueKind.Array
            && nsfw.EnumerateArray().Any(flag => flag.ValueKind == JsonValueKind.True))
        {
            // fal's safety checker blacks out such an image; it is a refusal, not a result.
            throw new ProviderException(ProviderFailure.Moderated, $"fal's safety checker flagged the generated image of request {task.RequestId}.");
        }

        var url = result.TryGetProperty("images", out var images) && images.ValueKind == JsonValueKind.Array && images.GetArrayLength() > 0
            ? images[0].GetString("url")
            : null;
        return new FalOutput(
            url ?? throw new ProviderException(ProviderFailure.Transient, $"fal result of request {task.RequestId} has no images[].url."),
            result.GetInt64("seed"));
    }

    private static FalOutput ReadSingleImageResult(JsonElement result, FalTask task)
    {
        var url = result.TryGetProperty("image", out var image) ? image.GetString("url") : null;
        return new FalOutput(
            url ?? throw new ProviderException(ProviderFailure.Transient, $"fal result of request {task.RequestId} has no image.url."),
            null);
    }

    private void AddKey(HttpRequestMessage request) => request.Headers.TryAddWithoutValidation("Authorization", $"Key {Options.ApiKey}");

    private static void AddSeed(JsonObject body, long? seed)
    {
        if (seed is { } value)
        {
            body["seed"] = value;
        }
    }

    private static string DataUri(byte[] image)
    {
        var contentType = ImageFormats.Sniff(image)
            ?? throw new ProviderException(ProviderFailure.Rejected, "The input image for fal must be a PNG, JPEG or WebP.");
        return $"data:{contentType};base64,{Convert.ToBase64String(image)}";
    }

    private static void RequirePrompt(string prompt)
    {
        if (string.IsNullOrWhiteSpace(prompt))
        {
            throw new ProviderException(ProviderFailure.Rejected, "A fal request needs a prompt.");
        }
    }

    private sealed record FalOutput(string Url, long? Seed);
}

/// <summary>What the job persists for a submitted fal request (<see cref="ProviderTask.State"/>).</summary>
internal sealed record FalTask(string RequestId, string StatusUrl, string ResponseUrl, string Model)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public ProviderTask ToProviderTask() => new(FalImageProvider.ProviderName, JsonSerializer.Serialize(this, Json));

    public static FalTask From(ProviderTask task)
    {
        if (!string.Equals(task.Provider, FalImageProvider.ProviderName, StringComparison.Ordinal))
        {
            throw new ProviderException(ProviderFailure.Misconfigured, $"Cannot resume a '{task.Provider}' task with the fal provider (Providers:Images changed since it was submitted).");
        }

        try
        {
            var state = JsonSerializer.Deserialize<FalTask>(task.State, Json);
            if (state is { RequestId.Length: > 0, StatusUrl.Length: > 0, ResponseUrl.Length: > 0, Model.Length: > 0 })
            {
                return state;
            }
        }
        catch (JsonException)
        {
        }

        throw new ProviderException(ProviderFailure.Misconfigured, "The stored fal task state is unreadable; it cannot be resumed.");
    }
}
