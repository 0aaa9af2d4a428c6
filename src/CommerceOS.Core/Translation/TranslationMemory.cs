using CommerceOS.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Core.Translation;

/// <summary>The lookup keys of one source segment.</summary>
/// <param name="MaskedKey">Normalised source with bracket placeholders.</param>
/// <param name="CompactLength">Length of the key with each placeholder as one character.</param>
public sealed record MemoryKey(ProtectedText Source, string MaskedKey, string KeyHash, string TextHash, int CompactLength)
{
    /// <summary>Markup is always masked here: the memory compares words, and a tag is never a word.</summary>
    public static MemoryKey For(string source, IReadOnlyCollection<string>? doNotTranslate)
    {
        var protectedText = TermProtector.Protect(source, doNotTranslate, maskMarkup: true);
        var maskedKey = TranslationKeys.Normalize(protectedText.Render(PlaceholderStyle.Brackets));
        return new MemoryKey(
            protectedText,
            maskedKey,
            TranslationKeys.Hash(maskedKey),
            TranslationKeys.Hash(TranslationKeys.Normalize(source)),
            TranslationKeys.Compact(maskedKey).Length);
    }
}

/// <summary>
/// The current workspace's translation memory. Every query goes through the tenant filter of
/// <see cref="AppDbContext"/>, so one workspace never sees another's pairs.
/// </summary>
public sealed class TranslationMemory(AppDbContext db)
{
    /// <summary>Entries whose masked source equals the key, newest first.</summary>
    public Task<List<TranslationMemoryEntry>> FindByKeyAsync(string sourceLanguage, string targetLanguage, string keyHash, CancellationToken cancellationToken) =>
        db.TranslationMemory.AsNoTracking()
            .Where(e => e.SourceLanguage == sourceLanguage && e.TargetLanguage == targetLanguage && e.SourceKeyHash == keyHash)
            .OrderByDescending(e => e.UpdatedAt)
            .Take(20)
            .ToListAsync(cancellationToken);

    /// <summary>Fuzzy candidates: entries whose compact key length lies in [<paramref name="minLength"/>, <paramref name="maxLength"/>], newest first.</summary>
    public Task<List<TranslationMemoryEntry>> FindCandidatesAsync(
        string sourceLanguage, string targetLanguage, int minLength, int maxLength, int limit, CancellationToken cancellationToken) =>
        db.TranslationMemory.AsNoTracking()
            .Where(e => e.SourceLanguage == sourceLanguage && e.TargetLanguage == targetLanguage
                && e.SourceKeyLength >= minLength && e.SourceKeyLength <= maxLength)
            .OrderByDescending(e => e.UpdatedAt)
            .Take(limit)
            .ToListAsync(cancellationToken);

    public Task<int> CountAsync(CancellationToken cancellationToken) => db.TranslationMemory.CountAsync(cancellationToken);
}
