namespace CommerceOS.Core.Assets;

/// <summary>Configuration section <c>Assets</c>.</summary>
public sealed class AssetsOptions
{
    public const string Section = "Assets";

    /// <summary>Largest accepted upload in bytes (default 20 MiB). The web host should set its request limits to match.</summary>
    public long MaxUploadBytes { get; set; } = 20L * 1024 * 1024;
}
