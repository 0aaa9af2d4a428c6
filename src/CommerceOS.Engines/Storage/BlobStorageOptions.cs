namespace CommerceOS.Engines.Storage;

/// <summary>Configuration section <c>Storage</c> of the local encrypted blob store.</summary>
public sealed class BlobStorageOptions
{
    public const string Section = "Storage";

    /// <summary>Folder of the blobs; default <c>{data dir}/blobs</c>. Keep it outside the web root. It is the United States region's location.</summary>
    public string? Root { get; set; }

    /// <summary>
    /// Base64 of 32 random bytes. When absent, <c>{data dir}/keys/blob.key</c> is created (mode 0600)
    /// on first use. Losing the key loses every blob; keep it out of database backups.
    /// </summary>
    public string? EncryptionKey { get; set; }

    /// <summary>
    /// The other data regions' locations (<c>Storage:Regions:sg:Root</c>, <c>Storage:Regions:eu:Root</c>); each defaults to
    /// <c>{data dir}/regions/{region}/blobs</c>. In production each is a volume in that region.
    /// </summary>
    public Dictionary<string, RegionStorageOptions> Regions { get; set; } = new(StringComparer.Ordinal);
}

public sealed class RegionStorageOptions
{
    public string? Root { get; set; }
}
