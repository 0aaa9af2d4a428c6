using CommerceOS.Core.Common;

namespace CommerceOS.Core.Translation;

/// <summary>The checks every <see cref="ITranslator"/> runs first, so all of them refuse the same requests the same way.</summary>
public static class TranslationRequestValidator
{
    public static Result<(TranslationLanguage Source, TranslationLanguage Target)> Validate(TranslationRequest request)
    {
        var errors = new List<FieldError>();
        var sourceKnown = TranslationLanguages.TryFind(request.SourceLanguage, out var source);
        if (!sourceKnown)
        {
            errors.Add(FieldError.Of("sourceLanguage", TranslationErrors.LanguageUnknown, request.SourceLanguage ?? ""));
        }

        var targetKnown = TranslationLanguages.TryFind(request.TargetLanguage, out var target);
        if (!targetKnown)
        {
            errors.Add(FieldError.Of("targetLanguage", TranslationErrors.LanguageUnknown, request.TargetLanguage ?? ""));
        }

        if (sourceKnown && targetKnown && source == target)
        {
            errors.Add(FieldError.Of("targetLanguage", TranslationErrors.SameLanguage, target.Code));
        }

        if (request.Segments.Count == 0)
        {
            errors.Add(FieldError.Of("segments", TranslationErrors.NoSegments));
        }
        else if (request.Segments.Count > TranslationLimits.MaxSegments)
        {
            errors.Add(FieldError.Of("segments", TranslationErrors.TooManySegments, TranslationLimits.MaxSegments));
        }
        else
        {
            for (var i = 0; i < request.Segments.Count; i++)
            {
                if ((request.Segments[i]?.Length ?? 0) > TranslationLimits.MaxSegmentLength)
                {
                    errors.Add(FieldError.Of($"segments[{i}]", TranslationErrors.SegmentTooLong, TranslationLimits.MaxSegmentLength));
                }
            }
        }

        var glossary = request.Glossary ?? [];
        if (glossary.Count > TranslationLimits.MaxGlossaryTerms)
        {
            errors.Add(FieldError.Of("glossary", TranslationErrors.TooManyTerms, TranslationLimits.MaxGlossaryTerms));
        }
        else
        {
            for (var i = 0; i < glossary.Count; i++)
            {
                if (!IsValidTerm(glossary[i]?.Source) || !IsValidTerm(glossary[i]?.Target))
                {
                    errors.Add(FieldError.Of($"glossary[{i}]", TranslationErrors.TermInvalid, TranslationLimits.MaxTermLength));
                }
            }
        }

        var keep = request.DoNotTranslate ?? [];
        if (keep.Count > TranslationLimits.MaxDoNotTranslateTerms)
        {
            errors.Add(FieldError.Of("doNotTranslate", TranslationErrors.TooManyTerms, TranslationLimits.MaxDoNotTranslateTerms));
        }
        else
        {
            for (var i = 0; i < keep.Count; i++)
            {
                if (!IsValidTerm(keep[i]))
                {
                    errors.Add(FieldError.Of($"doNotTranslate[{i}]", TranslationErrors.TermInvalid, TranslationLimits.MaxTermLength));
                }
            }
        }

        return errors.Count == 0 ? Result.Ok((source, target)) : Result.Invalid(errors);
    }

    /// <summary>Terms travel as one TSV line to DeepL: no tabs or line breaks, and not empty.</summary>
    private static bool IsValidTerm(string? term) =>
        !string.IsNullOrWhiteSpace(term)
        && term.Trim().Length <= TranslationLimits.MaxTermLength
        && !term.Any(c => c is '\t' or '\r' or '\n');
}
