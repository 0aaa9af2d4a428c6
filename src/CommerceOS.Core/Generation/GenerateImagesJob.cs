using System.Globalization;
using System.Text.Json;
using CommerceOS.Core.Assets;
using CommerceOS.Core.Billing;
using CommerceOS.Core.Catalog;
using CommerceOS.Core.Common;
using CommerceOS.Core.Data;
using CommerceOS.Core.Jobs;
using CommerceOS.Core.Marketplaces;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Core.Generation;

/// <summary>
/// Runs one Image Studio request (<see cref="RequestImages"/>): cut-out, then the skill for every
/// <see cref="PlannedOutput"/>, each stored as a generated asset with provenance (and, for main
/// images, its compliance report). Idempotent: an output already stored by an earlier attempt of
/// the same job is skipped (unique job + output key), and a vendor task accepted by an earlier
/// attempt is polled again instead of paid for twice (<see cref="Job.CheckpointJson"/>).
/// </summary>
public sealed class GenerateImagesJob(
    AppDbContext db,
    IBlobStore blobs,
    IJobScheduler scheduler,
    IMarketplaceCatalog marketplaces,
    ICutoutEngine cutouts,
    IImageComposer composer,
    IImageEncoder encoder,
    IGraphicsRenderer graphics,
    IComplianceChecker compliance,
    IImageProcessor images,
    IEnumerable<IImageProvider> providers,
    TimeProvider time) : IJobHandler
{
    public const string LocalEngine = "local";

    /// <summary>Provenance parameter set to "true" when the file carries the free-plan watermark.</summary>
    public const string WatermarkParameter = "watermark";

    /// <summary>Provenance parameter naming the AI provider and model that cut the product out, when one did.</summary>
    public const string AiCutoutParameter = "aiCutout";

    /// <summary>Under this cut-out confidence the studio suggests the AI cut-out.</summary>
    public const double LowConfidence = 0.6;

    private readonly IImageProvider? _provider = providers.FirstOrDefault();

    public string Kind => RequestImages.JobKind;

    public async Task<string?> ExecuteAsync(Job job, IProgress<double> progress, CancellationToken cancellationToken)
    {
        var input = JsonSerializer.Deserialize<ImageJobInput>(job.InputJson ?? "null", GenerationJson.Options)
            ?? throw new JobRejectedException(JobErrors.UnknownKind, $"Job {job.Id} has no input.");
        var product = await db.Products.AsNoTracking().Include(p => p.Variants)
            .SingleOrDefaultAsync(p => p.Id == input.ProductId, cancellationToken)
            ?? throw new JobRejectedException(CommonErrors.NotFound, $"Product {input.ProductId} does not exist.");
        var brand = product.BrandId is { } brandId
            ? await db.Brands.AsNoTracking().SingleOrDefaultAsync(b => b.Id == brandId, cancellationToken)
            : null;
        var planned = ImagePlanner.Plan(input, marketplaces);
        var done = await db.Assets.Where(a => a.JobId == job.Id && a.OutputKey != null)
            .Select(a => new { a.Id, a.OutputKey }).ToListAsync(cancellationToken);
        var assetIds = done.ToDictionary(a => a.OutputKey!, a => a.Id, StringComparer.Ordinal);
        var watermark = !await db.WorkspaceHasFeatureAsync(PlanFeatures.WatermarkFree, time, cancellationToken);
        var run = new Run(job, input, product, brand, watermark);

        byte[]? source = null;
        if (input.SourceAssetId is { } sourceId && planned.Any(p => !assetIds.ContainsKey(p.Key)))
        {
            source = await ReadAssetAsync(sourceId, cancellationToken);
        }

        progress.Report(0.05);
        if (source is not null && ImageSkills.NeedsCutout(input.Skill))
        {
            run.Cutout = await ReuseCutoutAsync(run, cancellationToken) ?? await CutAsync(run, source, cancellationToken);
        }

        progress.Report(0.3);
        for (var i = 0; i < planned.Count; i++)
        {
            var output = planned[i];
            if (!assetIds.ContainsKey(output.Key))
            {
                var rendered = await RenderAsync(run, output, source, cancellationToken);
                assetIds[output.Key] = await StoreAsync(run, output, rendered, cancellationToken);
            }

            progress.Report(0.3 + (0.7 * (i + 1) / planned.Count));
        }

        return JsonSerializer.Serialize(
            new
            {
                skill = ImageSkills.Id(input.Skill),
                assetIds = planned.Select(p => assetIds[p.Key]).ToList(),
                cutoutConfidence = run.Cutout?.Confidence,
                lowConfidence = run.Cutout?.Confidence < LowConfidence,
            },
            GenerationJson.Options);
    }

    /// <summary>
    /// The earlier cut-out named in the options, when it is exactly what cutting again would give: the same
    /// product and photo, the same engine (local or AI) and no watermark drawn into it. Anything else (or a
    /// blob gone missing) returns null and the photo is cut as usual.
    /// </summary>
    private async Task<CutoutResult?> ReuseCutoutAsync(Run run, CancellationToken cancellationToken)
    {
        if (run.Input.Options.CutoutAssetId is not { } cutoutId)
        {
            return null;
        }

        var cutoutSkill = ImageSkills.Id(ImageSkill.Cutout);
        var asset = await db.Assets.AsNoTracking().SingleOrDefaultAsync(
            a => a.Id == cutoutId && a.ProductId == run.Product.Id && a.Skill == cutoutSkill && a.SourceAssetId == run.Input.SourceAssetId,
            cancellationToken);
        var provenance = asset is null ? null : GenerationJson.Provenance(asset);
        string? aiCutout = null;
        if (provenance is null || IsWatermarked(provenance)
            || provenance.Parameters.TryGetValue(AiCutoutParameter, out aiCutout) != run.Input.Options.AiCutout)
        {
            return null;
        }

        var read = await db.ReadForUseAsync(blobs, time, cutoutId, cancellationToken);
        if (read.Bytes is null)
        {
            return null;
        }

        CutoutResult cut;
        try
        {
            cut = cutouts.FromAlpha(read.Bytes);
        }
        catch (ImageRejectedException)
        {
            return null;
        }

        if (aiCutout is not null)
        {
            run.AiParts.Add(aiCutout);
        }

        // The confidence is the original cut's, not that of the clean alpha it left behind.
        return cut with { Confidence = provenance.CutoutConfidence ?? cut.Confidence };
    }

    private async Task<CutoutResult> CutAsync(Run run, byte[] source, CancellationToken cancellationToken)
    {
        CutoutResult cut;
        try
        {
            if (run.Input.Options.AiCutout)
            {
                var provider = _provider is { SupportsBackgroundRemoval: true } p ? p
                    : throw new JobRejectedException(GenerationErrors.AiCutoutUnavailable, "No provider with background removal is configured.");
                var removed = await CallProviderAsync(
                    run,
                    "cutout",
                    (resume, saved, ct) => provider.RemoveBackgroundAsync(source, resume, saved, ct),
                    cancellationToken);
                run.AiParts.Add($"{removed.Provider}:{removed.Model}");
                cut = cutouts.FromAlpha(removed.Bytes);
            }
            else
            {
                cut = cutouts.Cut(source);
            }
        }
        catch (ImageRejectedException e)
        {
            throw new JobRejectedException(GenerationErrors.SourceUnreadable, e.Detail);
        }

        // Confidence 0 is the engines' "nothing separable" (a busy or product-less photo, an opaque matte):
        // the whole frame would come back as the product.
        return cut.Confidence > 0
            ? cut
            : throw new JobRejectedException(GenerationErrors.NoProductFound, "The cut-out found no product.");
    }

    private async Task<Rendered> RenderAsync(Run run, PlannedOutput output, byte[]? source, CancellationToken cancellationToken)
    {
        var input = run.Input;
        var options = input.Options;
        var style = new BrandStyle(
            run.Brand?.Palette ?? [],
            run.Brand?.Fonts.Heading ?? BrandFontFamilies.Default,
            run.Brand?.Fonts.Body ?? BrandFontFamilies.Default);
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["width"] = output.Width.ToString(CultureInfo.InvariantCulture),
            ["height"] = output.Height.ToString(CultureInfo.InvariantCulture),
        };
        var engine = LocalEngine;
        string? model = ImageSkills.Id(input.Skill) + "/1";
        var sourceType = DigitalSourceType.CompositeSynthetic;
        string? prompt = null;
        OutputSpec Spec(bool watermark) => new(output.Format, new XmpProvenance(sourceType, engine, model), watermark, MaxBytes: output.MaxBytes);

        EncodedImage image;
        ComplianceReport? report = null;
        var watermarked = run.Watermark;
        try
        {
            switch (input.Skill)
            {
                case ImageSkill.Cutout:
                    image = encoder.Encode(run.Cutout!.Product, Spec(run.Watermark));
                    break;
                case ImageSkill.MainImage:
                    var profile = marketplaces.Find(output.Marketplace!)!;
                    var shadow = options.Shadow && profile.Main.ShadowAllowed;
                    parameters["shadow"] = shadow ? "true" : "false";
                    parameters["fill"] = profile.Main.TargetFill.ToString(CultureInfo.InvariantCulture);
                    image = composer.MainImage(run.Cutout!.Product, profile.Main, shadow, Spec(watermark: false));

                    // The report is for the image as published: paid plans publish exactly this file; the
                    // free plan's copy carries the watermark, which the report notes instead of failing on.
                    report = compliance.Check(image.Bytes, profile);
                    if (!report.Passed && compliance.Fix(image.Bytes, profile) is { } fix)
                    {
                        image = fix.Image;
                        report = fix.After;
                    }

                    if (run.Watermark)
                    {
                        image = encoder.Finish(image.Bytes, Spec(watermark: true));
                    }

                    break;
                case ImageSkill.Studio:
                    parameters["style"] = options.Style.ToString();
                    image = composer.Studio(run.Cutout!.Product, new StudioRequest(options.Style, output.Width, output.Height, style.Palette), Spec(run.Watermark));
                    break;
                case ImageSkill.Scene:
                    byte[]? background = null;
                    if (options.SceneAssetId is { } sceneAssetId)
                    {
                        parameters["sceneAssetId"] = sceneAssetId.ToString();
                        background = await ReadAssetAsync(sceneAssetId, cancellationToken);
                    }
                    else if (options.Prompt is { Length: > 0 } scenePrompt && _provider is { } provider)
                    {
                        prompt = scenePrompt;
                        var generated = await CallProviderAsync(
                            run,
                            output.Key,
                            (resume, saved, ct) => provider.TextToImageAsync(
                                new TextToImageRequest(ScenePrompt(scenePrompt), output.Width, output.Height, Resume: resume, OnSubmitted: saved), ct),
                            cancellationToken);
                        background = generated.Bytes;
                        (engine, model, sourceType) = (generated.Provider, generated.Model, DigitalSourceType.CompositeWithTrainedAlgorithmicMedia);
                        parameters["providerTask"] = generated.TaskId;
                    }
                    else
                    {
                        prompt = options.Prompt;
                    }

                    var sceneId = background is null && prompt is null ? options.SceneId ?? composer.BuiltInScenes[0].Id : null;
                    if (sceneId is not null)
                    {
                        parameters["scene"] = sceneId;
                    }

                    image = composer.Scene(run.Cutout!.Product, new SceneRequest(output.Width, output.Height, sceneId, background, background is null ? prompt : null, style.Palette), Spec(run.Watermark));
                    break;
                case ImageSkill.Infographic:
                    parameters["layout"] = options.Layout.ToString();
                    parameters["language"] = options.Language;
                    image = graphics.Infographic(
                        run.Cutout!.Product,
                        new InfographicRequest(options.Layout, output.Width, output.Height, run.Product.Title, run.Product.SellingPoints, options.Language, style),
                        Spec(run.Watermark));
                    break;
                case ImageSkill.SizeChart:
                    sourceType = DigitalSourceType.AlgorithmicMedia;
                    var chart = SizeCharts.Build(run.Product);
                    if (chart.Table is null)
                    {
                        throw new JobRejectedException(chart.Error ?? SizeCharts.NoSizes, $"Product {run.Product.Id} has no usable size data.");
                    }

                    var chinese = options.Language.StartsWith("zh", StringComparison.OrdinalIgnoreCase);
                    image = graphics.SizeChart(
                        chart.Table.ToRequest(output.Width, output.Height, run.Product.Title, chinese ? "尺码" : "Size", null, options.Language, style),
                        Spec(run.Watermark));
                    break;
                case ImageSkill.Variants:
                    var origin = await db.Assets.AsNoTracking().SingleAsync(a => a.Id == input.SourceAssetId, cancellationToken);
                    if (GenerationJson.Provenance(origin) is { } inherited)
                    {
                        (engine, model) = (inherited.Engine, inherited.Model);
                        sourceType = Enum.GetValues<DigitalSourceType>().First(t => DigitalSourceTypes.Code(t) == inherited.DigitalSourceType);
                    }

                    parameters["template"] = output.Key[(output.Key.LastIndexOf(':') + 1)..];
                    var originMarked = ImageOutputCarriesMark(origin);
                    watermarked = run.Watermark || originMarked;
                    image = composer.Fit(source!, output.Width, output.Height, Spec(run.Watermark && !originMarked));
                    break;
                default:
                    throw new JobRejectedException(GenerationErrors.SkillUnknown, input.Skill.ToString());
            }
        }
        catch (ImageRejectedException e)
        {
            throw new JobRejectedException(GenerationErrors.SourceUnreadable, e.Detail);
        }

        if (watermarked)
        {
            parameters[WatermarkParameter] = "true";
        }

        if (run.AiParts.Count > 0)
        {
            parameters[AiCutoutParameter] = string.Join(",", run.AiParts);
        }

        if (run.AiParts.Count > 0 && sourceType == DigitalSourceType.CompositeSynthetic)
        {
            sourceType = DigitalSourceType.CompositeWithTrainedAlgorithmicMedia;
        }

        var provenance = new ImageProvenance(
            ImageSkills.Id(input.Skill),
            engine,
            model,
            DigitalSourceTypes.Code(sourceType),
            input.SourceAssetId,
            prompt,
            parameters,
            run.Cutout?.Confidence);
        return new Rendered(image, provenance, report, engine);
    }

    /// <summary>A variant of a free-plan image is cut from a file that already carries the mark.</summary>
    private static bool ImageOutputCarriesMark(Asset origin) => IsWatermarked(GenerationJson.Provenance(origin));

    public static bool IsWatermarked(ImageProvenance? provenance) =>
        provenance?.Parameters.TryGetValue(WatermarkParameter, out var value) == true && value == "true";

    private static string ScenePrompt(string prompt) =>
        $"{prompt}. Empty product photography backdrop, no product, no people, no text, room for an object in the foreground, natural light, photorealistic.";

    private async Task<Guid> StoreAsync(Run run, PlannedOutput output, Rendered rendered, CancellationToken cancellationToken)
    {
        StoredBlob blob;
        using (var content = new MemoryStream(rendered.Image.Bytes, writable: false))
        {
            blob = await blobs.PutAsync(AssetBlobScope.For(run.Job.WorkspaceId), content, cancellationToken);
        }

        var now = time.GetUtcNowForDatabase();
        var asset = new Asset
        {
            WorkspaceId = run.Job.WorkspaceId,
            Kind = AssetKind.Generated,
            ContentType = rendered.Image.ContentType,
            BlobKey = blob.Key,
            ByteSize = blob.Length,
            Width = rendered.Image.Width,
            Height = rendered.Image.Height,
            Sha256 = blob.Sha256,
            Source = rendered.Engine,
            JobId = run.Job.Id,
            ProductId = run.Product.Id,
            SourceAssetId = run.Input.SourceAssetId,
            Skill = ImageSkills.Id(run.Input.Skill),
            Marketplace = output.Marketplace,
            OutputKey = output.Key,
            ProvenanceJson = JsonSerializer.Serialize(rendered.Provenance, GenerationJson.Options),
            ComplianceJson = rendered.Compliance is null ? null : JsonSerializer.Serialize(rendered.Compliance, GenerationJson.Options),
            OriginalFileName = FileNameFor(run, output, rendered.Image.Format),
            CreatedByUserId = run.Job.CreatedByUserId,
            CreatedAt = now,
            LastUsedAt = now,
        };
        db.Assets.Add(asset);
        asset.ThumbnailBlobKey = await ThumbnailAsync(run, rendered.Image, cancellationToken);
        if (asset.ThumbnailBlobKey is null)
        {
            scheduler.Schedule(ThumbnailJob.JobKind, asset.WorkspaceId, asset.Id, createdByUserId: asset.CreatedByUserId);
        }

        await db.SaveChangesAsync(cancellationToken);
        return asset.Id;
    }

    /// <summary>
    /// The gallery thumbnail, made here while the image is in memory rather than by a thumbnail job that reads
    /// the blob back (a batch of a thousand products makes thousands of images). Should our own output not
    /// decode, the thumbnail job tries later and reports it.
    /// </summary>
    private async Task<string?> ThumbnailAsync(Run run, EncodedImage image, CancellationToken cancellationToken)
    {
        EncodedImage thumbnail;
        try
        {
            thumbnail = images.Thumbnail(image.Bytes, ImageLimits.ThumbnailMaxSide);
        }
        catch (ImageRejectedException)
        {
            return null;
        }

        using var content = new MemoryStream(thumbnail.Bytes, writable: false);
        return (await blobs.PutAsync(AssetBlobScope.For(run.Job.WorkspaceId), content, cancellationToken)).Key;
    }

    /// <summary>A download name a seller recognises: SKU, skill, marketplace and size (sanitised like uploads).</summary>
    private static string FileNameFor(Run run, PlannedOutput output, ImageFormat format)
    {
        var extension = format switch
        {
            ImageFormat.Png => "png",
            ImageFormat.WebP => "webp",
            _ => "jpg",
        };
        var name = output.Key.Replace(':', '-');
        return FileNameSanitizer.Sanitize($"{run.Product.Sku}-{name}.{extension}") ?? $"{name}.{extension}";
    }

    /// <summary>
    /// Calls a vendor with the task an earlier attempt saved (if any), saving a newly accepted task
    /// before polling. A failure retrying cannot fix, or the last attempt's failure, becomes a
    /// rejection with a code the seller sees in their language; the quota is released by the runner.
    /// </summary>
    private async Task<ProviderImage> CallProviderAsync(
        Run run,
        string key,
        Func<ProviderTask?, Func<ProviderTask, CancellationToken, Task>, CancellationToken, Task<ProviderImage>> call,
        CancellationToken cancellationToken)
    {
        var checkpoint = await LoadCheckpointAsync(run.Job.Id, cancellationToken);
        checkpoint.TryGetValue(key, out var resume);
        try
        {
            return await call(
                resume,
                async (task, ct) =>
                {
                    checkpoint[key] = task;
                    var json = JsonSerializer.Serialize(checkpoint, GenerationJson.Options);
                    await db.Jobs.Where(j => j.Id == run.Job.Id).ExecuteUpdateAsync(s => s.SetProperty(j => j.CheckpointJson, json), ct);
                },
                cancellationToken);
        }
        catch (ProviderException e)
        {
            // A task that may still finish (rate limit, blip, slow queue) is polled again by the next
            // attempt; a dead one (the adapters report ResultExpired: vendor error, unknown task,
            // expired result) or a refusal is dropped, so a retry submits afresh.
            var keep = e.IsRetryable && e.Failure != ProviderFailure.ResultExpired;
            if (!keep && checkpoint.Remove(key))
            {
                var json = JsonSerializer.Serialize(checkpoint, GenerationJson.Options);
                await db.Jobs.Where(j => j.Id == run.Job.Id).ExecuteUpdateAsync(s => s.SetProperty(j => j.CheckpointJson, json), CancellationToken.None);
            }

            if (e.IsRetryable && run.Job.Attempts < run.Job.MaxAttempts)
            {
                throw;
            }

            throw new JobRejectedException(GenerationErrors.For(e.Failure), e.Message);
        }
    }

    private async Task<Dictionary<string, ProviderTask>> LoadCheckpointAsync(Guid jobId, CancellationToken cancellationToken)
    {
        var json = await db.Jobs.AsNoTracking().Where(j => j.Id == jobId).Select(j => j.CheckpointJson).SingleAsync(cancellationToken);
        return json is null
            ? new Dictionary<string, ProviderTask>(StringComparer.Ordinal)
            : JsonSerializer.Deserialize<Dictionary<string, ProviderTask>>(json, GenerationJson.Options) ?? new Dictionary<string, ProviderTask>(StringComparer.Ordinal);
    }

    private async Task<byte[]> ReadAssetAsync(Guid assetId, CancellationToken cancellationToken)
    {
        var read = await db.ReadForUseAsync(blobs, time, assetId, cancellationToken);
        return read.Bytes ?? throw new JobRejectedException(
            read.Failure switch
            {
                AssetReadFailure.NotFound => AssetErrorCodes.NotFound,
                AssetReadFailure.BlobMissing => AssetErrorCodes.BlobMissing,
                _ => AssetErrorCodes.BlobCorrupt,
            },
            read.Detail ?? "");
    }

    private sealed class Run(Job job, ImageJobInput input, Product product, Brand? brand, bool watermark)
    {
        public Job Job { get; } = job;

        public ImageJobInput Input { get; } = input;

        public Product Product { get; } = product;

        public Brand? Brand { get; } = brand;

        public bool Watermark { get; } = watermark;

        public CutoutResult? Cutout { get; set; }

        /// <summary>Vendor models that contributed (e.g. an AI cut-out): the output is then AI-assisted.</summary>
        public List<string> AiParts { get; } = [];
    }

    private sealed record Rendered(EncodedImage Image, ImageProvenance Provenance, ComplianceReport? Compliance, string Engine);
}
