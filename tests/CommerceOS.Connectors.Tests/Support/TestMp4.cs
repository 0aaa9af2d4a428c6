using System.Buffers.Binary;

namespace CommerceOS.Connectors.Tests.Support;

/// <summary>Bytes that open like an MP4 (an <c>ftyp</c> box, then <c>mdat</c>), which is all the providers check.</summary>
public static class TestMp4
{
    public static byte[] Create(int length)
    {
        var bytes = new byte[Math.Max(length, 32)];
        BinaryPrimitives.WriteInt32BigEndian(bytes, 24);
        "ftypisom"u8.CopyTo(bytes.AsSpan(4));
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(12), 0x200);
        "isommp42"u8.CopyTo(bytes.AsSpan(16));
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(24), bytes.Length - 24);
        "mdat"u8.CopyTo(bytes.AsSpan(28));
        for (var i = 32; i < bytes.Length; i++)
        {
            bytes[i] = (byte)(i * 31);
        }

        return bytes;
    }
}
