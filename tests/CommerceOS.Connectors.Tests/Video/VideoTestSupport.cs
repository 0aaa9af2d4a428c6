using CommerceOS.Connectors.Tests.Support;
using CommerceOS.Connectors.Video;
using CommerceOS.Core.Generation;
using CommerceOS.Core.Video;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CommerceOS.Connectors.Tests.Video;

/// <summary>A video provider built as the host builds it (AddVideoProvider over configuration), with a work folder.</summary>
public sealed class VideoScope : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    public VideoScope(FakeTimeProvider clock, Dictionary<string, string?> settings)
    {
        _services = Providers.Build(clock, settings, (services, configuration) => services.AddVideoProvider(configuration));
        Provider = _services.GetRequiredService<IVideoProvider>();
        Folder = Directory.CreateTempSubdirectory("commerceos-video-test-").FullName;
    }

    public IVideoProvider Provider { get; }

    public string Folder { get; }

    public string NewPath() => Path.Combine(Folder, $"{Guid.NewGuid():N}.mp4");

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        Directory.Delete(Folder, recursive: true);
    }
}

public static class VideoTestSupport
{
    public static readonly byte[] StartFrame = TestPng.Create(32, 48);

    public static VideoGenerationRequest Request(int seconds = 5, string aspect = "9:16", string prompt = "the mug turns slowly on a wooden table", string? negative = null) =>
        new(StartFrame, "image/png", prompt, aspect, seconds, negative);

    /// <summary>
    /// Awaits <paramref name="work"/> while stepping the fake clock, so a back-off, a Retry-After or an attempt timeout
    /// passes at once instead of in real time. The tests' attempt timeout is far longer than any wait they step through.
    /// </summary>
    public static async Task<T> Drive<T>(this FakeTimeProvider clock, Task<T> work, TimeSpan? step = null)
    {
        while (!work.IsCompleted)
        {
            await Task.WhenAny(work, Task.Delay(2, TestContext.Current.CancellationToken));
            if (!work.IsCompleted)
            {
                clock.Advance(step ?? TimeSpan.FromSeconds(1));
            }
        }

        return await work;
    }

    /// <summary>Polls once per interval of the provider (the job's schedule) until done, counting the polls.</summary>
    public static async Task<(ProviderTask Task, int Polls)> PollUntilDoneAsync(this IVideoProvider provider, FakeTimeProvider clock, ProviderTask task, int maxPolls = 20)
    {
        for (var polls = 1; polls <= maxPolls; polls++)
        {
            clock.Advance(provider.PollInterval);
            var poll = await provider.PollAsync(task, TestContext.Current.CancellationToken);
            task = poll.Task;
            if (poll.Done)
            {
                return (task, polls);
            }
        }

        throw new InvalidOperationException($"Not done after {maxPolls} polls.");
    }
}
