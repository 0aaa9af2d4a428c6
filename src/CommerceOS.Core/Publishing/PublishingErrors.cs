namespace CommerceOS.Core.Publishing;

/// <summary>Stable error codes of the Publish Center (texts in Web/Resources/*/Publishing.json).</summary>
public static class PublishingErrors
{
    /// <summary>Argument: {0} the platforms CommerceOS connects to.</summary>
    public const string PlatformUnknown = "publishing.platform_unknown";

    public const string NameTooLong = "publishing.connection.name_too_long";

    /// <summary>Argument: {0} the field's label key.</summary>
    public const string FieldRequired = "publishing.connection.field_required";

    public const string FieldInvalid = "publishing.connection.field_invalid";

    public const string FieldUnknown = "publishing.connection.field_unknown";

    /// <summary>The platform refused the credentials.</summary>
    public const string CredentialsRefused = "publishing.connection.refused";

    /// <summary>The platform could not be reached or was busy; nothing was saved.</summary>
    public const string Unreachable = "publishing.connection.unreachable";

    /// <summary>Arguments: {0} connections, {1} limit.</summary>
    public const string ConnectionLimit = "publishing.connection.limit";

    public const string Disconnected = "publishing.connection.disconnected";

    /// <summary>The credentials no longer decrypt (the key ring was lost): reconnect.</summary>
    public const string CredentialsUnreadable = "publishing.connection.unreadable";

    public const string FeatureRequired = "publishing.feature_required";

    public const string ScheduleInPast = "publishing.schedule_in_past";

    public const string ScheduleTooFar = "publishing.schedule_too_far";

    public const string NotPublished = "publishing.not_published";

    public const string AlreadyQueued = "publishing.already_queued";

    public const string CategoryTooLong = "publishing.category_too_long";

    public const string AttributesInvalid = "publishing.attributes_invalid";

    /// <summary>The platform kept the listing pending longer than we follow it.</summary>
    public const string FollowTimedOut = "publishing.follow_timed_out";

    /// <summary>The platform was busy or unreachable through every retry.</summary>
    public const string PlatformUnavailable = "publishing.platform_unavailable";

    /// <summary>Blocked by the gate: argument {0} the number of blocking problems.</summary>
    public const string Blocked = "publishing.blocked";

    public const string Rejected = "publishing.rejected";

    /// <summary>Argument: {0} the connection's platform.</summary>
    public const string ConnectionMismatch = "publishing.connection_mismatch";

    /// <summary>Several (or no) stores of the marketplace: say which.</summary>
    public const string ConnectionRequired = "publishing.connection_required";

    public const string NoConnection = "publishing.no_connection";
}
