using CommerceOS.Connectors.Tests.Support;
using CommerceOS.Core.Generation;
using Microsoft.Extensions.Time.Testing;

namespace CommerceOS.Connectors.Tests.Video;

public sealed class VeoVideoProviderTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 29, 9, 0, 0, TimeSpan.Zero));
    private FakeVeoServer _fake = null!;

    public async ValueTask InitializeAsync() => _fake = await FakeVeoServer.StartAsync(_clock);

    public async ValueTask DisposeAsync() => await _fake.DisposeAsync();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Dictionary<string, string?> Settings(string key = FakeVeoServer.Key) => new()
    {
        ["Providers:Video"] = "veo",
        ["Veo:ApiKey"] = key,
        ["Veo:BaseUrl"] = $"{_fake.BaseUrl}/v1beta",
        ["Veo:AttemptTimeout"] = "01:00:00",
    };

    private VideoScope Scope(Dictionary<string, string?>? settings = null) => new(_clock, settings ?? Settings());

    private async Task<ProviderTask> FinishedAsync(VideoScope scope)
    {
        _fake.PendingPolls = 0;
        var poll = await scope.Provider.PollAsync(await scope.Provider.SubmitAsync(VideoTestSupport.Request(), Ct), Ct);
        Assert.True(poll.Done);
        return poll.Task;
    }

    [Fact]
    public async Task Submit_SendsInstancesAndParameters_ToTheConfiguredModel()
    {
        await using var scope = Scope();

        var task = await scope.Provider.SubmitAsync(VideoTestSupport.Request(seconds: 7, aspect: "16:9", negative: "text, watermark"), Ct);

        var (model, body) = Assert.Single(_fake.Submits);
        Assert.Equal("veo-3.0-fast-generate-001", model);
        var instance = body["instances"]![0]!;
        Assert.Equal("the mug turns slowly on a wooden table", instance["prompt"]!.GetValue<string>());
        Assert.Equal(VideoTestSupport.StartFrame, Convert.FromBase64String(instance["image"]!["bytesBase64Encoded"]!.GetValue<string>()));
        Assert.Equal("image/png", instance["image"]!["mimeType"]!.GetValue<string>());
        var parameters = body["parameters"]!;
        Assert.Equal("16:9", parameters["aspectRatio"]!.GetValue<string>());
        Assert.Equal(6, parameters["durationSeconds"]!.GetValue<int>());
        Assert.Equal(1, parameters["sampleCount"]!.GetValue<int>());
        Assert.Equal("720p", parameters["resolution"]!.GetValue<string>());
        Assert.Equal("text, watermark", parameters["negativePrompt"]!.GetValue<string>());
        Assert.Equal("veo", task.Provider);
        Assert.DoesNotContain(FakeVeoServer.Key, task.State, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1:1", 5, "9:16", 4)]
    [InlineData("9:16", 3, "9:16", 4)]
    [InlineData("4:5", 9, "9:16", 8)]
    [InlineData("16:9", 60, "16:9", 8)]
    public async Task AspectAndDuration_AreTheNearestVeoOffers(string aspect, int seconds, string expectedAspect, int expectedSeconds)
    {
        await using var scope = Scope();

        await scope.Provider.SubmitAsync(VideoTestSupport.Request(seconds, aspect), Ct);

        var parameters = Assert.Single(_fake.Submits).Body["parameters"]!;
        Assert.Equal(expectedAspect, parameters["aspectRatio"]!.GetValue<string>());
        Assert.Equal(expectedSeconds, parameters["durationSeconds"]!.GetValue<int>());
    }

    [Fact]
    public async Task SlowOperation_IsPolledUntilDone_ThenDownloadedWithTheKey_ButNotToStorage()
    {
        _fake.PendingPolls = 3;
        await using var scope = Scope();
        var submitted = await scope.Provider.SubmitAsync(VideoTestSupport.Request(), Ct);

        var (done, polls) = await scope.Provider.PollUntilDoneAsync(_clock, submitted);
        var path = scope.NewPath();
        var video = await scope.Provider.DownloadAsync(done, path, Ct);

        Assert.Equal(4, polls);
        Assert.Equal(4, _fake.Events.Count(e => e == "poll"));
        Assert.Equal(_fake.Video, await File.ReadAllBytesAsync(path, Ct));
        Assert.Equal(("veo", "veo-3.0-fast-generate-001"), (video.Provider, video.Model));
        // The files endpoint refuses a download without x-goog-api-key; the storage redirect must not receive it.
        Assert.Equal([("file", true), ("blob", false)], _fake.DownloadHops);
    }

    [Fact]
    public async Task InlineVideo_IsReadFromTheOperationOnDownload_NotKeptInTheTaskState()
    {
        _fake.Outcome = VeoOutcome.Inline;
        _fake.Video = TestMp4.Create(20_000);
        await using var scope = Scope();
        var task = await FinishedAsync(scope);
        var path = scope.NewPath();

        var video = await scope.Provider.DownloadAsync(task, path, Ct);

        Assert.True(task.State.Length < 500);
        Assert.Equal(_fake.Video, await File.ReadAllBytesAsync(path, Ct));
        Assert.Equal(20_000, video.Bytes);
    }

    [Fact]
    public async Task FilteredByResponsibleAi_IsModerated_WithTheReason()
    {
        _fake.Outcome = VeoOutcome.Filtered;
        _fake.PendingPolls = 0;
        await using var scope = Scope();
        var task = await scope.Provider.SubmitAsync(VideoTestSupport.Request(), Ct);

        var error = await Assert.ThrowsAsync<ProviderException>(() => scope.Provider.PollAsync(task, Ct));

        Assert.Equal(ProviderFailure.Moderated, error.Failure);
        Assert.Contains("photorealistic child", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(400, ProviderFailure.Rejected)]
    [InlineData(500, ProviderFailure.ResultExpired)]
    public async Task DoneWithError_EndsTheTask(int code, ProviderFailure expected)
    {
        _fake.Outcome = VeoOutcome.Error;
        _fake.ErrorCode = code;
        _fake.PendingPolls = 0;
        await using var scope = Scope();
        var task = await scope.Provider.SubmitAsync(VideoTestSupport.Request(), Ct);

        var error = await Assert.ThrowsAsync<ProviderException>(() => scope.Provider.PollAsync(task, Ct));

        Assert.Equal(expected, error.Failure);
    }

    [Fact]
    public async Task ResourceExhausted_IsRateLimited_WithGooglesRetryDelay_AndNotSleptThrough()
    {
        _fake.SubmitFaults.Enqueue(Faults.Status(
            429,
            """{"error":{"code":429,"message":"You exceeded your current quota.","status":"RESOURCE_EXHAUSTED","details":[{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"45s"}]}}""",
            ("Retry-After", "45")));
        await using var scope = Scope();

        var error = await Assert.ThrowsAsync<ProviderException>(() => _clock.Drive(scope.Provider.SubmitAsync(VideoTestSupport.Request(), Ct)));

        Assert.Equal(ProviderFailure.RateLimited, error.Failure);
        Assert.Equal(TimeSpan.FromSeconds(45), error.RetryAfter);
        Assert.Contains("exceeded your current quota", error.Message, StringComparison.Ordinal);
        Assert.Single(_fake.Submits); // 45 s is beyond MaxRetryAfter: handed to the job, not waited here
    }

    [Fact]
    public async Task ShortRetryAfter_IsWaited_AndTheSubmitRepeatedOnce()
    {
        _fake.SubmitFaults.Enqueue(Faults.Status(429, """{"error":{"code":429,"message":"Resource exhausted.","status":"RESOURCE_EXHAUSTED"}}""", ("Retry-After", "3")));
        await using var scope = Scope();

        var task = await _clock.Drive(scope.Provider.SubmitAsync(VideoTestSupport.Request(), Ct));

        Assert.Equal(2, _fake.Submits.Count);
        Assert.Equal("veo", task.Provider);
    }

    [Fact]
    public async Task RetiredModel_IsMisconfigured_NamingVeoModel()
    {
        var settings = Settings();
        settings["Veo:Model"] = "veo-3.1-generate-preview";
        await using var scope = Scope(settings);

        var error = await Assert.ThrowsAsync<ProviderException>(() => scope.Provider.SubmitAsync(VideoTestSupport.Request(), Ct));

        Assert.Equal(ProviderFailure.Misconfigured, error.Failure);
        Assert.Contains("Veo:Model", error.Message, StringComparison.Ordinal);
        Assert.Contains("no longer available", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrongKey_IsMisconfigured_AndNeverQuoted()
    {
        await using var scope = Scope(Settings(key: "AIza-wrong"));

        var error = await Assert.ThrowsAsync<ProviderException>(() => scope.Provider.SubmitAsync(VideoTestSupport.Request(), Ct));

        Assert.Equal(ProviderFailure.Misconfigured, error.Failure);
        Assert.Contains("Veo:ApiKey", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("AIza-wrong", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownOperation_IsResultExpired()
    {
        await using var scope = Scope();
        var task = await scope.Provider.SubmitAsync(VideoTestSupport.Request(), Ct);
        var stranger = task with { State = task.State.Replace("/operations/", "/operations/0", StringComparison.Ordinal) };

        var error = await Assert.ThrowsAsync<ProviderException>(() => scope.Provider.PollAsync(stranger, Ct));

        Assert.Equal(ProviderFailure.ResultExpired, error.Failure);
    }

    [Fact]
    public async Task UnavailableThenAnswer_OnAPoll_IsRetriedWithinTheOnePoll()
    {
        await using var scope = Scope();
        _fake.PendingPolls = 0;
        var task = await scope.Provider.SubmitAsync(VideoTestSupport.Request(), Ct);
        _fake.PollFaults.Enqueue(Faults.Status(503, """{"error":{"code":503,"message":"The service is currently unavailable.","status":"UNAVAILABLE"}}"""));

        var poll = await _clock.Drive(scope.Provider.PollAsync(task, Ct));

        Assert.True(poll.Done);
        Assert.Equal(2, _fake.Events.Count(e => e == "poll"));
    }

    [Fact]
    public async Task MalformedOperation_IsTransient()
    {
        await using var scope = Scope();
        var task = await scope.Provider.SubmitAsync(VideoTestSupport.Request(), Ct);
        _fake.PollFaults.Enqueue(Faults.MalformedJson());

        var error = await Assert.ThrowsAsync<ProviderException>(() => scope.Provider.PollAsync(task, Ct));

        Assert.Equal(ProviderFailure.Transient, error.Failure);
    }

    [Fact]
    public async Task ExpiredFile_IsResultExpired()
    {
        _fake.FileTtl = TimeSpan.FromDays(2);
        await using var scope = Scope();
        var task = await FinishedAsync(scope);
        _clock.Advance(TimeSpan.FromDays(3));
        var path = scope.NewPath();

        var error = await Assert.ThrowsAsync<ProviderException>(() => scope.Provider.DownloadAsync(task, path, Ct));

        Assert.Equal(ProviderFailure.ResultExpired, error.Failure);
        Assert.False(File.Exists(path));
    }
}
