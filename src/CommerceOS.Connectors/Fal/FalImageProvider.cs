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
    public const string ProviderName = FalQueue.Vendor;
    internal const string ApiClientName = "CommerceOS.Fal";
    internal const string DeliveryClientName = "CommerceOS.Fal.Delivery";

    private const string Vendor = FalQueue.Vendor;
    private const string ModelSettings = "Fal:TextModel / Fal:EditModel / Fal:BackgroundRemovalModel";

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
            ["image_url"] = request.Resume is null ? FalQueue.DataUri(request.Image) : null,
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
            ["image_url"] = resume is null ? FalQueue.DataUri(image) : null,
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
        var queue = new FalQueue(httpClientFactory.CreateClient(ApiClientName), Options, timeProvider, logger);
        FalTask task;
        if (resume is not null)
        {
            task = FalTask.From(resume, "Providers:Images");
            logger.LogInformation("Resuming fal request {RequestId} ({Model})", task.RequestId, task.Model);
        }
        else
        {
            task = await queue.SubmitAsync(model, body, Options.Timeout, ModelSettings, cancellationToken);
            if (onSubmitted is not null)
            {
                // Persist before the first poll, so a crash from here on resumes instead of paying twice.
                await onSubmitted(task.ToProviderTask(), cancellationToken);
            }
        }

        await ProviderHttp.PollAsync(
            async ct => await queue.IsCompletedAsync(task, ct) ? task : null,
            waitFirst: resume is null,
            Options,
            timeProvider,
            Vendor,
            task.RequestId,
            cancellationToken);

        var output = readResult(await queue.FetchResultAsync(task, cancellationToken), task);
        var delivery = httpClientFactory.CreateClient(DeliveryClientName);
        var (bytes, contentType) = await ImageDownloader.DownloadAsync(delivery, output.Url, Vendor, timeProvider, cancellationToken);
        if (requirePng && contentType != "image/png")
        {
            throw new ProviderException(ProviderFailure.Transient, $"fal {task.Model} returned {contentType}, not the PNG with alpha that was asked for.");
        }

        logger.LogInformation("fal request {RequestId} delivered {Length} bytes ({ContentType})", task.RequestId, bytes.Length, contentType);
        return new ProviderImage(bytes, contentType, ProviderName, task.Model, task.RequestId, output.Seed ?? requestedSeed);
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

    private static void AddSeed(JsonObject body, long? seed)
    {
        if (seed is { } value)
        {
            body["seed"] = value;
        }
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
