namespace CommerceOS.Core.Workspaces;

/// <summary>
/// A row that belongs to exactly one workspace. <see cref="Data.AppDbContext"/> adds a global query
/// filter on <see cref="WorkspaceId"/> for every such entity, so a query made without the current
/// workspace set returns nothing (fail closed).
/// </summary>
public interface ITenantOwned
{
    Guid WorkspaceId { get; set; }
}
