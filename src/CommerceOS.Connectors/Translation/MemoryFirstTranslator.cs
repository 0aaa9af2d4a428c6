using CommerceOS.Core.Common;
using CommerceOS.Core.Translation;

namespace CommerceOS.Connectors.Translation;

/// <summary>
/// The seller's translation memory first, a remote provider (DeepL, the LLM) for the rest: the memory
/// translator answers every segment it can (exact and fuzzy matches, glossary, protected-only text) and
/// only its <see cref="SegmentStatus.Untranslated"/> segments are sent on, so the seller's own
/// corrections win over machine output and are not paid for again. Results keep request order; a remote
/// provider that fails as a whole throws as it would alone (<see cref="TranslationProviderException"/>).
/// </summary>
/// <param name="memory">The local translator (registered keyed <c>"local"</c>).</param>
public sealed class MemoryFirstTranslator(ITranslator memory, ITranslator remote) : ITranslator
{
    /// <summary>The remote provider's name: it is what the host is configured with.</summary>
    public string Name => remote.Name;

    /// <summary>The provider behind the memory.</summary>
    public ITranslator Remote => remote;

    public Task<Result<TranslationBatch>> TranslateAsync(TranslationRequest request, CancellationToken cancellationToken) =>
        TranslateAsync(request, null, cancellationToken);

    public async Task<Result<TranslationBatch>> TranslateAsync(TranslationRequest request, Guid? jobId, CancellationToken cancellationToken)
    {
        var fromMemory = await memory.TranslateAsync(request, jobId, cancellationToken);
        if (!fromMemory.IsSuccess)
        {
            // Both run the same TranslationRequestValidator: an invalid request is invalid for either.
            return fromMemory;
        }

        var batch = fromMemory.Value;
        var open = batch.Segments.Where(s => s.Status == SegmentStatus.Untranslated).Select(s => s.Index).ToList();
        if (open.Count == 0)
        {
            return batch;
        }

        var rest = request with { Segments = open.Select(i => request.Segments[i]).ToList() };
        var fromRemote = await remote.TranslateAsync(rest, jobId, cancellationToken);
        if (!fromRemote.IsSuccess)
        {
            return fromRemote;
        }

        var merged = batch.Segments.ToArray();
        var remoteSegments = fromRemote.Value.Segments;
        if (remoteSegments.Count != open.Count)
        {
            throw new InvalidOperationException($"{remote.Name} answered {remoteSegments.Count} segments for {open.Count}.");
        }

        for (var k = 0; k < open.Count; k++)
        {
            merged[open[k]] = remoteSegments[k] with { Index = open[k] };
        }

        return batch with { Segments = merged };
    }
}
