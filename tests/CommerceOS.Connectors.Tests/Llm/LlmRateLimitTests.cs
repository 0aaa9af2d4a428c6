using CommerceOS.Connectors.Llm;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;

namespace CommerceOS.Connectors.Tests.Llm;

/// <summary>
/// The provider budget end to end (AddLlm → OpenAI SDK → fake server). Time is stepped by hand, so
/// a minute window costs no minute and a loaded machine cannot blur where the window ends.
/// </summary>
public sealed class LlmRateLimitTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly ChatMessage[] Prompt = [new(ChatRole.User, "Say hello.")];

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = TimeProvider.System.GetTimestamp();
        while (!condition())
        {
            Assert.True(TimeProvider.System.GetElapsedTime(deadline) < TimeSpan.FromSeconds(5), $"timed out waiting until {what}");
            await Task.Delay(5, Ct);
        }
    }

    [Fact]
    public async Task NoMoreThanMaxConcurrency_AreInFlight_AndTheRestWait()
    {
        var clock = new FakeTimeProvider();
        await using var fake = await FakeOpenAiServer.StartAsync(clock);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        fake.Default = FakeOpenAiServer.Gated(gate.Task, FakeOpenAiServer.Reply("Hello"));
        await using var host = LlmTestHost.Start(clock, LlmTestHost.Settings(fake).With("MaxConcurrency", "2").With("RequestsPerMinute", "1000"));

        var calls = Enumerable.Range(0, 6).Select(_ => host.Chat.GetResponseAsync(Prompt, null, Ct)).ToList();
        await WaitUntilAsync(() => fake.InFlight == 2, "two requests are at the server");
        await Task.Delay(150, Ct);

        Assert.Equal(2, fake.Requests.Count);
        Assert.All(calls, call => Assert.False(call.IsCompleted));
        gate.SetResult();
        var responses = await Task.WhenAll(calls);
        Assert.All(responses, r => Assert.Equal("Hello", r.Text));
        Assert.Equal(6, fake.Requests.Count);
        Assert.Equal(2, fake.MaxInFlight);
    }

    [Fact]
    public async Task RequestsPerMinute_IsRespected_OverARollingMinute()
    {
        var clock = new FakeTimeProvider();
        await using var fake = await FakeOpenAiServer.StartAsync(clock);
        fake.Default = FakeOpenAiServer.Reply("Hello");
        await using var host = LlmTestHost.Start(clock, LlmTestHost.Settings(fake).With("RequestsPerMinute", "2").With("MaxConcurrency", "10"));
        var started = clock.GetUtcNow();

        var calls = Enumerable.Range(0, 5).Select(_ => host.Chat.GetResponseAsync(Prompt, null, Ct)).ToList();
        await WaitUntilAsync(() => calls.Count(c => c.IsCompletedSuccessfully) == 2, "the first two calls are answered");
        await Task.Delay(150, Ct);
        Assert.Equal(2, fake.Requests.Count);

        // The third request may leave only when the first's minute is over, and then at once.
        clock.Advance(LlmRateLimiter.Window - TimeSpan.FromSeconds(1));
        await Task.Delay(150, Ct);
        Assert.Equal(2, fake.Requests.Count);
        clock.Advance(TimeSpan.FromSeconds(1));
        await WaitUntilAsync(() => fake.Requests.Count == 4, "the third and fourth requests leave at the minute");

        // The fifth waits for the next minute.
        await Task.Delay(150, Ct);
        clock.Advance(LlmRateLimiter.Window - TimeSpan.FromSeconds(1));
        await Task.Delay(150, Ct);
        Assert.Equal(4, fake.Requests.Count);
        clock.Advance(TimeSpan.FromSeconds(1));
        await Task.WhenAll(calls);
        Assert.Equal(5, fake.Requests.Count);
        Assert.Equal(2 * LlmRateLimiter.Window, clock.GetUtcNow() - started);
    }

    [Fact]
    public async Task AWaitingCaller_CanCancel_AndFreesItsPlace()
    {
        var clock = new FakeTimeProvider();
        using var limiter = new LlmRateLimiter(requestsPerMinute: 1, maxConcurrency: 1, clock);
        var first = await limiter.AcquireAsync(Ct);

        // Waits for the concurrency slot; cancelled before it gets one.
        using var cancelSlot = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var waitingForSlot = limiter.AcquireAsync(cancelSlot.Token).AsTask();
        Assert.False(waitingForSlot.IsCompleted);
        await cancelSlot.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waitingForSlot);

        first.Dispose();
        first.Dispose(); // a second release must not free a second slot

        // Gets the slot but waits for the minute window (1 per minute); cancelled there.
        using var cancelWindow = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var waitingForWindow = limiter.AcquireAsync(cancelWindow.Token).AsTask();
        clock.Advance(TimeSpan.FromSeconds(59));
        await Task.Delay(20, Ct);
        Assert.False(waitingForWindow.IsCompleted);
        await cancelWindow.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waitingForWindow);

        // The cancelled waiter gave its slot back: once the minute is over the next caller gets in at once.
        clock.Advance(TimeSpan.FromSeconds(1));
        var next = limiter.AcquireAsync(Ct).AsTask();
        Assert.True(next.IsCompletedSuccessfully);

        // Exactly one slot: a further caller waits even with the window free again.
        clock.Advance(TimeSpan.FromMinutes(5));
        var blocked = limiter.AcquireAsync(Ct).AsTask();
        Assert.False(blocked.IsCompleted);
        (await next).Dispose();
        (await blocked).Dispose();
    }
}
