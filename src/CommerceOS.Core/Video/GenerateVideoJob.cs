using System.Text.Json;
using CommerceOS.Core.Assets;
using CommerceOS.Core.Billing;
using CommerceOS.Core.Catalog;
using CommerceOS.Core.Common;
using CommerceOS.Core.Data;
using CommerceOS.Core.Generation;
using CommerceOS.Core.Jobs;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Core.Video;

/// <summary>Where a remote video task stands, saved in <see cref="Job.CheckpointJson"/> before every wait.</summary>
public sealed record VideoCheckpoint(ProviderTask? Task, DateTime? SubmittedAt, bool Done);

/// <summary>
/// Runs one Video Studio request (<see cref="RequestVideos"/>): renders every requested format locally with ffmpeg, or has
/// the configured AI provider make a clip and conforms it to each format, then stores the video, its cover and its subtitle
/// files as assets with provenance and the channel checks, plus a smaller copy for each channel whose frame or file size
/// limit the video breaks (Shopee's 1280 px box, TikTok Shop's 10 MB). Idempotent: a format already stored by an earlier attempt is
/// skipped. A remote task is submitted once, persisted, and polled one request per run of the job (the job goes back to
/// the queue between polls, holding no worker thread). Temporary files live in a per-job folder deleted however the run ends.
/// </summary>
public sealed class GenerateVideoJob(
    AppDbContext db,
    IBlobStore blobs,
    IImageProcessor imageProcessor,
    IVideoRenderer renderer,
    IVideoFitter fitter,
    IEnumerable<IVideoProvider> providers,
    VideoWorkFolders folders,
    TimeProvider time) : IJobHandler
{
    public const string LocalEngine = "local";

    private readonly IVideoProvider? _provider = providers.FirstOrDefault();

    public string Kind => RequestVideos.JobKind;

    public async Task<string?> ExecuteAsync(Job job, IProgress<double> progress, CancellationToken cancellationToken)
    {
        var input = JsonSerializer.Deserialize<VideoJobInput>(job.InputJson ?? "null", GenerationJson.Options)
            ?? throw new JobRejectedException(JobErrors.UnknownKind, $"Job {job.Id} has no input.");
        var product = await db.Products.AsNoTracking().SingleOrDefaultAsync(p => p.Id == input.ProductId, cancellationToken)
            ?? throw new JobRejectedException(CommonErrors.NotFound, $"Product {input.ProductId} does not exist.");
        var brand = product.BrandId is { } brandId
            ? await db.Brands.AsNoTracking().SingleOrDefaultAsync(b => b.Id == brandId, cancellationToken)
            : null;
        var template = VideoTemplates.Find(input.Template)
            ?? throw new JobRejectedException(VideoErrors.TemplateUnknown, $"Unknown template {input.Template}.");
        var stored = await StoredFormatsAsync(job.Id, cancellationToken);
        var remaining = input.Formats.Where(f => !stored.ContainsKey(f)).ToList();
        if (remaining.Count == 0)
        {
            return Output(stored, input);
        }

        var remote = input.Engine == VideoEngines.Ai;
        if (remote && _provider is null)
        {
            throw new JobRejectedException(VideoErrors.AiUnavailable, "No video provider is configured any more.");
        }

        var folder = folders.Create(job.Id);
        try
        {
            string? clip = null;
            ProviderVideo? delivered = null;
            if (remote)
            {
                delivered = await RemoteClipAsync(job, input, product, folder, progress, cancellationToken);
                clip = delivered.Path;
            }

            var images = remote ? [] : await WriteImagesAsync(input.Images ?? [], folder, cancellationToken);
            var logo = brand?.LogoAssetId is { } logoId ? await WriteAssetAsync(logoId, Path.Combine(folder, "logo"), required: false, cancellationToken) : null;
            var music = input.MusicAssetId is { } musicId ? await WriteAssetAsync(musicId, Path.Combine(folder, "music.m4a"), required: true, cancellationToken) : null;
            var (primary, accent) = BrandColours(brand);
            var watermark = !await db.WorkspaceHasFeatureAsync(PlanFeatures.WatermarkFree, time, cancellationToken);
            var start = remote ? 0.5 : 0.05;
            for (var i = 0; i < remaining.Count; i++)
            {
                var format = VideoFormats.Find(remaining[i])
                    ?? throw new JobRejectedException(VideoErrors.FormatUnknown, $"Unknown format {remaining[i]}.");
                var work = Directory.CreateDirectory(Path.Combine(folder, $"f{i}")).FullName;
                var spec = new VideoRenderSpec(
                    template,
                    format,
                    TimeSpan.FromSeconds(input.DurationSeconds),
                    images,
                    input.Title,
                    input.Captions ?? [],
                    input.Points ?? [],
                    input.Language,
                    primary,
                    accent,
                    brand?.Name,
                    logo,
                    music,
                    VideoLabels.For(input.Language),
                    work,
                    watermark);
                var share = (1 - start) / remaining.Count;
                var slice = new Progress<double>(p => progress.Report(start + (share * (i + Math.Clamp(p, 0, 1)))));
                var rendered = await RenderAsync(job, spec, clip, slice, cancellationToken);
                stored[format.Id] = await StoreAsync(job, input, product, format, rendered, delivered, watermark, cancellationToken);
                folders.Delete(work);
            }
        }
        finally
        {
            folders.Delete(folder);
        }

        return Output(stored, input);
    }

    private async Task<RenderedVideo> RenderAsync(Job job, VideoRenderSpec spec, string? clip, IProgress<double> progress, CancellationToken cancellationToken)
    {
        try
        {
            return clip is null
                ? await renderer.RenderAsync(spec, progress, cancellationToken)
                : await renderer.ConformAsync(clip, spec, progress, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException and not JobRejectedException && job.Attempts >= job.MaxAttempts)
        {
            // The seller reads a reason, never ffmpeg's stderr; the exception text stays in the log of earlier attempts.
            throw new JobRejectedException(VideoErrors.RenderFailed, exception.Message);
        }
    }

    /// <summary>
    /// Submits (once) or polls (once) the remote task; between polls the job goes back to the queue through
    /// <see cref="JobPollLaterException"/>. Returns the downloaded clip when the task is done.
    /// </summary>
    private async Task<ProviderVideo> RemoteClipAsync(Job job, VideoJobInput input, Product product, string folder, IProgress<double> progress, CancellationToken cancellationToken)
    {
        var provider = _provider!;
        var checkpoint = await LoadCheckpointAsync(job.Id, cancellationToken);
        var now = time.GetUtcNowForDatabase();
        try
        {
            if (checkpoint.Task is null)
            {
                var firstImage = input.Images is { Count: > 0 } chosen ? chosen[0] : Guid.Empty;
                var image = await ReadAssetAsync(firstImage, required: true, cancellationToken);
                var request = new VideoGenerationRequest(
                    image!,
                    ContentType(imageProcessor.Probe(image!).Format),
                    VideoPrompts.For(input, product),
                    AspectRatio(input.Formats),
                    input.DurationSeconds,
                    VideoPrompts.Negative);
                var task = await provider.SubmitAsync(request, cancellationToken);
                await SaveCheckpointAsync(job.Id, new VideoCheckpoint(task, now, Done: false));
                progress.Report(0.05);
                throw new JobPollLaterException(provider.PollInterval);
            }

            if (!checkpoint.Done)
            {
                var elapsed = now - (checkpoint.SubmittedAt ?? now);
                if (elapsed > provider.Timeout)
                {
                    await SaveCheckpointAsync(job.Id, checkpoint with { Task = null });
                    throw new JobRejectedException(GenerationErrors.ProviderTimeout, $"{provider.Name} did not finish within {provider.Timeout}.");
                }

                var poll = await provider.PollAsync(checkpoint.Task, cancellationToken);
                checkpoint = checkpoint with { Task = poll.Task, Done = poll.Done };
                await SaveCheckpointAsync(job.Id, checkpoint);
                if (!poll.Done)
                {
                    // No vendor reports a usable percentage: show time against the deadline, up to half the bar.
                    progress.Report(Math.Min(0.45, 0.05 + (0.4 * elapsed / provider.Timeout)));
                    throw new JobPollLaterException(provider.PollInterval);
                }
            }

            progress.Report(0.45);
            return await provider.DownloadAsync(checkpoint.Task!, Path.Combine(folder, "clip.mp4"), cancellationToken);
        }
        catch (ProviderException e)
        {
            // A task that may still finish is polled again by the next attempt; a dead or refused one is dropped.
            if (!e.IsRetryable || e.Failure == ProviderFailure.ResultExpired)
            {
                await SaveCheckpointAsync(job.Id, new VideoCheckpoint(null, null, Done: false));
            }

            if (e.IsRetryable && e.Failure != ProviderFailure.ResultExpired && job.Attempts < job.MaxAttempts)
            {
                throw;
            }

            throw new JobRejectedException(GenerationErrors.For(e.Failure), e.Message);
        }
    }

    /// <summary>The one ratio asked of the model: vertical when any requested format is vertical, else wide or square.</summary>
    private static string AspectRatio(IReadOnlyList<string> formats) =>
        formats.Contains(VideoFormats.Vertical.Id) || formats.Contains(VideoFormats.Portrait.Id) ? "9:16"
        : formats.Contains(VideoFormats.Landscape.Id) ? "16:9"
        : "1:1";

    private async Task<Guid> StoreAsync(Job job, VideoJobInput input, Product product, VideoFormat format, RenderedVideo rendered, ProviderVideo? delivered, bool watermark, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNowForDatabase();
        var cover = await File.ReadAllBytesAsync(rendered.CoverPath, cancellationToken);
        var thumbnail = imageProcessor.Thumbnail(cover, ImageLimits.ThumbnailMaxSide);
        var thumbnailBlob = await PutAsync(job.WorkspaceId, thumbnail.Bytes, cancellationToken);
        var engine = delivered?.Provider ?? LocalEngine;
        var provenance = new ImageProvenance(
            VideoSkills.Video,
            engine,
            delivered?.Model,
            DigitalSourceTypes.Code(delivered is null ? DigitalSourceType.CompositeSynthetic : DigitalSourceType.TrainedAlgorithmicMedia),
            input.Images is { Count: > 0 } shown ? shown[0] : null,
            delivered is null ? null : VideoPrompts.For(input, product),
            new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["template"] = input.Template,
                ["format"] = format.Id,
                ["duration"] = input.DurationSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["language"] = input.Language,
                ["music"] = input.MusicAssetId is null ? "false" : "true",
                ["captions"] = (input.Captions?.Count ?? 0) > 0 ? "true" : "false",
                ["images"] = string.Join(',', input.Images ?? []),
                [GenerateImagesJob.WatermarkParameter] = watermark ? "true" : "false",
            },
            null);
        var provenanceJson = JsonSerializer.Serialize(provenance, GenerationJson.Options);
        var baseName = FileNameSanitizer.Sanitize($"{product.Sku}-{input.Template}-{format.Id.Replace(':', 'x')}") ?? "video";

        var reports = VideoChannelRules.CheckAll(rendered.Probe);
        var video = await NewAssetAsync(job, product, rendered.VideoPath, "video/mp4", format.Width, format.Height, VideoSkills.Video, format.Id, $"{baseName}.mp4", engine, cancellationToken);
        video.ThumbnailBlobKey = thumbnailBlob.Key;
        video.ProvenanceJson = provenanceJson;
        video.ComplianceJson = JsonSerializer.Serialize(reports, GenerationJson.Options);
        db.Assets.Add(video);

        // Made before anything is saved, so a retry after a crash makes the format and its copies again, never half.
        foreach (var report in reports.Where(Fixable))
        {
            var rule = VideoChannelRules.Find(report.Marketplace)!;
            var (width, height) = VideoChannelRules.FitSize(rule, rendered.Probe.Width, rendered.Probe.Height);
            var path = Path.Combine(Path.GetDirectoryName(rendered.VideoPath)!, $"channel-{report.Marketplace}.mp4");
            var fitted = await fitter.FitAsync(rendered.VideoPath, path, width, height, rule.MaxBytes, cancellationToken);
            var copy = await NewAssetAsync(job, product, path, "video/mp4", fitted.Width, fitted.Height, VideoSkills.ChannelCopy, $"{format.Id}/{report.Marketplace}", $"{baseName}-{report.Marketplace}.mp4", engine, cancellationToken);
            copy.SourceAssetId = video.Id;
            copy.Marketplace = report.Marketplace;
            copy.ThumbnailBlobKey = thumbnailBlob.Key;
            copy.ProvenanceJson = provenanceJson;
            copy.ComplianceJson = JsonSerializer.Serialize(new[] { VideoChannelRules.Check(fitted, rule) }, GenerationJson.Options);
            db.Assets.Add(copy);
        }

        var coverAsset = await NewAssetAsync(job, product, rendered.CoverPath, "image/jpeg", format.Width, format.Height, VideoSkills.Cover, $"{format.Id}/cover", $"{baseName}-cover.jpg", engine, cancellationToken);
        coverAsset.ThumbnailBlobKey = thumbnailBlob.Key;
        coverAsset.SourceAssetId = video.Id;
        coverAsset.ProvenanceJson = provenanceJson;
        db.Assets.Add(coverAsset);

        foreach (var (path, contentType, extension) in new[] { (rendered.SrtPath, "application/x-subrip", "srt"), (rendered.VttPath, "text/vtt", "vtt") })
        {
            if (path is not null)
            {
                var subtitles = await NewAssetAsync(job, product, path, contentType, 0, 0, VideoSkills.Subtitles, $"{format.Id}/{extension}", $"{baseName}.{extension}", engine, cancellationToken);
                subtitles.SourceAssetId = video.Id;
                db.Assets.Add(subtitles);
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        return video.Id;
    }

    /// <summary>A channel the video fails only by its frame or file size: a smaller copy passes, a re-render is not needed.</summary>
    private static bool Fixable(VideoChannelReport report) =>
        !report.Passes && report.Issues.Where(i => i.Severity == VideoRuleSeverity.Error)
            .All(i => i.Code is VideoChannelRules.FileTooLarge or VideoChannelRules.ResolutionTooLarge);

    private async Task<Asset> NewAssetAsync(Job job, Product product, string path, string contentType, int width, int height, string skill, string outputKey, string fileName, string engine, CancellationToken cancellationToken)
    {
        StoredBlob blob;
        await using (var content = File.OpenRead(path))
        {
            blob = await blobs.PutAsync(AssetBlobScope.For(job.WorkspaceId), content, cancellationToken);
        }

        var now = time.GetUtcNowForDatabase();
        return new Asset
        {
            WorkspaceId = job.WorkspaceId,
            Kind = AssetKind.Generated,
            ContentType = contentType,
            BlobKey = blob.Key,
            ByteSize = blob.Length,
            Width = width,
            Height = height,
            Sha256 = blob.Sha256,
            Source = engine,
            JobId = job.Id,
            ProductId = product.Id,
            Skill = skill,
            OutputKey = outputKey,
            OriginalFileName = fileName,
            CreatedByUserId = job.CreatedByUserId,
            CreatedAt = now,
            LastUsedAt = now,
        };
    }

    private async Task<StoredBlob> PutAsync(Guid workspaceId, byte[] bytes, CancellationToken cancellationToken)
    {
        using var content = new MemoryStream(bytes, writable: false);
        return await blobs.PutAsync(AssetBlobScope.For(workspaceId), content, cancellationToken);
    }

    private async Task<Dictionary<string, Guid>> StoredFormatsAsync(Guid jobId, CancellationToken cancellationToken)
    {
        var rows = await db.Assets.Where(a => a.JobId == jobId && a.Skill == VideoSkills.Video && a.OutputKey != null)
            .Select(a => new { a.Id, a.OutputKey }).ToListAsync(cancellationToken);
        return rows.ToDictionary(a => a.OutputKey!, a => a.Id, StringComparer.Ordinal);
    }

    private static string Output(Dictionary<string, Guid> stored, VideoJobInput input) =>
        JsonSerializer.Serialize(
            new { videos = input.Formats.Where(stored.ContainsKey).Select(f => new { format = f, assetId = stored[f] }) },
            GenerationJson.Options);

    private async Task<List<string>> WriteImagesAsync(IReadOnlyList<Guid> ids, string folder, CancellationToken cancellationToken)
    {
        var paths = new List<string>(ids.Count);
        for (var i = 0; i < ids.Count; i++)
        {
            var bytes = await ReadAssetAsync(ids[i], required: false, cancellationToken);
            if (bytes is null)
            {
                // A photo deleted since the request: the video is made from the others.
                continue;
            }

            var path = Path.Combine(folder, $"image-{i:00}{Extension(imageProcessor.Probe(bytes).Format)}");
            await File.WriteAllBytesAsync(path, bytes, cancellationToken);
            paths.Add(path);
        }

        return paths.Count == 0 ? throw new JobRejectedException(VideoErrors.SourceUnreadable, "None of the video's images can be read.") : paths;
    }

    private async Task<string?> WriteAssetAsync(Guid assetId, string pathWithoutExtension, bool required, CancellationToken cancellationToken)
    {
        var bytes = await ReadAssetAsync(assetId, required, cancellationToken);
        if (bytes is null)
        {
            return null;
        }

        var path = Path.HasExtension(pathWithoutExtension) ? pathWithoutExtension : pathWithoutExtension + Extension(imageProcessor.Probe(bytes).Format);
        await File.WriteAllBytesAsync(path, bytes, cancellationToken);
        return path;
    }

    /// <summary>The asset's bytes, marking it used (upload retention). Null for a missing optional asset; a corrupt one always fails.</summary>
    private async Task<byte[]?> ReadAssetAsync(Guid assetId, bool required, CancellationToken cancellationToken)
    {
        var read = await db.ReadForUseAsync(blobs, time, assetId, cancellationToken);
        return read.Bytes is not null || (!required && read.Failure != AssetReadFailure.BlobCorrupt)
            ? read.Bytes
            : throw new JobRejectedException(VideoErrors.SourceUnreadable, read.Detail ?? "");
    }

    private static string Extension(ImageFormat format) => format switch
    {
        ImageFormat.Png => ".png",
        ImageFormat.WebP => ".webp",
        ImageFormat.Tiff => ".tif",
        _ => ".jpg",
    };

    private static string ContentType(ImageFormat format) => format switch
    {
        ImageFormat.Png => "image/png",
        ImageFormat.WebP => "image/webp",
        ImageFormat.Tiff => "image/tiff",
        _ => "image/jpeg",
    };

    /// <summary>The brand palette's first two colours, or CommerceOS's neutral pair.</summary>
    private static (string Primary, string Accent) BrandColours(Brand? brand)
    {
        var palette = brand?.Palette.Where(VideoPrompts.IsHexColour).ToList() ?? [];
        return (palette.ElementAtOrDefault(0) ?? "#1F2937", palette.ElementAtOrDefault(1) ?? palette.ElementAtOrDefault(0) ?? "#F59E0B");
    }


    private async Task<VideoCheckpoint> LoadCheckpointAsync(Guid jobId, CancellationToken cancellationToken)
    {
        var json = await db.Jobs.AsNoTracking().Where(j => j.Id == jobId).Select(j => j.CheckpointJson).SingleAsync(cancellationToken);
        return (json is null ? null : JsonSerializer.Deserialize<VideoCheckpoint>(json, GenerationJson.Options)) ?? new VideoCheckpoint(null, null, Done: false);
    }

    private async Task SaveCheckpointAsync(Guid jobId, VideoCheckpoint checkpoint)
    {
        var json = JsonSerializer.Serialize(checkpoint, GenerationJson.Options);
        // Written even while the host stops: the vendor task is paid for and must not be forgotten.
        await db.Jobs.Where(j => j.Id == jobId).ExecuteUpdateAsync(s => s.SetProperty(j => j.CheckpointJson, json), CancellationToken.None);
    }
}
