namespace CommerceOS.Web.Features.Platform;

/// <summary>
/// What this process does: <c>all</c> (default: web and job workers), <c>web</c> (HTTP only) or
/// <c>worker</c> (job workers and health endpoints only). Set with <c>--role</c> or <c>Role</c>.
/// </summary>
public enum HostRole
{
    All,
    Web,
    Worker,
}

public static class HostRoles
{
    public static HostRole Parse(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        null or "" or "all" => HostRole.All,
        "web" => HostRole.Web,
        "worker" => HostRole.Worker,
        _ => throw new InvalidOperationException($"Unknown role '{value}'. Use --role all, web or worker."),
    };

    public static bool ServesHttp(this HostRole role) => role != HostRole.Worker;
}
