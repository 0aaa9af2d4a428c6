using CommerceOS.Core.Workspaces;
using Microsoft.AspNetCore.Authorization;

namespace CommerceOS.Web.Features.Accounts;

/// <summary>The request must act in a workspace where the user holds at least this role.</summary>
public sealed record WorkspaceRoleRequirement(WorkspaceRole Minimum) : IAuthorizationRequirement;

public sealed class WorkspaceRoleHandler(WorkspaceContext workspace) : AuthorizationHandler<WorkspaceRoleRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, WorkspaceRoleRequirement requirement)
    {
        if (workspace.Can(requirement.Minimum))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
