using System.Text.Json;
using System.Text.Json.Nodes;
using CommerceOS.Core.Billing;
using CommerceOS.Core.Common;
using CommerceOS.Core.Copy;
using CommerceOS.Core.Data;
using CommerceOS.Core.Generation;
using CommerceOS.Core.Jobs;
using CommerceOS.Core.Marketplaces;
using CommerceOS.Core.Video;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Core.Workflows;

/// <summary>What a launcher needs: the run, the step with its merged parameters, and the steps it waited for.</summary>
public sealed record StepLaunchContext(WorkflowRun Run, WorkflowStep Step, SkillDefinition Skill, JsonObject Parameters, IReadOnlyList<WorkflowStep> Dependencies);

/// <summary>What launching a step did.</summary>
public abstract record LaunchOutcome
{
    private LaunchOutcome()
    {
    }

    /// <summary>The step's job was scheduled (and its units reserved) in the engine's transaction.</summary>
    public sealed record Started(Job Job) : LaunchOutcome;

    /// <summary>The step waits for a member's approval; no job.</summary>
    public sealed record AwaitApproval : LaunchOutcome;

    /// <summary>The use case refused (bad input for this product, quota, plan): the step fails with its first error.</summary>
    public sealed record Refused(FieldError Error) : LaunchOutcome;

    public static LaunchOutcome From(Result<Job> result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.IsSuccess ? new Started(result.Value) : new Refused(result.Errors.Count > 0 ? result.Errors[0] : new FieldError("", WorkflowErrors.JobFailed));
    }
}

/// <summary>Runs one <see cref="SkillDefinition.Operation"/> through the product's own use case, so a step is validated, metered and stored exactly as the studio would.</summary>
public interface ISkillLauncher
{
    string Operation { get; }

    Task<LaunchOutcome> LaunchAsync(StepLaunchContext context, CancellationToken cancellationToken);

    /// <summary>Units of a meter the step will reserve, for the quota check before a batch starts; null when it reserves none.</summary>
    (string Meter, long Units)? Estimate(PlannedStep step);
}

/// <summary>Reads a step's merged parameters; the input schema has already checked their types.</summary>
internal static class StepParameters
{
    public static string? Text(this JsonObject parameters, string name) =>
        parameters[name] is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0 ? text : null;

    public static int? Integer(this JsonObject parameters, string name) =>
        parameters[name] is JsonValue value && value.TryGetValue<int>(out var number) ? number : null;

    public static bool? Flag(this JsonObject parameters, string name) =>
        parameters[name] is JsonValue value && value.TryGetValue<bool>(out var flag) ? flag : null;

    public static List<string>? Texts(this JsonObject parameters, string name) =>
        parameters[name] is JsonArray array ? [.. array.Select(n => n?.GetValue<string>() ?? "").Where(t => t.Length > 0)] : null;

    public static TEnum Enum<TEnum>(this JsonObject parameters, string name, TEnum fallback)
        where TEnum : struct, System.Enum =>
        parameters.Text(name) is { } text && System.Enum.TryParse<TEnum>(text, ignoreCase: false, out var value) ? value : fallback;
}

internal sealed class ImageSkillLauncher(AppDbContext db, RequestImages requestImages, IMarketplaceCatalog marketplaces) : ISkillLauncher
{
    public string Operation => SkillOperations.Images;

    public async Task<LaunchOutcome> LaunchAsync(StepLaunchContext context, CancellationToken cancellationToken)
    {
        var input = Input(context.Run.ProductId, context.Step.Marketplace, context.Step.Provider, context.Parameters, sourceAssetId: null);
        if (input.Skill == ImageSkill.Variants)
        {
            // Variants size an image an earlier step made: the first image of the first dependency that made one.
            var source = await FirstMadeByDependenciesAsync(context, skill: null, cancellationToken);
            if (source is null)
            {
                return new LaunchOutcome.Refused(new FieldError("sourceAssetId", GenerationErrors.SourceNotGenerated));
            }

            input = input with { SourceAssetId = source };
        }
        else if (input.Skill != ImageSkill.Cutout && ImageSkills.NeedsCutout(input.Skill)
            && await FirstMadeByDependenciesAsync(context, ImageSkills.Id(ImageSkill.Cutout), cancellationToken) is { } cutout)
        {
            // A white-background step this one waited for already cut the photo out; the job checks it still fits.
            input = input with { Options = input.Options with { CutoutAssetId = cutout } };
        }

        return LaunchOutcome.From(await requestImages.HandleAsync(input, cancellationToken));
    }

    private Task<Guid?> FirstMadeByDependenciesAsync(StepLaunchContext context, string? skill, CancellationToken cancellationToken)
    {
        var jobs = context.Dependencies.Where(d => d.JobId is not null).Select(d => d.JobId!.Value).ToList();
        return db.Assets.AsNoTracking()
            .Where(a => a.JobId != null && jobs.Contains(a.JobId.Value) && a.ProductId == context.Run.ProductId && a.ContentType.StartsWith("image/"))
            .Where(a => skill == null || a.Skill == skill)
            .OrderBy(a => a.CreatedAt).ThenBy(a => a.Id)
            .Select(a => (Guid?)a.Id)
            .FirstOrDefaultAsync(cancellationToken);
    }

    public (string Meter, long Units)? Estimate(PlannedStep step)
    {
        var input = Input(Guid.Empty, step.Marketplace, step.Provider, step.Parameters, sourceAssetId: Guid.Empty);
        return (Meters.Images, Math.Max(1, ImagePlanner.Plan(input, marketplaces).Count));
    }

    private static ImageJobInput Input(Guid productId, string? marketplace, string? provider, JsonObject parameters, Guid? sourceAssetId)
    {
        var skill = parameters.Enum("skill", ImageSkill.MainImage);
        var options = new ImageJobOptions(
            Shadow: parameters.Flag("shadow") ?? true,
            Style: parameters.Enum("style", StudioStyle.Gradient),
            SceneId: parameters.Text("sceneId"),
            Prompt: parameters.Text("prompt"),
            Layout: parameters.Enum("layout", InfographicLayout.Split),
            Language: parameters.Text("language") ?? "en",
            AiCutout: provider == "ai",
            Width: parameters.Integer("width"),
            Height: parameters.Integer("height"),
            Template: parameters.Text("template"));
        return new ImageJobInput(productId, skill == ImageSkill.Variants ? sourceAssetId : null, skill, marketplace is null ? [] : [marketplace], options);
    }
}

internal sealed class VideoSkillLauncher(RequestVideos requestVideos) : ISkillLauncher
{
    public string Operation => SkillOperations.Video;

    public async Task<LaunchOutcome> LaunchAsync(StepLaunchContext context, CancellationToken cancellationToken) =>
        LaunchOutcome.From(await requestVideos.HandleAsync(Input(context.Run.ProductId, context.Step.Provider, context.Parameters), cancellationToken));

    public (string Meter, long Units)? Estimate(PlannedStep step) =>
        (Meters.Videos, Math.Max(1, Input(Guid.Empty, step.Provider, step.Parameters).Formats.Count));

    private static VideoJobInput Input(Guid productId, string? provider, JsonObject parameters) => new(
        productId,
        parameters.Text("template") ?? "showcase",
        parameters.Texts("formats") ?? ["9:16"],
        parameters.Integer("durationSeconds") ?? 15,
        provider == "ai" ? VideoEngines.Ai : VideoEngines.Local,
        Language: parameters.Text("language") ?? "en");
}

internal sealed class CopySkillLauncher(RequestCopy requestCopy) : ISkillLauncher
{
    public string Operation => SkillOperations.Copy;

    public async Task<LaunchOutcome> LaunchAsync(StepLaunchContext context, CancellationToken cancellationToken)
    {
        var parameters = context.Parameters;
        var input = new CopyJobInput(
            context.Run.ProductId,
            context.Step.Marketplace ?? "",
            Language: parameters.Text("language"),
            Tone: parameters.Text("tone"),
            Fields: parameters.Texts("fields"));
        return LaunchOutcome.From(await requestCopy.HandleAsync(input, cancellationToken));
    }

    public (string Meter, long Units)? Estimate(PlannedStep step) => (Meters.Copy, 1);
}

internal sealed class TranslateSkillLauncher(RequestTranslations requestTranslations) : ISkillLauncher
{
    public string Operation => SkillOperations.Translate;

    public async Task<LaunchOutcome> LaunchAsync(StepLaunchContext context, CancellationToken cancellationToken)
    {
        var request = new RequestTranslations.Request(
            context.Run.ProductId,
            context.Step.Marketplace,
            context.Parameters.Text("sourceLanguage"),
            context.Parameters.Texts("targetLanguages"));
        return LaunchOutcome.From(await requestTranslations.HandleAsync(request, cancellationToken));
    }

    public (string Meter, long Units)? Estimate(PlannedStep step) =>
        (Meters.Translations, Math.Max(1, step.Parameters.Texts("targetLanguages")?.Count ?? 1));
}

/// <summary>What the engine's own step jobs (SEO, compliance, export) receive: IDs only.</summary>
public sealed record WorkflowStepJobInput(Guid RunId, Guid StepId, Guid ProductId, string? Marketplace);

/// <summary>Skills whose work is a workflow job of its own, unmetered: SEO keywords, the compliance check, the kit export.</summary>
internal sealed class StepJobLauncher(string operation, string jobKind, AppDbContext db, IJobScheduler scheduler) : ISkillLauncher
{
    public string Operation => operation;

    public async Task<LaunchOutcome> LaunchAsync(StepLaunchContext context, CancellationToken cancellationToken)
    {
        if (!await db.Products.AnyAsync(p => p.Id == context.Run.ProductId, cancellationToken))
        {
            return new LaunchOutcome.Refused(new FieldError("", WorkflowErrors.ProductNotFound));
        }

        var input = new WorkflowStepJobInput(context.Run.Id, context.Step.Id, context.Run.ProductId, context.Step.Marketplace);
        var job = scheduler.Schedule(jobKind, context.Run.WorkspaceId, context.Run.ProductId, input, context.Run.CreatedByUserId);
        await db.SaveChangesAsync(cancellationToken);
        return new LaunchOutcome.Started(job);
    }

    public (string Meter, long Units)? Estimate(PlannedStep step) => null;
}

internal sealed class ApprovalSkillLauncher : ISkillLauncher
{
    public string Operation => SkillOperations.Approval;

    public Task<LaunchOutcome> LaunchAsync(StepLaunchContext context, CancellationToken cancellationToken) =>
        Task.FromResult<LaunchOutcome>(new LaunchOutcome.AwaitApproval());

    public (string Meter, long Units)? Estimate(PlannedStep step) => null;
}

/// <summary>JSON shapes the workflow stores.</summary>
internal static class WorkflowJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static string Write<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static List<string> Strings(string? json) =>
        string.IsNullOrEmpty(json) ? [] : JsonSerializer.Deserialize<List<string>>(json, Options) ?? [];
}
