using System.Security.Claims;
using CommerceOS.Core.Accounts;
using CommerceOS.Core.Billing;
using CommerceOS.Core.Data;
using CommerceOS.Core.Workspaces;
using CommerceOS.Web.Shared.Problems;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Web.Shared.Authentication;

/// <summary>
/// Sets the request's <see cref="WorkspaceContext"/> from the signed-in user: the workspace named by
/// the API key, else the one chosen in the <c>cos-ws</c> cookie, else the user's default. The
/// membership is re-read on every request, so removing a member or closing an account takes effect at once. A call with
/// an API key is refused (403 <c>api.feature_required</c>) while the workspace's plan has no API access.
/// </summary>
public sealed class WorkspaceResolutionMiddleware(RequestDelegate next)
{
    public const string WorkspaceCookie = "__Host-cos-ws";

    public async Task InvokeAsync(HttpContext context, WorkspaceContext workspace, AppDbContext db, TimeProvider time)
    {
        if (context.User.Identity?.IsAuthenticated == true
            && Guid.TryParse(context.User.FindFirstValue(ClaimTypes.NameIdentifier), out var userId))
        {
            var fromApiKey = Guid.TryParse(context.User.FindFirstValue(AuthClaims.Workspace), out var keyWorkspace);
            Guid? requested = fromApiKey ? keyWorkspace
                : Guid.TryParse(context.Request.Cookies[WorkspaceCookie], out var fromCookie) ? fromCookie
                : null;
            var user = await db.Users.AsNoTracking()
                .Where(u => u.Id == userId && u.TerminatedAt == null)
                .Select(u => new { u.DefaultWorkspaceId })
                .SingleOrDefaultAsync(context.RequestAborted);
            // A browser's chosen workspace the user was removed from falls back to their default one;
            // an API key stays bound to its own workspace.
            var candidates = fromApiKey ? [requested] : new[] { requested, user?.DefaultWorkspaceId }.Distinct();
            foreach (var id in candidates.OfType<Guid>())
            {
                if (user is null)
                {
                    break;
                }

                var role = await db.WorkspaceMembers.AsNoTracking()
                    .Where(m => m.UserId == userId && m.WorkspaceId == id)
                    .Select(m => (WorkspaceRole?)m.Role)
                    .SingleOrDefaultAsync(context.RequestAborted);
                if (role is { } granted)
                {
                    workspace.Set(id, userId, granted);
                    break;
                }
            }

            // A key outlives a downgrade; calls with it stop while the plan has no API access.
            if (fromApiKey && workspace.IsSet && !await db.WorkspaceHasFeatureAsync(PlanFeatures.ApiAccess, time, context.RequestAborted))
            {
                await ProblemResults.WriteAsync(context, StatusCodes.Status403Forbidden, AccountErrors.ApiAccessRequired, context.RequestAborted, PlanFeatures.ApiAccess);
                return;
            }
        }

        await next(context);
    }
}
