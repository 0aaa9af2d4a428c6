using CommerceOS.Connectors.Llm;
using CommerceOS.Connectors.Tests.Support;
using CommerceOS.Core.Llm;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.AI;

namespace CommerceOS.Connectors.Tests.Llm;

/// <summary>The IChatClient pipeline against the fake: retries, Retry-After, timeouts, errors. The clock runs 100x.</summary>
public sealed class LlmResilienceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly ChatMessage[] Prompt = [new(ChatRole.User, "Say hello.")];

    private static async Task<ChatResponse> AskAsync(LlmTestHost host, Guid? jobId = null) =>
        await host.Chat.GetResponseAsync(Prompt, new ChatOptions().ForJob(jobId), Ct);

    [Fact]
    public async Task Success_ReportsUsage_AndTheLedgerAddsUpPerJob()
    {
        var clock = new TestClock();
        await using var fake = await FakeOpenAiServer.StartAsync(clock);
        fake.Default = FakeOpenAiServer.Reply("Hello", promptTokens: 1_000_000, completionTokens: 500_000);
        await using var host = LlmTestHost.Start(clock, LlmTestHost.Settings(fake));
        var job = Guid.NewGuid();

        var first = await AskAsync(host, job);
        await AskAsync(host, job);
        await AskAsync(host);

        Assert.Equal("Hello", first.Text);
        var usage = first.GetLlmUsage()!;
        Assert.Equal((job, 1_000_000L, 500_000L, 0.82m, 1), (usage.JobId, usage.InputTokens, usage.OutputTokens, usage.Cost, usage.Attempts));
        Assert.StartsWith("127.0.0.1:", usage.Provider, StringComparison.Ordinal);
        Assert.Equal(new LlmUsageTotals(2, 0, 2_000_000, 1_000_000, 1.64m, "USD"), host.Ledger.Take(job));
        Assert.DoesNotContain(host.Logs.Lines, line => line.Contains(FakeOpenAiServer.Key, StringComparison.Ordinal));
        Assert.Contains(host.Logs.Lines, line => line.Contains("1000000 in, 500000 out", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RateLimited429_WaitsTheRetryAfter_ThenSucceeds()
    {
        var clock = new TestClock();
        await using var fake = await FakeOpenAiServer.StartAsync(clock);
        fake.Script.Enqueue(FakeOpenAiServer.RateLimited(7));
        fake.Default = FakeOpenAiServer.Reply("Hello");
        await using var host = LlmTestHost.Start(clock, LlmTestHost.Settings(fake));

        var response = await AskAsync(host);

        Assert.Equal("Hello", response.Text);
        Assert.Equal(2, response.GetLlmUsage()!.Attempts);
        Assert.Contains(TimeSpan.FromSeconds(7), clock.RequestedWaits);
        var arrivals = fake.Arrivals.ToArray();
        Assert.True(arrivals[1] - arrivals[0] >= TimeSpan.FromSeconds(7), $"retried after {arrivals[1] - arrivals[0]}");
    }

    [Fact]
    public async Task RetryAfterLongerThanMaxRetryAfter_IsNotSlept_ButReported()
    {
        var clock = new TestClock();
        await using var fake = await FakeOpenAiServer.StartAsync(clock);
        fake.Default = FakeOpenAiServer.RateLimited(600);
        await using var host = LlmTestHost.Start(clock, LlmTestHost.Settings(fake));

        var error = await Assert.ThrowsAsync<LlmException>(() => AskAsync(host));

        Assert.Equal(LlmFailure.RateLimited, error.Failure);
        Assert.Equal("llm.provider.rate_limited", error.Code);
        Assert.Equal(TimeSpan.FromSeconds(600), error.RetryAfter);
        Assert.True(error.IsRetryable);
        Assert.Single(fake.Requests);
    }

    [Fact]
    public async Task InsufficientQuota429_IsNotRetried()
    {
        var clock = new TestClock();
        await using var fake = await FakeOpenAiServer.StartAsync(clock);
        fake.Default = FakeOpenAiServer.Error(429, "You exceeded your current quota, please check your plan and billing details.", "insufficient_quota", "insufficient_quota");
        await using var host = LlmTestHost.Start(clock, LlmTestHost.Settings(fake));

        var error = await Assert.ThrowsAsync<LlmException>(() => AskAsync(host));

        Assert.Equal(LlmFailure.QuotaExhausted, error.Failure);
        Assert.False(error.IsRetryable);
        Assert.Contains("You exceeded your current quota", error.Message, StringComparison.Ordinal);
        Assert.Single(fake.Requests);
    }

    [Fact]
    public async Task ServerErrors_AreRetriedWithBackOff_ThenSucceed()
    {
        var clock = new TestClock();
        await using var fake = await FakeOpenAiServer.StartAsync(clock);
        fake.Script.Enqueue(FakeOpenAiServer.ServerError());
        fake.Script.Enqueue(FakeOpenAiServer.Error(503, "Service Unavailable", "server_error", null));
        fake.Default = FakeOpenAiServer.Reply("Hello");
        await using var host = LlmTestHost.Start(clock, LlmTestHost.Settings(fake));

        var response = await AskAsync(host);

        Assert.Equal("Hello", response.Text);
        Assert.Equal(3, fake.Requests.Count);
        Assert.Equal(3, response.GetLlmUsage()!.Attempts);
        Assert.Contains(host.Logs.Lines, line => line.Contains("attempt 1 failed (Unavailable)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ServerErrors_StopAfterMaxRetries_AsUnavailable()
    {
        var clock = new TestClock();
        await using var fake = await FakeOpenAiServer.StartAsync(clock);
        fake.Default = FakeOpenAiServer.ServerError();
        await using var host = LlmTestHost.Start(clock, LlmTestHost.Settings(fake).With("MaxRetries", "2"));

        var error = await Assert.ThrowsAsync<LlmException>(() => AskAsync(host));

        Assert.Equal(LlmFailure.Unavailable, error.Failure);
        Assert.Contains("answered 500: The server had an error", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, fake.Requests.Count);
    }

    [Fact]
    public async Task ServerThatNeverAnswers_TimesOut_AndTheRetryCanSucceed()
    {
        var clock = new TestClock();
        await using var fake = await FakeOpenAiServer.StartAsync(clock);
        fake.Script.Enqueue(FakeOpenAiServer.Hang());
        fake.Default = FakeOpenAiServer.Reply("Hello");
        await using var host = LlmTestHost.Start(clock, LlmTestHost.Settings(fake).With("Timeout", "00:00:05").With("MaxRetries", "1"));

        var response = await AskAsync(host);

        Assert.Equal("Hello", response.Text);
        Assert.Equal(2, fake.Requests.Count);
        Assert.Contains(TimeSpan.FromSeconds(5), clock.RequestedWaits);
    }

    [Fact]
    public async Task ServerThatNeverAnswers_FailsAsTimeout_AfterTheRetries()
    {
        var clock = new TestClock();
        await using var fake = await FakeOpenAiServer.StartAsync(clock);
        fake.Default = FakeOpenAiServer.Hang();
        await using var host = LlmTestHost.Start(clock, LlmTestHost.Settings(fake).With("Timeout", "00:00:05").With("MaxRetries", "1"));

        var error = await Assert.ThrowsAsync<LlmException>(() => AskAsync(host));

        Assert.Equal(LlmFailure.Timeout, error.Failure);
        Assert.Contains("did not answer within 00:00:05 (Providers:Llm:Timeout)", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, fake.Requests.Count);
    }

    [Fact]
    public async Task WrongKey_FailsAtOnce_WithAClearMessage_ThatNeverContainsTheKey()
    {
        const string wrongKey = "sk-wrong-9a8b7c6d5e4f";
        var clock = new TestClock();
        await using var fake = await FakeOpenAiServer.StartAsync(clock);
        await using var host = LlmTestHost.Start(clock, LlmTestHost.Settings(fake, wrongKey));

        var error = await Assert.ThrowsAsync<LlmException>(() => AskAsync(host));

        Assert.Equal(LlmFailure.Unauthorized, error.Failure);
        Assert.Equal("llm.provider.unauthorized", error.Code);
        Assert.False(error.IsRetryable);
        Assert.Contains("refused the API key (401); check Providers:Llm:ApiKey", error.Message, StringComparison.Ordinal);
        Assert.Contains("Incorrect API key provided: ***", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(wrongKey, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(host.Logs.Lines, line => line.Contains(wrongKey, StringComparison.Ordinal));
        Assert.Equal(1, fake.UnauthorizedRequests);
    }

    [Fact]
    public async Task UnknownModel404_IsRejected_NamingTheModelSetting()
    {
        var clock = new TestClock();
        await using var fake = await FakeOpenAiServer.StartAsync(clock);
        fake.Default = FakeOpenAiServer.Error(404, "The model `gpt-test-mini` does not exist or you do not have access to it.", "invalid_request_error", "model_not_found");
        await using var host = LlmTestHost.Start(clock, LlmTestHost.Settings(fake));

        var error = await Assert.ThrowsAsync<LlmException>(() => AskAsync(host));

        Assert.Equal(LlmFailure.Rejected, error.Failure);
        Assert.Contains("Providers:Llm:Model 'gpt-test-mini'", error.Message, StringComparison.Ordinal);
        Assert.Single(fake.Requests);
    }

    [Fact]
    public async Task CallerCancellation_DuringARequest_IsACancellation_NotAFailure()
    {
        var clock = new TestClock();
        await using var fake = await FakeOpenAiServer.StartAsync(clock);
        fake.Default = FakeOpenAiServer.Hang();
        await using var host = LlmTestHost.Start(clock, LlmTestHost.Settings(fake));
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cancel.CancelAfter(TimeSpan.FromMilliseconds(100));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => host.Chat.GetResponseAsync(Prompt, null, cancel.Token));

        Assert.Single(fake.Requests);
    }

    [Fact]
    public async Task Streaming_TakesASlot_AndRecordsTheUsageChunk()
    {
        var clock = new TestClock();
        await using var fake = await FakeOpenAiServer.StartAsync(clock);
        fake.Default = FakeOpenAiServer.Stream(["Hel", "lo"], promptTokens: 2_000_000, completionTokens: 1_000_000);
        await using var host = LlmTestHost.Start(clock, LlmTestHost.Settings(fake));
        var job = Guid.NewGuid();

        var text = "";
        await foreach (var update in host.Chat.GetStreamingResponseAsync(Prompt, new ChatOptions().ForJob(job), Ct))
        {
            text += update.Text;
        }

        Assert.Equal("Hello", text);
        Assert.True(fake.Requests.Single()["stream"]!.GetValue<bool>());
        Assert.Equal(new LlmUsageTotals(1, 0, 2_000_000, 1_000_000, 1.64m, "USD"), host.Ledger.Take(job));
    }

    [Fact]
    public async Task Streaming_ErrorsAreMapped_LikeCalls()
    {
        var clock = new TestClock();
        await using var fake = await FakeOpenAiServer.StartAsync(clock);
        fake.Default = FakeOpenAiServer.ServerError();
        await using var host = LlmTestHost.Start(clock, LlmTestHost.Settings(fake));

        var error = await Assert.ThrowsAsync<LlmException>(async () =>
        {
            await foreach (var _ in host.Chat.GetStreamingResponseAsync(Prompt, null, Ct))
            {
            }
        });

        Assert.Equal(LlmFailure.Unavailable, error.Failure);
        Assert.Single(fake.Requests);
    }

    [Fact]
    public async Task ABodyThatIsNotAChatCompletion_IsRetried_ThenUnavailable()
    {
        var clock = new TestClock();
        await using var fake = await FakeOpenAiServer.StartAsync(clock);
        fake.Default = async (_, context) =>
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("""{"id": "chatcmpl-1", "choi""", context.RequestAborted);
        };
        await using var host = LlmTestHost.Start(clock, LlmTestHost.Settings(fake).With("MaxRetries", "1"));

        var error = await Assert.ThrowsAsync<LlmException>(() => AskAsync(host));

        Assert.Equal(LlmFailure.Unavailable, error.Failure);
        Assert.Contains("not a chat completion", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, fake.Requests.Count);
    }
}
