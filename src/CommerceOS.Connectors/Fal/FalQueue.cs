using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using CommerceOS.Connectors.Images;
using CommerceOS.Core.Generation;
using Microsoft.Extensions.Logging;

namespace CommerceOS.Connectors.Fal;

/// <summary>
/// fal's queue (external-apis.md section 2.2) for images and video alike: submit to <c>{QueueBaseUrl}/{model}</c>, one
/// status request at a time on the returned <c>status_url</c> (202 while queued or running, 200 when completed), then
/// the returned <c>response_url</c>. Status and result URLs drop the model's sub-path, so they are always taken from
/// the submit answer, never rebuilt.
/// </summary>
internal sealed class FalQueue(HttpClient api, FalOptions options, TimeProvider timeProvider, ILogger logger)
{
    public const string Vendor = "fal";
    private const string KeySetting = "Fal:ApiKey (environment variable Fal__ApiKey)";

    /// <param name="requestTimeout">
    /// Sent as <c>X-Fal-Request-Timeout</c> (section 2.3): fal gives up on a request that has not started by then,
    /// instead of running it after we stopped polling.
    /// </param>
    /// <param name="modelSettings">The setting(s) to name when fal does not know the model.</param>
    public async Task<FalTask> SubmitAsync(string model, JsonObject body, TimeSpan requestTimeout, string modelSettings, CancellationToken cancellationToken)
    {
        var uri = new Uri($"{options.QueueBaseUrl.TrimEnd('/')}/{model}");
        using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = ProviderHttp.JsonBody(body.ToJsonString()) };
        AddKey(request);
        request.Headers.TryAddWithoutValidation(
            "X-Fal-Request-Timeout",
            Math.Max(1, (long)Math.Ceiling(requestTimeout.TotalSeconds)).ToString(CultureInfo.InvariantCulture));
        using var response = await ProviderHttp.SendAsync(api, request, Vendor, "submit", cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var error = await ProviderHttp.ReadTextAsync(response, cancellationToken);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                throw new ProviderException(ProviderFailure.Misconfigured, $"fal has no model '{model}' (404): check {modelSettings}.");
            }

            throw MapError(response, error, "submit", spentIfRetryable: false, requestTimeout);
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
        logger.LogInformation("Submitted fal request {RequestId} to {Model}", requestId, model);
        return new FalTask(requestId, statusUrl, responseUrl, model);
    }

    /// <summary>One status request: true once the request is <c>COMPLETED</c>.</summary>
    public async Task<bool> IsCompletedAsync(FalTask task, CancellationToken cancellationToken)
    {
        var statusUri = ProviderHttp.VendorUrl(task.StatusUrl, Vendor, "status_url");
        using var request = new HttpRequestMessage(HttpMethod.Get, statusUri);
        AddKey(request);
        using var response = await ProviderHttp.SendAsync(api, request, Vendor, "status", cancellationToken);
        if (response.StatusCode == HttpStatusCode.Accepted)
        {
            // IN_QUEUE or IN_PROGRESS; the body is informative only.
            return false;
        }

        if (response.StatusCode == HttpStatusCode.OK)
        {
            var json = await ProviderHttp.ReadJsonAsync(response, Vendor, "status", cancellationToken);
            var status = json.GetString("status");
            logger.LogDebug("fal request {RequestId} is {Status}", task.RequestId, status);
            return string.Equals(status, "COMPLETED", StringComparison.Ordinal);
        }

        var error = await ProviderHttp.ReadTextAsync(response, cancellationToken);
        if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Gone)
        {
            throw new ProviderException(ProviderFailure.ResultExpired, $"fal no longer knows request {task.RequestId}; the task is spent, generate again.");
        }

        var failure = MapError(response, error, "status", spentIfRetryable: false, null);
        // A 4xx on a GET of our own request is not the seller's input: keep the task and retry later.
        throw failure.Failure == ProviderFailure.Rejected ? new ProviderException(ProviderFailure.Transient, failure.Message) : failure;
    }

    /// <summary>The model's output of a completed request; the model's own error (moderation, validation) is thrown.</summary>
    public async Task<JsonElement> FetchResultAsync(FalTask task, CancellationToken cancellationToken)
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
        throw MapError(response, error, "result", spentIfRetryable: true, null);
    }

    /// <param name="spentIfRetryable">
    /// For a finished request, "retry" from fal means submitting it again: that is
    /// <see cref="ProviderFailure.ResultExpired"/> (the stored task is spent), not a re-poll.
    /// </param>
    private ProviderException MapError(HttpResponseMessage response, string body, string what, bool spentIfRetryable, TimeSpan? requestTimeout)
    {
        var status = (int)response.StatusCode;
        if (ProviderHttp.HasDetailType(body, "content_policy_violation"))
        {
            return new ProviderException(ProviderFailure.Moderated, $"fal content policy refused the request: {ProviderHttp.ErrorDetail(body)}");
        }

        var retryable = ProviderHttp.VendorRetryable(response);
        if (status == 504 && response.Headers.TryGetValues("X-Fal-Request-Timeout-Type", out var types) && types.Contains("user", StringComparer.OrdinalIgnoreCase))
        {
            return new ProviderException(ProviderFailure.ResultExpired, $"fal did not start the request within X-Fal-Request-Timeout ({requestTimeout}); the task is spent, generate again.");
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

    private void AddKey(HttpRequestMessage request) => request.Headers.TryAddWithoutValidation("Authorization", $"Key {options.ApiKey}");

    /// <summary>An input image as a data: URI (section 2.6); only PNG, JPEG and WebP by their magic bytes.</summary>
    public static string DataUri(byte[] image)
    {
        var contentType = ImageFormats.Sniff(image)
            ?? throw new ProviderException(ProviderFailure.Rejected, "The input image for fal must be a PNG, JPEG or WebP.");
        return $"data:{contentType};base64,{Convert.ToBase64String(image)}";
    }
}

/// <summary>
/// What the job persists for a submitted fal request (<see cref="ProviderTask.State"/>): ids and fal's own status and
/// result URLs, which carry no secret (the key travels in a header). <see cref="ResultUrl"/> is set once a video
/// request is completed.
/// </summary>
internal sealed record FalTask(string RequestId, string StatusUrl, string ResponseUrl, string Model, string? ResultUrl = null)
{
    public ProviderTask ToProviderTask() => ProviderTaskState.Write(FalQueue.Vendor, this);

    /// <param name="selectedBy">The setting that chose fal, named when the stored task belongs to another provider.</param>
    public static FalTask From(ProviderTask task, string selectedBy) =>
        ProviderTaskState.Read<FalTask>(task, FalQueue.Vendor, "fal", selectedBy, state => state is { RequestId.Length: > 0, StatusUrl.Length: > 0, ResponseUrl.Length: > 0, Model.Length: > 0 });
}
