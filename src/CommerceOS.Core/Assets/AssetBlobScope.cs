namespace CommerceOS.Core.Assets;

/// <summary>The blob store scope of a workspace's files: its ID, so keys are server-generated and per tenant.</summary>
public static class AssetBlobScope
{
    public static string For(Guid workspaceId) => workspaceId.ToString("N");
}
