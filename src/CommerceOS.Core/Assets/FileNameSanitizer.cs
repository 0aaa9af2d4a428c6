using System.Globalization;
using System.Text;

namespace CommerceOS.Core.Assets;

/// <summary>
/// Cleans an uploader's file name for storage as metadata (it is never used as a path): keeps the
/// last path segment, drops control, bidi-override and other invisible format characters, and caps
/// the length at 255 characters without splitting a surrogate pair.
/// </summary>
public static class FileNameSanitizer
{
    public const int MaxLength = 255;

    /// <returns>The cleaned name, or null when nothing usable remains.</returns>
    public static string? Sanitize(string? fileName)
    {
        if (string.IsNullOrWhiteSpace(fileName))
        {
            return null;
        }

        var name = fileName;
        var slash = name.LastIndexOfAny(['/', '\\']);
        if (slash >= 0)
        {
            name = name[(slash + 1)..];
        }

        var builder = new StringBuilder(Math.Min(name.Length, MaxLength));
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsHighSurrogate(c) && i + 1 < name.Length && char.IsLowSurrogate(name[i + 1]))
            {
                builder.Append(c).Append(name[++i]);
                continue;
            }

            // Cc: control characters (NUL, CR, LF...); Cf: bidi overrides (U+202E), zero-width and BOM;
            // Cs: lone surrogates. None belongs in a name shown to people or put in a header.
            if (CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate)
            {
                continue;
            }

            builder.Append(c);
        }

        name = builder.ToString().Normalize(NormalizationForm.FormC).Trim();
        if (name.Length > MaxLength)
        {
            var cut = char.IsHighSurrogate(name[MaxLength - 1]) ? MaxLength - 1 : MaxLength;
            name = name[..cut].TrimEnd();
        }

        return name is "" or "." or ".." ? null : name;
    }
}
