namespace CommerceOS.Core.Workspaces;

/// <summary>
/// The workspace a request or job acts in. Set once per scope: by the web host from the signed-in
/// user (or API key), by the job runner from the job row. Every tenant-owned query reads it.
/// </summary>
public sealed class WorkspaceContext
{
    public Guid? WorkspaceId { get; private set; }

    public Guid? UserId { get; private set; }

    public WorkspaceRole Role { get; private set; }

    public bool IsSet => WorkspaceId.HasValue;

    public Guid RequiredWorkspaceId =>
        WorkspaceId ?? throw new InvalidOperationException("No workspace is set for this scope.");

    public void Set(Guid workspaceId, Guid? userId, WorkspaceRole role)
    {
        if (WorkspaceId.HasValue && WorkspaceId != workspaceId)
        {
            throw new InvalidOperationException("The workspace of a scope cannot change once set.");
        }

        WorkspaceId = workspaceId;
        UserId = userId;
        Role = role;
    }

    public bool Can(WorkspaceRole atLeast) => IsSet && Role >= atLeast;
}
