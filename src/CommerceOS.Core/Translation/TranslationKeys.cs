using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace CommerceOS.Core.Translation;

/// <summary>How memory lookups compare text: the same normalisation for storing and for searching.</summary>
public static class TranslationKeys
{
    /// <summary>
    /// Unicode NFKC (full-width letters and digits become ASCII, so "ＸＲ－５００" equals "XR-500"),
    /// lower case, runs of white space collapsed to one space, trimmed.
    /// </summary>
    public static string Normalize(string text)
    {
        var folded = text.Normalize(NormalizationForm.FormKC).ToLowerInvariant();
        var builder = new StringBuilder(folded.Length);
        var pendingSpace = false;
        foreach (var c in folded)
        {
            if (char.IsWhiteSpace(c))
            {
                pendingSpace = builder.Length > 0;
                continue;
            }

            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }

            builder.Append(c);
        }

        return builder.ToString();
    }

    public static string Hash(string normalized) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normalized)));

    /// <summary>
    /// The comparable form of a masked key: each bracket placeholder becomes one private-use character,
    /// so a placeholder costs one edit, not four, and its number still tells placeholders apart.
    /// </summary>
    public static string Compact(string maskedKey) =>
        PlaceholderStyle.Brackets.Pattern.Replace(maskedKey, m =>
            ((char)(0xE000 + Math.Min(int.Parse(m.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture), 0x17FF))).ToString());
}

public static class TranslationLimits
{
    /// <summary>Matches the longest product field (description, 20,000 characters).</summary>
    public const int MaxSegmentLength = 20_000;

    public const int MaxSegments = 1_000;

    public const int MaxGlossaryTerms = 1_000;

    public const int MaxDoNotTranslateTerms = 500;

    /// <summary>DeepL's per-entry limit is 1024 UTF-8 bytes (external-apis.md §6.3); 200 characters stays under it in any script.</summary>
    public const int MaxTermLength = 200;
}
