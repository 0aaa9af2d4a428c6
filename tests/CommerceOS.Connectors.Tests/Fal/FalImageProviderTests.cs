using System.Text.Json;
using CommerceOS.Connectors.Tests.Support;
using CommerceOS.Core.Generation;

namespace CommerceOS.Connectors.Tests.Fal;

public sealed class FalImageProviderTests : IAsyncLifetime
{
    private readonly TestClock _clock = new();
    private FakeFalServer _fake = null!;

    public async ValueTask InitializeAsync() => _fake = await FakeFalServer.StartAsync(_clock);

    public async ValueTask DisposeAsync() => await _fake.DisposeAsync();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private ProviderScope Provider(Dictionary<string, string?>? settings = null) => new(Providers.Build(_clock, settings ?? Providers.Fal(_fake)));

    [Fact]
    public async Task TextToImage_SubmitsImageSize_FollowsQueueStatuses_AndDownloadsTheImage()
    {
        await using var services = Provider();

        var image = await services.Provider.TextToImageAsync(new TextToImageRequest("a linen shirt on a hanger", 800, 1000), Ct);

        var (model, body, requestTimeout) = Assert.Single(_fake.Submits);
        Assert.Equal("fal-ai/flux-pro/v1.1", model);
        Assert.Equal("a linen shirt on a hanger", body["prompt"]!.GetValue<string>());
        Assert.Equal(800, body["image_size"]!["width"]!.GetValue<int>());
        Assert.Equal(992, body["image_size"]!["height"]!.GetValue<int>()); // 1000 rounded to a multiple of 32
        Assert.Equal("png", body["output_format"]!.GetValue<string>());
        Assert.Equal("300", requestTimeout); // X-Fal-Request-Timeout = the 5 min polling deadline

        Assert.Equal(["IN_QUEUE", "IN_PROGRESS", "COMPLETED"], _fake.StatusesServed);
        Assert.Equal(_fake.ResultImage, image.Bytes);
        Assert.Equal("image/png", image.ContentType);
        Assert.Equal("fal", image.Provider);
        Assert.Equal("fal-ai/flux-pro/v1.1", image.Model);
        Assert.Equal(987654321, image.Seed);
        Assert.Equal(0, _fake.FileDownloadsCarryingKey);
    }

    [Fact]
    public async Task EditImage_SendsTheInputAsADataUri_AndUsesTheReturnedOwnerAppUrls()
    {
        await using var services = Provider();
        var input = TestPng.Create(16, 16);

        var image = await services.Provider.EditImageAsync(new ImageEditRequest(input, "studio backdrop", "1:1", Seed: 7), Ct);

        var (model, body, _) = Assert.Single(_fake.Submits);
        Assert.Equal("fal-ai/flux-pro/kontext", model);
        var dataUri = body["image_url"]!.GetValue<string>();
        Assert.StartsWith("data:image/png;base64,", dataUri, StringComparison.Ordinal);
        Assert.Equal(input, Convert.FromBase64String(dataUri["data:image/png;base64,".Length..]));
        Assert.Equal("1:1", body["aspect_ratio"]!.GetValue<string>());
        Assert.Equal(7, body["seed"]!.GetValue<long>());
        Assert.Equal(7, image.Seed);
        Assert.Equal("fal-ai/flux-pro/kontext", image.Model);
    }

    [Fact]
    public async Task RemoveBackground_ReturnsThePngWithAlpha()
    {
        await using var services = Provider();
        Assert.True(services.Provider.SupportsBackgroundRemoval);

        var image = await services.Provider.RemoveBackgroundAsync(TestPng.Create(40, 40), null, null, Ct);

        var (model, body, _) = Assert.Single(_fake.Submits);
        Assert.Equal("fal-ai/birefnet/v2", model);
        Assert.StartsWith("data:image/png;base64,", body["image_url"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(_fake.CutOutImage, image.Bytes);
        Assert.Equal("image/png", image.ContentType);
        var (width, height, colourType) = TestPng.ReadHeader(image.Bytes);
        Assert.Equal((40, 40, (byte)6), (width, height, colourType)); // RGBA
        Assert.Null(image.Seed);
    }

    [Fact]
    public async Task OnSubmitted_BeforeFirstPoll_ThenResume_SkipsSubmit()
    {
        await using var services = Provider();
        ProviderTask? persisted = null;

        var first = await services.Provider.TextToImageAsync(new TextToImageRequest("shirt", 512, 512, OnSubmitted: (task, _) =>
        {
            _fake.Events.Enqueue("persisted");
            persisted = task;
            return Task.CompletedTask;
        }), Ct);
        Assert.Equal(["submit", "persisted", "poll"], _fake.Events.Take(3));
        Assert.NotNull(persisted);
        Assert.Equal("fal", persisted.Provider);
        using (var state = JsonDocument.Parse(persisted.State))
        {
            Assert.Equal(first.TaskId, state.RootElement.GetProperty("requestId").GetString());
            Assert.EndsWith("/fal-ai/flux-pro/requests/" + first.TaskId + "/status", state.RootElement.GetProperty("statusUrl").GetString(), StringComparison.Ordinal);
        }

        var resumed = await services.Provider.TextToImageAsync(new TextToImageRequest("shirt", 512, 512, Resume: persisted), Ct);

        Assert.Single(_fake.Submits);
        Assert.Equal(first.TaskId, resumed.TaskId);
        Assert.Equal(_fake.ResultImage, resumed.Bytes);
    }

    [Fact]
    public async Task NeverCompletes_IsTimeout()
    {
        _fake.Outcome = FalOutcome.NeverCompletes;
        await using var services = Provider(Providers.Fal(_fake).With("Fal:Timeout", "00:00:15"));

        var error = await Assert.ThrowsAsync<ProviderException>(() => services.Provider.TextToImageAsync(new TextToImageRequest("shirt", 512, 512), Ct));

        Assert.Equal(ProviderFailure.Timeout, error.Failure);
        Assert.Equal("15", Assert.Single(_fake.Submits).RequestTimeout);
        Assert.All(_fake.StatusesServed, status => Assert.Equal("IN_QUEUE", status));
    }

    [Fact]
    public async Task ContentPolicyViolation_IsModerated()
    {
        _fake.Outcome = FalOutcome.ContentPolicyViolation;
        await using var services = Provider();

        var error = await Assert.ThrowsAsync<ProviderException>(() => services.Provider.TextToImageAsync(new TextToImageRequest("shirt", 512, 512), Ct));

        Assert.Equal(ProviderFailure.Moderated, error.Failure);
        Assert.False(error.IsRetryable);
    }

    [Fact]
    public async Task NsfwFlag_IsModerated_WithoutDownloading()
    {
        _fake.Outcome = FalOutcome.NsfwFlagged;
        await using var services = Provider();

        var error = await Assert.ThrowsAsync<ProviderException>(() => services.Provider.TextToImageAsync(new TextToImageRequest("shirt", 512, 512), Ct));

        Assert.Equal(ProviderFailure.Moderated, error.Failure);
        Assert.DoesNotContain("download", _fake.Events);
    }

    [Fact]
    public async Task ValidationError_IsRejected_WithTheDetail_ButNotTheEchoedInput()
    {
        _fake.Outcome = FalOutcome.ValidationError;
        await using var services = Provider();

        var error = await Assert.ThrowsAsync<ProviderException>(() => services.Provider.EditImageAsync(new ImageEditRequest(TestPng.Create(8, 8), "beach", "5:1"), Ct));

        Assert.Equal(ProviderFailure.Rejected, error.Failure);
        Assert.Contains("body.aspect_ratio: Input should be", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRETBYTES", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrongKey_IsMisconfigured()
    {
        await using var services = Provider(Providers.Fal(_fake, key: "other:key"));

        var error = await Assert.ThrowsAsync<ProviderException>(() => services.Provider.TextToImageAsync(new TextToImageRequest("shirt", 512, 512), Ct));

        Assert.Equal(ProviderFailure.Misconfigured, error.Failure);
        Assert.Contains("Fal:ApiKey", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PersistentRateLimit_IsRateLimited_WithRetryAfter()
    {
        _fake.AlwaysOnSubmit = Faults.RateLimitedSeconds(3);
        await using var services = Provider();

        var error = await Assert.ThrowsAsync<ProviderException>(() => services.Provider.TextToImageAsync(new TextToImageRequest("shirt", 512, 512), Ct));

        Assert.Equal(ProviderFailure.RateLimited, error.Failure);
        Assert.Equal(TimeSpan.FromSeconds(3), error.RetryAfter);
        Assert.Equal(4, _fake.Submits.Count);
    }

    [Fact]
    public async Task ServerErrorOnStatus_IsRetried_ThenSucceeds()
    {
        _fake.StatusFaults.Enqueue(Faults.Status(503));
        await using var services = Provider();

        var image = await services.Provider.TextToImageAsync(new TextToImageRequest("shirt", 512, 512), Ct);

        Assert.Equal(_fake.ResultImage, image.Bytes);
        Assert.Equal(4, _fake.Events.Count(e => e == "poll"));
    }

    [Fact]
    public async Task ServerErrorOnSubmit_IsNotRetried_AndIsTransient()
    {
        _fake.SubmitFaults.Enqueue(Faults.Status(500));
        await using var services = Provider();

        var error = await Assert.ThrowsAsync<ProviderException>(() => services.Provider.TextToImageAsync(new TextToImageRequest("shirt", 512, 512), Ct));

        Assert.Equal(ProviderFailure.Transient, error.Failure);
        Assert.Single(_fake.Submits);
    }

    [Fact]
    public async Task ModelErrorMarkedNotRetryable_IsRejected_WithoutRetries()
    {
        _fake.AlwaysOnResult = Faults.Status(500, """{"detail":"Model failed to load image"}""", ("X-Fal-Retryable", "false"));
        await using var services = Provider();

        var error = await Assert.ThrowsAsync<ProviderException>(() => services.Provider.TextToImageAsync(new TextToImageRequest("shirt", 512, 512), Ct));

        Assert.Equal(ProviderFailure.Rejected, error.Failure);
        Assert.Single(_fake.Events, e => e == "result");
    }

    [Fact]
    public async Task ModelErrorMarkedNeedsRetry_MeansSubmitAgain_ResultExpired()
    {
        _fake.AlwaysOnResult = Faults.Status(422, """{"detail":[{"msg":"runner disconnected","type":"runner_error"}]}""", ("X-Fal-Needs-Retry", "1"));
        await using var services = Provider();

        var error = await Assert.ThrowsAsync<ProviderException>(() => services.Provider.TextToImageAsync(new TextToImageRequest("shirt", 512, 512), Ct));

        Assert.Equal(ProviderFailure.ResultExpired, error.Failure);
        Assert.True(error.IsRetryable);
    }

    [Fact]
    public async Task ExpiredImageUrl_IsResultExpired()
    {
        _fake.FileTtl = TimeSpan.Zero;
        await using var services = Provider();

        var error = await Assert.ThrowsAsync<ProviderException>(() => services.Provider.TextToImageAsync(new TextToImageRequest("shirt", 512, 512), Ct));

        Assert.Equal(ProviderFailure.ResultExpired, error.Failure);
    }

    [Fact]
    public async Task MalformedJsonOnSubmit_IsTransient()
    {
        _fake.SubmitFaults.Enqueue(Faults.MalformedJson());
        await using var services = Provider();

        var error = await Assert.ThrowsAsync<ProviderException>(() => services.Provider.TextToImageAsync(new TextToImageRequest("shirt", 512, 512), Ct));

        Assert.Equal(ProviderFailure.Transient, error.Failure);
    }
}
