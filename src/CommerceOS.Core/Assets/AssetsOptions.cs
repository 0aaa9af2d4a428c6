namespace CommerceOS.Core.Assets;

/// <summary>Configuration section <c>Assets</c>.</summary>
public sealed class AssetsOptions
{
    public const string Section = "Assets";

    /// <summary>Largest accepted upload in bytes (default 20 MiB). The web host should set its request limits to match.</summary>
    public long MaxUploadBytes { get; set; } = 20L * 1024 * 1024;

    /// <summary>
    /// Uploads (<see cref="AssetKind.Upload"/>) not used for this long (<see cref="Asset.LastUsedAt"/>) are deleted with their
    /// files by the daily <see cref="UploadRetentionSweep"/> (privacy policy 5: "typically 90 days after last use").
    /// </summary>
    public TimeSpan UploadRetention { get; set; } = TimeSpan.FromDays(90);
}
