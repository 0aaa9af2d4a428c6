using CommerceOS.Connectors.Tests.Support;
using CommerceOS.Core.Generation;
using Microsoft.Extensions.Time.Testing;

namespace CommerceOS.Connectors.Tests.Video;

public sealed class KlingVideoProviderTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 29, 9, 0, 0, TimeSpan.Zero));
    private FakeKlingServer _fake = null!;

    public async ValueTask InitializeAsync() => _fake = await FakeKlingServer.StartAsync(_clock);

    public async ValueTask DisposeAsync() => await _fake.DisposeAsync();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Dictionary<string, string?> Settings(string secret = FakeKlingServer.SecretKey) => new()
    {
        ["Providers:Video"] = "kling",
        ["Kling:AccessKey"] = FakeKlingServer.AccessKey,
        ["Kling:SecretKey"] = secret,
        ["Kling:BaseUrl"] = _fake.BaseUrl,
        // Far beyond any wait the tests step through with Drive.
        ["Kling:AttemptTimeout"] = "01:00:00",
    };

    private VideoScope Scope(Dictionary<string, string?>? settings = null) => new(_clock, settings ?? Settings());

    [Fact]
    public async Task Submit_SignsTheJwtWithTheSecretKey_AndSendsTheDocumentedImage2VideoBody()
    {
        await using var scope = Scope();

        var task = await scope.Provider.SubmitAsync(VideoTestSupport.Request(seconds: 9, negative: "blur"), Ct);

        var (_, issuer, notBefore, expires) = Assert.Single(_fake.Tokens);
        var now = _clock.GetUtcNow().ToUnixTimeSeconds();
        Assert.Equal(FakeKlingServer.AccessKey, issuer);
        Assert.Equal(now + 1800, expires);
        Assert.Equal(now - 5, notBefore);

        var (body, _) = Assert.Single(_fake.Submits);
        Assert.Equal("kling-v2-1", body["model_name"]!.GetValue<string>());
        Assert.Equal(VideoTestSupport.StartFrame, Convert.FromBase64String(body["image"]!.GetValue<string>()));
        Assert.Equal("10", body["duration"]!.GetValue<string>()); // 9 s is nearer 10 than 5
        Assert.Equal("std", body["mode"]!.GetValue<string>());
        Assert.Equal("blur", body["negative_prompt"]!.GetValue<string>());
        Assert.Null(body["aspect_ratio"]); // not an image2video field: the clip takes the start frame's shape

        Assert.Equal("kling", task.Provider);
        Assert.DoesNotContain(FakeKlingServer.SecretKey, task.State, StringComparison.Ordinal);
        Assert.DoesNotContain(FakeKlingServer.AccessKey, task.State, StringComparison.Ordinal);
        Assert.DoesNotContain("mug", task.State, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1, "5")]
    [InlineData(7, "5")]
    [InlineData(8, "10")]
    [InlineData(60, "10")]
    public async Task Duration_IsRoundedToWhatKlingOffers(int seconds, string expected)
    {
        await using var scope = Scope();

        await scope.Provider.SubmitAsync(VideoTestSupport.Request(seconds), Ct);

        Assert.Equal(expected, Assert.Single(_fake.Submits).Body["duration"]!.GetValue<string>());
    }

    [Fact]
    public async Task SlowJob_PollsOnceEachTime_UntilSucceed_ThenDownloadsTheClipWithoutTheToken()
    {
        _fake.PendingPolls = 4;
        await using var scope = Scope();
        var submitted = await scope.Provider.SubmitAsync(VideoTestSupport.Request(), Ct);

        var first = await scope.Provider.PollAsync(submitted, Ct);
        Assert.False(first.Done);
        Assert.Equal(submitted, first.Task);
        var (done, polls) = await scope.Provider.PollUntilDoneAsync(_clock, submitted);

        Assert.Equal(4, polls); // 3 more pending answers, then succeed
        Assert.Equal(5, _fake.Events.Count(e => e == "poll")); // exactly one request per poll
        Assert.NotEqual(submitted.State, done.State); // the result's location is now in the task
        var path = scope.NewPath();
        var video = await scope.Provider.DownloadAsync(done, path, Ct);

        Assert.Equal(_fake.Video, await File.ReadAllBytesAsync(path, Ct));
        Assert.Equal(_fake.Video.Length, video.Bytes);
        Assert.Equal(("video/mp4", "kling", "kling-v2-1"), (video.ContentType, video.Provider, video.Model));
        Assert.Equal(0, _fake.DownloadsCarryingAuth);
    }

    [Fact]
    public async Task Token_IsCachedWhileValid_AndRenewedBeforeItExpires()
    {
        await using var scope = Scope();
        var task = await scope.Provider.SubmitAsync(VideoTestSupport.Request(), Ct);
        await scope.Provider.PollAsync(task, Ct);

        _clock.Advance(TimeSpan.FromMinutes(29) + TimeSpan.FromSeconds(1)); // 59 s left: inside the renewal minute
        await scope.Provider.PollAsync(task, Ct);

        var tokens = _fake.Tokens.ToArray();
        Assert.Equal(3, tokens.Length);
        Assert.Equal(tokens[0].Token, tokens[1].Token);
        Assert.NotEqual(tokens[1].Token, tokens[2].Token);
        Assert.Equal(_clock.GetUtcNow().ToUnixTimeSeconds() + 1800, tokens[2].Expires);
    }

    [Fact]
    public async Task WrongSecretKey_IsRefusedByKlingsSignatureCheck_AsMisconfigured()
    {
        await using var scope = Scope(Settings(secret: "not-the-secret"));

        var error = await Assert.ThrowsAsync<ProviderException>(() => scope.Provider.SubmitAsync(VideoTestSupport.Request(), Ct));

        Assert.Equal(ProviderFailure.Misconfigured, error.Failure);
        Assert.Contains("code 1000", error.Message, StringComparison.Ordinal);
        Assert.Contains("Kling:SecretKey", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-secret", error.Message, StringComparison.Ordinal);
        Assert.Empty(_fake.Submits);
    }

    [Fact]
    public async Task TokenExpiredOnTheServersClock_Is1004_Misconfigured()
    {
        _fake.ClockSkew = TimeSpan.FromMinutes(31);
        await using var scope = Scope();

        var error = await Assert.ThrowsAsync<ProviderException>(() => scope.Provider.SubmitAsync(VideoTestSupport.Request(), Ct));

        Assert.Equal(ProviderFailure.Misconfigured, error.Failure);
        Assert.Contains("code 1004", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(400, 1301, ProviderFailure.Moderated)]
    [InlineData(400, 1300, ProviderFailure.Moderated)]
    [InlineData(400, 1201, ProviderFailure.Rejected)]
    [InlineData(429, 1101, ProviderFailure.InsufficientCredits)]
    [InlineData(429, 1102, ProviderFailure.InsufficientCredits)]
    [InlineData(403, 1103, ProviderFailure.Misconfigured)]
    [InlineData(429, 1304, ProviderFailure.Misconfigured)]
    [InlineData(404, 1203, ProviderFailure.Misconfigured)]
    [InlineData(429, 1303, ProviderFailure.RateLimited)]
    [InlineData(500, 5000, ProviderFailure.Transient)]
    [InlineData(503, 5001, ProviderFailure.Transient)]
    public async Task SubmitErrorCodes_MapToOurFailures(int status, int code, ProviderFailure expected)
    {
        _fake.AlwaysOnSubmit = FakeKlingServer.Error(status, code, "refused by the fake");
        await using var scope = Scope();

        var error = await Assert.ThrowsAsync<ProviderException>(() => _clock.Drive(scope.Provider.SubmitAsync(VideoTestSupport.Request(), Ct)));

        Assert.Equal(expected, error.Failure);
        Assert.Contains($"code {code}", error.Message, StringComparison.Ordinal);
        if (status != 429)
        {
            Assert.Single(_fake.Submits); // a paid POST is never repeated, except after a 429
        }
    }

    [Fact]
    public async Task RateLimitedSubmit_WaitsTheRetryAfter_ThenSubmitsAgainOnce()
    {
        _fake.SubmitFaults.Enqueue(FakeKlingServer.Error(429, 1302, "rate limit", ("Retry-After", "7")));
        await using var scope = Scope();

        var task = await _clock.Drive(scope.Provider.SubmitAsync(VideoTestSupport.Request(), Ct));

        var submits = _fake.Submits.ToArray();
        Assert.Equal(2, submits.Length);
        Assert.True(submits[1].At - submits[0].At >= TimeSpan.FromSeconds(7));
        Assert.Equal("kling", task.Provider);
    }

    [Fact]
    public async Task ServerErrorOnSubmit_IsTransient_AndNotRepeated()
    {
        _fake.SubmitFaults.Enqueue(Faults.Status(502, "<html>Bad Gateway</html>"));
        await using var scope = Scope();

        var error = await Assert.ThrowsAsync<ProviderException>(() => _clock.Drive(scope.Provider.SubmitAsync(VideoTestSupport.Request(), Ct)));

        Assert.Equal(ProviderFailure.Transient, error.Failure);
        Assert.Single(_fake.Submits);
    }

    [Fact]
    public async Task ServerErrorsOnAPoll_AreRetried_WithinTheOnePoll()
    {
        _fake.PendingPolls = 0;
        await using var scope = Scope();
        var task = await scope.Provider.SubmitAsync(VideoTestSupport.Request(), Ct);
        _fake.PollFaults.Enqueue(FakeKlingServer.Error(500, 5000, "internal"));
        _fake.PollFaults.Enqueue(Faults.Status(503));

        var poll = await _clock.Drive(scope.Provider.PollAsync(task, Ct));

        Assert.True(poll.Done);
        Assert.Equal(3, _fake.Events.Count(e => e == "poll"));
    }

    [Fact]
    public async Task HangingSubmit_TimesOut_AsTransient_WithoutASecondPaidTask()
    {
        _fake.AlwaysOnSubmit = async context => await Task.Delay(Timeout.Infinite, context.RequestAborted);
        var settings = Settings();
        settings["Kling:AttemptTimeout"] = "00:00:30";
        await using var scope = Scope(settings);

        var error = await Assert.ThrowsAsync<ProviderException>(() => _clock.Drive(scope.Provider.SubmitAsync(VideoTestSupport.Request(), Ct)));

        Assert.Equal(ProviderFailure.Transient, error.Failure);
        Assert.Single(_fake.Submits);
    }

    [Fact]
    public async Task MalformedJson_IsTransient()
    {
        await using var scope = Scope();
        var task = await scope.Provider.SubmitAsync(VideoTestSupport.Request(), Ct);
        _fake.PollFaults.Enqueue(Faults.MalformedJson());

        var error = await Assert.ThrowsAsync<ProviderException>(() => scope.Provider.PollAsync(task, Ct));

        Assert.Equal(ProviderFailure.Transient, error.Failure);
    }

    [Theory]
    [InlineData("Failure to pass the risk control system", ProviderFailure.Moderated)]
    [InlineData("The content security policy was triggered", ProviderFailure.Moderated)]
    [InlineData("Internal error, please try again", ProviderFailure.ResultExpired)]
    public async Task FailedTask_IsModeratedOrSpent_ByItsReason(string reason, ProviderFailure expected)
    {
        _fake.Outcome = KlingOutcome.Failed;
        _fake.FailureMessage = reason;
        _fake.PendingPolls = 1;
        await using var scope = Scope();
        var task = await scope.Provider.SubmitAsync(VideoTestSupport.Request(), Ct);
        Assert.False((await scope.Provider.PollAsync(task, Ct)).Done);

        var error = await Assert.ThrowsAsync<ProviderException>(() => scope.Provider.PollAsync(task, Ct));

        Assert.Equal(expected, error.Failure);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownTask_IsResultExpired()
    {
        await using var scope = Scope();
        var task = await scope.Provider.SubmitAsync(VideoTestSupport.Request(), Ct);
        var stranger = task with { State = task.State.Replace("taskId\":\"", "taskId\":\"9", StringComparison.Ordinal) };

        var error = await Assert.ThrowsAsync<ProviderException>(() => scope.Provider.PollAsync(stranger, Ct));

        Assert.Equal(ProviderFailure.ResultExpired, error.Failure);
    }

    [Fact]
    public async Task ExpiredVideoUrl_IsResultExpired_AndLeavesNoFile()
    {
        _fake.PendingPolls = 0;
        _fake.VideoTtl = TimeSpan.FromMinutes(5);
        await using var scope = Scope();
        var task = (await scope.Provider.PollAsync(await scope.Provider.SubmitAsync(VideoTestSupport.Request(), Ct), Ct)).Task;
        _clock.Advance(TimeSpan.FromMinutes(6));
        var path = scope.NewPath();

        var error = await Assert.ThrowsAsync<ProviderException>(() => scope.Provider.DownloadAsync(task, path, Ct));

        Assert.Equal(ProviderFailure.ResultExpired, error.Failure);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public async Task ResultThatIsNotAnMp4_IsRefused_AndLeavesNoFile()
    {
        _fake.PendingPolls = 0;
        _fake.Video = TestPng.Create(8, 8);
        await using var scope = Scope();
        var task = (await scope.Provider.PollAsync(await scope.Provider.SubmitAsync(VideoTestSupport.Request(), Ct), Ct)).Task;
        var path = scope.NewPath();

        var error = await Assert.ThrowsAsync<ProviderException>(() => scope.Provider.DownloadAsync(task, path, Ct));

        Assert.Equal(ProviderFailure.Transient, error.Failure);
        Assert.Contains("not an MP4", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public async Task ResultAnnouncedLargerThan200MB_IsNotDownloaded()
    {
        _fake.PendingPolls = 0;
        _fake.OnDownload = async context =>
        {
            context.Response.ContentType = "video/mp4";
            context.Response.ContentLength = 300L * 1024 * 1024;
            await context.Response.Body.WriteAsync(TestMp4.Create(64), context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        };
        await using var scope = Scope();
        var task = (await scope.Provider.PollAsync(await scope.Provider.SubmitAsync(VideoTestSupport.Request(), Ct), Ct)).Task;
        var path = scope.NewPath();

        var error = await Assert.ThrowsAsync<ProviderException>(() => scope.Provider.DownloadAsync(task, path, Ct));

        Assert.Equal(ProviderFailure.Rejected, error.Failure);
        Assert.Contains("200 MB", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public async Task StartFrameThatIsNotPngOrJpeg_IsRejectedBeforePaying()
    {
        await using var scope = Scope();
        var request = VideoTestSupport.Request() with { Image = "GIF89a-not-allowed"u8.ToArray() };

        var error = await Assert.ThrowsAsync<ProviderException>(() => scope.Provider.SubmitAsync(request, Ct));

        Assert.Equal(ProviderFailure.Rejected, error.Failure);
        Assert.Empty(_fake.Submits);
    }
}
