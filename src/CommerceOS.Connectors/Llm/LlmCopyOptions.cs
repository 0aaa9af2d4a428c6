using Microsoft.Extensions.Options;

namespace CommerceOS.Connectors.Llm;

/// <summary>Configuration section <c>Providers:Llm:Copy</c>: how the LLM copy engine uses the configured LLM.</summary>
public sealed class LlmCopyOptions
{
    public const string Section = LlmOptions.Section + ":Copy";

    /// <summary>
    /// Calls per listing at most: the first plus repairs, each shown the rules the previous reply broke. Three lets a
    /// model fix a length and then a leftover figure; more mostly spends tokens on a model that cannot count.
    /// </summary>
    public int MaxAttempts { get; set; } = 3;
}

public sealed class LlmCopyOptionsValidator : IValidateOptions<LlmCopyOptions>
{
    public ValidateOptionsResult Validate(string? name, LlmCopyOptions options) =>
        options.MaxAttempts is >= 1 and <= StructuredLlm.MaxAttemptsLimit
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"{LlmCopyOptions.Section}:MaxAttempts must be between 1 and {StructuredLlm.MaxAttemptsLimit}, not {options.MaxAttempts}.");
}
