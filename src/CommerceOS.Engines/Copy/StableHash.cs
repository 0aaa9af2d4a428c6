namespace CommerceOS.Engines.Copy;

/// <summary>
/// FNV-1a (64-bit) over the seed, the product id and a slot name. string.GetHashCode is randomised per process, and the
/// same request and seed must give the same copy on every server and after every restart.
/// </summary>
internal static class StableHash
{
    private const ulong Offset = 14695981039346656037;
    private const ulong Prime = 1099511628211;

    public static ulong Start(int seed, Guid productId)
    {
        var hash = Offset;
        for (var i = 0; i < 4; i++)
        {
            hash = (hash ^ (byte)(seed >> (8 * i))) * Prime;
        }

        Span<byte> bytes = stackalloc byte[16];
        productId.TryWriteBytes(bytes);
        foreach (var b in bytes)
        {
            hash = (hash ^ b) * Prime;
        }

        return hash;
    }

    public static ulong Add(ulong hash, string slot, int index)
    {
        foreach (var c in slot)
        {
            hash = (hash ^ (byte)c) * Prime;
            hash = (hash ^ (byte)(c >> 8)) * Prime;
        }

        hash = (hash ^ (byte)index) * Prime;
        hash = (hash ^ (byte)(index >> 8)) * Prime;

        // FNV's low bits mix poorly for short inputs; fold the high half in before taking a modulus.
        return hash ^ (hash >> 29) ^ (hash >> 41);
    }
}
