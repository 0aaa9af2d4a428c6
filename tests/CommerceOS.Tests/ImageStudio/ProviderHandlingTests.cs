using System.Net.Http.Json;
using System.Text.Json;
using CommerceOS.Core.Billing;
using CommerceOS.Core.Generation;
using CommerceOS.Engines.Imaging;
using CommerceOS.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using NetVips;
using static CommerceOS.Tests.Api.ApiTestHelpers;

namespace CommerceOS.Tests.ImageStudio;

/// <summary>
/// How an Image Studio job treats a remote provider: provenance of AI scenes, failures told in the
/// seller's terms with the quota given back, and a vendor task resumed instead of paid twice. The
/// vendor adapters themselves are tested against fake vendor servers in CommerceOS.Connectors.Tests.
/// </summary>
public sealed class ProviderHandlingTests
{
    private static readonly Dictionary<string, string?> FastRetries = new()
    {
        ["Jobs:RetryBaseDelay"] = "00:00:00.050",
        ["Jobs:RetryMaxDelay"] = "00:00:00.200",
        ["Jobs:SchedulePollingInterval"] = "00:00:00.200",
    };

    [Fact]
    public async Task PromptScene_WithProvider_StoresProviderProvenanceAndKeepsTheProductPixels()
    {
        var provider = new ScriptedProvider(_ => Background());
        await using var app = await AppFactory.StartAsync(DatabaseKind.Sqlite, FastRetries, s => s.AddSingleton<IImageProvider>(provider));
        using var tenant = await app.CreateApiTenantAsync();
        var (productId, _) = await ImageStudioApiTests.ProductWithPhotoAsync(tenant.Client, "AI-1");

        var jobId = await ImageStudioApiTests.RequestAsync(tenant.Client, productId, new { skill = "scene", options = new { prompt = "marble bathroom counter", width = 1024, height = 768 } });
        await ImageStudioApiTests.WaitForJobAsync(tenant.Client, jobId);

        Assert.Equal("marble bathroom counter", provider.Prompts.Single().Split('.')[0]);
        Assert.Equal((1024, 768), provider.Sizes.Single());
        var image = (await tenant.Client.GetFromJsonAsync<JsonElement>($"/api/v1/products/{productId}/images", Ct)).GetProperty("images")[0];
        var provenance = image.GetProperty("provenance");
        Assert.Equal("scripted", provenance.GetProperty("engine").GetString());
        Assert.Equal("scripted-model-1", provenance.GetProperty("model").GetString());
        Assert.Equal("compositeWithTrainedAlgorithmicMedia", provenance.GetProperty("digitalSourceType").GetString());
        Assert.Equal("marble bathroom counter", provenance.GetProperty("prompt").GetString());
        var bytes = await tenant.Client.GetByteArrayAsync($"/api/v1/assets/{image.GetProperty("assetId").GetGuid()}/content", Ct);
        Assert.Equal(new XmpProvenance(DigitalSourceType.CompositeWithTrainedAlgorithmicMedia, "scripted", "scripted-model-1"), ImageOutput.ReadProvenance(bytes));
        using var decoded = Image.NewFromBuffer(bytes);
        Assert.Equal((1024, 768), (decoded.Width, decoded.Height));
    }

    [Theory]
    [InlineData(ProviderFailure.Moderated, GenerationErrors.ProviderModerated)]
    [InlineData(ProviderFailure.InsufficientCredits, GenerationErrors.ProviderCredits)]
    [InlineData(ProviderFailure.Transient, GenerationErrors.ProviderUnavailable)]
    public async Task FailedGeneration_FailsWithTheSellersReason_AndReleasesTheQuota(ProviderFailure failure, string code)
    {
        var provider = new ScriptedProvider(_ => throw new ProviderException(failure, "vendor said no"));
        await using var app = await AppFactory.StartAsync(DatabaseKind.Sqlite, FastRetries, s => s.AddSingleton<IImageProvider>(provider));
        using var tenant = await app.CreateApiTenantAsync();
        var (productId, _) = await ImageStudioApiTests.ProductWithPhotoAsync(tenant.Client, "FAIL-1");

        var jobId = await ImageStudioApiTests.RequestAsync(tenant.Client, productId, new { skill = "scene", options = new { prompt = "beach" } });
        var job = await ImageStudioApiTests.WaitForTerminalAsync(tenant.Client, jobId);

        Assert.Equal("failed", job.GetProperty("status").GetString());
        Assert.Equal(code, job.GetProperty("lastErrorCode").GetString());
        // Retryable failures are retried up to the job's attempts, refusals are not.
        Assert.Equal(failure == ProviderFailure.Transient ? 5 : 1, provider.Calls);
        await using var scope = app.Services.CreateAsyncScope();
        var usage = await scope.ServiceProvider.GetRequiredService<UsageLedger>().GetUsageAsync(tenant.WorkspaceId, Ct);
        Assert.Equal(0, usage.Single(u => u.Meter == Meters.Images).Used);
        var gallery = await tenant.Client.GetFromJsonAsync<JsonElement>($"/api/v1/products/{productId}/images", Ct);
        Assert.Equal(0, gallery.GetProperty("images").GetArrayLength());
    }

    [Fact]
    public async Task TaskAcceptedBeforeAFailure_IsPolledAgainByTheRetry_NotSubmittedTwice()
    {
        var provider = new ScriptedProvider(call =>
        {
            if (call.Resume is null)
            {
                call.Submitted(new ProviderTask("scripted", "{\"id\":\"task-1\"}"));
                throw new ProviderException(ProviderFailure.Transient, "connection reset while polling");
            }

            Assert.Equal("{\"id\":\"task-1\"}", call.Resume.State);
            return Background();
        });
        await using var app = await AppFactory.StartAsync(DatabaseKind.Sqlite, FastRetries, s => s.AddSingleton<IImageProvider>(provider));
        using var tenant = await app.CreateApiTenantAsync();
        var (productId, _) = await ImageStudioApiTests.ProductWithPhotoAsync(tenant.Client, "RESUME-1");

        var jobId = await ImageStudioApiTests.RequestAsync(tenant.Client, productId, new { skill = "scene", options = new { prompt = "wooden desk" } });
        var job = await ImageStudioApiTests.WaitForJobAsync(tenant.Client, jobId);

        Assert.Equal(2, job.GetProperty("attempts").GetInt32());
        Assert.Equal(1, provider.Submits);
        Assert.Equal(2, provider.Calls);
    }

    /// <summary>A gradient room-like background, as a text-to-image model would return.</summary>
    private static byte[] Background()
    {
        using var xy = Image.Xyz(1024, 768);
        using var y = xy[1];
        using var tone = ((y / 768.0 * 80) + 140).Cast(Enums.BandFormat.Uchar);
        using var rgb = tone.Bandjoin([tone - 10, tone - 30]).Cast(Enums.BandFormat.Uchar).Copy(interpretation: Enums.Interpretation.Srgb);
        return rgb.JpegsaveBuffer(q: 90);
    }

    private sealed record Call(ProviderTask? Resume, Func<ProviderTask, CancellationToken, Task>? OnSubmitted)
    {
        public void Submitted(ProviderTask task) => OnSubmitted!(task, CancellationToken.None).GetAwaiter().GetResult();
    }

    /// <summary>A provider whose answers the test scripts; it records what the job asked for.</summary>
    private sealed class ScriptedProvider(Func<Call, byte[]> answer) : IImageProvider
    {
        private int _calls;
        private int _submits;

        public string Name => "scripted";

        public bool SupportsBackgroundRemoval => false;

        public int Calls => _calls;

        public int Submits => _submits;

        public List<string> Prompts { get; } = [];

        public List<(int, int)> Sizes { get; } = [];

        public Task<ProviderImage> TextToImageAsync(TextToImageRequest request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            if (request.Resume is null)
            {
                Interlocked.Increment(ref _submits);
            }

            lock (Prompts)
            {
                Prompts.Add(request.Prompt);
                Sizes.Add((request.Width, request.Height));
            }

            var bytes = answer(new Call(request.Resume, request.OnSubmitted));
            return Task.FromResult(new ProviderImage(bytes, "image/jpeg", Name, "scripted-model-1", "task-1", 7));
        }

        public Task<ProviderImage> EditImageAsync(ImageEditRequest request, CancellationToken cancellationToken) =>
            throw new ProviderException(ProviderFailure.Misconfigured, "not scripted");

        public Task<ProviderImage> RemoveBackgroundAsync(byte[] image, ProviderTask? resume, Func<ProviderTask, CancellationToken, Task>? onSubmitted, CancellationToken cancellationToken) =>
            throw new ProviderException(ProviderFailure.Misconfigured, "not scripted");
    }
}
