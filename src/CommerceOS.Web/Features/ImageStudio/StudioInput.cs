using CommerceOS.Core.Common;
using CommerceOS.Core.Generation;

namespace CommerceOS.Web.Features.ImageStudio;

/// <summary>Turns the strings of the API body or the studio form into an <see cref="ImageJobInput"/>; one parser for both.</summary>
public static class StudioInput
{
    public const string InvalidValue = "api.invalid_value";

    public static readonly IReadOnlyList<string> Languages = ["en", "zh-CN"];

    public sealed record Parsed(ImageJobInput? Input, IReadOnlyList<FieldError> Errors);

    public static Parsed Parse(Guid productId, string? skill, IReadOnlyList<string>? marketplaces, Guid? sourceAssetId, ImageStudioEndpoints.ImageOptionsRequest? options)
    {
        var errors = new List<FieldError>();
        var parsedSkill = ImageSkills.Parse(skill);
        if (parsedSkill is null)
        {
            errors.Add(new FieldError("skill", GenerationErrors.SkillUnknown));
        }

        var style = ParseEnum(options?.Style, StudioStyle.Gradient, "options.style", GenerationErrors.StyleUnknown, errors);
        var layout = ParseEnum(options?.Layout, InfographicLayout.Split, "options.layout", GenerationErrors.LayoutUnknown, errors);
        var language = options?.Language ?? "en";
        if (!Languages.Contains(language, StringComparer.Ordinal))
        {
            errors.Add(new FieldError("options.language", InvalidValue));
        }

        if (errors.Count > 0)
        {
            return new Parsed(null, errors);
        }

        var input = new ImageJobInput(
            productId,
            sourceAssetId,
            parsedSkill!.Value,
            marketplaces?.Where(m => !string.IsNullOrWhiteSpace(m)).Select(m => m.Trim()).ToList() ?? [],
            new ImageJobOptions(
                Shadow: options?.Shadow ?? true,
                Style: style,
                SceneId: Blank(options?.SceneId),
                SceneAssetId: options?.SceneAssetId,
                Prompt: Blank(options?.Prompt),
                Layout: layout,
                Language: language,
                AiCutout: options?.AiCutout ?? false,
                Width: options?.Width,
                Height: options?.Height,
                Template: Blank(options?.Template)));
        return new Parsed(input, []);
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static T ParseEnum<T>(string? value, T fallback, string field, string code, List<FieldError> errors)
        where T : struct, Enum
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return fallback;
        }

        if (Enum.TryParse<T>(value, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !int.TryParse(value, out _))
        {
            return parsed;
        }

        errors.Add(new FieldError(field, code));
        return fallback;
    }
}
