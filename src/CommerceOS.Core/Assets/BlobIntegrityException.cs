namespace CommerceOS.Core.Assets;

/// <summary>
/// A stored blob cannot be trusted: its header or a chunk failed authentication (tampering,
/// truncation, the wrong encryption key) or its content does not match its key's hash.
/// Retrying does not help; the blob must be restored from a backup or re-created.
/// </summary>
public sealed class BlobIntegrityException(string key, string message) : Exception($"Blob '{key}': {message}")
{
    public string Key { get; } = key;
}
