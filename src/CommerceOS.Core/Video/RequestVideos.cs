using CommerceOS.Core.Assets;
using CommerceOS.Core.Billing;
using CommerceOS.Core.Catalog;
using CommerceOS.Core.Common;
using CommerceOS.Core.Data;
using CommerceOS.Core.Generation;
using CommerceOS.Core.Jobs;
using CommerceOS.Core.Translation;
using CommerceOS.Core.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Core.Video;

/// <summary>
/// Starts a Video Studio request: validates it, chooses the images when the seller did not, reserves one unit of the videos
/// meter per format and schedules the job in one transaction. Editors and above. The job input stores the resolved image
/// list, so a retry renders exactly what was asked for.
/// </summary>
public sealed class RequestVideos(AppDbContext db, WorkspaceContext workspace, MeteredJobs metered, IEnumerable<IVideoProvider> providers)
{
    public const string JobKind = "video.generate";

    /// <summary>Generated image skills a video may show, best first: scenes and studio shots look finished, cut-outs float.</summary>
    private static readonly string[] GeneratedSkills = [ImageSkills.Scene, ImageSkills.Studio, ImageSkills.MainImage];

    public async Task<Result<Job>> HandleAsync(VideoJobInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!workspace.Can(WorkspaceRole.Editor))
        {
            return Result.Forbidden();
        }

        var product = await db.Products.AsNoTracking().FirstOrDefaultAsync(p => p.Id == input.ProductId, cancellationToken);
        if (product is null)
        {
            return Result.NotFound();
        }

        var errors = ValidateShape(input, out var template, out var formats, out var language);
        if (errors.Count > 0)
        {
            return Result.Invalid(errors);
        }

        var points = input.Points is { Count: > 0 } ? Clean(input.Points) : [.. product.SellingPoints.Take(VideoLimits.MaxPoints)];
        if (template == VideoTemplate.Highlights && points.Count == 0)
        {
            return Result.Invalid("points", VideoErrors.NoPoints);
        }

        var images = await ChooseImagesAsync(product, template, input.Images ?? [], cancellationToken);
        if (images.Error is { } imageError)
        {
            return Result.Invalid([imageError]);
        }

        if (input.MusicAssetId is { } musicId && !await db.Assets.AnyAsync(a => a.Id == musicId && a.Skill == VideoSkills.Music, cancellationToken))
        {
            return Result.Invalid("musicAssetId", VideoErrors.MusicNotFound);
        }

        var normalized = input with
        {
            Template = VideoTemplates.Id(template),
            Formats = formats,
            Engine = input.Engine.Trim().ToLowerInvariant(),
            Images = images.Ids,
            Language = language,
            Title = Trimmed(input.Title),
            Captions = Clean(input.Captions ?? []),
            Points = points,
            Prompt = Trimmed(input.Prompt),
        };
        return await metered.ScheduleAsync(JobKind, product.WorkspaceId, product.Id, normalized, workspace.UserId, Meters.Videos, formats.Count, cancellationToken);
    }

    private List<FieldError> ValidateShape(VideoJobInput input, out VideoTemplate template, out List<string> formats, out string language)
    {
        var errors = new List<FieldError>();
        template = VideoTemplates.Find(input.Template) ?? VideoTemplate.Showcase;
        if (VideoTemplates.Find(input.Template) is null)
        {
            errors.Add(FieldError.Of("template", VideoErrors.TemplateUnknown, string.Join(", ", VideoTemplates.All.Select(VideoTemplates.Id))));
        }

        formats = [];
        var requested = input.Formats ?? [];
        if (requested.Count == 0)
        {
            errors.Add(new FieldError("formats", VideoErrors.FormatRequired));
        }

        for (var i = 0; i < requested.Count; i++)
        {
            if (VideoFormats.Find(requested[i]) is { } format)
            {
                if (!formats.Contains(format.Id))
                {
                    formats.Add(format.Id);
                }
            }
            else
            {
                errors.Add(FieldError.Of($"formats[{i}]", VideoErrors.FormatUnknown, string.Join(", ", VideoFormats.All.Select(f => f.Id))));
            }
        }

        var min = (int)VideoFormats.MinDuration.TotalSeconds;
        var max = (int)VideoFormats.MaxDuration.TotalSeconds;
        if (input.DurationSeconds < min || input.DurationSeconds > max)
        {
            errors.Add(FieldError.Of("durationSeconds", VideoErrors.DurationRange, min, max));
        }

        switch (input.Engine?.Trim().ToLowerInvariant())
        {
            case VideoEngines.Local:
                break;
            case VideoEngines.Ai when providers.Any():
                break;
            case VideoEngines.Ai:
                errors.Add(new FieldError("engine", VideoErrors.AiUnavailable));
                break;
            default:
                errors.Add(FieldError.Of("engine", VideoErrors.EngineUnknown, $"{VideoEngines.Local}, {VideoEngines.Ai}"));
                break;
        }

        language = TranslationLanguages.TryFind(input.Language, out var found) ? found.Code : "";
        if (language.Length == 0)
        {
            errors.Add(new FieldError("language", VideoErrors.LanguageUnknown));
        }

        if (input.Title is { } title && title.Trim().Length > VideoLimits.MaxTitleLength)
        {
            errors.Add(FieldError.Of("title", VideoErrors.TextTooLong, VideoLimits.MaxTitleLength));
        }

        if (input.Prompt is { } prompt && prompt.Trim().Length > VideoLimits.MaxPromptLength)
        {
            errors.Add(FieldError.Of("prompt", VideoErrors.PromptTooLong, VideoLimits.MaxPromptLength));
        }

        CheckLines(errors, "captions", input.Captions, VideoLimits.MaxCaptionLines);
        CheckLines(errors, "points", input.Points, VideoLimits.MaxPoints);
        return errors;
    }

    private static void CheckLines(List<FieldError> errors, string field, IReadOnlyList<string>? lines, int maxLines)
    {
        if (lines is null)
        {
            return;
        }

        if (lines.Count > maxLines)
        {
            errors.Add(FieldError.Of(field, VideoErrors.TooManyLines, maxLines));
        }

        for (var i = 0; i < lines.Count; i++)
        {
            if ((lines[i]?.Trim().Length ?? 0) > VideoLimits.MaxLineLength)
            {
                errors.Add(FieldError.Of($"{field}[{i}]", VideoErrors.TextTooLong, VideoLimits.MaxLineLength));
            }
        }
    }

    private sealed record ChosenImages(List<Guid> Ids, FieldError? Error);

    /// <summary>
    /// The seller's images when given (each an image asset of the workspace), else the product's: a turntable and a
    /// before/after use the seller's photos in their order (angles, states); the other templates lead with Image Studio
    /// scenes and studio shots, then the photos.
    /// </summary>
    private async Task<ChosenImages> ChooseImagesAsync(Product product, VideoTemplate template, IReadOnlyList<Guid> requested, CancellationToken cancellationToken)
    {
        var needed = VideoTemplates.MinImages(template);
        if (requested.Count > VideoTemplates.MaxImages)
        {
            return new([], FieldError.Of("images", VideoErrors.TooManyImages, VideoTemplates.MaxImages));
        }

        if (requested.Count > 0)
        {
            var distinct = requested.Distinct().ToList();
            var known = await db.Assets.Where(a => distinct.Contains(a.Id) && a.ContentType.StartsWith("image/"))
                .Select(a => a.Id).ToListAsync(cancellationToken);
            var missing = distinct.FindIndex(id => !known.Contains(id));
            if (missing >= 0)
            {
                return new([], new FieldError($"images[{missing}]", VideoErrors.ImageNotFound));
            }

            return distinct.Count < needed
                ? new([], FieldError.Of("images", VideoErrors.NotEnoughImages, needed))
                : new(distinct, null);
        }

        var photos = await db.ProductPhotos.Where(p => p.ProductId == product.Id).OrderBy(p => p.Position)
            .Select(p => p.AssetId).ToListAsync(cancellationToken);
        var chosen = new List<Guid>();
        if (template is not (VideoTemplate.Turntable or VideoTemplate.BeforeAfter))
        {
            var generated = await db.Assets
                .Where(a => a.ProductId == product.Id && a.Kind == AssetKind.Generated && a.Skill != null && GeneratedSkills.Contains(a.Skill)
                    && a.ContentType.StartsWith("image/") && a.OutputKey != null)
                .Select(a => new { a.Id, a.Skill, a.CreatedAt })
                .ToListAsync(cancellationToken);
            // One per skill and output is enough: variants of the same image would repeat a shot.
            chosen.AddRange(generated.OrderBy(a => Array.IndexOf(GeneratedSkills, a.Skill)).ThenByDescending(a => a.CreatedAt).Select(a => a.Id).Take(VideoTemplates.MaxImages / 2));
        }

        chosen.AddRange(photos.Where(id => !chosen.Contains(id)));
        chosen = [.. chosen.Take(VideoTemplates.MaxImages)];
        return chosen.Count < needed
            ? new([], FieldError.Of("images", VideoErrors.NotEnoughImages, needed))
            : new(chosen, null);
    }

    private static List<string> Clean(IEnumerable<string> lines) =>
        [.. lines.Select(l => l?.Trim() ?? "").Where(l => l.Length > 0)];

    private static string? Trimmed(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}

/// <summary>The <see cref="Asset.Skill"/> values of Video Studio assets.</summary>
public static class VideoSkills
{
    /// <summary>Background music a seller uploaded (AAC, normalised).</summary>
    public const string Music = "music";

    /// <summary>A rendered video; the template id is in its provenance.</summary>
    public const string Video = "video";

    /// <summary>A video's cover frame (JPEG).</summary>
    public const string Cover = "video-cover";

    /// <summary>A video's subtitles (SRT or WebVTT).</summary>
    public const string Subtitles = "video-subtitles";

    /// <summary>A channel-fit copy of a video (smaller frame or file for one marketplace).</summary>
    public const string ChannelCopy = "video-channel";
}
