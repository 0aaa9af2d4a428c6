using System.Text.Json;
using CommerceOS.Connectors.Tests.Support;
using CommerceOS.Core.Generation;

namespace CommerceOS.Connectors.Tests.Flux;

public sealed class FluxImageProviderTests : IAsyncLifetime
{
    private readonly TestClock _clock = new();
    private FakeBflServer _fake = null!;

    public async ValueTask InitializeAsync() => _fake = await FakeBflServer.StartAsync(_clock);

    public async ValueTask DisposeAsync() => await _fake.DisposeAsync();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private ProviderScope Provider(Dictionary<string, string?>? settings = null) => new(Providers.Build(_clock, settings ?? Providers.Flux(_fake)));

    [Fact]
    public async Task TextToImage_SendsDocumentedBody_PollsUntilReady_DownloadsWithoutKey()
    {
        await using var services = Provider();

        var image = await services.Provider.TextToImageAsync(new TextToImageRequest("a ceramic mug on a marble counter", 2000, 1500, Seed: 42), Ct);

        var (model, body) = Assert.Single(_fake.Submits);
        Assert.Equal("flux-pro-1.1", model);
        Assert.Equal("a ceramic mug on a marble counter", body["prompt"]!.GetValue<string>());
        // 2000x1500 scaled into 1440 keeping 4:3, each side a multiple of 32.
        Assert.Equal(1440, body["width"]!.GetValue<int>());
        Assert.Equal(1088, body["height"]!.GetValue<int>());
        Assert.Equal("png", body["output_format"]!.GetValue<string>());
        Assert.Equal(42, body["seed"]!.GetValue<long>());

        Assert.Equal(3, _fake.Polls.Count); // Pending, Pending, Ready
        Assert.Equal(_fake.SampleImage, image.Bytes);
        Assert.Equal("image/png", image.ContentType);
        Assert.Equal("flux", image.Provider);
        Assert.Equal("flux-pro-1.1", image.Model);
        Assert.Equal(42, image.Seed);
        Assert.False(string.IsNullOrEmpty(image.TaskId));
        Assert.Equal(1, _fake.Downloads);
        Assert.Equal(0, _fake.DownloadsCarryingKey);
    }

    [Fact]
    public async Task EditImage_SendsBase64InputAspectRatioAndPng_ToTheEditModel()
    {
        await using var services = Provider();
        var input = TestPng.Create(20, 30);

        var image = await services.Provider.EditImageAsync(new ImageEditRequest(input, "put the mug on a beach", "3:4"), Ct);

        var (model, body) = Assert.Single(_fake.Submits);
        Assert.Equal("flux-kontext-pro", model);
        Assert.Equal("put the mug on a beach", body["prompt"]!.GetValue<string>());
        Assert.Equal(input, Convert.FromBase64String(body["input_image"]!.GetValue<string>()));
        Assert.Equal("3:4", body["aspect_ratio"]!.GetValue<string>());
        Assert.Equal("png", body["output_format"]!.GetValue<string>());
        Assert.False(body.ContainsKey("seed"));
        Assert.Equal("flux-kontext-pro", image.Model);
        Assert.Equal(1234567, image.Seed); // the seed BFL reports when we sent none
    }

    [Fact]
    public async Task PollingUrl_OnAnotherHostAndPath_IsFollowedVerbatim()
    {
        _fake.PollOnOtherHost = true;
        await using var services = Provider();

        await services.Provider.TextToImageAsync(new TextToImageRequest("mug", 1024, 1024), Ct);

        Assert.NotEmpty(_fake.Polls);
        Assert.All(_fake.Polls, poll =>
        {
            Assert.Equal("localhost", poll.Host);
            Assert.Equal("/us1/v1/get_result", poll.Path);
        });
    }

    [Fact]
    public async Task OnSubmitted_RunsAfterSubmitAndBeforeTheFirstPoll_WithTheTaskToResume()
    {
        await using var services = Provider();
        ProviderTask? persisted = null;

        var image = await services.Provider.TextToImageAsync(
            new TextToImageRequest("mug", 512, 512, OnSubmitted: (task, _) =>
            {
                _fake.Events.Enqueue("persisted");
                persisted = task;
                return Task.CompletedTask;
            }),
            Ct);

        Assert.Equal(["submit", "persisted", "poll"], _fake.Events.Take(3));
        Assert.NotNull(persisted);
        Assert.Equal("flux", persisted.Provider);
        using var state = JsonDocument.Parse(persisted.State);
        Assert.Equal(image.TaskId, state.RootElement.GetProperty("id").GetString());
        Assert.Contains("/v1/get_result?id=" + image.TaskId, state.RootElement.GetProperty("pollingUrl").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Timeout_ThenResume_PollsTheSameTaskWithoutSubmittingAgain()
    {
        _fake.Outcome = BflOutcome.NeverReady;
        _fake.PendingPolls = 0; // once switched to Ready, the very next poll finds the sample
        await using var services = Provider(Providers.Flux(_fake).With("Flux:Timeout", "00:00:20"));
        ProviderTask? persisted = null;

        var timeout = await Assert.ThrowsAsync<ProviderException>(() => services.Provider.TextToImageAsync(
            new TextToImageRequest("mug", 512, 512, OnSubmitted: (task, _) => Task.FromResult(persisted = task)), Ct));
        Assert.Equal(ProviderFailure.Timeout, timeout.Failure);
        Assert.True(timeout.IsRetryable);
        var pollsBeforeResume = _fake.Polls.Count;
        Assert.InRange(pollsBeforeResume, 1, 15); // at most 20 s / 1.5 s polls, fewer on a busy machine

        _fake.Outcome = BflOutcome.Ready;
        var image = await services.Provider.TextToImageAsync(new TextToImageRequest("mug", 512, 512, Resume: persisted), Ct);

        Assert.Single(_fake.Submits);
        Assert.Equal(pollsBeforeResume + 1, _fake.Polls.Count); // a resumed task is polled at once
        Assert.Equal(JsonDocument.Parse(persisted!.State).RootElement.GetProperty("id").GetString(), image.TaskId);
    }

    [Fact]
    public async Task Resume_OfATaskBflNoLongerKnows_IsResultExpired_AndNeverResubmits()
    {
        await using var services = Provider();
        var stale = new ProviderTask("flux", JsonSerializer.Serialize(new { id = "gone", pollingUrl = _fake.BaseUrl + "/v1/get_result?id=gone", model = "flux-pro-1.1" }));

        var error = await Assert.ThrowsAsync<ProviderException>(() => services.Provider.TextToImageAsync(new TextToImageRequest("mug", 512, 512, Resume: stale), Ct));

        Assert.Equal(ProviderFailure.ResultExpired, error.Failure);
        Assert.Empty(_fake.Submits);
    }

    [Fact]
    public async Task Resume_OfAnotherProvidersTask_IsMisconfigured()
    {
        await using var services = Provider();

        var error = await Assert.ThrowsAsync<ProviderException>(() => services.Provider.TextToImageAsync(
            new TextToImageRequest("mug", 512, 512, Resume: new ProviderTask("fal", "{}")), Ct));

        Assert.Equal(ProviderFailure.Misconfigured, error.Failure);
    }

    [Fact]
    public async Task SubmitRateLimited_WithRetryAfterSeconds_WaitsThatLong_ThenSucceeds()
    {
        _fake.SubmitFaults.Enqueue(Faults.RateLimitedSeconds(4));
        await using var services = Provider();

        await services.Provider.TextToImageAsync(new TextToImageRequest("mug", 512, 512), Ct);

        Assert.Equal(2, _fake.Submits.Count); // a 429 created nothing, so the submit may go again
        Assert.Contains(TimeSpan.FromSeconds(4), _clock.RequestedWaits);
    }

    [Fact]
    public async Task PollRateLimited_WithRetryAfterDate_WaitsUntilThatDate_ThenSucceeds()
    {
        _fake.PollFaults.Enqueue(Faults.RateLimitedUntil(_clock, TimeSpan.FromSeconds(25)));
        await using var services = Provider();

        await services.Provider.TextToImageAsync(new TextToImageRequest("mug", 512, 512), Ct);

        // An HTTP date has whole seconds: the wait is 24-25 s less the time the answer travelled
        // (milliseconds, but the test clock runs 100x).
        Assert.Contains(_clock.RequestedWaits, wait => wait > TimeSpan.FromSeconds(15) && wait <= TimeSpan.FromSeconds(25));
    }

    [Fact]
    public async Task PersistentRateLimit_IsRateLimited_WithTheVendorsRetryAfter()
    {
        _fake.AlwaysOnSubmit = Faults.RateLimitedSeconds(4);
        await using var services = Provider();

        var error = await Assert.ThrowsAsync<ProviderException>(() => services.Provider.TextToImageAsync(new TextToImageRequest("mug", 512, 512), Ct));

        Assert.Equal(ProviderFailure.RateLimited, error.Failure);
        Assert.Equal(TimeSpan.FromSeconds(4), error.RetryAfter);
        Assert.Equal(4, _fake.Submits.Count); // first try + 3 retries
    }

    [Fact]
    public async Task RetryAfterLongerThanMaxRetryAfter_IsNotSleptInTheWorker()
    {
        _fake.AlwaysOnSubmit = Faults.RateLimitedSeconds(120);
        await using var services = Provider();

        var error = await Assert.ThrowsAsync<ProviderException>(() => services.Provider.TextToImageAsync(new TextToImageRequest("mug", 512, 512), Ct));

        Assert.Equal(ProviderFailure.RateLimited, error.Failure);
        Assert.Equal(TimeSpan.FromSeconds(120), error.RetryAfter);
        Assert.Single(_fake.Submits);
    }

    [Fact]
    public async Task ServerErrorsOnPoll_AreRetried_ThenSucceed()
    {
        _fake.PollFaults.Enqueue(Faults.Status(502));
        _fake.PollFaults.Enqueue(Faults.Status(503));
        await using var services = Provider();

        var image = await services.Provider.TextToImageAsync(new TextToImageRequest("mug", 512, 512), Ct);

        Assert.Equal(_fake.SampleImage, image.Bytes);
        Assert.Equal(5, _fake.Polls.Count); // two failed attempts + Pending, Pending, Ready
    }

    [Fact]
    public async Task ServerErrorOnSubmit_IsNotRetriedBlindly_AndIsTransient()
    {
        _fake.SubmitFaults.Enqueue(Faults.Status(503));
        await using var services = Provider();

        var error = await Assert.ThrowsAsync<ProviderException>(() => services.Provider.TextToImageAsync(new TextToImageRequest("mug", 512, 512), Ct));

        Assert.Equal(ProviderFailure.Transient, error.Failure);
        Assert.Single(_fake.Submits); // the task may exist: a second POST could pay twice
    }

    [Fact]
    public async Task MalformedJsonOnPoll_IsTransient()
    {
        _fake.AlwaysOnPoll = Faults.MalformedJson();
        await using var services = Provider();

        var error = await Assert.ThrowsAsync<ProviderException>(() => services.Provider.TextToImageAsync(new TextToImageRequest("mug", 512, 512), Ct));

        Assert.Equal(ProviderFailure.Transient, error.Failure);
        Assert.Contains("malformed JSON", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(BflOutcome.RequestModerated)]
    [InlineData(BflOutcome.ContentModerated)]
    public async Task ModerationStatuses_AreModerated_AndNotRetryable(BflOutcome outcome)
    {
        _fake.Outcome = outcome;
        await using var services = Provider();

        var error = await Assert.ThrowsAsync<ProviderException>(() => services.Provider.TextToImageAsync(new TextToImageRequest("mug", 512, 512), Ct));

        Assert.Equal(ProviderFailure.Moderated, error.Failure);
        Assert.False(error.IsRetryable);
        Assert.Equal(0, _fake.Downloads);
    }

    [Fact]
    public async Task ErrorStatus_MeansTheTaskIsSpent_ResultExpired()
    {
        _fake.Outcome = BflOutcome.Error;
        await using var services = Provider();

        var error = await Assert.ThrowsAsync<ProviderException>(() => services.Provider.TextToImageAsync(new TextToImageRequest("mug", 512, 512), Ct));

        Assert.Equal(ProviderFailure.ResultExpired, error.Failure);
        Assert.True(error.IsRetryable);
    }

    [Fact]
    public async Task PaymentRequired_IsInsufficientCredits()
    {
        _fake.SubmitFaults.Enqueue(Faults.Status(402, """{"detail":"Insufficient credits"}"""));
        await using var services = Provider();

        var error = await Assert.ThrowsAsync<ProviderException>(() => services.Provider.TextToImageAsync(new TextToImageRequest("mug", 512, 512), Ct));

        Assert.Equal(ProviderFailure.InsufficientCredits, error.Failure);
        Assert.False(error.IsRetryable);
    }

    [Fact]
    public async Task WrongKey_IsMisconfigured_AndTheMessageNeverContainsTheKey()
    {
        await using var services = Provider(Providers.Flux(_fake, key: "wrong-key-123"));

        var error = await Assert.ThrowsAsync<ProviderException>(() => services.Provider.TextToImageAsync(new TextToImageRequest("mug", 512, 512), Ct));

        Assert.Equal(ProviderFailure.Misconfigured, error.Failure);
        Assert.Contains("Flux:ApiKey", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-key-123", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ValidationError_IsRejected_WithFastApiDetail()
    {
        _fake.SubmitFaults.Enqueue(Faults.Status(422, """{"detail":[{"loc":["body","aspect_ratio"],"msg":"aspect ratio must be between 1:4 and 4:1","type":"value_error"}]}"""));
        await using var services = Provider();

        var error = await Assert.ThrowsAsync<ProviderException>(() => services.Provider.EditImageAsync(new ImageEditRequest(TestPng.Create(8, 8), "beach", "9:1"), Ct));

        Assert.Equal(ProviderFailure.Rejected, error.Failure);
        Assert.Contains("body.aspect_ratio: aspect ratio must be between 1:4 and 4:1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExpiredSampleUrl_IsResultExpired()
    {
        _fake.SampleTtl = TimeSpan.Zero;
        await using var services = Provider();

        var error = await Assert.ThrowsAsync<ProviderException>(() => services.Provider.TextToImageAsync(new TextToImageRequest("mug", 512, 512), Ct));

        Assert.Equal(ProviderFailure.ResultExpired, error.Failure);
        Assert.Equal(1, _fake.Downloads); // 403 from a signed URL is final: not retried
    }

    [Fact]
    public async Task RemoveBackground_IsUnsupported_Misconfigured()
    {
        await using var services = Provider();

        Assert.False(services.Provider.SupportsBackgroundRemoval);
        var error = await Assert.ThrowsAsync<ProviderException>(() => services.Provider.RemoveBackgroundAsync(TestPng.Create(8, 8), null, null, Ct));

        Assert.Equal(ProviderFailure.Misconfigured, error.Failure);
        Assert.Contains("fal", error.Message, StringComparison.Ordinal);
        Assert.Empty(_fake.Submits);
    }
}
