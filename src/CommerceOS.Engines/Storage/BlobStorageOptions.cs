namespace CommerceOS.Engines.Storage;

/// <summary>Configuration section <c>Storage</c> of the local encrypted blob store.</summary>
public sealed class BlobStorageOptions
{
    public const string Section = "Storage";

    /// <summary>Folder of the blobs; default <c>{data dir}/blobs</c>. Keep it outside the web root.</summary>
    public string? Root { get; set; }

    /// <summary>
    /// Base64 of 32 random bytes. When absent, <c>{data dir}/keys/blob.key</c> is created (mode 0600)
    /// on first use. Losing the key loses every blob; keep it out of database backups.
    /// </summary>
    public string? EncryptionKey { get; set; }
}
