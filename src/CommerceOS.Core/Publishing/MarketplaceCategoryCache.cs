using System.IO.Compression;
using System.Text.Json;
using CommerceOS.Core.Workspaces;

namespace CommerceOS.Core.Publishing;

/// <summary>
/// A connection's copy of its platform's category tree (<see cref="IMarketplaceCategorySource"/>), read in the background by
/// <see cref="RefreshCategoryTree"/> and matched against products by <see cref="PlatformCategoryMatcher"/>. One row per
/// connection; the nodes are gzip-compressed JSON because a Taobao or TikTok tree has thousands of them and is only ever
/// read whole.
/// </summary>
public sealed class MarketplaceCategoryCache : ITenantOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid WorkspaceId { get; set; }

    public Guid ConnectionId { get; set; }

    public required string Platform { get; set; }

    /// <summary>BCP-47 language of the names, as the platform answered.</summary>
    public required string Language { get; set; }

    /// <summary>False when the platform's tree was walked only up to its bound.</summary>
    public bool Complete { get; set; }

    public int NodeCount { get; set; }

    public int LeafCount { get; set; }

    public DateTime FetchedAt { get; set; }

    /// <summary>The nodes, written by <see cref="Encode"/>.</summary>
    public byte[] Payload { get; set; } = [];

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static byte[] Encode(IReadOnlyList<CategoryNode> nodes)
    {
        using var buffer = new MemoryStream();
        using (var zip = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
        {
            JsonSerializer.Serialize(zip, nodes, Json);
        }

        return buffer.ToArray();
    }

    public IReadOnlyList<CategoryNode> Nodes()
    {
        using var zip = new GZipStream(new MemoryStream(Payload), CompressionMode.Decompress);
        return JsonSerializer.Deserialize<List<CategoryNode>>(zip, Json) ?? [];
    }
}
