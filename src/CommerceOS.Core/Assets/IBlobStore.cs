namespace CommerceOS.Core.Assets;

/// <summary>A stored blob: its key, the SHA-256 of its plaintext and its length in bytes.</summary>
public sealed record StoredBlob(string Key, string Sha256, long Length);

/// <summary>
/// Blob storage. Keys are content-addressed and server-generated (<c>{scope}/{sha256}</c>), so writing
/// the same bytes twice is idempotent. Implementations encrypt at rest (privacy policy section 5).
/// </summary>
public interface IBlobStore
{
    /// <param name="scope">The owner prefix, normally the workspace ID; never user-supplied text.</param>
    Task<StoredBlob> PutAsync(string scope, Stream content, CancellationToken cancellationToken);

    /// <summary>Opens the decrypted content, or returns null when the key does not exist.</summary>
    Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken);

    Task<bool> ExistsAsync(string key, CancellationToken cancellationToken);

    /// <summary>Deleting a missing key is not an error.</summary>
    Task DeleteAsync(string key, CancellationToken cancellationToken);

    /// <summary>Deletes every blob under <paramref name="scope"/> (a closed workspace's files); returns how many there were, 0 when none.</summary>
    Task<int> DeleteScopeAsync(string scope, CancellationToken cancellationToken);
}
