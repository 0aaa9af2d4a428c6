using CommerceOS.Connectors.Tests.Support;
using CommerceOS.Core.Generation;
using Microsoft.Extensions.Time.Testing;

namespace CommerceOS.Connectors.Tests.Video;

public sealed class FalVideoProviderTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 29, 9, 0, 0, TimeSpan.Zero));
    private FakeFalServer _fake = null!;

    public async ValueTask InitializeAsync() => _fake = await FakeFalServer.StartAsync(_clock);

    public async ValueTask DisposeAsync() => await _fake.DisposeAsync();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Dictionary<string, string?> Settings() => new()
    {
        ["Providers:Video"] = "fal",
        ["Fal:ApiKey"] = FakeFalServer.Key,
        ["Fal:QueueBaseUrl"] = _fake.BaseUrl,
        ["Fal:AttemptTimeout"] = "01:00:00",
    };

    private VideoScope Scope(Dictionary<string, string?>? settings = null) => new(_clock, settings ?? Settings());

    [Fact]
    public async Task KlingOnFal_IsSubmitted_PolledThroughTheQueue_AndDownloadedWithoutTheKey()
    {
        _fake.RunningPolls = 4;
        await using var scope = Scope();

        var submitted = await scope.Provider.SubmitAsync(VideoTestSupport.Request(seconds: 6), Ct);
        var (done, polls) = await scope.Provider.PollUntilDoneAsync(_clock, submitted);
        var path = scope.NewPath();
        var video = await scope.Provider.DownloadAsync(done, path, Ct);

        var (model, body, requestTimeout) = Assert.Single(_fake.Submits);
        Assert.Equal("fal-ai/kling-video/v2.1/standard/image-to-video", model);
        Assert.Equal("5", body["duration"]!.GetValue<string>());
        Assert.StartsWith("data:image/png;base64,", body["image_url"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("900", requestTimeout); // the 15 min video deadline, not the image one
        Assert.Equal(5, polls);
        Assert.Equal(["IN_QUEUE", "IN_QUEUE", "IN_PROGRESS", "IN_PROGRESS", "COMPLETED"], _fake.StatusesServed);
        Assert.Equal(1, _fake.Events.Count(e => e == "result"));
        Assert.Equal(_fake.ResultVideo, await File.ReadAllBytesAsync(path, Ct));
        Assert.Equal(("fal", model), (video.Provider, video.Model));
        Assert.Equal(0, _fake.FileDownloadsCarryingKey);
        Assert.Equal((TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(15)), (scope.Provider.PollInterval, scope.Provider.Timeout));
    }

    [Fact]
    public async Task VeoOnFal_TakesVeosDurationsAndRatios()
    {
        var settings = Settings();
        settings["Fal:VideoModel"] = "fal-ai/veo3/fast/image-to-video";
        await using var scope = Scope(settings);

        await scope.Provider.SubmitAsync(VideoTestSupport.Request(seconds: 10, aspect: "1:1"), Ct);

        var body = Assert.Single(_fake.Submits).Body;
        Assert.Equal("8s", body["duration"]!.GetValue<string>());
        Assert.Equal("9:16", body["aspect_ratio"]!.GetValue<string>());
    }

    [Fact]
    public async Task ContentPolicyViolation_IsModerated_WhenThePollReadsTheResult()
    {
        _fake.Outcome = FalOutcome.ContentPolicyViolation;
        _fake.RunningPolls = 0;
        await using var scope = Scope();
        var task = await scope.Provider.SubmitAsync(VideoTestSupport.Request(), Ct);

        var error = await Assert.ThrowsAsync<ProviderException>(() => scope.Provider.PollAsync(task, Ct));

        Assert.Equal(ProviderFailure.Moderated, error.Failure);
    }

    [Fact]
    public async Task UnknownRequest_IsResultExpired()
    {
        await using var scope = Scope();
        var task = await scope.Provider.SubmitAsync(VideoTestSupport.Request(), Ct);
        var stranger = task with { State = task.State.Replace("/requests/", "/requests/0", StringComparison.Ordinal) };

        var error = await Assert.ThrowsAsync<ProviderException>(() => scope.Provider.PollAsync(stranger, Ct));

        Assert.Equal(ProviderFailure.ResultExpired, error.Failure);
    }

    [Fact]
    public async Task ExpiredFile_IsResultExpired()
    {
        _fake.RunningPolls = 0;
        _fake.FileTtl = TimeSpan.FromMinutes(10);
        await using var scope = Scope();
        var task = (await scope.Provider.PollAsync(await scope.Provider.SubmitAsync(VideoTestSupport.Request(), Ct), Ct)).Task;
        _clock.Advance(TimeSpan.FromMinutes(11));

        var error = await Assert.ThrowsAsync<ProviderException>(() => scope.Provider.DownloadAsync(task, scope.NewPath(), Ct));

        Assert.Equal(ProviderFailure.ResultExpired, error.Failure);
    }

    [Fact]
    public async Task RateLimitedStatus_IsRetried_ThenAnswers()
    {
        _fake.RunningPolls = 0;
        await using var scope = Scope();
        var task = await scope.Provider.SubmitAsync(VideoTestSupport.Request(), Ct);
        _fake.StatusFaults.Enqueue(Faults.RateLimitedSeconds(2));

        var poll = await _clock.Drive(scope.Provider.PollAsync(task, Ct));

        Assert.True(poll.Done);
    }
}
