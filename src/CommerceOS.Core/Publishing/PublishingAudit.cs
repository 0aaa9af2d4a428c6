namespace CommerceOS.Core.Publishing;

/// <summary>Audit actions of the Publish Center (connections hold credentials: security events).</summary>
public static class PublishingAudit
{
    public const string Connect = "marketplace_connect";
    public const string Disconnect = "marketplace_disconnect";
}
