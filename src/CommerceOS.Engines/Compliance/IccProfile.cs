using System.Buffers.Binary;
using System.Text;

namespace CommerceOS.Engines.Compliance;

/// <summary>
/// Reads the description ('desc' tag) of an ICC profile, so "sRGB IEC61966-2.1" can be told from
/// "Display P3" or "Adobe RGB (1998)". The bytes come from an untrusted file: every offset is
/// bounds-checked and anything odd yields null (treated as "not known to be sRGB").
/// </summary>
internal static class IccProfile
{
    private const int HeaderSize = 128;
    private const int MaxTags = 1024;
    private const int MaxDescription = 80;

    public static string? Describe(ReadOnlySpan<byte> icc)
    {
        if (icc.Length < HeaderSize + 4)
        {
            return null;
        }

        var count = BinaryPrimitives.ReadUInt32BigEndian(icc[HeaderSize..]);
        if (count > MaxTags)
        {
            return null;
        }

        for (var i = 0; i < (int)count; i++)
        {
            var entry = HeaderSize + 4 + (i * 12);
            if (entry + 12 > icc.Length)
            {
                return null;
            }

            if (!icc.Slice(entry, 4).SequenceEqual("desc"u8))
            {
                continue;
            }

            var offset = BinaryPrimitives.ReadUInt32BigEndian(icc[(entry + 4)..]);
            var size = BinaryPrimitives.ReadUInt32BigEndian(icc[(entry + 8)..]);
            if (offset > (uint)icc.Length || size > (uint)icc.Length - offset || size < 12)
            {
                return null;
            }

            return Text(icc.Slice((int)offset, (int)size));
        }

        return null;
    }

    private static string? Text(ReadOnlySpan<byte> tag)
    {
        if (tag.StartsWith("desc"u8))
        {
            // ICC v2 textDescriptionType: signature, reserved, ASCII count, ASCII bytes (NUL-terminated).
            var length = BinaryPrimitives.ReadUInt32BigEndian(tag[8..]);
            var ascii = tag[12..];
            ascii = ascii[..(int)Math.Min(length, (uint)ascii.Length)];
            var end = ascii.IndexOf((byte)0);
            return Clean(Encoding.ASCII.GetString(end >= 0 ? ascii[..end] : ascii));
        }

        if (tag.StartsWith("mluc"u8) && tag.Length >= 28)
        {
            // ICC v4 multiLocalizedUnicodeType: the first record's UTF-16BE string.
            var records = BinaryPrimitives.ReadUInt32BigEndian(tag[8..]);
            if (records == 0)
            {
                return null;
            }

            var length = BinaryPrimitives.ReadUInt32BigEndian(tag[20..]);
            var offset = BinaryPrimitives.ReadUInt32BigEndian(tag[24..]);
            if (offset > (uint)tag.Length || length > (uint)tag.Length - offset)
            {
                return null;
            }

            return Clean(Encoding.BigEndianUnicode.GetString(tag.Slice((int)offset, (int)length)));
        }

        return null;
    }

    private static string? Clean(string text)
    {
        var printable = new string([.. text.Where(c => !char.IsControl(c))]).Trim();
        if (printable.Length == 0)
        {
            return null;
        }

        return printable.Length > MaxDescription ? printable[..MaxDescription] : printable;
    }
}
