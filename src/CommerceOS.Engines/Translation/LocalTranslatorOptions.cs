using Microsoft.Extensions.Options;

namespace CommerceOS.Engines.Translation;

/// <summary>Configuration section <c>TranslationMemory</c>: how the local translator matches.</summary>
public sealed class LocalTranslatorOptions
{
    public const string Section = "TranslationMemory";

    /// <summary>Lowest similarity (0.5-1.0) at which a memory entry for a different text is offered, flagged fuzzy.</summary>
    public double FuzzyThreshold { get; set; } = 0.75;

    /// <summary>Most entries compared per segment (newest first among those of a compatible length).</summary>
    public int MaxFuzzyCandidates { get; set; } = 500;

    /// <summary>Longer segments (in characters) are matched exactly only: whole descriptions rarely match fuzzily and cost the most.</summary>
    public int MaxFuzzyLength { get; set; } = 2_000;
}

public sealed class LocalTranslatorOptionsValidator : IValidateOptions<LocalTranslatorOptions>
{
    public ValidateOptionsResult Validate(string? name, LocalTranslatorOptions options)
    {
        var failures = new List<string>();
        if (double.IsNaN(options.FuzzyThreshold) || options.FuzzyThreshold is < 0.5 or > 1.0)
        {
            failures.Add($"TranslationMemory:FuzzyThreshold must be between 0.5 and 1.0 (1.0 turns fuzzy matching off), not {options.FuzzyThreshold}.");
        }

        if (options.MaxFuzzyCandidates is < 1 or > 10_000)
        {
            failures.Add("TranslationMemory:MaxFuzzyCandidates must be between 1 and 10000.");
        }

        if (options.MaxFuzzyLength is < 1 or > 20_000)
        {
            failures.Add("TranslationMemory:MaxFuzzyLength must be between 1 and 20000.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
