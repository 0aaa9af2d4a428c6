using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using CommerceOS.Connectors.Images;
using CommerceOS.Core.Generation;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CommerceOS.Connectors.Flux;

/// <summary>
/// FLUX through Black Forest Labs' API: submit, persist the task, poll the returned
/// <c>polling_url</c> verbatim, download <c>result.sample</c> at once (it expires in 10 minutes).
/// </summary>
public sealed class FluxImageProvider(
    IHttpClientFactory httpClientFactory,
    IOptions<FluxOptions> options,
    TimeProvider timeProvider,
    ILogger<FluxImageProvider> logger) : IImageProvider
{
    public const string ProviderName = "flux";
    internal const string ApiClientName = "CommerceOS.Flux";
    internal const string DeliveryClientName = "CommerceOS.Flux.Delivery";

    private const string Vendor = "FLUX (BFL)";
    private const string KeySetting = "Flux:ApiKey (environment variable Flux__ApiKey)";

    /// <summary>
    /// Right after a submit the task can be briefly unknown to the region we poll; a few polls of
    /// grace avoid declaring a just-paid task lost.
    /// </summary>
    private const int NotFoundGracePolls = 3;

    private FluxOptions Options => options.Value;

    public string Name => ProviderName;

    public bool SupportsBackgroundRemoval => false;

    public Task<ProviderImage> TextToImageAsync(TextToImageRequest request, CancellationToken cancellationToken)
    {
        RequirePrompt(request.Prompt);
        var (width, height) = FluxDimensions.Fit(request.Width, request.Height);
        var body = new JsonObject
        {
            ["prompt"] = request.Prompt,
            ["width"] = width,
            ["height"] = height,
            // Lossless: the local pipeline upscales, composes and encodes afterwards.
            ["output_format"] = "png",
        };
        if (request.Seed is { } seed)
        {
            body["seed"] = seed;
        }

        return RunAsync(Options.TextModel, body, request.Seed, request.Resume, request.OnSubmitted, cancellationToken);
    }

    public Task<ProviderImage> EditImageAsync(ImageEditRequest request, CancellationToken cancellationToken)
    {
        RequirePrompt(request.Prompt);
        if (request.Resume is null && ImageFormats.Sniff(request.Image) is null)
        {
            throw new ProviderException(ProviderFailure.Rejected, "The input image for a FLUX edit must be a PNG, JPEG or WebP.");
        }

        var body = new JsonObject
        {
            ["prompt"] = request.Prompt,
            // A resumed task needs no input: it is already at BFL.
            ["input_image"] = request.Resume is null ? Convert.ToBase64String(request.Image) : null,
            ["aspect_ratio"] = request.AspectRatio,
            ["output_format"] = "png",
        };
        if (request.Seed is { } seed)
        {
            body["seed"] = seed;
        }

        return RunAsync(Options.EditModel, body, request.Seed, request.Resume, request.OnSubmitted, cancellationToken);
    }

    public Task<ProviderImage> RemoveBackgroundAsync(byte[] image, ProviderTask? resume, Func<ProviderTask, CancellationToken, Task>? onSubmitted, CancellationToken cancellationToken) =>
        throw new ProviderException(
            ProviderFailure.Misconfigured,
            "FLUX (BFL) has no background-removal model: use the local cut-out, or set Providers:Images to 'fal'.");

    private async Task<ProviderImage> RunAsync(
        string model,
        JsonObject body,
        long? requestedSeed,
        ProviderTask? resume,
        Func<ProviderTask, CancellationToken, Task>? onSubmitted,
        CancellationToken cancellationToken)
    {
        FluxTask task;
        if (resume is not null)
        {
            task = FluxTask.From(resume);
            logger.LogInformation("Resuming FLUX task {TaskId} ({Model})", task.Id, task.Model);
        }
        else
        {
            task = await SubmitAsync(model, body, cancellationToken);
            logger.LogInformation("Submitted FLUX task {TaskId} to {Model}", task.Id, task.Model);
            if (onSubmitted is not null)
            {
                // Persist before the first poll, so a crash from here on resumes instead of paying twice.
                await onSubmitted(task.ToProviderTask(), cancellationToken);
            }
        }

        var api = httpClientFactory.CreateClient(ApiClientName);
        var pollingUri = ProviderHttp.VendorUrl(task.PollingUrl, Vendor, "polling_url");
        var notFound = 0;
        var ready = await ProviderHttp.PollAsync(
            ct => PollOnceAsync(api, pollingUri, task, resumed: resume is not null, () => ++notFound, ct),
            waitFirst: resume is null,
            Options,
            timeProvider,
            Vendor,
            task.Id,
            cancellationToken);

        var delivery = httpClientFactory.CreateClient(DeliveryClientName);
        var (bytes, contentType) = await ImageDownloader.DownloadAsync(delivery, ready.SampleUrl, Vendor, timeProvider, cancellationToken);
        logger.LogInformation("FLUX task {TaskId} delivered {Length} bytes ({ContentType})", task.Id, bytes.Length, contentType);
        return new ProviderImage(bytes, contentType, ProviderName, task.Model, task.Id, ready.Seed ?? requestedSeed);
    }

    private async Task<FluxTask> SubmitAsync(string model, JsonObject body, CancellationToken cancellationToken)
    {
        var client = httpClientFactory.CreateClient(ApiClientName);
        var uri = new Uri($"{Options.BaseUrl.TrimEnd('/')}/v1/{model}");
        using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = ProviderHttp.JsonBody(body.ToJsonString()) };
        AddKey(request);
        using var response = await ProviderHttp.SendAsync(client, request, Vendor, "submit", cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var error = await ProviderHttp.ReadTextAsync(response, cancellationToken);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                throw new ProviderException(ProviderFailure.Misconfigured, $"{Vendor} has no endpoint /v1/{model} (404): check Flux:TextModel / Flux:EditModel.");
            }

            throw ProviderHttp.FailureFromStatus(response, error, Vendor, "submit", KeySetting, timeProvider);
        }

        var json = await ProviderHttp.ReadJsonAsync(response, Vendor, "submit", cancellationToken);
        var id = json.GetString("id");
        var pollingUrl = json.GetString("polling_url");
        if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(pollingUrl))
        {
            throw new ProviderException(ProviderFailure.Transient, $"{Vendor} submit answered without id or polling_url.");
        }

        ProviderHttp.VendorUrl(pollingUrl, Vendor, "polling_url");
        return new FluxTask(id, pollingUrl, model);
    }

    private async Task<FluxReady?> PollOnceAsync(HttpClient api, Uri pollingUri, FluxTask task, bool resumed, Func<int> countNotFound, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, pollingUri);
        AddKey(request);
        using var response = await ProviderHttp.SendAsync(api, request, Vendor, "poll", cancellationToken);
        string status;
        JsonElement json = default;
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            status = "Task not found";
        }
        else if (!response.IsSuccessStatusCode)
        {
            var error = await ProviderHttp.ReadTextAsync(response, cancellationToken);
            var failure = ProviderHttp.FailureFromStatus(response, error, Vendor, "poll", KeySetting, timeProvider);
            // A 4xx on a GET of our own task is not the seller's input: keep the task and retry later.
            throw failure.Failure == ProviderFailure.Rejected
                ? new ProviderException(ProviderFailure.Transient, failure.Message)
                : failure;
        }
        else
        {
            json = await ProviderHttp.ReadJsonAsync(response, Vendor, "poll", cancellationToken);
            status = json.GetString("status")
                ?? throw new ProviderException(ProviderFailure.Transient, $"{Vendor} poll of task {task.Id} answered without a status.");
        }

        switch (status)
        {
            case "Ready":
                var result = json.TryGetProperty("result", out var r) ? r : default;
                var sample = result.GetString("sample")
                    ?? throw new ProviderException(ProviderFailure.Transient, $"{Vendor} task {task.Id} is Ready without result.sample.");
                return new FluxReady(sample, result.GetInt64("seed"));

            case "Request Moderated":
                throw new ProviderException(ProviderFailure.Moderated, $"{Vendor} moderation refused the request (prompt or input image) of task {task.Id}.{Details(json)}");

            case "Content Moderated":
                throw new ProviderException(ProviderFailure.Moderated, $"{Vendor} moderation refused the generated image of task {task.Id}.{Details(json)}");

            case "Error" or "Failed":
                // Terminal: polling the same task again can only repeat this. ResultExpired is the
                // retryable kind that tells the job its stored task is spent and to submit anew.
                throw new ProviderException(ProviderFailure.ResultExpired, $"{Vendor} task {task.Id} ended with '{status}'; the task is spent, generate again.{Details(json)}");

            case "Task not found":
                if (!resumed && countNotFound() <= NotFoundGracePolls)
                {
                    return null;
                }

                // A resumed task that BFL no longer knows (results are kept minutes, not days): polling
                // can never succeed, and a new submission is the job's decision (it is paid again).
                throw new ProviderException(ProviderFailure.ResultExpired, $"{Vendor} no longer knows task {task.Id}; the task is spent, generate again.");

            default:
                // "Pending" and any progress state BFL adds later; the deadline bounds the wait.
                logger.LogDebug("FLUX task {TaskId} is {Status}", task.Id, status);
                return null;
        }
    }

    private void AddKey(HttpRequestMessage request) => request.Headers.TryAddWithoutValidation("x-key", Options.ApiKey);

    private static void RequirePrompt(string prompt)
    {
        if (string.IsNullOrWhiteSpace(prompt))
        {
            throw new ProviderException(ProviderFailure.Rejected, "A FLUX request needs a prompt.");
        }
    }

    /// <summary>BFL may explain a moderation or error in <c>details</c> (shape unconfirmed): kept short.</summary>
    private static string Details(JsonElement json) =>
        json.ValueKind == JsonValueKind.Object && json.TryGetProperty("details", out var details) && details.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined)
            ? " Details: " + ProviderHttp.Truncate(details.GetRawText())
            : "";

    private sealed record FluxReady(string SampleUrl, long? Seed);
}

/// <summary>What the job persists for a submitted FLUX task (<see cref="ProviderTask.State"/>).</summary>
internal sealed record FluxTask(string Id, string PollingUrl, string Model)
{
    public ProviderTask ToProviderTask() => ProviderTaskState.Write(FluxImageProvider.ProviderName, this);

    public static FluxTask From(ProviderTask task) =>
        ProviderTaskState.Read<FluxTask>(task, FluxImageProvider.ProviderName, "FLUX", "Providers:Images", state => state is { Id.Length: > 0, PollingUrl.Length: > 0, Model.Length: > 0 });
}
