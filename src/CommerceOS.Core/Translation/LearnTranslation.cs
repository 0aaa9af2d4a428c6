using CommerceOS.Core.Common;
using CommerceOS.Core.Data;
using CommerceOS.Core.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Core.Translation;

/// <summary>
/// Stores the seller's translation of a segment (a correction of a machine or memory translation, or
/// an approval) in the workspace's memory; a later pair for the same source text replaces the earlier
/// one. Editors and above.
/// </summary>
public sealed class LearnTranslation(AppDbContext db, WorkspaceContext workspace, TimeProvider timeProvider)
{
    /// <param name="DoNotTranslate">The same terms the translation request used (brand names), so the
    /// entry is keyed the way later lookups key their segments.</param>
    public sealed record Request(string SourceLanguage, string TargetLanguage, string SourceText, string TargetText, IReadOnlyList<string>? DoNotTranslate = null);

    /// <returns>The entry's id; Invalid or Forbidden.</returns>
    public async Task<Result<Guid>> HandleAsync(Request request, CancellationToken cancellationToken)
    {
        if (!workspace.Can(WorkspaceRole.Editor))
        {
            return Result.Forbidden();
        }

        var check = TranslationRequestValidator.Validate(new TranslationRequest(
            request.SourceLanguage, request.TargetLanguage, [request.SourceText ?? ""], DoNotTranslate: request.DoNotTranslate));
        var errors = check.IsSuccess ? [] : check.Errors.ToList();
        if (string.IsNullOrWhiteSpace(request.SourceText))
        {
            errors.Add(FieldError.Of("sourceText", TranslationErrors.NoSegments));
        }

        if (string.IsNullOrWhiteSpace(request.TargetText))
        {
            errors.Add(FieldError.Of("targetText", TranslationErrors.TargetRequired));
        }
        else if (request.TargetText.Length > TranslationLimits.MaxSegmentLength)
        {
            errors.Add(FieldError.Of("targetText", TranslationErrors.SegmentTooLong, TranslationLimits.MaxSegmentLength));
        }

        if (errors.Count > 0)
        {
            return Result.Invalid(errors);
        }

        var (source, target) = check.Value;
        var sourceText = (request.SourceText ?? "").Trim();
        var targetText = (request.TargetText ?? "").Trim();
        var key = MemoryKey.For(sourceText, request.DoNotTranslate);
        var maskedTarget = MaskTarget(targetText, key.Source.Spans);
        var now = timeProvider.GetUtcNowForDatabase();

        for (var attempt = 0; ; attempt++)
        {
            var entry = await db.TranslationMemory.FirstOrDefaultAsync(
                e => e.SourceLanguage == source.Code && e.TargetLanguage == target.Code && e.SourceTextHash == key.TextHash,
                cancellationToken);
            if (entry is null)
            {
                entry = new TranslationMemoryEntry
                {
                    WorkspaceId = workspace.RequiredWorkspaceId,
                    SourceLanguage = source.Code,
                    TargetLanguage = target.Code,
                    SourceKeyHash = key.KeyHash,
                    SourceTextHash = key.TextHash,
                    SourceKey = key.MaskedKey,
                    SourceText = sourceText,
                    TargetText = targetText,
                    CreatedAt = now,
                };
                db.TranslationMemory.Add(entry);
            }

            entry.SourceKeyHash = key.KeyHash;
            entry.SourceKey = key.MaskedKey;
            entry.SourceKeyLength = key.CompactLength;
            entry.SourceText = sourceText;
            entry.TargetText = targetText;
            entry.MaskedTarget = maskedTarget;
            entry.ProtectedValues = key.Source.Spans.Select(s => s.Value).ToList();
            entry.UpdatedAt = now;
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return entry.Id;
            }
            catch (DbUpdateException exception) when (attempt == 0 && UniqueViolation.Is(exception))
            {
                // Another request stored the same source first: update its row instead.
                db.ChangeTracker.Clear();
            }
        }
    }

    /// <summary>
    /// The target with each protected source value replaced by its placeholder, or null when a value is
    /// not in the target verbatim: substituting other values into such a translation could keep a
    /// stale size or model number.
    /// </summary>
    internal static string? MaskTarget(string target, IReadOnlyList<ProtectedSpan> spans)
    {
        if (PlaceholderStyle.Brackets.Pattern.IsMatch(target))
        {
            return null;
        }

        var found = new List<(int Start, int Length, int Index)>();
        foreach (var span in spans.OrderByDescending(s => s.Value.Length))
        {
            var from = 0;
            var placed = false;
            while (!placed && from <= target.Length)
            {
                var at = target.IndexOf(span.Value, from, StringComparison.OrdinalIgnoreCase);
                if (at < 0)
                {
                    break;
                }

                if (!found.Any(f => at < f.Start + f.Length && f.Start < at + span.Value.Length))
                {
                    found.Add((at, span.Value.Length, span.Index));
                    placed = true;
                }

                from = at + 1;
            }

            if (!placed)
            {
                return null;
            }
        }

        found.Sort((a, b) => a.Start.CompareTo(b.Start));
        var builder = new System.Text.StringBuilder(target.Length);
        var position = 0;
        foreach (var (start, length, index) in found)
        {
            builder.Append(target, position, start - position).Append(PlaceholderStyle.Brackets.Format(index));
            position = start + length;
        }

        builder.Append(target, position, target.Length - position);
        return builder.ToString();
    }
}
