using CommerceOS.Core.Common;
using CommerceOS.Core.Translation;

namespace CommerceOS.Connectors.Tests.Translation;

/// <summary>
/// Stands in for the database-backed local translator (registered keyed "local"): the seller's earlier
/// translations by exact source, everything else untranslated, after the same shared validation.
/// Counts its calls so a test sees the memory was asked first.
/// </summary>
internal sealed class SellerMemory(Dictionary<string, string> pairs) : ITranslator
{
    public int Calls { get; private set; }

    public string Name => "local";

    public Task<Result<TranslationBatch>> TranslateAsync(TranslationRequest request, CancellationToken cancellationToken)
    {
        Calls++;
        var check = TranslationRequestValidator.Validate(request);
        if (!check.IsSuccess)
        {
            return Task.FromResult<Result<TranslationBatch>>(check.WithoutValue());
        }

        var segments = request.Segments
            .Select((text, i) => pairs.TryGetValue(text, out var target)
                ? new SegmentResult(i, SegmentStatus.MemoryExact, target, Name, 1.0, text)
                : SegmentResult.Untranslated(i, Name, TranslationErrors.NoMemoryMatch))
            .ToList();
        return Task.FromResult<Result<TranslationBatch>>(new TranslationBatch(check.Value.Source.Code, check.Value.Target.Code, segments));
    }
}
